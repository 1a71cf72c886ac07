/** Differential: HTTPStatus, responses and HTTPMethod equal python3's tables. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { HTTPMethod, HTTPStatus, responses } from "../../src/http/index.js";
import { hasCommand, peerSkip } from "../_support/peers.js";
import { python } from "../_support/python.js";

test("HTTPStatus, responses and HTTPMethod list what python3's http module lists", {
  skip: peerSkip("python3", hasCommand("python3")),
}, async () => {
  const expected = await python<{
    statuses: Array<[number, string, string, string]>;
    responses: Record<string, string>;
    methods: Array<[string, string]>;
  }>(
    `import http, http.client, json
print(json.dumps({"statuses": [[s.value, s.name, s.phrase, s.description] for s in http.HTTPStatus],
  "responses": http.client.responses, "methods": [[m.name, m.description] for m in http.HTTPMethod]}))`,
  );
  assert.deepEqual(
    HTTPStatus.members().map((s) => [s.value, s.name, s.phrase, s.description]),
    expected.statuses,
  );
  assert.deepEqual(Object.fromEntries(Object.entries(responses)), expected.responses);
  assert.deepEqual(
    Object.values(HTTPMethod).map((m) => [m.name, m.description]),
    expected.methods,
  );
  assert.equal(HTTPStatus.NOT_FOUND.value, 404);
  assert.equal(HTTPStatus.get(418)?.phrase, "I'm a Teapot");
  assert.equal(HTTPStatus.get(999), undefined);
});
