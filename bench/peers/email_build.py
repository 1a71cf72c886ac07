"""python3's EmailMessage building the email-build corpus, timed here.

    python3 email_build.py SPEC_DIR [seconds=2] [rounds=3]

SPEC_DIR holds spec.json (one entry per message: from, to, subject, text,
html, attachments as [file, maintype, subtype, filename]) and the
attachment files. Each message is built as the netkit side builds it
(set_content, add_alternative, add_attachment) and written with as_bytes().
First it builds each once with fixed boundaries and prints the total of
bytes written, for the caller to compare with netkit's. Then, for SECONDS
per round (best round kept), builds and writes the whole corpus. Prints one
JSON line: {"bytes", "rate"} (corpus passes per second).
"""
import json
import os
import sys
from email.message import EmailMessage

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _timing import best_rate  # noqa: E402  (bench/peers/_timing.py)

path = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
spec = json.load(open(os.path.join(path, "spec.json")))
files = {a[0]: open(os.path.join(path, a[0]), "rb").read() for m in spec for a in m["attachments"]}


def build(m):
    msg = EmailMessage()
    msg["From"] = m["from"]
    msg["To"] = m["to"]
    msg["Subject"] = m["subject"]
    msg.set_content(m["text"])
    msg.add_alternative(m["html"], subtype="html")
    for f, maintype, subtype, filename in m["attachments"]:
        msg.add_attachment(files[f], maintype=maintype, subtype=subtype, filename=filename)
    return msg


def fixed_bytes():
    total = 0
    for m in spec:
        msg = build(m)
        for i, p in enumerate(msg.walk()):
            if p.get_content_maintype() == "multipart":
                p.set_boundary("==b%d==" % i)
        total += len(msg.as_bytes())
    return total


def run():
    return [build(m).as_bytes() for m in spec]


def rate(fn):
    return best_rate(fn, seconds, rounds)


print(json.dumps({"bytes": fixed_bytes(), "rate": rate(run)}))
