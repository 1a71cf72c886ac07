/**
 * The content manager on its own: handler look-up (by type for get, by
 * class along the prototype chain for set), its errors, and fast-check
 * round trips: whatever text or bytes setContent() stores, getContent()
 * gives back (text with its line ends made "\n" and one at the end, as
 * Python's), under each transfer encoding and both line ends.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { ContentManager, encodeText, rawDataManager } from "../../src/email/contentmanager.js";
import { messageFromBytes } from "../../src/email/index.js";
import { Message } from "../../src/email/message.js";
import { EmailMessage, MIMEPart } from "../../src/email/mimepart.js";
import { defaultPolicy, HTTP, SMTP, SMTPUTF8, strict } from "../../src/email/policy.js";
import { KeyError, ValueError } from "../../src/errors/index.js";
import { python } from "../_support/python.js";

const SEED = 20261207;

/** Python's round trip of text: its lines (split at \r\n, \r, \n) each ended with "\n". */
function normalized(text: string): string {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines.map((l) => `${l}\n`).join("") || "\n";
}

test("setContent() then getContent() gives the text back for any text, charset utf-8, every cte", () => {
  fc.assert(
    fc.property(
      fc.string({ unit: "grapheme", maxLength: 300 }),
      fc.constantFrom(null, "8bit", "quoted-printable", "base64"),
      fc.constantFrom(defaultPolicy, SMTP),
      (text, cte, policy) => {
        const m = new EmailMessage(policy);
        m.setContent(text, cte === null ? {} : { cte });
        const got = m.getContent() as string;
        // base64 holds the policy's line ends (Python's embedded_body); the others "\n"
        if (m.get("content-transfer-encoding") === "base64" && policy === SMTP) {
          assert.equal(got, normalized(text).replaceAll("\n", "\r\n"));
        } else assert.equal(got, normalized(text));
        // and through the wire: written out and parsed again (with the policy's line ends, as Python)
        const back = messageFromBytes(m.asBytes(), { factory: EmailMessage, policy }) as EmailMessage;
        assert.equal(normalized(back.getContent() as string), normalized(text));
      },
    ),
    { seed: SEED, numRuns: 300 },
  );
});

test("setContent() then getContent() gives Latin-1 text back in charset latin-1", () => {
  fc.assert(
    fc.property(
      fc.string({
        unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)),
        maxLength: 200,
      }),
      (text) => {
        const m = new EmailMessage();
        m.setContent(text, { charset: "latin-1" });
        assert.equal(m.getParam("charset"), "iso-8859-1");
        assert.equal(m.getContent(), normalized(text));
      },
    ),
    { seed: SEED, numRuns: 200 },
  );
});

test("setContent() then getContent() gives any bytes back, every cte that can hold them", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 500 }),
      fc.constantFrom("base64", "quoted-printable", "8bit", "binary"),
      (data, cte) => {
        const m = new EmailMessage();
        m.setContent(Buffer.from(data), { maintype: "application", subtype: "octet-stream", cte });
        assert.deepEqual(m.getContent(), Buffer.from(data));
      },
    ),
    { seed: SEED, numRuns: 300 },
  );
});

test("setContent() of base64 and quoted-printable bytes survives writing and parsing", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 500 }),
      fc.constantFrom("base64", "quoted-printable"),
      (data, cte) => {
        const m = new EmailMessage();
        m.setContent(Buffer.from(data), { maintype: "image", subtype: "png", cte, filename: "f.png" });
        const back = messageFromBytes(m.asBytes(), { factory: EmailMessage }) as EmailMessage;
        assert.deepEqual(back.getContent(), Buffer.from(data));
        assert.equal(back.isAttachment(), true);
      },
    ),
    { seed: SEED, numRuns: 200 },
  );
});

test("ContentManager.getContent() looks up full type, then main type, then the empty key", () => {
  const cm = new ContentManager();
  cm.addGetHandler("", () => "any");
  cm.addGetHandler("text", () => "text");
  cm.addGetHandler("text/html", () => "html");
  const m = new MIMEPart();
  m.set("Content-Type", "text/html");
  assert.equal(cm.getContent(m), "html");
  m.replaceHeader("Content-Type", "text/x-rst");
  assert.equal(cm.getContent(m), "text");
  m.replaceHeader("Content-Type", "image/png");
  assert.equal(cm.getContent(m), "any");
  const bare = new ContentManager();
  assert.throws(
    () => bare.getContent(m),
    (e) => e instanceof KeyError && e.message === "'image/png'",
  );
});

