"""python3's xmlrpc.client.loads / dumps on one XML-RPC document, timed here.

    python3 xmlrpc_marshal.py DOCUMENT.xml [seconds=2] [rounds=3]

Checks first that the work is real: loads(document) must give back the
document byte for byte through dumps(..., methodresponse=True), and the
item count is printed for the caller to compare. Then each of loads and
dumps runs for SECONDS per round (after a warm-up), best round kept.
Prints one JSON line: {"items", "bytes", "loads", "dumps"} (documents/s;
dumps to UTF-8 bytes, as a document goes on the wire).
"""
import json
import os
import sys
import xmlrpc.client as X

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import best_rate  # noqa: E402  (bench/peers/_timing.py)

path = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
with open(path, "rb") as f:
    doc = f.read()

params, method = X.loads(doc)
if method is not None or len(params) != 1:
    sys.exit("unexpected document shape")
again = X.dumps(params, methodresponse=True).encode("utf-8")
if again != doc:
    sys.exit("python3's dumps(loads(doc)) differs from the document")


def rate(fn):
    return best_rate(fn, seconds, rounds)


print(
    json.dumps(
        {
            "items": len(params[0]["items"]),
            "bytes": len(doc),
            "loads": rate(lambda: X.loads(doc)),
            "dumps": rate(lambda: X.dumps(params, methodresponse=True).encode("utf-8")),
        }
    )
)
