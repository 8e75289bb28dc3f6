"""`kiroku import`: every input format and compression, exact counts in the summary, transport
`import` and the device time from the line as `kiroku search` shows them, year inference from
the file's mtime across New Year, bad lines counted, a locked data directory, and `kiroku verify`
after it all."""
import datetime as dt
import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kiroku_harness import field, key_template, kiroku_bin, require_binary



def setup_module(module):
    require_binary()


def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    shutil.copytree(key_template(), d / "keys")  # skip deriving a year of epoch keys
    return d


def run_import(data: Path, *args, stdin=None, timeout=120):
    cmd = [kiroku_bin(), "import", "--data", str(data), "--summary", "json", *map(str, args)]
    return subprocess.run(cmd, input=stdin, capture_output=True, timeout=timeout)


def summary(r) -> dict:
    assert r.stdout.strip(), f"no summary; stderr: {r.stderr.decode(errors='replace')}"
    return json.loads(r.stdout.decode().strip().splitlines()[-1])


def imported(r) -> dict:
    assert r.returncode == 0, f"import exited {r.returncode}: {r.stderr.decode(errors='replace')}"
    return summary(r)


def search(data: Path, query: str = "kiroku.transport:import") -> list[dict]:
    r = subprocess.run([kiroku_bin(), "search", "--data", str(data), "--format", "json",
                        "--limit", "1000000", query], capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    recs = [json.loads(line) for line in r.stdout.decode().splitlines() if line.strip()]
    return sorted(recs, key=lambda x: field(x, "kiroku.seq"))


def ts(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00")[:26] + "+00:00"
                                     if "." in s else s.replace("Z", "+00:00"))


def set_mtime(path: Path, when: dt.datetime):
    t = when.timestamp()
    os.utime(path, (t, t))


def by_message(recs):
    return {field(r, "message"): r for r in recs}


def utc(*a) -> dt.datetime:
    return dt.datetime(*a, tzinfo=dt.timezone.utc)


TRADITIONAL = (
    "Dec 31 23:59:58 fw1 kernel: DROP IN=eth0 SRC=10.0.0.1 DST=203.0.113.9\n"
    "\n"
    "Jan  1 00:00:02 fw1 kernel: ACCEPT IN=eth0 SRC=10.0.0.2 DST=203.0.113.10\n"
    "Jan  1 00:00:03 mx1 postfix/smtpd[4242]: connect from mail.example.net[198.51.100.7]\n"
)


def test_traditional_format_across_new_year_takes_the_year_from_the_mtime(tmp_path):
    data = data_dir(tmp_path)
    f = tmp_path / "messages"
    f.write_text(TRADITIONAL)
    set_mtime(f, utc(2025, 1, 2, 8, 0, 0))
    before = dt.datetime.now(dt.timezone.utc)
    s = imported(run_import(data, "--timezone", "UTC", f))
    after = dt.datetime.now(dt.timezone.utc)
    assert (s["files"], s["files_failed"], s["lines"], s["records"], s["empty_lines"],
            s["parse_errors"], s["truncated"]) == (1, 0, 4, 3, 1, 0, 0)
    assert s["bytes"] == len(TRADITIONAL.encode())
    recs = search(data)
    assert len(recs) == 3
    m = by_message(recs)
    drop = m["DROP IN=eth0 SRC=10.0.0.1 DST=203.0.113.9"]
    assert field(drop, "@timestamp").startswith("2024-12-31T23:59:58")
    assert field(drop, "kiroku.transport") == "import"
    assert field(drop, "host.name") == "fw1"
    assert field(drop, "process.name") == "kernel"
    created = ts(field(drop, "event.created"))
    assert before - dt.timedelta(seconds=1) <= created <= after + dt.timedelta(seconds=1)
    assert field(m["ACCEPT IN=eth0 SRC=10.0.0.2 DST=203.0.113.10"],
                 "@timestamp").startswith("2025-01-01T00:00:02")
    mail = m["connect from mail.example.net[198.51.100.7]"]
    assert field(mail, "process.name") == "postfix/smtpd"
    assert field(mail, "process.pid") == 4242
    assert field(mail, "@timestamp").startswith("2025-01-01T00:00:03")


def test_timezone_option_applies_to_timestamps_without_zone(tmp_path):
    data = data_dir(tmp_path)
    f = tmp_path / "tokyo.log"
    f.write_text("Jun  5 09:00:00 sw1 sshd[7]: Accepted password for alice\n")
    set_mtime(f, utc(2026, 6, 6))
    imported(run_import(data, "--timezone", "Asia/Tokyo", f))
    [r] = search(data)
    assert field(r, "@timestamp").startswith("2026-06-05T00:00:00")


def test_rfc3339_high_precision_and_pri_lines(tmp_path):
    data = data_dir(tmp_path)
    f = tmp_path / "fileformat.log"
    f.write_text(
        "2026-10-27T10:00:00.123456+09:00 web1 nginx[81]: GET /\n"
        "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8\n"
        "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 8710 ID47 - An event\n")
    set_mtime(f, utc(2026, 10, 28))
    s = imported(run_import(data, f))
    assert (s["records"], s["parse_errors"]) == (3, 0)
    m = by_message(search(data))
    assert field(m["GET /"], "@timestamp").startswith("2026-10-27T01:00:00.123456")
    assert field(m["GET /"], "host.name") == "web1"
    su = m["'su root' failed for lonvick on /dev/pts/8"]
    assert field(su, "log.syslog.facility.code") == 4
    assert field(su, "log.syslog.severity.code") == 2
    assert field(su, "@timestamp").startswith("2026-10-11T")
    ev = m["An event"]
    assert field(ev, "@timestamp").startswith("2003-10-11T22:14:15.003")
    assert field(ev, "log.syslog.msgid") == "ID47"


SQUID = ("1795703862.123    523 10.0.0.5 TCP_MISS/200 5120 GET http://www.example.com/index.html "
         "alice HIER_DIRECT/93.184.216.34 text/html\n"
         "1795703863.456      7 10.0.0.6 TCP_DENIED/403 3900 CONNECT evil.example:443 - "
         "HIER_NONE/- text/html\n")


def test_squid_gzip_takes_the_device_time_from_the_epoch(tmp_path):
    data = data_dir(tmp_path)
    f = tmp_path / "access.log.1.gz"
    f.write_bytes(gzip.compress(SQUID.encode()))
    s = imported(run_import(data, f))
    assert (s["files"], s["lines"], s["records"], s["parse_errors"], s["bytes"]) == \
        (1, 2, 2, 0, len(SQUID))
    recs = search(data)
    assert [field(r, "@timestamp")[:23] for r in recs] == \
        ["2026-11-26T14:37:42.123", "2026-11-26T14:37:43.456"]
    assert field(recs[0], "source.ip") == "10.0.0.5"
    assert field(recs[0], "url.domain") == "www.example.com"
    assert all(field(r, "kiroku.transport") == "import" for r in recs)
    assert field(recs[0], "message") == SQUID.splitlines()[0]


def test_zstd_and_concatenated_gzip_and_stdin(tmp_path):
    if not shutil.which("zstd"):
        pytest.skip("zstd(1) not installed")
    data = data_dir(tmp_path)
    plain = tmp_path / "z.log"
    plain.write_text("".join(f"Mar  3 10:00:{i:02d} h{i} app: zstd line {i}\n" for i in range(50)))
    set_mtime(plain, utc(2026, 3, 4))
    subprocess.run(["zstd", "-q", "-k", str(plain)], check=True)
    zst = tmp_path / "z.log.zst"
    set_mtime(zst, utc(2026, 3, 4))
    multi = tmp_path / "multi.gz"
    multi.write_bytes(gzip.compress(b"Mar  3 11:00:00 a b: gz member one\n") +
                      gzip.compress(b"Mar  3 11:00:01 a b: gz member two\n"))
    set_mtime(multi, utc(2026, 3, 4))
    s = imported(run_import(data, "--timezone", "UTC", zst, multi, "-",
                            stdin=SQUID.encode()))
    assert (s["files"], s["lines"], s["records"], s["parse_errors"]) == (3, 54, 54, 0)
    msgs = [field(r, "message") for r in search(data)]
    assert msgs[:50] == [f"zstd line {i}" for i in range(50)]
    assert msgs[50:52] == ["gz member one", "gz member two"]
    assert field(search(data, "zstd")[0], "@timestamp").startswith("2026-03-03T10:00:00")


def test_combined_and_w3c_formats(tmp_path):
    data = data_dir(tmp_path)
    clf = tmp_path / "access_log"
    clf.write_text('192.0.2.1 - bob [10/Oct/2026:13:55:36 +0900] "GET /a HTTP/1.1" 200 2326 '
                   '"-" "curl/8"\n')
    w3c = tmp_path / "ex261010.log"
    w3c.write_text("#Software: Microsoft Internet Information Services 10.0\n"
                   "#Fields: date time s-ip cs-method cs-uri-stem c-ip sc-status\n"
                   "2026-10-10 04:55:36 192.0.2.9 GET /b 198.51.100.3 200\n")
    s = imported(run_import(data, clf, w3c))
    assert (s["records"], s["parse_errors"]) == (4, 0)
    recs = search(data)
    assert field(recs[0], "@timestamp").startswith("2026-10-10T04:55:36")
    assert field(recs[3], "@timestamp").startswith("2026-10-10T04:55:36")


def test_empty_garbage_and_overlong_lines_are_counted(tmp_path):
    data = data_dir(tmp_path)
    f = tmp_path / "mixed.log"
    long_msg = "x" * 5000
    f.write_text("Oct  1 00:00:00 h app: good\n"
                 "\n"
                 "   \n"
                 "this is not syslog at all\n"
                 f"Oct  1 00:00:01 h app: {long_msg}\n"
                 "Oct  1 00:00:02 h app: last line without newline")
    set_mtime(f, utc(2026, 10, 2))
    s = imported(run_import(data, "--max-line-size", "1000", f))
    assert (s["lines"], s["records"], s["empty_lines"], s["parse_errors"], s["truncated"]) == \
        (6, 4, 2, 1, 1)
    recs = search(data)
    bad = [r for r in recs if field(r, "kiroku.parse_error")]
    assert [field(r, "message") for r in bad] == ["this is not syslog at all"]
    [cut] = [r for r in recs if field(r, "kiroku.truncated")]
    assert field(cut, "kiroku.original_length") == len(f"Oct  1 00:00:01 h app: {long_msg}")
    assert len(field(cut, "message")) < 1000
    assert field(recs[-1], "message") == "last line without newline"


def test_format_override_and_text_summary(tmp_path):
    data = data_dir(tmp_path)
    f = tmp_path / "a.log"
    f.write_text("Oct  1 00:00:00 h app: one\n")
    r = subprocess.run([kiroku_bin(), "import", "--data", str(data), "--format", "raw", str(f)],
                       capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode().startswith("imported 1 file (0 unreadable): 1 lines, 1 records")
    [rec] = search(data)
    assert field(rec, "message") == "Oct  1 00:00:00 h app: one"
    bad = run_import(data, "--format", "nope", f)
    assert bad.returncode == 2 and b"--format" in bad.stderr


def test_unreadable_file_exit_1_others_imported(tmp_path):
    data = data_dir(tmp_path)
    good = tmp_path / "good.log"
    good.write_text("Oct  1 00:00:00 h app: fine\n")
    broken = tmp_path / "broken.gz"
    whole = gzip.compress(b"".join(b"Oct  1 00:00:00 h app: cut %d\n" % i for i in range(5000)))
    broken.write_bytes(whole[:len(whole) // 2])
    r = run_import(data, tmp_path / "missing.log", good, broken)
    assert r.returncode == 1
    s = summary(r)
    assert (s["files"], s["files_failed"]) == (1, 2)
    assert b"missing.log" in r.stderr
    assert any(field(x, "message") == "fine" for x in search(data))


def test_running_server_holds_the_data_directory(kiroku, tmp_path):
    server = kiroku()
    f = tmp_path / "a.log"
    f.write_text("Oct  1 00:00:00 h app: one\n")
    r = run_import(server.data, f)
    assert r.returncode == 2
    assert b"in use by process" in r.stderr
    assert str(server.proc.pid).encode() in r.stderr


def test_verify_passes_after_import_and_audit_names_it(tmp_path):
    data = data_dir(tmp_path)
    f = tmp_path / "a.log"
    f.write_text(TRADITIONAL)
    s1 = imported(run_import(data, f))
    s2 = imported(run_import(data, f))
    assert s2["first_seq"] > s1["last_seq"]
    r = subprocess.run([kiroku_bin(), "verify", "--data", str(data)], capture_output=True,
                       timeout=300)
    assert r.returncode == 0, r.stdout.decode() + r.stderr.decode()
    audits = [x for x in search(data, "kiroku.transport:internal")
              if field(x, "log.syslog.msgid") == "import"]
    assert len(audits) == 2
