"""python3's smtplib sending the message in FILE again and again over one
connection, for SECONDS after 1 s of warm-up; each sendmail() returns only
after the server's 250 for DATA. Prints {messages, seconds, rps}.

    python3 smtp_client.py PORT FILE [seconds=4]
"""
import json
import smtplib
import sys
import time

port, path = int(sys.argv[1]), sys.argv[2]
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 4.0
with open(path, "rb") as f:
    message = f.read()
with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
    warm_end = time.perf_counter() + 1
    while time.perf_counter() < warm_end:
        smtp.sendmail("sender@example.test", ["rcpt@example.test"], message)
    messages = 0
    start = time.perf_counter()
    end = start + seconds
    while time.perf_counter() < end:
        smtp.sendmail("sender@example.test", ["rcpt@example.test"], message)
        messages += 1
    elapsed = time.perf_counter() - start
print(json.dumps({"messages": messages, "seconds": elapsed, "rps": messages / elapsed}))
