# python3's http.server for the HTTP server benchmarks: what `python3 -m
# http.server -p PROTOCOL -d DIR` runs (ThreadingHTTPServer +
# SimpleHTTPRequestHandler), or a minimal BaseHTTPRequestHandler answering a
# small body; request logging off (every peer runs quiet), listen backlog
# 1024 like the other peers. Prints "PORT <n>".
#   python3 python_http_server.py static DIR HTTP/1.0|HTTP/1.1
#   python3 python_http_server.py dynamic - HTTP/1.1 [nodelay]
# "nodelay" sets disable_nagle_algorithm (TCP_NODELAY), off in Python by default.
import functools, signal, sys
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer

mode = sys.argv[1] if len(sys.argv) > 1 else "static"
directory = sys.argv[2] if len(sys.argv) > 2 else "."
protocol = sys.argv[3] if len(sys.argv) > 3 else "HTTP/1.0"
nodelay = len(sys.argv) > 4 and sys.argv[4] == "nodelay"
BODY = b"Hello, World!\n"


class Files(SimpleHTTPRequestHandler):
    protocol_version = protocol
    disable_nagle_algorithm = nodelay

    def log_message(self, *args):
        pass


class Hello(BaseHTTPRequestHandler):
    protocol_version = protocol
    disable_nagle_algorithm = nodelay

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)


class Server(ThreadingHTTPServer):
    request_queue_size = 1024


handler = Hello if mode == "dynamic" else functools.partial(Files, directory=directory)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
with Server(("127.0.0.1", 0), handler) as server:
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()