test("ContentManager.setContent() finds a handler by class, parent class, class name, then null", () => {
  class Base {}
  class Derived extends Base {}
  class Named {}
  const cm = new ContentManager();
  const seen: string[] = [];
  cm.addSetHandler(Base, () => seen.push("Base"));
  cm.addSetHandler("Named", () => seen.push("Named"));
  const m = new MIMEPart();
  cm.setContent(m, new Derived());
  cm.setContent(m, new Named());
  assert.throws(
    () => cm.setContent(m, 42),
    (e) => e instanceof KeyError && e.message === "'Number'",
  );
  cm.addSetHandler(null, () => seen.push("null"));
  cm.setContent(m, 42);
  assert.deepEqual(seen, ["Base", "Named", "null"]);
});

test("ContentManager.setContent() clears the old content first and refuses a multipart", () => {
  const m = new MIMEPart();
  m.set("Subject", "s");
  m.setContent("one\n", { filename: "a.txt" });
  m.setContent("two\n");
  assert.equal(m.has("content-disposition"), false);
  assert.deepEqual(m.keys(), ["Subject", "Content-Type", "Content-Transfer-Encoding"]);
  m.makeMixed();
  assert.throws(
    () => m.setContent("x"),
    (e) => e instanceof TypeError && (e as { code?: string }).code === "ERR_INVALID_STATE",
  );
});

test("rawDataManager getContent() of a message/rfc822 part is the enclosed message; of message/x-other, its bytes", () => {
  const inner = new EmailMessage();
  inner.set("Subject", "inner");
  inner.setContent("body\n");
  const m = new EmailMessage();
  m.setContent(inner);
  assert.equal(m.getContent(), inner);
  const other = new Message();
  other._payload = [inner];
  other.set("Content-Type", "message/x-other");
  assert.deepEqual(rawDataManager.getContent(other), inner.asBytes());
});

test("encodeText() refuses an unknown cte and text the charset cannot hold", () => {
  assert.throws(() => encodeText("x", "utf-8", "x-uuencode", defaultPolicy), ValueError);
  assert.throws(
    () => encodeText("é", "ascii", null, defaultPolicy),
    (e) => (e as Error).name === "UnicodeEncodeError",
  );
});

test("setContent() takes extra headers and refuses one with no colon", () => {
  const m = new EmailMessage();
  m.setContent("x\n", { headers: [["X-A", "1"], "X-B: two"] });
  assert.equal(m.get("x-a"), "1");
  assert.equal(m.get("x-b"), "two");
  assert.throws(() => m.setContent("x\n", { headers: ["no colon"] }), ValueError);
});

test("messageFromBytes() under a modern policy makes EmailMessages, as Python's policies do (regression: Message)", async () => {
  const wire = Buffer.from(
    'Subject: x\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n\r\none\r\n--b--\r\n',
  );
  const names: Record<string, string> = {
    defaultPolicy: "default",
    SMTP: "SMTP",
    SMTPUTF8: "SMTPUTF8",
    HTTP: "HTTP",
    strict: "strict",
  };
  const policies = { defaultPolicy, SMTP, SMTPUTF8, HTTP, strict };
  const ours: Record<string, string[]> = {};
  for (const [key, policy] of Object.entries(policies)) {
    const root = messageFromBytes(wire, { policy: policy.clone({ maxLineLength: 70 }) });
    ours[names[key]!] = [...root.walk()].map((m) =>
      m instanceof EmailMessage ? "EmailMessage" : m.constructor.name,
    );
  }
  ours.compat32 = [...messageFromBytes(wire).walk()].map((m) => m.constructor.name);
  const theirs = await python(
    `import email, email.policy, json, sys
wire = json.load(sys.stdin).encode("latin-1")
out = {}
for name in ["default", "SMTP", "SMTPUTF8", "HTTP", "strict"]:
    root = email.message_from_bytes(wire, policy=getattr(email.policy, name).clone(max_line_length=70))
    out[name] = [type(m).__name__ for m in root.walk()]
out["compat32"] = [type(m).__name__ for m in email.message_from_bytes(wire).walk()]
print(json.dumps(out))`,
    wire.toString("latin1"),
  );
  assert.deepEqual(ours, theirs);
});
