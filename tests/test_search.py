"""`kiroku search` on a data directory while the server runs: the JSON record schema, header
parsing as seen from outside (device time, zones, NILVALUEs, BOM), the KQL-like query subset,
--count/--limit/--since/--until/--format and exit codes."""
import csv
import datetime as dt
import io
import json
import subprocess

import pytest

from kiroku_harness import (LOCALHOST, assert_record, check_original_length, field, kiroku_bin,
                            octet, require_binary, rfc5424, tcp_connect, tcp_send, token, udp_send)


def setup_module(module):
    require_binary()


def ts(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def test_json_schema_of_a_full_rfc5424_record(kiroku):
    server = kiroku()
    tok = token()
    raw = (b'<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 8710 ID47 '
           b'[exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] '
           b'\xef\xbb\xbf' + f"{tok} An application event log entry".encode())
    s = tcp_connect(server.tcp)
    port = s.getsockname()[1]
    before = dt.datetime.now(dt.timezone.utc)
    s.sendall(octet(raw))
    [r] = server.wait_records(lambda rs: rs, what="the record")
    after = dt.datetime.now(dt.timezone.utc)
    s.close()
    assert_record(r, host="mymachine.example.com", app="evntslog", pid=8710, facility=20,
                  severity=5, msgid="ID47", message=f"{tok} An application event log entry",
                  transport="tcp", peer=LOCALHOST)
    assert ts(r["@timestamp"]) == dt.datetime(2003, 10, 11, 22, 14, 15, 3000,
                                              tzinfo=dt.timezone.utc)
    assert r["@timestamp"].endswith("Z")
    assert before - dt.timedelta(seconds=1) <= ts(r["event"]["created"]) <= after
    # Nested ECS objects as in the contract.
    assert r["host"]["name"] == "mymachine.example.com"
    assert r["process"] == {"name": "evntslog", "pid": 8710}
    assert r["log"]["syslog"]["facility"]["code"] == 20
    assert r["log"]["syslog"]["severity"]["code"] == 5
    assert r["log"]["syslog"]["msgid"] == "ID47"
    assert r["log"]["source"] == {"address": LOCALHOST, "port": port}
    k = r["kiroku"]
    assert k["seq"] == 2 and k["transport"] == "tcp"  # seq 1: the server's start record
    assert k["truncated"] is False and k["parse_error"] is False
    check_original_length(r, len(raw))
    if "original" in r.get("event", {}):
        assert r["event"]["original"].encode() == raw


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_original_length_on_every_record(kiroku, transport):
    """The contract's JSON record carries kiroku.original_length also when not truncated."""
    server = kiroku()
    raw = rfc5424(f"{token()} plain message")
    if transport == "udp":
        udp_send(server.udp, [raw])
    else:
        tcp_send(server.tcp, raw + b"\n")
    [r] = server.wait_records(lambda rs: rs, what="the record")
    assert r["kiroku"]["truncated"] is False
    assert r["kiroku"].get("original_length") == len(raw), r["kiroku"]


@pytest.mark.parametrize("raw,want", [
    # RFC 5424 with an offset and fractional seconds.
    (b"<13>1 2024-03-01T09:00:00.123456+09:00 h app - - - TOK", "2024-03-01T00:00:00.123456Z"),
    (b"<13>1 2024-03-01T00:00:00-05:30 h app - - - TOK", "2024-03-01T05:30:00Z"),
    # RFC 3164 with an ISO 8601 timestamp.
    (b"<13>2024-03-01T00:00:00Z h app[1]: TOK", "2024-03-01T00:00:00Z"),
])
def test_device_time(kiroku, raw, want):
    server = kiroku()
    tok = token()
    udp_send(server.udp, [raw.replace(b"TOK", tok.encode())])
    [r] = server.wait_records(lambda rs: rs, what="the record")
    assert ts(r["@timestamp"]) == ts(want), r["@timestamp"]
    assert field(r, "message") == tok


def test_nil_timestamp_falls_back_to_receive_time(kiroku):
    server = kiroku()
    tok = token()
    udp_send(server.udp, [f"<14>1 - - - - - - {tok}".encode()])
    [r] = server.wait_records(lambda rs: rs, what="the record")
    assert r["@timestamp"] == r["event"]["created"]
    assert field(r, "message") == tok
    assert field(r, "host.name") is None and field(r, "process.name") is None
    assert field(r, "log.syslog.facility.code") == 1 and field(r, "log.syslog.severity.code") == 6


def test_bsd_timestamp_uses_configured_zone(kiroku):
    """"Mmm dd hh:mm:ss" has no zone: --timezone supplies it, and the year is inferred."""
    server = kiroku(args=["--timezone", "Asia/Tokyo"])
    tok = token()
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    tokyo = now + dt.timedelta(hours=9)
    bsd = f"{tokyo:%b} {tokyo.day:2d} {tokyo:%H:%M:%S}"
    udp_send(server.udp, [f"<13>{bsd} host1 sshd[22]: {tok}".encode()])
    [r] = server.wait_records(lambda rs: rs, what="the record")
    assert ts(r["@timestamp"]) == now, (r["@timestamp"], now)
    assert_record(r, host="host1", app="sshd", pid=22, message=tok, transport="udp")


def test_bsd_without_hostname(kiroku):
    server = kiroku(args=["--timezone", "UTC"])
    tok = token()
    now = dt.datetime.now(dt.timezone.utc)
    udp_send(server.udp, [f"<13>{now:%b} {now.day:2d} {now:%H:%M:%S} sshd[22]: {tok}".encode()])
    [r] = server.wait_records(lambda rs: rs, what="the record")
    assert field(r, "process.name") == "sshd" and field(r, "process.pid") == 22
    assert field(r, "message") == tok
    assert field(r, "kiroku.parse_error") is False


def _corpus(server):
    """A small corpus with known fields; returns {name: token}."""
    t = {k: token() for k in ("a", "b", "c", "d", "e")}
    msgs = [
        rfc5424(f"{t['a']} Accepted password for alice", host="web01", app="sshd", pid="10",
                pri=4 * 8 + 6),
        rfc5424(f"{t['b']} Failed password for root", host="web01", app="sshd", pid="11",
                pri=4 * 8 + 4),
        rfc5424(f"{t['c']} GET /index.html 200", host="web02", app="nginx", pid="12",
                pri=16 * 8 + 6),
        rfc5424(f"{t['d']} Failed password for bob", host="db01", app="sshd", pid="13",
                pri=10 * 8 + 3),
    ]
    tcp_send(server.tcp, b"".join(m + b"\n" for m in msgs))
    udp_send(server.udp, [rfc5424(f"{t['e']} password reset", host="web01", app="passwd")])
    server.wait_count(5)
    return t


def _msgs(server, q):
    return sorted(field(r, "message").split()[0] for r in server.search(q))


def test_queries(kiroku):
    server = kiroku()
    t = _corpus(server)

    def want(*keys):
        return sorted(t[k] for k in keys)

    assert _msgs(server, "host.name:web01") == want("a", "b", "e")
    assert _msgs(server, "host.name:web01 AND process.name:sshd") == want("a", "b")
    assert _msgs(server, "process.name:sshd AND NOT host.name:web01") == want("d")
    assert _msgs(server, "host.name:web02 OR host.name:db01") == want("c", "d")
    assert _msgs(server, "Failed") == want("b", "d")
    assert _msgs(server, "password") == want("a", "b", "d", "e")
    assert _msgs(server, '"Failed password for root"') == want("b")
    assert _msgs(server, '"password for"') == want("a", "b", "d")
    assert _msgs(server, "kiroku.transport:udp") == want("e")
    assert _msgs(server, "kiroku.transport:tcp") == want("a", "b", "c", "d")
    assert _msgs(server, "(host.name:web01 OR host.name:db01) AND Failed") == want("b", "d")
    assert _msgs(server, "host.name:web0*") == want("a", "b", "c", "e")
    assert _msgs(server, "log.syslog.severity.code:4") == want("b")
    assert _msgs(server, "log.source.address:127.0.0.0/8") == want("a", "b", "c", "d", "e")
    assert _msgs(server, "kiroku.truncated:true") == []
    assert _msgs(server, t["c"]) == want("c")
    assert server.count("Failed") == 2
    assert server.count() == 5


def test_truncated_query(kiroku):
    server = kiroku(args=["--max-frame-size", "1000"])
    tok = token()
    tcp_send(server.tcp, rfc5424(f"{tok} " + "z" * 1500) + b"\n" + rfc5424(f"{tok} short") + b"\n")
    server.wait_count(2)
    [r] = server.search("kiroku.truncated:true")
    assert field(r, "kiroku.truncated") is True and field(r, "kiroku.original_length") > 1500
    assert server.count("kiroku.truncated:false") == 1


def test_limit_count_and_time_range(kiroku):
    server = kiroku()
    tok = token()
    tcp_send(server.tcp, b"".join(rfc5424(f"{tok} {i}") + b"\n" for i in range(30)))
    server.wait_count(30)
    assert len(server.search("", limit=7)) == 7
    r = server.search_raw("--count", "NOT kiroku.transport:internal")  # not the audit records
    assert r.stdout.decode().strip() == "30"
    now = dt.datetime.now(dt.timezone.utc)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    past, future = (now - dt.timedelta(hours=1)).strftime(fmt), \
        (now + dt.timedelta(hours=1)).strftime(fmt)
    assert server.count("", "--since", past) == 30
    assert server.count("", "--since", past, "--until", future) == 30
    assert server.count("", "--since", future) == 0
    assert server.count("", "--until", past) == 0


def test_output_formats(kiroku):
    server = kiroku()
    tok = token()
    tcp_send(server.tcp, b"".join(rfc5424(f'{tok} n{i} with "quotes", commas',
                                          host="web01") + b"\n" for i in range(3)))
    server.wait_count(3)
    r = server.search_raw("--format", "csv")
    assert r.returncode == 0
    rows = list(csv.reader(io.StringIO(r.stdout.decode())))
    body = [row for row in rows if any(tok in c for c in row)]
    assert len(body) == 3, rows
    assert any(f'{tok} n0 with "quotes", commas' in c for c in body[0] + body[1] + body[2])
    r = server.search_raw("--format", "table")
    assert r.returncode == 0
    assert r.stdout.decode().count(tok) == 3


@pytest.mark.parametrize("args", [
    ["--format", "xml"],
    ["--limit", "many"],
    ["--since", "yesterday-ish"],
    ["host.name:(unclosed"],
    ["AND AND"],
    ['"unterminated phrase'],
], ids=lambda a: " ".join(a))
def test_search_usage_errors_exit_2(kiroku, args):
    server = kiroku()
    r = server.search_raw(*args)
    assert r.returncode == 2, f"exit {r.returncode} for {args}: {r.stderr[-300:]}"
    assert r.stderr.strip()


def test_search_on_missing_data_dir_fails(tmp_path):
    r = subprocess.run([kiroku_bin(), "search", "--data", str(tmp_path / "nope"), "--count"],
                       capture_output=True, timeout=30)
    assert r.returncode != 0


def test_search_while_ingesting(kiroku):
    """Search is safe while the server writes: counts only grow and every line is valid."""
    server = kiroku()
    tok = token()
    s = tcp_connect(server.tcp)
    last = 0
    for batch in range(10):
        s.sendall(b"".join(rfc5424(f"{tok} b{batch} {i}") + b"\n" for i in range(500)))
        n = len(server.search())  # parses every line: fails on a torn JSON line
        assert n >= last
        last = n
    s.close()
    server.wait_count(5000)


def test_search_via_server_matches_data_dir(kiroku):
    """`kiroku search --server URL` (DESIGN.md) answers like a search of the data directory."""
    server = kiroku()
    t = _corpus(server)
    h, p = server.http
    for q in ("", "host.name:web01", "Failed", f"{t['c']}"):
        r = server.search_raw("--format", "json", "--limit", "0", *([q] if q else []))
        assert r.returncode == 0
        rr = subprocess.run([kiroku_bin(), "search", "--server", f"http://{h}:{p}", "--format",
                             "json", "--limit", "0", *([q] if q else [])],
                            capture_output=True, timeout=60)
        assert rr.returncode == 0, rr.stderr
        local = sorted(json.loads(x)["kiroku"]["seq"] for x in r.stdout.splitlines() if x.strip())
        remote = sorted(json.loads(x)["kiroku"]["seq"] for x in rr.stdout.splitlines()
                        if x.strip())
        assert local == remote and local, (q, local, remote)
