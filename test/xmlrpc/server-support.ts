/** Helpers the xmlrpc.server tests share: start a server on port 0, send raw HTTP, parse the replies. */
import { connect, type Socket as NetSocket } from "node:net";
import type { SimpleXMLRPCServer } from "../../src/xmlrpc/server.js";

/** A running server and how to stop it. */
export interface Running<S extends SimpleXMLRPCServer> {
  server: S;
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Starts `server` (already constructed on 127.0.0.1:0) serving in the background. */
export async function serve<S extends SimpleXMLRPCServer>(server: S): Promise<Running<S>> {
  await server.ready;
  const port = server.serverAddress[1];
  const serving = server.serveForever(0.05);
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}/RPC2`,
    async close() {
      void server.shutdown();
      await serving;
      await server.serverClose();
    },
  };
}

/** One parsed HTTP response. */
export interface RawResponse {
  statusLine: string;
  status: number;
  reason: string;
  /** Header names lower-cased; the last value wins. */
  headers: Record<string, string>;
  /** Header names as sent, in order. */
  headerNames: string[];
  body: Buffer;
}

/** Parses one response from the front of `buf`; `null` when incomplete (needs `closed` to end a length-less body). */
function parseOne(
  buf: Buffer,
  closed: boolean,
  head = false,
): { response: RawResponse; rest: Buffer } | null {
  const end = buf.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const lines = buf.subarray(0, end).toString("latin1").split("\r\n");
  const statusLine = lines[0]!;
  const m = /^HTTP\/\d\.\d (\d{3}) ?(.*)$/.exec(statusLine);
  if (!m) throw new Error(`bad status line ${JSON.stringify(statusLine)}`);
  const headers: Record<string, string> = {};
  const headerNames: string[] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    const name = line.slice(0, colon);
    headerNames.push(name);
    headers[name.toLowerCase()] = line.slice(colon + 1).trim();
  }
  const start = end + 4;
  const length = head ? "0" : headers["content-length"];
  if (length !== undefined) {
    const n = Number(length);
    if (buf.length < start + n) return null;
    return {
      response: {
        statusLine,
        status: Number(m[1]),
        reason: m[2]!,
        headers,
        headerNames,
        body: buf.subarray(start, start + n),
      },
      rest: buf.subarray(start + n),
    };
  }
  if (!closed) return null;
  return {
    response: {
      statusLine,
      status: Number(m[1]),
      reason: m[2]!,
      headers,
      headerNames,
      body: buf.subarray(start),
    },
    rest: Buffer.alloc(0),
  };
}

/**
 * Sends `request` on one new connection and reads `count` responses.
 * Resolves with them and whether the server closed the connection: when the
 * last response says `Connection: close`, or the caller expects a close
 * (`closes`), it waits for the close (up to `timeoutMs`); otherwise it looks
 * for one for `closeWaitMs` after the last response.
 */
export function exchange(
  port: number,
  request: Buffer | string | Array<Buffer | string>,
  options: {
    count?: number;
    timeoutMs?: number;
    halfClose?: boolean;
    closes?: boolean;
    closeWaitMs?: number;
    head?: boolean;
  } = {},
): Promise<{ responses: RawResponse[]; closed: boolean }> {
  const count = options.count ?? 1;
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const sock: NetSocket = connect(port, "127.0.0.1");
    let buf: Buffer = Buffer.alloc(0);
    const responses: RawResponse[] = [];
    let closed = false;
    let settled = false;
    let closeWait: NodeJS.Timeout | undefined;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(closeWait);
      sock.destroy();
      resolve({ responses, closed });
    };
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      sock.destroy();
      reject(
        new Error(
          responses.length >= count
            ? `the server did not close the connection within ${timeoutMs} ms`
            : `no complete reply within ${timeoutMs} ms (got ${responses.length}): ${buf.toString("latin1").slice(0, 300)}`,
        ),
      );
    }, timeoutMs);
    const drain = () => {
      for (;;) {
        if (responses.length >= count) break;
        const one = parseOne(buf, closed, options.head);
        if (!one) break;
        responses.push(one.response);
        buf = one.rest;
      }
      if (responses.length >= count) {
        const announced = responses[responses.length - 1]!.headers.connection?.toLowerCase() === "close";
        if (closed) finish();
        else if (!options.closes && !announced) closeWait ??= setTimeout(finish, options.closeWaitMs ?? 200);
      } else if (closed) finish();
    };
    sock.on("data", (b: Buffer) => {
      buf = Buffer.concat([buf, b]);
      drain();
    });
    sock.on("end", () => {
      closed = true;
      drain();
    });
    sock.on("close", () => {
      closed = true;
      drain();
    });
    sock.on("error", () => {
      closed = true;
      drain();
    });
    sock.on("connect", () => {
      for (const part of Array.isArray(request) ? request : [request]) sock.write(part);
      if (options.halfClose) sock.end();
    });
  });
}

/** An XML-RPC call's body. */
export function callBody(method: string, paramsXml = ""): string {
  return `<?xml version='1.0'?>\n<methodCall>\n<methodName>${method}</methodName>\n<params>\n${paramsXml}</params>\n</methodCall>\n`;
}

/** A whole POST request for `body`, with Content-Length and the extra header lines given. */
export function post(path: string, body: Buffer | string, extra: string[] = []): Buffer {
  const data = typeof body === "string" ? Buffer.from(body) : body;
  const head = [
    `POST ${path} HTTP/1.1`,
    "Host: 127.0.0.1",
    "Content-Type: text/xml",
    `Content-Length: ${data.length}`,
    ...extra,
  ];
  return Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1"), data]);
}
