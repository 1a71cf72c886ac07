"""python3's SimpleXMLRPCServer serving add(a, b), speaking HTTP/1.1 so that
ServerProxy's Transport keeps its connection alive (Python's default handler
speaks HTTP/1.0 and closes after every call). Prints "PORT <n>"; on SIGTERM
prints "CONNECTIONS <n>" (connections accepted) and exits.

    python3 xmlrpc_server.py
"""
import signal
import sys
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer


class Handler(SimpleXMLRPCRequestHandler):
    protocol_version = "HTTP/1.1"


class Server(SimpleXMLRPCServer):
    connections = 0

    def get_request(self):
        Server.connections += 1
        return super().get_request()


def stop(*_):
    print(f"CONNECTIONS {Server.connections}", flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
with Server(("127.0.0.1", 0), requestHandler=Handler, logRequests=False) as server:
    server.register_function(lambda a, b: a + b, "add")
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()
