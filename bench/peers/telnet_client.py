# python3's telnetlib reading a whole session from the server on PORT:
# read_some() until EOF. (read_all() is left out: it concatenates the cooked
# queue for every 50-byte receive, quadratic in the session's size.)
# Prints {"bytes": n, "seconds": s}.
#   python3 telnet_client.py PORT
import json, sys, time, warnings

warnings.simplefilter("ignore")
import telnetlib

started = time.monotonic()
tn = telnetlib.Telnet("127.0.0.1", int(sys.argv[1]), 30)
total = 0
while True:
    got = tn.read_some()
    if not got:
        break
    total += len(got)
tn.close()
print(json.dumps({"bytes": total, "seconds": time.monotonic() - started}))
