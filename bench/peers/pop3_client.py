"""python3's poplib retrieving COUNT messages (RETR, one at a time) from
the mailbox of USER at 127.0.0.1:PORT over one connection, after a warm-up
over the first 50. Every message's size is checked (its lines joined with
CRLF, as they were on the wire). The session ends with RSET and QUIT, so
nothing is deleted. Prints {messages, seconds, rps}.

    python3 pop3_client.py PORT USER PASSWORD COUNT SIZE
"""
import json
import poplib
import sys
import time

port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
count, size = int(sys.argv[4]), int(sys.argv[5])
M = poplib.POP3("127.0.0.1", port, timeout=60)
M.user(user)
M.pass_(password)


def check(i):
    resp, lines, octets = M.retr(i)
    if octets != size:
        raise SystemExit("message %d: %d octets" % (i, octets))


for i in range(1, 51):
    check(i)
start = time.perf_counter()
for i in range(1, count + 1):
    check(i)
elapsed = time.perf_counter() - start
M.rset()
M.quit()
print(json.dumps({"messages": count, "seconds": elapsed, "rps": count / elapsed}))
