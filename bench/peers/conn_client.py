"""python3 clients for bench/conn-rate.bench.ts: one connection per request,
one request at a time, each reply checked. After 1 s of warm-up it prints
"GO", counts connections for SECONDS, prints "STOP", then
{"connections", "seconds", "rate", "cpuUs", "medianUs"} (cpuUs: this process's CPU time per
connection; medianUs: the median time one connection took, which a burst of load elsewhere moves
less than the rate).

    python3 conn_client.py socket PORT [seconds=4]   socket: connect, sendall, recv until the server closes, close
    python3 conn_client.py http PORT [seconds=4]     a new http.client.HTTPConnection per GET
    python3 conn_client.py xmlrpc PORT [seconds=4]   one ServerProxy; the server closes after each add(1, 2)
"""
import http.client
import json
import os
import socket
import sys
import time
import xmlrpc.client

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "conn-wire.json")) as f:
    wire = json.load(f)
mode = sys.argv[1]
port = int(sys.argv[2])
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 4.0
LINE = wire["lineRequest"].encode("latin-1")
LINE_REPLY = wire["lineReply"].encode("latin-1")
BODY = wire["httpBody"].encode("latin-1")


def over_socket():
    with socket.socket() as sock:
        sock.connect(("127.0.0.1", port))
        sock.sendall(LINE)
        got = b""
        while True:
            data = sock.recv(4096)
            if not data:
                break
            got += data
    if got != LINE_REPLY:
        sys.exit(f"Unexpected reply: {got!r}")


def over_http():
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/")
        res = conn.getresponse()
        body = res.read()
        if res.status != 200 or body != BODY:
            sys.exit(f"Unexpected response: {res.status} {body!r}")
    finally:
        conn.close()


proxy = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/RPC2")


def over_xmlrpc():
    if proxy.add(1, 2) != 3:
        sys.exit("Unexpected result")


once = {"socket": over_socket, "http": over_http, "xmlrpc": over_xmlrpc}[mode]
warm_end = time.perf_counter() + 1.0
while time.perf_counter() < warm_end:
    once()
print("GO", flush=True)
cpu = time.process_time()
start = time.perf_counter()
end = start + seconds
times = []
t = start
while t < end:
    once()
    now = time.perf_counter()
    times.append(now - t)
    t = now
connections = len(times)
elapsed = time.perf_counter() - start
used = time.process_time() - cpu
print("STOP", flush=True)
print(json.dumps({"connections": connections, "seconds": elapsed, "rate": connections / elapsed,
                  "cpuUs": used * 1e6 / connections,
                  "medianUs": sorted(times)[connections // 2] * 1e6}), flush=True)
