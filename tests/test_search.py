"""`kiroku search` on a data directory while the server runs: the JSON record schema, header
parsing as seen from outside (device time, zones, NILVALUEs, BOM), the KQL-like query subset,
--count/--limit/--since/--until/--format and exit codes."""
import csv
import datetime as dt
import io
import json
import re
import subprocess

import pytest

from kiroku_harness import (LOCALHOST, assert_record, check_original_length, field, kiroku_bin,
                            octet, require_binary, rfc5424, tcp_connect, tcp_send, token, udp_send,
                            wait_until)


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


# --- the query engine over sealed segments and the journal tail (issue 5) -------------------

SEALING = ["--segment-max-bytes", "64KiB", "--seal-after", "1h"]


def _sealed_corpus(server, n=3000):
    """n records over TCP whose device times run backwards in steps (so time order is not
    arrival order), every 100th from fw01 with a needle, sent in chunks so that the journal
    rotates (64 KiB segments) and the sealer seals; the last chunk stays in the journal tail.
    Waits until all are searchable. Returns (token, needle)."""
    tok, needle = token(), token("needle")
    base = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(hours=2)
    msgs = []
    for i in range(n):
        # Chunks of 500 records, each an hour earlier than the one before.
        t = base - dt.timedelta(hours=(i // 500)) + dt.timedelta(milliseconds=i % 500)
        host = "fw01" if i % 100 == 0 else f"web{i % 7}"
        words = f"{tok} {needle} n{i}" if i % 100 == 0 else f"{tok} n{i} filler text"
        msgs.append(rfc5424(words, host=host, app="app", ts=t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")))
    chunk = 500
    for at in range(0, n, chunk):
        tcp_send(server.tcp, b"".join(m + b"\n" for m in msgs[at:at + chunk]))
        server.wait_count(min(n, at + chunk), tok)
        # The journal rotates when a write finds the segment full: the previous chunk's
        # segment closes now and is sealed.
        want = at // chunk
        wait_until(lambda: len(list((server.data / "segments").glob("*.seg"))) >= want, 60,
                   f"{want} sealed segments")
    return tok, needle


def _seq_time(recs):
    return [(ts(r["@timestamp"]), r["kiroku"]["seq"]) for r in recs]


def test_search_over_sealed_and_journal_in_time_order(kiroku):
    server = kiroku(args=SEALING)
    tok, needle = _sealed_corpus(server)
    assert len(list((server.data / "segments").glob("*.seg"))) == 5
    assert list((server.data / "journal").glob("*.journal")), "a journal tail remains"
    recs = server.search(tok)
    assert len(recs) == 3000
    keys = _seq_time(recs)
    assert keys == sorted(keys), "ordered by (@timestamp, seq)"
    assert [r["kiroku"]["seq"] for r in recs] != sorted(r["kiroku"]["seq"] for r in recs)
    assert len({r["kiroku"]["seq"] for r in recs}) == 3000
    # The needle: 30 records, from sealed segments and the tail alike.
    hits = server.search(needle)
    assert len(hits) == 30 and all(field(r, "host.name") == "fw01" for r in hits)
    assert _seq_time(hits) == sorted(_seq_time(hits))
    assert server.count(needle) == 30
    assert server.count(f"host.name:fw01 AND {tok}") == 30
    assert server.count(f"{tok} NOT host.name:fw01") == 2970
    # --limit takes the earliest.
    first = server.search(tok, limit=5)
    assert _seq_time(first) == keys[:5]
    # --explain says the index kept most blocks unread for a word in one record.
    r = server.search_raw("--explain", "--count", f"{tok} n1234")
    assert r.returncode == 0 and r.stdout.decode().strip() == "1"
    m = re.search(rb"blocks (\d+)/(\d+) read", r.stderr)
    assert m and int(m.group(1)) < int(m.group(2)), r.stderr


def test_stats_count_by(kiroku):
    server = kiroku(args=SEALING)
    tok, _ = _sealed_corpus(server)
    r = server.search_raw("--stats", "count by host.name", "--limit", "3", tok)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.decode().splitlines()
    assert lines[0].split() == ["host.name", "COUNT"]
    rows = [line.split() for line in lines[1:]]
    assert len(rows) == 3
    # 2970 records over web0..web6 by i % 7, minus the fw01 ones: every webN has ~424.
    want = {}
    for i in range(3000):
        h = "fw01" if i % 100 == 0 else f"web{i % 7}"
        want[h] = want.get(h, 0) + 1
    top = sorted(want.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    assert [(h, int(c)) for h, c in rows] == top
    r = server.search_raw("--stats", "count by host.name,process.name", "--format", "json",
                          "--limit", "0", tok)
    rows = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert {(x["host.name"], x["process.name"]): x["count"] for x in rows} == \
        {(h, "app"): c for h, c in want.items()}
    r = server.search_raw("--stats", "count by host.name", "--format", "csv", tok)
    assert r.stdout.decode().splitlines()[0] == "host.name,count"


def test_fields(kiroku):
    server = kiroku()
    t = _corpus(server)
    r = server.search_raw("--fields", "host.name,process.pid,kiroku.truncated", "--format",
                          "json", t["a"])
    assert r.returncode == 0, r.stderr
    [line] = r.stdout.decode().splitlines()
    assert json.loads(line) == {"host.name": "web01", "process.pid": 10,
                                "kiroku.truncated": False}
    r = server.search_raw("--fields", "host.name,message", "--format", "csv", t["c"])
    assert r.stdout.decode().splitlines() == ["host.name,message", f"web02,{t['c']} GET /index.html 200"]
    r = server.search_raw("--fields", "host.name,log.syslog.msgid", t["c"])
    lines = r.stdout.decode().splitlines()
    assert lines[0].split() == ["host.name", "log.syslog.msgid"]
    assert lines[1].split() == ["web02", "-"]


@pytest.mark.parametrize("args", [
    ["--stats", "count host.name"],
    ["--stats", "count by nosuch.field"],
    ["--fields", "host.name,,message"],
    ["--fields", "nope"],
    ["--stats", "count by host.name", "--fields", "host.name"],
], ids=lambda a: " ".join(a))
def test_stats_and_fields_usage_errors_exit_2(kiroku, args):
    server = kiroku()
    r = server.search_raw(*args)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert r.stderr.decode().startswith("kiroku search: --")


def test_search_via_server_prints_the_same_bytes(kiroku):
    """--server over sealed segments and the tail: the same bytes as the local search."""
    server = kiroku(args=SEALING)
    tok, needle = _sealed_corpus(server, n=1500)
    h, p = server.http
    for args in (["--format", "json", tok], ["--format", "csv", needle], [needle],
                 ["--count", tok], ["--stats", "count by host.name", tok],
                 ["--fields", "host.name,kiroku.seq", "--format", "json", needle],
                 ["--limit", "3", "--format", "json", tok]):
        local = server.search_raw(*args)
        remote = subprocess.run([kiroku_bin(), "search", "--server", f"http://{h}:{p}",
                                 "--time", "device", *args],  # as search_raw's default
                                capture_output=True, timeout=60)
        assert local.returncode == 0 and remote.returncode == 0, (args, remote.stderr)
        assert remote.stdout == local.stdout, args
    bad = subprocess.run([kiroku_bin(), "search", "--server", f"http://{h}:{p}", "host.name:(x"],
                         capture_output=True, timeout=60)
    assert bad.returncode == 2
    assert bad.stderr.decode() == "kiroku search: query: column 13: expected ')'\n"
