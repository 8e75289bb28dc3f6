#!/usr/bin/env python3
"""Deterministic corpora for the normaliser benchmark (bench/normalize_vs_lognorm.sh).

  gen_normalize_corpus.py --kind netfilter|postfix|mixed --count N --seed 42 \
      --out lines.log [--messages-out msgs.txt]

--out gets whole syslog lines (what kiroku stores); --messages-out the same records' message
parts only (what liblognorm's lognormalizer is given, since rsyslog's mmnormalize runs on the
message after rsyslog parsed the header). `mixed` draws from every device family's known-answer
lines (src/normalize/testdata/*.jsonl) with fresh addresses, ports and user names, weighted
roughly as a site's traffic is: firewall and proxy lines dominate.
"""
import argparse
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
WEIGHTS = {"network": 40, "proxy": 25, "mail": 8, "windows": 8, "directory": 5, "database": 5,
           "antivirus": 3, "timesync": 2}
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")


def ip(rng, internal):
    if internal:
        return f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
    return f"{rng.choice([203, 198, 93, 151, 185])}.{rng.randrange(256)}.{rng.randrange(256)}." \
           f"{rng.randrange(1, 255)}"


def stamp(rng, i):
    sec = 14 * 3600 + i // 50
    return f"Nov 26 {sec // 3600 % 24:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}"


def netfilter(rng, i):
    proto = rng.choice(["TCP", "TCP", "TCP", "UDP"])
    src, dst = ip(rng, True), ip(rng, False)
    if rng.random() < 0.3:
        src, dst = dst, src
    action = rng.choice(["DROP", "DROP", "ACCEPT"])
    tail = (f"WINDOW=64240 RES=0x00 SYN URGP=0" if proto == "TCP" else f"LEN={rng.randrange(20, 500)}")
    msg = (f"[{rng.randrange(10**6)}.{rng.randrange(10**6):06d}] {action} IN=eth0 OUT=eth1 "
           f"MAC=00:16:3e:5c:2a:01:00:16:3e:11:22:33:08:00 SRC={src} DST={dst} "
           f"LEN={rng.randrange(40, 1500)} TOS=0x00 PREC=0x00 TTL={rng.randrange(30, 128)} "
           f"ID={rng.randrange(65536)} DF PROTO={proto} SPT={rng.randrange(1024, 65536)} "
           f"DPT={rng.choice([22, 53, 80, 443, 445, 3389, 8080])} {tail}")
    return f"<4>{stamp(rng, i)} fw{rng.randrange(1, 4)} kernel: {msg}", msg


def qid(rng):
    return "".join(rng.choice("0123456789ABCDEF") for _ in range(10))


def postfix_mail(rng, i):
    q = qid(rng)
    host = f"mx{rng.randrange(1, 3)}"
    user = f"user{rng.randrange(5000)}"
    dom = rng.choice(["example.com", "example.net", "corp.example"])
    client = ip(rng, False)
    out = []
    def add(app, msg):
        out.append((f"<22>{stamp(rng, i)} {host} postfix/{app}[{rng.randrange(1000, 30000)}]: {msg}", msg))
    add("smtpd", f"{q}: client=mail{rng.randrange(99)}.{dom}[{client}]")
    add("cleanup", f"{q}: message-id=<{rng.randrange(10**12)}.{q}@{dom}>")
    add("qmgr", f"{q}: from=<{user}@{dom}>, size={rng.randrange(500, 500000)}, nrcpt=1 (queue active)")
    add("smtp", f"{q}: to=<rcpt{rng.randrange(5000)}@corp.example>, relay=mbox.corp.example[10.0.0.25]:25, "
                f"delay=0.{rng.randrange(10, 99)}, delays=0.1/0/0.1/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok)")
    add("qmgr", f"{q}: removed")
    return out


def mixed_templates():
    by_family = {}
    for fam in WEIGHTS:
        path = ROOT / "src" / "normalize" / "testdata" / f"{fam}.jsonl"
        if not path.exists():
            continue
        for text in path.read_text().splitlines():
            if not text.strip() or text.startswith("#"):
                continue
            c = json.loads(text)
            if "line" in c and c["fields"] and "\n" not in c["line"]:
                by_family.setdefault(fam, []).append(c["line"])
    return by_family


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", choices=["netfilter", "postfix", "mixed"], required=True)
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", required=True)
    ap.add_argument("--messages-out")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    rows = []
    if a.kind == "netfilter":
        rows = [netfilter(rng, i) for i in range(a.count)]
    elif a.kind == "postfix":
        i = 0
        while len(rows) < a.count:
            rows.extend(postfix_mail(rng, i))
            i += 1
        rows = rows[:a.count]
    else:
        templates = mixed_templates()
        fams = [f for f in WEIGHTS if f in templates]
        weights = [WEIGHTS[f] for f in fams]
        for i in range(a.count):
            fam = rng.choices(fams, weights)[0]
            line = rng.choice(templates[fam])
            line = IPV4.sub(lambda m: ip(rng, m.group(0).startswith("10.")), line)
            rows.append((line, ""))
    with open(a.out, "w") as f:
        for line, _ in rows:
            f.write(line + "\n")
    if a.messages_out:
        with open(a.messages_out, "w") as f:
            for _, msg in rows:
                f.write(msg + "\n")


if __name__ == "__main__":
    main()
