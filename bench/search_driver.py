#!/usr/bin/env python3
"""Driver of bench/search_vs_grep.sh (see there for the options). Python, so that times come
from perf_counter around each fresh process and a missing engine feature becomes a row saying
`pending` instead of ending the run."""
import argparse
import datetime as dt
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MONTHS = {m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def du(path: Path) -> int:
    return int(subprocess.run(["du", "-sb", str(path)], capture_output=True, text=True,
                              check=True).stdout.split()[0])


def timed(cmd, reps, warm=1, stdin=None):
    """Runs cmd warm+reps times; returns (times_s, max_rss_kb, rc, stdout).

    The command runs directly, as a user runs it (wrapping it in /usr/bin/time for its peak RSS
    added ~6 ms per run, most of a needle query's time): the peak RSS comes from wait4().
    """
    times, rss, out, rc = [], 0, b"", 0
    for i in range(warm + reps):
        with tempfile.TemporaryFile() as so, tempfile.TemporaryFile() as se:
            t0 = time.perf_counter()
            p = subprocess.Popen(cmd, stdout=so, stderr=se, stdin=subprocess.DEVNULL)
            _, status, usage = os.wait4(p.pid, 0)
            t = time.perf_counter() - t0
            p.returncode = os.waitstatus_to_exitcode(status)
            rc = p.returncode
            so.seek(0)
            out = so.read()
            if rc != 0:
                se.seek(0)
                return times, rss, rc, se.read()
        rss = max(rss, usage.ru_maxrss)
        if i >= warm:
            times.append(t)
    return times, rss, rc, out


def ratio(x):
    return f"{x:,.0f}×" if x >= 10 else f"{x:.2f}×"


def ms(t):
    return f"{t * 1000:.1f} ms" if t < 10 else f"{t:.1f} s"


class ClickHouse:
    """clickhouse-server 18.16 in the foreground with a private config and data dir."""

    def __init__(self, work: Path):
        self.dir = work / "clickhouse"
        self.proc = None
        self.port = None

    @staticmethod
    def ensure_installed() -> str | None:
        if shutil.which("clickhouse-server") and shutil.which("clickhouse-client"):
            return None
        if os.geteuid() != 0:
            return "not installed (run as root to apt-get install it)"
        log("installing clickhouse-server clickhouse-client from Debian ...")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        r = subprocess.run(["apt-get", "install", "-y", "clickhouse-server", "clickhouse-client"],
                           capture_output=True, text=True, env=env)
        if r.returncode != 0:
            return "apt-get install failed: " + (r.stderr.strip().splitlines() or ["?"])[-1]
        return None

    def start(self, keep_data=False) -> str | None:
        if self.dir.exists() and not keep_data:
            shutil.rmtree(self.dir)
        (self.dir / "tmp").mkdir(parents=True, exist_ok=True)
        (self.dir / "user_files").mkdir(exist_ok=True)
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        self.port = s.getsockname()[1]
        s.close()
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        http = s.getsockname()[1]
        s.close()
        (self.dir / "users.xml").write_text(
            "<yandex><profiles><default><max_memory_usage>4000000000</max_memory_usage>"
            "</default></profiles><users><default><password></password><networks><ip>127.0.0.1"
            "</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota>"
            "</default></users><quotas><default></default></quotas></yandex>\n")
        (self.dir / "config.xml").write_text(
            f"<yandex><logger><level>warning</level><console>1</console></logger>"
            f"<tcp_port>{self.port}</tcp_port><http_port>{http}</http_port>"
            f"<listen_host>127.0.0.1</listen_host><path>{self.dir}/</path>"
            f"<tmp_path>{self.dir}/tmp/</tmp_path><user_files_path>{self.dir}/user_files/"
            f"</user_files_path><users_config>{self.dir}/users.xml</users_config>"
            f"<default_profile>default</default_profile><default_database>default"
            f"</default_database><mark_cache_size>1073741824</mark_cache_size>"
            f"<max_concurrent_queries>10</max_concurrent_queries></yandex>\n")
        self.proc = subprocess.Popen(["clickhouse-server", f"--config-file={self.dir}/config.xml"],
                                     stdout=open(self.dir / "server.log", "wb"),
                                     stderr=subprocess.STDOUT, cwd=self.dir)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return "clickhouse-server exited: " + (self.dir / "server.log").read_text()[-300:]
            if self.query("SELECT 1", check=False).returncode == 0:
                return None
            time.sleep(0.2)
        return "clickhouse-server did not answer within 60 s"

    def client(self, q):
        # The server waits at most receive_timeout (300 s by default) for the next rows of an
        # INSERT; the TSV conversion of a 20M-record corpus can pause longer on a loaded machine.
        return ["clickhouse-client", "--host", "127.0.0.1", "--port", str(self.port),
                "--receive_timeout", "3600", "--send_timeout", "3600", "-q", q]

    def query(self, q, check=True, stdin=None):
        return subprocess.run(self.client(q), capture_output=True, stdin=stdin, check=check)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


TAG = re.compile(r"^([^\s:\[]+)(?:\[\d+\])?:? ?")
SRC = re.compile(r"\bSRC=(\S+)")
DST = re.compile(r"\bDST=(\S+)")
SQUID = re.compile(r"^\d+\.\d+\s+\d+ (\S+) \S+ \d+ \S+ \S+ \S+ \w+/(\S+)")
MSGID = re.compile(r"message-id=<([^>]*)>")


def tsv_rows(corpus: Path, manifest):
    """The corpus as TSV rows for ClickHouse: ts host app message src_ip dst_ip message_id."""
    year = int(manifest["start"][:4])
    esc = str.maketrans({"\\": "\\\\", "\t": "\\t"})
    for name in manifest["files"]:
        with open(corpus / name, encoding="utf-8", errors="replace") as f:
            buf = []
            for line in f:
                line = line.rstrip("\n")
                mon, day, clock, host, rest = line[:3], line[4:6], line[7:15], *line[16:].split(" ", 1)
                m = TAG.match(rest)
                app, msg = (m.group(1), rest[m.end():]) if m else ("", rest)
                src = dst = mid = ""
                if (s := SRC.search(msg)):
                    src = s.group(1)
                    if (d := DST.search(msg)):
                        dst = d.group(1)
                elif (q := SQUID.match(msg)):
                    src, dst = q.group(1), q.group(2)
                elif (x := MSGID.search(msg)):
                    mid = x.group(1)
                ts = f"{year}-{MONTHS[mon]:02d}-{int(day):02d} {clock}"
                buf.append("\t".join((ts, host, app, msg.translate(esc), src, dst, mid)) + "\n")
                if len(buf) >= 100000:
                    yield "".join(buf).encode()
                    buf.clear()
            if buf:
                yield "".join(buf).encode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiroku", required=True)
    ap.add_argument("--records", type=int, default=20_000_000)
    ap.add_argument("--corpus")
    ap.add_argument("--workdir", default="/var/tmp/kiroku-bench")
    ap.add_argument("--reps", type=int, default=11)
    ap.add_argument("--grep-reps", type=int, default=3)
    ap.add_argument("--no-clickhouse", action="store_true")
    ap.add_argument("--markdown")
    ap.add_argument("--json")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--reuse", action="store_true",
                    help="keep a data directory and ClickHouse table left by --keep for the same "
                         "corpus instead of importing and loading again")
    ap.add_argument("--load-only", action="store_true",
                    help="import and load ClickHouse, then stop (run the queries later with "
                         "--reuse on a quiet machine)")
    a = ap.parse_args()
    work = Path(a.workdir)
    work.mkdir(parents=True, exist_ok=True)
    res = {"kiroku": a.kiroku, "rows": []}
    rows = res["rows"]

    def row(what, kiroku="", other="", ratio="", target="", note=""):
        rows.append({"what": what, "kiroku": kiroku, "other": other, "ratio": ratio,
                     "target": target, "note": note})
        log(f"  {what}: kiroku {kiroku}  other {other}  {ratio}  {note}")

    # 1. The corpus.
    corpus = Path(a.corpus) if a.corpus else work / f"corpus-{a.records}"
    if not (corpus / "manifest.json").exists():
        log(f"generating {a.records} records into {corpus} ...")
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), "--out", str(corpus),
                        "--records", str(a.records), "--jobs", str(a.jobs)], check=True)
        log(f"generated in {time.perf_counter() - t0:.0f} s")
    manifest = json.loads((corpus / "manifest.json").read_text())
    files = [str(corpus / f) for f in manifest["files"]]
    raw = sum(os.path.getsize(f) for f in files)
    n = manifest["records"]
    res["corpus"] = {"dir": str(corpus), "records": n, "bytes": raw}

    # 2. Import (journal + Merkle tree + heads), then sealing.
    data = work / "data"
    summary_file = work / "import-summary.json"  # the import's numbers, for --reuse
    reused = a.reuse and (data / "segments").is_dir()
    if reused:
        log(f"reusing {data} (imported earlier)")
        s = json.loads(summary_file.read_text()) if summary_file.exists() else {}
        if s.get("records") != n:
            s = {}
    else:
        if data.exists():
            shutil.rmtree(data)
        log(f"kiroku import of {n} records ({raw / 1e9:.2f} GB) ...")
        subprocess.run([a.kiroku, "init", "--data", str(data), "--horizon", "30d"],
                       capture_output=True, check=True)
        r = subprocess.run([a.kiroku, "import", "--data", str(data), "--timezone", "UTC",
                            "--summary", "json", "--no-progress", "-q", *files],
                           capture_output=True)
        if r.returncode != 0:
            log(r.stderr.decode(errors="replace"))
        s = json.loads(r.stdout.decode().strip().splitlines()[-1]) if r.stdout.strip() else {}
        if s:
            summary_file.write_text(json.dumps(s) + "\n")
    res["import"] = s
    if reused and not s:
        row("import", "reused", note="data directory imported by an earlier run; not re-measured")
    elif s:
        row("import (journal, Merkle tree, signed heads)", f"{s['records_per_second']:,.0f} rec/s",
            target="≥ 300,000 rec/s", note=f"{s['records']} records in {s['seconds']:.1f} s")
        if s.get("sealed"):
            row("sealing (normalise, index, compress)",
                f"{s['records'] / max(s['seal_seconds'], 1e-9):,.0f} rec/s",
                note=f"{s['seal_seconds']:.1f} s")
            row("import + sealing", f"{s['records'] / (s['seconds'] + s['seal_seconds']):,.0f} rec/s")
        else:
            row("sealing", "pending", note="kiroku import did not seal")
    else:
        row("import", "failed", note=r.stderr.decode(errors="replace")[-200:])
    if reused and s:
        rows[-1]["note"] += " (measured when the data directory was imported, reused here)"
    used = du(data)
    res["disk"] = {"data_bytes": used, "raw_bytes": raw}
    row("disk (data + index + integrity + metadata)", f"{used / raw:.3f}× raw",
        target="≤ 0.25×", note=f"{used / 1e9:.2f} GB of {raw / 1e9:.2f} GB")

    # 3. Needles: kiroku search vs grep -F.
    for name, nd in ([] if a.load_only else manifest["needles"].items()):
        value = nd["value"]
        q = f'"{value}"' if not re.fullmatch(r"[0-9.]+", value) else value
        times, rss, rc, out = timed([a.kiroku, "search", "--data", str(data), "--format", "json",
                                     q], a.reps)
        got = len([x for x in out.splitlines() if x.strip()]) if rc == 0 else None
        gtimes, _, grc, gout = timed(["grep", "-F", "-h", value, *files], a.grep_reps)
        gcount = len(gout.splitlines()) if grc == 0 else 0
        entry = {"needle": name, "value": value, "kiroku_ms": [t * 1000 for t in times],
                 "kiroku_rss_kb": rss, "kiroku_count": got, "grep_ms": [t * 1000 for t in gtimes],
                 "grep_count": gcount, "want": nd["records"]}
        res.setdefault("needles", []).append(entry)
        if rc != 0 or not times:
            row(f"needle {name} `{q}`", "pending", ms(statistics.median(gtimes)) if gtimes else "",
                note=out.decode(errors="replace")[-120:].strip())
            continue
        p50, p90, g50 = statistics.median(times), pct(times, 90), statistics.median(gtimes)
        row(f"needle {name} `{q}` (p50 / p90)", f"{ms(p50)} / {ms(p90)}",
            f"grep -F {ms(g50)}", ratio(g50 / p50), "≥ 100×, p50 ≤ 50 ms",
            f"{got} records (want {nd['records']}; grep {gcount}); peak RSS {rss / 1024:.0f} MB")

    # 4. A selective field query with --stats over one day.
    st = manifest["stats"]
    times, rss, rc, out = ([], 0, 1, b"--load-only") if a.load_only else timed([a.kiroku, "search", "--data", str(data), "--since", st["day"],
                                 "--until", st["until"], "--stats", st["stats"], st["query"]],
                                a.reps)
    res["stats"] = {"ms": [t * 1000 for t in times], "rss_kb": rss, "rc": rc}
    if rc != 0 or not times:
        row(f"--stats '{st['stats']}' {st['query']} over {st['day']}", "pending",
            note=out.decode(errors="replace")[-120:].strip())
    else:
        row(f"--stats '{st['stats']}' {st['query']} over {st['day']} (p50 / p90)",
            f"{ms(statistics.median(times))} / {ms(pct(times, 90))}", target="≤ 200 ms",
            note=f"peak RSS {rss / 1024:.0f} MB")

    # 5. ClickHouse.
    if a.no_clickhouse:
        row("ClickHouse", "", "skipped (--no-clickhouse)")
    else:
        why = ClickHouse.ensure_installed()
        ch = ClickHouse(work)
        why = why or ch.start(keep_data=a.reuse)
        if why:
            row("ClickHouse 18.16", "", f"not run: {why}")
        else:
            try:
                ver = ch.query("SELECT version()").stdout.decode().strip()
                have = ch.query("SELECT count() FROM logs", check=False)
                chn = int(have.stdout) if have.returncode == 0 else -1
                ch_loaded = a.reuse and chn == n
                load_file = ch.dir / "load-rate.txt"
                if not ch_loaded:
                    ch.query("DROP TABLE IF EXISTS logs")
                    ch.query("CREATE TABLE logs (ts DateTime, host String, app String,"
                             " message String, src_ip String, dst_ip String, message_id String)"
                             " ENGINE = MergeTree() PARTITION BY toYYYYMMDD(ts) ORDER BY (ts, host)")
                    log("loading ClickHouse (TSV) ...")
                    t0 = time.perf_counter()
                    p = subprocess.Popen(ch.client("INSERT INTO logs FORMAT TabSeparated"),
                                         stdin=subprocess.PIPE, stderr=subprocess.PIPE)
                    for chunk in tsv_rows(corpus, manifest):
                        p.stdin.write(chunk)
                    p.stdin.close()
                    p.wait()
                    load_s = time.perf_counter() - t0
                    ch.query("OPTIMIZE TABLE logs FINAL", check=False)
                    chn = int(ch.query("SELECT count() FROM logs").stdout)
                    load_file.write_text(f"{chn / load_s:,.0f} rec/s\n")
                rate = load_file.read_text().strip() if load_file.exists() else "?"
                chdisk = du(ch.dir / "data" / "default" / "logs")
                row(f"ClickHouse {ver} load (TSV incl. conversion)", "", rate,
                    note=f"{chn} rows" + (" (loaded by an earlier run)" if ch_loaded else ""))
                if a.load_only:
                    raise StopIteration
                row("ClickHouse disk", f"{used / raw:.3f}× raw", f"{chdisk / raw:.3f}× raw")
                cols = {"ip": "dst_ip", "message_id": "message_id"}
                for name, nd in manifest["needles"].items():
                    v = nd["value"].replace("'", "\\'")
                    kp50 = next((statistics.median(e["kiroku_ms"]) / 1000 for e in res["needles"]
                                 if e["needle"] == name and e["kiroku_ms"]), None)
                    for label, where in [("LIKE", f"message LIKE '%{v}%'")] + (
                            [("column =", f"{cols[name]} = '{v}'")] if name in cols else []):
                        sql = f"SELECT * FROM logs WHERE {where} FORMAT TabSeparated"
                        t, crss, crc, cout = timed(ch.client(sql), a.reps)
                        if crc != 0:
                            row(f"ClickHouse needle {name} {label}", "", "error",
                                note=cout.decode(errors="replace")[-120:])
                            continue
                        c50 = statistics.median(t)
                        row(f"needle {name}: ClickHouse {label} (p50)",
                            ms(kp50) if kp50 else "pending", ms(c50),
                            ratio(c50 / kp50) if kp50 else "",
                            note=f"{len(cout.splitlines())} rows")
            except StopIteration:
                pass
            finally:
                ch.stop()
                if not a.keep and not a.load_only:
                    shutil.rmtree(ch.dir, ignore_errors=True)
    if not a.keep and not a.load_only:
        shutil.rmtree(data, ignore_errors=True)

    lines = [f"Corpus: {n:,} records, {raw / 1e9:.2f} GB (bench/gen_corpus.py, seed "
             f"{manifest['seed']}); kiroku `{a.kiroku}`; {os.cpu_count()} CPUs.", "",
             "| measurement | kiroku | other | ratio | target | note |", "|---|---|---|---|---|---|"]
    for r_ in rows:
        lines.append(f"| {r_['what']} | {r_['kiroku']} | {r_['other']} | {r_['ratio']} | "
                     f"{r_['target']} | {r_['note']} |")
    md = "\n".join(lines) + "\n"
    print(md)
    if a.markdown:
        Path(a.markdown).write_text(md)
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=1) + "\n")


if __name__ == "__main__":
    main()
