"""python3's email package on the email-parse corpus, timed here.

    python3 email_parse.py CORPUS_DIR [seconds=2] [rounds=3]

CORPUS_DIR holds the messages as 0.eml, 1.eml, ... Checks first that the
work is real (the number of parts and of decoded payload bytes is printed
for the caller to compare with netkit's). Then, for SECONDS per round
(best round kept), each of: parse (message_from_bytes), parse and decode
every leaf (get_payload(decode=True)), and generate (as_bytes of the parsed
messages). Prints one JSON line: {"parts", "decoded", "bytes", "parse",
"parse_decode", "generate"} (corpus passes per second).
"""
import email
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import best_rate  # noqa: E402  (bench/peers/_timing.py)

path = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
names = sorted((n for n in os.listdir(path) if n.endswith(".eml")), key=lambda n: int(n[:-4]))
corpus = [open(os.path.join(path, n), "rb").read() for n in names]


def parse():
    return [email.message_from_bytes(b) for b in corpus]


def parse_decode():
    parts = decoded = 0
    for b in corpus:
        for part in email.message_from_bytes(b).walk():
            parts += 1
            if not part.is_multipart():
                decoded += len(part.get_payload(decode=True) or b"")
    return parts, decoded


parsed = parse()


def generate():
    return [m.as_bytes() for m in parsed]


def rate(fn):
    return best_rate(fn, seconds, rounds)


parts, decoded = parse_decode()
print(
    json.dumps(
        {
            "parts": parts,
            "decoded": decoded,
            "bytes": sum(len(b) for b in corpus),
            "generated": sum(len(b) for b in generate()),
            "parse": rate(parse),
            "parse_decode": rate(parse_decode),
            "generate": rate(generate),
        }
    )
)
