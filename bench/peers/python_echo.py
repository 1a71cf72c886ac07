# python3's ThreadingTCPServer + StreamRequestHandler echo: the reference peer.
import signal, socketserver, sys

class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(line)

class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    request_queue_size = 4096
    allow_reuse_address = True

signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
with Server(("127.0.0.1", 0), Echo) as server:
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()
