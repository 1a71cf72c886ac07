/**
 * One dump of a parsed message tree, made the same way by python3 and by
 * netkit, for the differential tests: each part's content type, default
 * type, parameters, filename, boundary, charset, unixfrom, headers,
 * preamble, epilogue, defects (class names), and payload bytes decoded,
 * plus the message written back by `as_bytes()` and `as_string()`.
 */
import type { Message } from "../../src/email/message.js";

/** A dump of one part (see the module comment). */
export interface PartDump {
  type: string;
  defaultType: string;
  params: unknown;
  filename: unknown;
  boundary: unknown;
  charset: unknown;
  unixfrom: string | null;
  headers: [string, string][];
  preamble: string | null;
  epilogue: string | null;
  defects: string[];
  multipart: boolean;
  payload: string | null;
}

/** The python3 side: reads `[{name, data (base64)}]`, prints `{name: {parts, bytes, string}}`. */
export const PY_DUMP = `
import sys, json, base64, email
from email import policy as P
def dump_part(p):
    d = p.get_payload(decode=True)
    return dict(
        type=p.get_content_type(), defaultType=p.get_default_type(),
        params=p.get_params(), filename=p.get_filename(), boundary=p.get_boundary(),
        charset=p.get_content_charset(), unixfrom=p.get_unixfrom(),
        headers=[[k, str(v)] for k, v in p.items()],
        preamble=p.preamble, epilogue=p.epilogue,
        defects=[type(x).__name__ for x in p.defects],
        multipart=p.is_multipart(),
        payload=None if d is None else base64.b64encode(d).decode())
def err(f):
    try: return f()
    except Exception as e: return 'ERROR ' + type(e).__name__
out = {}
for case in json.load(sys.stdin):
    data = base64.b64decode(case['data'])
    m = email.message_from_bytes(data)
    parts = [dump_part(p) for p in m.walk()]
    out[case['name']] = dict(
        parts=parts,
        bytes=err(lambda: base64.b64encode(email.message_from_bytes(data).as_bytes()).decode()),
        string=err(lambda: email.message_from_bytes(data).as_string()))
print(json.dumps(out))
`;

function errorName(e: unknown): string {
  return `ERROR ${(e as Error).name}`;
}

function err<T>(f: () => T): T | string {
  try {
    return f();
  } catch (e) {
    return errorName(e);
  }
}

/** The netkit side of one part. */
export function dumpPart(p: Message): PartDump {
  const d = p.getPayload({ decode: true });
  return {
    type: p.getContentType(),
    defaultType: p.getDefaultType(),
    params: p.getParams(null) ?? null,
    filename: p.getFilename(null),
    boundary: p.getBoundary(null),
    charset: p.getContentCharset(null),
    unixfrom: p.getUnixfrom(),
    headers: p.items(),
    preamble: p.preamble,
    epilogue: p.epilogue,
    defects: p.defects.map((x) => x.name),
    multipart: p.isMultipart(),
    payload: d === null ? null : d.toString("base64"),
  };
}

/** The netkit side of one message: parts, and the message written back. */
export function dumpMessage(parse: () => Message) {
  return {
    parts: [...parse().walk()].map(dumpPart),
    bytes: err(() => parse().asBytes().toString("base64")),
    string: err(() => parse().asString()),
  };
}
