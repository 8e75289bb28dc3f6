"""util-linux `logger` over UDP and TCP, in RFC 3164 and RFC 5424, with and without RFC 6587
octet counting: every line is stored exactly once with the right fields."""
import datetime as dt
import os
import socket
import subprocess

import pytest

from kiroku_harness import (LOCALHOST, LOGGER, assert_record, check_seqs_dense, field,
                            require_binary, token)

N = 20


def setup_module(module):
    require_binary()


def _hostname(fmt):
    h = socket.gethostname()
    # logger's RFC 3164 header carries the short host name.
    return h.split(".")[0] if fmt == "rfc3164" else h


CASES = [
    ("udp", "rfc3164", False),
    ("udp", "rfc5424", False),
    ("tcp", "rfc3164", False),
    ("tcp", "rfc5424", False),
    ("tcp", "rfc3164", True),
    ("tcp", "rfc5424", True),
]


@pytest.mark.parametrize("transport,fmt,octets", CASES,
                         ids=[f"{t}-{f}{'-octet' if o else ''}" for t, f, o in CASES])
def test_logger(kiroku, transport, fmt, octets):
    # Both logger (RFC 3164 writes local time without zone) and kiroku run in UTC here, so the
    # device time of every record must be the send time.
    server = kiroku(args=["--timezone", "UTC"])
    tok = token()
    port = server.udp[1] if transport == "udp" else server.tcp[1]
    lines = [f"{tok} line {i} from logger" for i in range(N)]
    cmd = [LOGGER, "-n", LOCALHOST, "-P", str(port), "-T" if transport == "tcp" else "-d",
           f"--{fmt}", "-t", "myapp", "--id=4321", "-p", "local3.warning"]
    if octets:
        cmd.append("--octet-count")
    if fmt == "rfc5424":
        cmd += ["--msgid", "ID47"]
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    r = subprocess.run(cmd, input=("\n".join(lines) + "\n").encode(), capture_output=True,
                       timeout=30, env=dict(os.environ, TZ="UTC"))
    assert r.returncode == 0, r.stderr.decode()
    after = dt.datetime.now(dt.timezone.utc)
    server.wait_records(lambda rs: any(field(r, "message") == lines[-1] for r in rs),
                        what="the last logger line")
    records = server.search()
    check_seqs_dense(records)
    msgs = [field(r, "message") for r in records]
    for i, ln in enumerate(lines):
        assert msgs.count(ln) == 1, f"line {i} stored {msgs.count(ln)} times: {msgs[:5]}"
    assert len(records) == N, f"{len(records)} records for {N} lines: {msgs[:5]}"
    for rec in records:
        # local3 = 19, warning = 4
        assert_record(rec, host=_hostname(fmt), app="myapp", pid=4321, facility=19, severity=4,
                      transport=transport, peer=LOCALHOST,
                      msgid="ID47" if fmt == "rfc5424" else None)
        ts = dt.datetime.fromisoformat(field(rec, "@timestamp").replace("Z", "+00:00"))
        assert before <= ts <= after, f"@timestamp {ts} not within the send window " \
                                      f"[{before}, {after}]"
    if transport == "tcp":
        # Order on one connection is kept: seq order == line order.
        by_seq = sorted(records, key=lambda r: field(r, "kiroku.seq"))
        ordered = [field(r, "message") for r in by_seq]
        assert ordered == lines
