/**
 * Reading an HTML form, as Python's `cgi.FieldStorage` does: the same
 * program works as a CGI script (under a web server, or netkit's / Python's
 * CGIHTTPRequestHandler: the form comes from the environment and stdin) and
 * on its own, where it parses a sample multipart upload from memory.
 *
 * Python:
 * ```python
 * form = cgi.FieldStorage()
 * name = form.getfirst("name", "world")
 * upload = form["file"]; upload.filename, upload.value
 * ```
 *
 * Run: `npx tsx examples/cgi_form.ts` (the sample), or as a CGI script.
 */
import { Readable } from "node:stream";
import { FieldStorage, type FieldStorageOptions } from "../src/cgi/index.js";
import { isMain } from "./_args.js";

/** A browser's multipart/form-data upload: a text field and a file. */
export function sampleUpload(): { body: Buffer; contentType: string } {
  const boundary = "----netkitFormBoundary7MA4YWxk";
  const body = Buffer.from(
    [
      `--${boundary}`,
      'Content-Disposition: form-data; name="name"',
      "",
      "Zoë",
      `--${boundary}`,
      'Content-Disposition: form-data; name="file"; filename="notes.txt"',
      "Content-Type: text/plain",
      "",
      "first line\r\nsecond line",
      `--${boundary}--`,
      "",
    ].join("\r\n"),
  );
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Parses a form and describes it: the greeting and each upload. */
export async function describeForm(options: FieldStorageOptions): Promise<string> {
  const form = await FieldStorage.read(options);
  try {
    const lines = [`Hello, ${form.getfirst("name", "world")}!`];
    for (const key of form.keys()) {
      const field = form.get(key);
      for (const item of Array.isArray(field) ? field : [field]) {
        if (item instanceof FieldStorage && item.filename !== null) {
          const size = item.file?.size ?? 0;
          lines.push(`${key}: ${item.filename} (${item.type}, ${size} bytes)`);
        }
      }
    }
    return `${lines.join("\n")}\n`;
  } finally {
    await form.close();
  }
}

if (isMain(import.meta.url)) {
  if (process.env.GATEWAY_INTERFACE) {
    // Under a web server: the environment and stdin hold the request.
    const text = await describeForm({});
    process.stdout.write(`Content-Type: text/plain; charset=utf-8\r\n\r\n${text}`);
  } else {
    const { body, contentType } = sampleUpload();
    const text = await describeForm({
      fp: Readable.from([body]),
      environ: { REQUEST_METHOD: "POST", CONTENT_TYPE: contentType, CONTENT_LENGTH: String(body.length) },
    });
    process.stdout.write(text);
  }
}
