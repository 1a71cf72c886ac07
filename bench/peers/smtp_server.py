"""python3's smtpd.SMTPServer (asyncore) accepting every message and
counting it. Prints "PORT <n>"; on SIGTERM prints "MESSAGES <n>" and
"CONNECTIONS <n>" and exits.

    python3 smtp_server.py
"""
import signal
import sys
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import asyncore
    import smtpd


class Server(smtpd.SMTPServer):
    messages = 0
    connections = 0

    def handle_accepted(self, conn, addr):
        Server.connections += 1
        super().handle_accepted(conn, addr)

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        Server.messages += 1


def stop(*_):
    print(f"MESSAGES {Server.messages}", flush=True)
    print(f"CONNECTIONS {Server.connections}", flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
server = Server(("127.0.0.1", 0), None, decode_data=False)
print(f"PORT {server.socket.getsockname()[1]}", flush=True)
asyncore.loop(timeout=1)
