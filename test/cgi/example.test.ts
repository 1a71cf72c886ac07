/** examples/cgi_form.ts: the sample upload parses to the greeting and the file's description. */
import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { test } from "node:test";
import { describeForm, sampleUpload } from "../../examples/cgi_form.js";

test("examples/cgi_form.ts describes the sample upload", async () => {
  const { body, contentType } = sampleUpload();
  const text = await describeForm({
    fp: Readable.from([body]),
    environ: { REQUEST_METHOD: "POST", CONTENT_TYPE: contentType, CONTENT_LENGTH: String(body.length) },
  });
  assert.equal(text, "Hello, Zoë!\nfile: notes.txt (text/plain, 23 bytes)\n");
});

test("examples/cgi_form.ts answers a GET with the query string's name", async () => {
  assert.equal(
    await describeForm({ environ: { REQUEST_METHOD: "GET", QUERY_STRING: "name=Bob" } }),
    "Hello, Bob!\n",
  );
});
