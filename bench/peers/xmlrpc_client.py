"""Sequential add(i, i + 1) calls from python3's ServerProxy over its one
kept-alive connection, for SECONDS after 1 s of warm-up; every result is
checked. Prints {"calls", "seconds", "rps"}.

    python3 xmlrpc_client.py PORT [seconds=4]
"""
import json
import sys
import time
import xmlrpc.client

port = int(sys.argv[1])
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 4.0
proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/RPC2")

i = 0
warm_end = time.perf_counter() + 1.0
while time.perf_counter() < warm_end:
    if proxy.add(i, i + 1) != 2 * i + 1:
        sys.exit("wrong result")
    i += 1
calls = 0
start = time.perf_counter()
end = start + seconds
while time.perf_counter() < end:
    if proxy.add(i, i + 1) != 2 * i + 1:
        sys.exit("wrong result")
    i += 1
    calls += 1
elapsed = time.perf_counter() - start
proxy("close")()
print(json.dumps({"calls": calls, "seconds": elapsed, "rps": calls / elapsed}))
