"""The timing loop the python3 peers of the parser benchmarks share
(email_build.py, email_parse.py, xmlrpc_marshal.py), as bench/_lib.ts's
bestRate times the netkit side: one warm-up call, then the best of ROUNDS
runs of about SECONDS each, in calls per second.

A peer imports it from its own directory:

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from _timing import best_rate
"""
import time


def best_rate(fn, seconds, rounds):
    """Best calls per second of fn(): one warm-up call, then ROUNDS runs of SECONDS."""
    fn()
    best = 0.0
    for _ in range(rounds):
        n = 0
        start = time.perf_counter()
        while True:
            fn()
            n += 1
            el = time.perf_counter() - start
            if el >= seconds:
                break
        best = max(best, n / el)
    return best
