"""python3 servers for bench/conn-rate.bench.ts: each connection carries one
request and one reply, then the server closes it. Request logging off
everywhere. Prints "PORT <n>".

    python3 conn_server.py socket      socket: bind, listen, accept; recv the line, sendall, close (one at a time)
    python3 conn_server.py tcpserver   socketserver.TCPServer + StreamRequestHandler (readline, write)
    python3 conn_server.py threading   socketserver.ThreadingTCPServer + the same handler
    python3 conn_server.py http        http.server.HTTPServer + BaseHTTPRequestHandler (HTTP/1.0, its default)
    python3 conn_server.py xmlrpc      xmlrpc.server.SimpleXMLRPCServer serving add(a, b), its default handler
"""
import json
import os
import signal
import socket
import socketserver
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from xmlrpc.server import SimpleXMLRPCServer

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "conn-wire.json")) as f:
    wire = json.load(f)
mode = sys.argv[1] if len(sys.argv) > 1 else "socket"
LINE_REPLY = wire["lineReply"].encode("latin-1")
BODY = wire["httpBody"].encode("latin-1")
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))


class LineHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.rfile.readline()
        self.wfile.write(LINE_REPLY)


class Hello(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)


if mode == "socket":
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(5)
        print(f"PORT {server.getsockname()[1]}", flush=True)
        while True:
            conn, _ = server.accept()
            with conn:
                got = b""
                while not got.endswith(b"\n"):
                    data = conn.recv(4096)
                    if not data:
                        break
                    got += data
                if got:
                    conn.sendall(LINE_REPLY)
elif mode in ("tcpserver", "threading", "http", "xmlrpc"):
    if mode == "tcpserver":
        server = socketserver.TCPServer(("127.0.0.1", 0), LineHandler)
    elif mode == "threading":
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), LineHandler)
        server.daemon_threads = True
    elif mode == "http":
        server = HTTPServer(("127.0.0.1", 0), Hello)
    else:
        server = SimpleXMLRPCServer(("127.0.0.1", 0), logRequests=False)
        server.register_function(lambda a, b: a + b, "add")
    with server:
        print(f"PORT {server.server_address[1]}", flush=True)
        server.serve_forever()
else:
    sys.exit(f'Cannot start server mode "{mode}": expected socket, tcpserver, threading, http or xmlrpc')
