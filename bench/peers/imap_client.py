"""python3's imaplib fetching COUNT messages (RFC822) from the INBOX of USER
at 127.0.0.1:PORT, EXAMINEd (read-only), over one connection, after a
warm-up over the first 50. MODE "each": one FETCH per message; "all": one
FETCH 1:COUNT. Every message's size is checked. Prints {messages, seconds, rps}.

    python3 imap_client.py PORT USER PASSWORD COUNT SIZE MODE
"""
import imaplib
import json
import sys
import time

port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
count, size, mode = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
M = imaplib.IMAP4("127.0.0.1", port, timeout=60)
M.login(user, password)
M.select("INBOX", readonly=True)


def check(data, expected):
    n = 0
    for d in data:
        if isinstance(d, tuple):
            if len(d[1]) != size:
                raise SystemExit("a message of %d bytes" % len(d[1]))
            n += 1
    if n != expected:
        raise SystemExit("fetched %d messages, expected %d" % (n, expected))


for i in range(1, 51):
    check(M.fetch(str(i), "(RFC822)")[1], 1)
start = time.perf_counter()
if mode == "all":
    check(M.fetch("1:%d" % count, "(RFC822)")[1], count)
else:
    for i in range(1, count + 1):
        check(M.fetch(str(i), "(RFC822)")[1], 1)
elapsed = time.perf_counter() - start
M.logout()
print(json.dumps({"messages": count, "seconds": elapsed, "rps": count / elapsed}))
