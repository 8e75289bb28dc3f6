#!/usr/bin/python3
"""Driver for bench/ingest_vs_rsyslog.sh (python3 stdlib only).  See bench/README.md.

Sustained TCP ingest into a durable store, kiroku vs rsyslog, same machine, one run, same
load generator (syslog-ng's loggen), same message set and count.  For every peer and
repetition: start the server, replay the message file with loggen, poll until the LAST
message is stored (rsyslog: line count of the omfile output; kiroku: /metrics
kiroku_messages_stored_total), then read the server's CPU time and peak RSS from /proc,
stop it, cross-check the stored count, delete its output.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(msg):
    sys.stderr.write("[bench %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_port(port, proc, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def proc_cpu_s(pid):
    """utime+stime of the whole process (all threads), seconds."""
    with open("/proc/%d/stat" % pid) as f:
        s = f.read()
    fields = s[s.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # fields 14 and 15 of stat(5)


def proc_status_kb(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def dir_bytes(path):
    total = 0
    for root, _, files in os.walk(path):
        for fn in files:
            try:
                total += os.lstat(os.path.join(root, fn)).st_blocks * 512
            except OSError:
                pass
    return total


def stop(proc, timeout=15.0):
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# ---------------------------------------------------------------------------------------
# machine facts


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20).stdout.strip()
    except Exception:
        return ""


def machine_info(workdir):
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    src = sh("findmnt -n -o SOURCE,FSTYPE,OPTIONS -T %s" % workdir)
    dev = src.split()[0] if src else ""
    disk = sh("lsblk -n -d -o NAME,SIZE,ROTA,MODEL %s 2>/dev/null" % dev) if dev.startswith("/dev/") else ""
    mem = sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo")
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "mem": mem,
        "kernel": os.uname().release,
        "fs": src,
        "disk": disk,
        "os": sh(". /etc/os-release && echo $PRETTY_NAME"),
        "rsyslog": sh("rsyslogd -v | head -1"),
        "loadavg": open("/proc/loadavg").read().split()[:3],
    }


def fdatasync_probe(workdir, n=200):
    """Latency of append 4 KiB + fdatasync on the benchmark's file system (what group commit pays)."""
    path = os.path.join(workdir, "fsync-probe")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    buf = b"x" * 4096
    lat = []
    try:
        for _ in range(n):
            os.write(fd, buf)
            t = time.perf_counter()
            os.fdatasync(fd)
            lat.append((time.perf_counter() - t) * 1000)
    finally:
        os.close(fd)
        os.unlink(path)
    lat.sort()
    return {"median_ms": lat[len(lat) // 2], "p99_ms": lat[int(len(lat) * 0.99) - 1]}


# ---------------------------------------------------------------------------------------
# load generator


class Loggen:
    """C loggen processes, one connection each, each replaying its own slice of the message file.

    (loggen gives every --active-connections thread its own FILE* on --read-file, so N
    connections in ONE loggen would send the first lines N times; separate slices keep every
    message of the set distinct.)"""

    def __init__(self, loggen, parts, rate):
        self.loggen = loggen
        self.parts = parts  # [(path, lines)]
        self.rate = rate

    def start(self, port):
        self.procs = []
        self.rusage = []
        self.outputs = []
        self.t_start = time.monotonic()
        for path, lines in self.parts:
            cmd = [self.loggen, "--quiet", "--inet", "--stream", "--read-file", path, "--dont-parse",
                   "--rate", str(self.rate), "--interval", "3600", "--number", str(lines), "127.0.0.1", str(port)]
            self.procs.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT))
        self.cmd_example = " ".join(cmd)
        self.done = threading.Event()
        self.t_end = None
        threading.Thread(target=self._reap, daemon=True).start()

    def _reap(self):
        for p in self.procs:
            out = p.stdout.read().decode(errors="replace")
            _, status, ru = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
            self.outputs.append(out)
            self.rusage.append(ru.ru_utime + ru.ru_stime)
        self.t_end = time.monotonic()
        self.done.set()

    def result(self):
        self.done.wait()
        sent = 0
        rates = []
        for out in self.outputs:
            m = re.findall(r"average rate = ([\d.]+) msg/sec, count=(\d+)", out)
            if m:
                rates.append(float(m[-1][0]))
                sent += int(m[-1][1])
        errors = [l for out in self.outputs for l in out.splitlines() if "error" in l.lower()]
        return {"sent": sent, "loggen_rate_sum": sum(rates), "loggen_cpu_s": sum(self.rusage),
                "loggen_wall_s": self.t_end - self.t_start, "loggen_errors": errors[:5],
                "loggen_rc": [p.returncode for p in self.procs]}


# ---------------------------------------------------------------------------------------
# progress pollers


class LineCounter:
    """Counts LFs in a growing file incrementally (each byte read once)."""

    def __init__(self, path):
        self.path = path
        self.f = None
        self.n = 0

    def count(self):
        if self.f is None:
            try:
                self.f = open(self.path, "rb", buffering=0)
            except FileNotFoundError:
                return 0
        while True:
            b = self.f.read(8 << 20)
            if not b:
                return self.n
            self.n += b.count(b"\n")

    def close(self):
        if self.f:
            self.f.close()


def metric_sum(text, name):
    total = None
    for line in text.splitlines():
        if line.startswith(name) and (len(line) == len(name) or line[len(name)] in " {"):
            try:
                v = float(line.rsplit(None, 1)[1])
            except (IndexError, ValueError):
                continue
            total = (total or 0) + v
    return total


class MetricsPoller:
    def __init__(self, url):
        self.url = url
        self.last = 0

    def count(self):
        try:
            with urllib.request.urlopen(self.url, timeout=2) as r:
                v = metric_sum(r.read().decode(errors="replace"), "kiroku_messages_stored_total")
            if v is not None:
                self.last = int(v)
        except OSError:
            pass
        return self.last

    def close(self):
        pass


# ---------------------------------------------------------------------------------------
# peers


RSYSLOG_CONF = """\
# generated by bench/ingest_driver.py
global(workDirectory="{work}" maxMessageSize="64k")
{main_queue}module(load="imptcp")
template(name="bench_raw" type="string" string="%rawmsg%\\n")
input(type="imptcp" address="127.0.0.1" port="{port}" ruleset="bench")
ruleset(name="bench") {{
  action(type="omfile" file="{out}" template="{template}"{action_params})
}}
"""

# name -> (omfile action parameters, main_queue() parameters or "")
RSYSLOG_VARIANTS = {
    # Debian's defaults: omfile buffers 4 KiB and writes at the end of each batch, never fsyncs.
    "rsyslog": ('', ''),
    # sync="on" fsyncs the file (and its directory) whenever omfile flushes its buffer, i.e. at
    # least once per batch.  With the default 4 KiB ioBufferSize that is every ~14 messages here;
    # a 4 MiB buffer makes it once per dequeued batch, which is rsyslog's fastest durable setting.
    "rsyslog-sync": (' sync="on" ioBufferSize="4m"', ''),
    # The same with a bigger main-queue dequeue batch (fewer, larger fsyncs).
    "rsyslog-sync-batch": (' sync="on" ioBufferSize="4m"', 'main_queue(queue.dequeueBatchSize="4096")\n'),
    # sync="on" with everything else default: ~2k msgs/s on this VM; not in the default peer list.
    "rsyslog-sync-4k": (' sync="on"', ''),
}


class RsyslogPeer:
    def __init__(self, name, template):
        self.name = name
        self.action_params, self.main_queue = RSYSLOG_VARIANTS[name]
        self.template = template

    def start(self, rundir):
        self.port = free_port()
        work = os.path.join(rundir, "work")
        os.makedirs(work)
        self.out = os.path.join(rundir, "out.log")
        conf = os.path.join(rundir, "rsyslog.conf")
        with open(conf, "w") as f:
            f.write(RSYSLOG_CONF.format(work=work, port=self.port, out=self.out, template=self.template,
                                        action_params=self.action_params, main_queue=self.main_queue))
        self.conf_text = open(conf).read()
        self.logf = open(os.path.join(rundir, "rsyslogd.log"), "wb")
        self.proc = subprocess.Popen(["rsyslogd", "-n", "-f", conf, "-i", os.path.join(rundir, "rsyslogd.pid")],
                                     stdout=self.logf, stderr=subprocess.STDOUT)
        if not wait_port(self.port, self.proc):
            raise RuntimeError("rsyslogd did not start; see %s" % self.logf.name)
        self.rundir = rundir
        return LineCounter(self.out)

    def stop_and_count(self):
        stop(self.proc)
        self.logf.close()
        c = LineCounter(self.out)
        n = c.count()
        c.close()
        return n, dir_bytes(self.rundir)


class KirokuPeer:
    name = "kiroku"

    def __init__(self, binary, extra_args=()):
        self.binary = binary
        self.extra_args = list(extra_args)

    def start(self, rundir):
        self.port = free_port()
        self.http = free_port()
        self.data = os.path.join(rundir, "data")
        self.rundir = rundir
        logpath = os.path.join(rundir, "kiroku.log")
        self.logf = open(logpath, "wb")
        self.cmd = [self.binary, "serve", "--data", self.data, "--syslog-tcp", "127.0.0.1:%d" % self.port,
                    "--syslog-udp", "off", "--http", "127.0.0.1:%d" % self.http] + self.extra_args
        self.proc = subprocess.Popen(self.cmd, stdout=self.logf, stderr=subprocess.PIPE)
        ready = threading.Event()

        def pump():
            for line in self.proc.stderr:
                self.logf.write(line)
                self.logf.flush()
                if b"kiroku serve ready" in line:
                    ready.set()

        threading.Thread(target=pump, daemon=True).start()
        end = time.monotonic() + 60
        while not ready.is_set() and time.monotonic() < end and self.proc.poll() is None:
            ready.wait(0.1)
        if not ready.is_set():
            stop(self.proc)
            raise RuntimeError("kiroku serve did not become ready; see %s" % logpath)
        return MetricsPoller("http://127.0.0.1:%d/metrics" % self.http)

    def final_metrics(self):
        """Group-commit facts from /metrics at the end of a run."""
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % self.http, timeout=5) as r:
                text = r.read().decode(errors="replace")
        except OSError:
            return {}
        m = {}
        for key in ("kiroku_journal_commits_total", "kiroku_journal_bytes_written_total",
                    "kiroku_fsync_duration_seconds_sum", "kiroku_fsync_duration_seconds_count",
                    "kiroku_messages_stored_total", "kiroku_messages_received_total",
                    "kiroku_messages_dropped_total", "kiroku_parse_errors_total", "kiroku_messages_truncated_total"):
            v = metric_sum(text, key)
            if v is not None:
                m[key] = v
        return m

    def stop_and_count(self):
        stop(self.proc, timeout=60)
        self.logf.close()
        # Received messages only: not the server's own self-audit records (start, stop, ...).
        out = subprocess.run([self.binary, "search", "--data", self.data, "--count",
                              "NOT kiroku.transport:internal"],
                             capture_output=True, text=True, timeout=600)
        nums = re.findall(r"\d+", out.stdout)
        n = int(nums[-1]) if out.returncode == 0 and nums else -1
        if n < 0:
            log("kiroku search --count failed (rc %d): %s" % (out.returncode, out.stderr.strip()[:300]))
        return n, dir_bytes(self.rundir)


def run_once(peer, loggen, expected, workdir, stall_s, timeout_s, poll_s, perf_out=None):
    rundir = tempfile.mkdtemp(prefix="%s-" % peer.name, dir=workdir)
    try:
        counter = peer.start(rundir)
        pid = peer.proc.pid
        time.sleep(0.5)  # let start-up work settle before the CPU baseline
        if perf_out:
            perf = subprocess.Popen(["perf", "record", "-e", "cpu-clock", "-F", "999", "-g", "-p", str(pid),
                                     "-o", perf_out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1.0)
        cpu0 = proc_cpu_s(pid)
        t0 = time.monotonic()
        loggen.start(peer.port)
        n, last_n, last_change = 0, -1, t0
        t_done = None
        while True:
            n = counter.count()
            now = time.monotonic()
            if n >= expected:
                t_done = now
                break
            if n != last_n:
                last_n, last_change = n, now
            if loggen.done.is_set() and now - last_change > stall_s:
                break
            if peer.proc.poll() is not None:
                n = counter.count()
                break
            if now - t0 > timeout_s:
                break
            time.sleep(poll_s)
        exited = peer.proc.poll()
        cpu1 = proc_cpu_s(pid) if exited is None else cpu0
        hwm_kb = proc_status_kb(pid, "VmHWM") if exited is None else 0
        threads = proc_status_kb(pid, "Threads") if exited is None else 0
        metrics = peer.final_metrics() if hasattr(peer, "final_metrics") else {}
        if perf_out:
            perf.send_signal(signal.SIGINT)
            perf.wait()
        lg = loggen.result()
        counter.close()
        stored_live = n
        stored_final, disk = peer.stop_and_count()
        elapsed = (t_done or time.monotonic()) - t0
        if exited is not None:
            log("%s EXITED during the run with status %s" % (peer.name, exited))
        if t_done is None or stored_final != lg["sent"] or exited is not None:
            # keep the evidence: the server's log goes next to the results
            keep = os.path.join(os.path.dirname(workdir), "kiroku-bench-failed-%s-%d.log" % (
                peer.name, int(time.time())))
            for fn in ("kiroku.log", "rsyslogd.log"):
                if os.path.exists(os.path.join(rundir, fn)):
                    shutil.copy(os.path.join(rundir, fn), keep)
                    with open(keep, "rb") as f:
                        tail = f.read()[-3000:].decode(errors="replace")
                    log("%s log kept in %s; tail:\n%s" % (peer.name, keep, tail))
        res = {
            "peer": peer.name, "expected": expected, "sent": lg["sent"], "stored_live": stored_live,
            "stored_final": stored_final, "complete": t_done is not None, "exited": exited,
            "elapsed_s": elapsed, "msgs_per_s": (stored_live / elapsed) if elapsed > 0 else 0,
            "send_s": lg["loggen_wall_s"], "cpu_s": cpu1 - cpu0,
            "cpu_s_per_M": (cpu1 - cpu0) / (expected / 1e6), "peak_rss_mib": hwm_kb / 1024.0,
            "threads": threads, "disk_bytes": disk,
            "loggen_cpu_s": lg["loggen_cpu_s"], "loggen_rate_sum": lg["loggen_rate_sum"],
            "loggen_errors": lg["loggen_errors"], "loggen_rc": lg["loggen_rc"], "server_metrics": metrics,
        }
        return res
    finally:
        try:
            if peer.proc.poll() is None:
                stop(peer.proc)
        except AttributeError:
            pass
        shutil.rmtree(rundir, ignore_errors=True)


def run_null_sink(loggen, expected_bytes):
    """Calibration: loggen into a sink that only reads bytes -> the generator's own ceiling here.

    One thread, epoll, reads of up to 1 MiB every millisecond, byte counting only: as cheap as a
    Python sink gets, so that it takes as little CPU as possible from loggen on a small machine."""
    import selectors
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    srv.setblocking(False)
    port = srv.getsockname()[1]
    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ)
    buf = bytearray(1 << 20)
    got = 0
    t_all = None
    t0 = time.monotonic()
    loggen.start(port)
    while t_all is None:
        if loggen.done.is_set() and not sel.select(timeout=0.5):
            break
        for key, _ in sel.select(timeout=0.5):
            if key.fileobj is srv:
                c, _ = srv.accept()
                c.setblocking(False)
                sel.register(c, selectors.EVENT_READ)
                continue
            try:
                k = key.fileobj.recv_into(buf)
            except BlockingIOError:
                continue
            if not k:
                sel.unregister(key.fileobj)
                key.fileobj.close()
                continue
            got += k
            if got >= expected_bytes:
                t_all = time.monotonic()
        # Let data pile up in the socket buffers: a reader that wakes for every segment pays
        # Python's per-call cost per message and would understate loggen's rate.
        time.sleep(0.001)
    lg = loggen.result()
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    sel.close()
    elapsed = (t_all or time.monotonic()) - t0
    return {"elapsed_s": elapsed, "msgs_per_s": lg["sent"] / elapsed if elapsed else 0, "sent": lg["sent"],
            "received_bytes": got, "expected_bytes": expected_bytes, "loggen_cpu_s": lg["loggen_cpu_s"]}


# ---------------------------------------------------------------------------------------
# report


def med(rows, key):
    return statistics.median(r[key] for r in rows)


def fmt_table(summary, order):
    hdr = ("| peer | msgs/s | end-to-end s | server CPU s / 1M msgs | peak RSS MiB | stored / sent "
           "| loggen CPU s |")
    lines = [hdr, "|---|---:|---:|---:|---:|---|---:|"]
    for name in order:
        s = summary.get(name)
        if not s:
            continue
        lines.append("| %s | %s | %.2f | %.2f | %.1f | %s | %.1f |" % (
            s["label"], "{:,.0f}".format(s["msgs_per_s"]), s["elapsed_s"], s["cpu_s_per_M"], s["peak_rss_mib"],
            s["stored"], s["loggen_cpu_s"]))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--conns", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--peers", default="rsyslog,rsyslog-sync,rsyslog-sync-batch,kiroku")
    ap.add_argument("--kiroku", default="")
    ap.add_argument("--kiroku-args", default="", help="extra `kiroku serve` flags, for experiments "
                    "(e.g. '--fsync false'); the published numbers use none")
    ap.add_argument("--loggen", default="/work/shared/tools/loggen")
    ap.add_argument("--rate", type=int, default=1_000_000_000, help="loggen --rate per connection")
    ap.add_argument("--rsyslog-template", default="bench_raw",
                    help="omfile template: bench_raw (%%rawmsg%%, default) or e.g. RSYSLOG_FileFormat")
    ap.add_argument("--workdir", default="")
    ap.add_argument("--msgfile", default="", help="reuse this message file instead of generating one")
    ap.add_argument("--json", default="", help="write all results as JSON here")
    ap.add_argument("--markdown", default="", help="write the summary table (markdown) here")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--perf", default="", help="after the measured runs, profile one extra (uncounted) run of "
                    "each peer in --perf-peers with perf record; reports go to this directory")
    ap.add_argument("--perf-peers", default="kiroku")
    ap.add_argument("--stall", type=float, default=15.0)
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--poll", type=float, default=0.02)
    a = ap.parse_args()

    base = a.workdir or ("/var/tmp" if os.path.isdir("/var/tmp") else tempfile.gettempdir())
    workdir = tempfile.mkdtemp(prefix="kiroku-bench.", dir=base)
    log("work dir %s" % workdir)
    try:
        return bench(a, workdir)
    finally:
        if a.keep:
            log("kept %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def bench(a, workdir):
    info = machine_info(workdir)
    need = a.messages * 320 * 4 + (1 << 30)
    free = shutil.disk_usage(workdir).free
    if free < need:
        log("not enough free space in %s: %d MiB free, want %d MiB" % (workdir, free >> 20, need >> 20))
        return 2
    log("machine: %s" % json.dumps(info))
    if float(info["loadavg"][0]) > 0.5:
        log("WARNING: load average %s before the run; other work on this machine skews the numbers"
            % info["loadavg"][0])

    # --- message set ----------------------------------------------------------------
    msgfile = a.msgfile
    if not msgfile:
        msgfile = os.path.join(workdir, "messages.txt")
        t = time.monotonic()
        subprocess.run([sys.executable, os.path.join(HERE, "gen_mixed.py"), "--count", str(a.messages),
                        "--seed", str(a.seed), "--out", msgfile], check=True)
        log("generated %s in %.1fs" % (msgfile, time.monotonic() - t))
    with open(msgfile, "rb") as f:
        lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if len(lines) < a.messages:
        log("message file has only %d lines" % len(lines))
        return 2
    lines = lines[:a.messages]
    set_bytes = sum(len(l) for l in lines)
    parts = []
    per = (a.messages + a.conns - 1) // a.conns
    for k in range(a.conns):
        chunk = lines[k * per:(k + 1) * per]
        if not chunk:
            continue
        p = os.path.join(workdir, "part%d.txt" % k)
        with open(p, "wb") as f:
            f.write(b"\n".join(chunk) + b"\n")
        parts.append((p, len(chunk)))
    del lines
    expected = sum(n for _, n in parts)
    log("message set: %d messages, mean %.1f bytes, %d loggen connection(s)" % (
        expected, set_bytes / expected, len(parts)))
    loggen = Loggen(a.loggen, parts, a.rate)

    # --- peers ----------------------------------------------------------------------
    peers = []
    pending = {}
    for name in [p.strip() for p in a.peers.split(",") if p.strip()]:
        if name in RSYSLOG_VARIANTS:
            peers.append(RsyslogPeer(name, a.rsyslog_template))
        elif name == "kiroku":
            ok = False
            if a.kiroku and os.access(a.kiroku, os.X_OK):
                r = subprocess.run([a.kiroku, "serve", "--help"], capture_output=True, timeout=30)
                ok = r.returncode == 0
            if ok:
                peers.append(KirokuPeer(a.kiroku, a.kiroku_args.split()))
            else:
                pending["kiroku"] = "binary %r missing or `serve --help` fails" % a.kiroku
                log("kiroku: pending (%s)" % pending["kiroku"])
        else:
            log("unknown peer %s" % name)
            return 2

    probe = fdatasync_probe(workdir)
    log("fdatasync probe (4 KiB append + fdatasync, 200x): median %.2f ms, p99 %.2f ms" % (
        probe["median_ms"], probe["p99_ms"]))

    # twice: the first loggen start-up pays cold caches; report the better of the two
    wire_bytes = sum(os.path.getsize(p) for p, _ in parts)
    cal = max((run_null_sink(loggen, wire_bytes) for _ in range(2)), key=lambda c: c["msgs_per_s"])
    log("loggen ceiling (null sink): %.0f msgs/s, %d sent, %d of %d bytes received, loggen CPU %.1f s" % (
        cal["msgs_per_s"], cal["sent"], cal["received_bytes"], cal["expected_bytes"], cal["loggen_cpu_s"]))

    results = []
    for rep in range(1, a.reps + 1):
        for peer in peers:
            try:
                r = run_once(peer, loggen, expected, workdir, a.stall, a.timeout, a.poll)
            except Exception as e:  # a peer that fails to start: report, keep going
                log("%s rep %d failed: %s" % (peer.name, rep, e))
                results.append({"peer": peer.name, "rep": rep, "error": str(e)})
                continue
            r["rep"] = rep
            results.append(r)
            log("%-12s rep %d: %s msgs/s, %.2f s, CPU %.2f s/1M, RSS %.1f MiB, sent %d, stored %d/%d%s" % (
                r["peer"], rep, "{:,.0f}".format(r["msgs_per_s"]), r["elapsed_s"], r["cpu_s_per_M"],
                r["peak_rss_mib"], r["sent"], r["stored_live"], r["stored_final"],
                "" if r["complete"] else "  INCOMPLETE"))

    if a.perf:
        os.makedirs(a.perf, exist_ok=True)
        for peer in peers:
            if peer.name not in a.perf_peers.split(","):
                continue
            data = os.path.join(a.perf, "perf-%s.data" % peer.name)
            try:
                r = run_once(peer, loggen, expected, workdir, a.stall, a.timeout, a.poll, perf_out=data)
            except Exception as e:
                log("perf run of %s failed: %s" % (peer.name, e))
                continue
            rep = os.path.join(a.perf, "perf-%s.txt" % peer.name)
            with open(rep, "w") as f:
                f.write("# perf record -e cpu-clock -F 999 -g -p <%s>, one extra run: %s msgs/s\n" % (
                    peer.name, "{:,.0f}".format(r["msgs_per_s"])))
                f.flush()
                for sort in ("dso,sym", "pid,dso"):
                    subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", sort, "--stdio",
                                    "-g", "none", "--percent-limit", "0.5"],
                                   stdout=f, stderr=subprocess.DEVNULL)
                subprocess.run(["perf", "report", "-i", data, "--children", "--sort", "sym", "--stdio",
                                "-g", "none", "--percent-limit", "2"], stdout=f, stderr=subprocess.DEVNULL)
            log("perf profile of %s written to %s (data: %s)" % (peer.name, rep, data))

    # --- summary --------------------------------------------------------------------
    labels = {"rsyslog": "rsyslog imptcp → omfile, defaults (no fsync)",
              "rsyslog-sync": "rsyslog imptcp → omfile sync=\"on\" ioBufferSize=\"4m\"",
              "rsyslog-sync-batch": "rsyslog … sync=\"on\" ioBufferSize=\"4m\", dequeueBatchSize 4096",
              "rsyslog-sync-4k": "rsyslog imptcp → omfile sync=\"on\" (4 KiB buffer)",
              "kiroku": "kiroku serve (journal, group commit + fdatasync)"}
    summary = {}
    out = [""]
    warn = []
    for peer in peers:
        allrows = [r for r in results if r["peer"] == peer.name and "error" not in r]
        failed = [r for r in results if r["peer"] == peer.name and ("error" in r or not r["complete"]
                                                                      or r.get("exited") is not None)]
        rows = [r for r in allrows if r not in failed]  # medians over complete runs only
        if failed:
            warn.append("WARNING: %s: %d of %d runs failed: %s" % (peer.name, len(failed), len(failed) + len(rows), "; ".join(
                r.get("error") or "rep %d stored %d of %d sent%s" % (
                    r["rep"], r["stored_final"], r["sent"],
                    ", server exited (%s)" % r["exited"] if r.get("exited") is not None else "")
                for r in failed)))
        if not rows:
            continue
        lost = [r["sent"] - r["stored_final"] for r in allrows]
        summary[peer.name] = {
            "label": labels[peer.name], "runs": len(rows), "failed_runs": len(failed),
            "msgs_per_s": med(rows, "msgs_per_s"), "elapsed_s": med(rows, "elapsed_s"),
            "cpu_s_per_M": med(rows, "cpu_s_per_M"), "peak_rss_mib": med(rows, "peak_rss_mib"),
            "loggen_cpu_s": med(rows, "loggen_cpu_s"), "disk_bytes": med(rows, "disk_bytes"),
            "all_msgs_per_s": [round(r["msgs_per_s"]) for r in rows],
            "stored": ("%d / %d" % (rows[0]["stored_final"], rows[0]["sent"])) if all(
                r["stored_final"] == r["sent"] == expected for r in allrows) else
            "LOSS " + ", ".join("%d/%d" % (r["stored_final"], r["sent"]) for r in allrows),
            "lost": lost,
        }
    order = ["rsyslog", "rsyslog-sync", "rsyslog-sync-batch", "rsyslog-sync-4k", "kiroku"]
    table = fmt_table(summary, order)
    for name, why in pending.items():
        table += "\n| %s | pending | pending | pending | pending | pending | – |" % labels[name]
    for peer in peers:
        if peer.name not in summary:
            table += "\n| %s | FAILED | – | – | – | every run failed, see WARNING | – |" % labels[peer.name]

    out.append("machine: %d × %s, %s RAM, %s, kernel %s" % (info["nproc"], info["cpu"], info["mem"], info["os"],
                                                           info["kernel"]))
    out.append("store file system: %s; disk: %s" % (info["fs"], info["disk"]))
    out.append("fdatasync probe: median %.2f ms, p99 %.2f ms" % (probe["median_ms"], probe["p99_ms"]))
    out.append("message set: %d messages (gen_mixed.py --seed %d), mean %.1f bytes; %d loggen connection(s)"
               % (expected, a.seed, set_bytes / expected, len(parts)))
    out.append("loggen ceiling into a null sink: %s msgs/s (loggen CPU %.1f s)" % (
        "{:,.0f}".format(cal["msgs_per_s"]), cal["loggen_cpu_s"]))
    out.append("medians of %d repetition(s):" % a.reps)
    out.append("")
    out.append(table)
    out.append("")
    for name in order:
        s = summary.get(name)
        if s:
            out.append("%s: msgs/s per run %s; on disk %.0f MiB (%.0f bytes/msg)" % (
                name, s["all_msgs_per_s"], s["disk_bytes"] / 1048576, s["disk_bytes"] / expected))
    krows = [r for r in results if r.get("peer") == "kiroku" and r.get("server_metrics")]
    if krows:
        mm = krows[len(krows) // 2]["server_metrics"]
        commits = mm.get("kiroku_journal_commits_total") or 0
        fc = mm.get("kiroku_fsync_duration_seconds_count") or 0
        out.append("kiroku group commit (rep %d): %d commits, %.0f records/commit, fsync mean %.2f ms, "
                   "journal %.0f bytes/record" % (
                       krows[len(krows) // 2]["rep"], commits, mm.get("kiroku_messages_stored_total", 0) / commits
                       if commits else 0, 1000 * mm.get("kiroku_fsync_duration_seconds_sum", 0) / fc if fc else 0,
                       mm.get("kiroku_journal_bytes_written_total", 0) / max(1, mm.get("kiroku_messages_stored_total", 1))))
    k = summary.get("kiroku")
    ratio_lines = []
    for ref in order[:-1]:
        r = summary.get(ref)
        if k and r:
            ratio_lines.append("kiroku / %s: msgs/s %.2f×, CPU per msg %.2f×, peak RSS %.2f×" % (
                ref, k["msgs_per_s"] / r["msgs_per_s"], k["cpu_s_per_M"] / r["cpu_s_per_M"],
                k["peak_rss_mib"] / r["peak_rss_mib"]))
    synced = [n for n in order if n.startswith("rsyslog-sync") and n in summary]
    if k and synced:
        best = max(synced, key=lambda n: summary[n]["msgs_per_s"])  # compare with rsyslog's fastest durable setting
        ratio = k["msgs_per_s"] / summary[best]["msgs_per_s"]
        ok = ratio >= 1.5 and k["peak_rss_mib"] <= 64
        ratio_lines.append("target (≥ 1.5× rsyslog's msgs/s with fsync on [%s], ≤ 64 MiB peak RSS): %s "
                           "(%.2f×, %.1f MiB)" % (best, "MET" if ok else "MISSED", ratio, k["peak_rss_mib"]))
        if ratio < 1.5:
            ratio_lines.append("  msgs/s short of the target by %.0f%% (needs %s msgs/s)" % (
                (1 - ratio / 1.5) * 100, "{:,.0f}".format(1.5 * summary[best]["msgs_per_s"])))
        if k["peak_rss_mib"] > 64:
            ratio_lines.append("  peak RSS over the target by %.1f MiB" % (k["peak_rss_mib"] - 64))
    elif pending:
        ratio_lines.append("kiroku: pending (%s)" % "; ".join(pending.values()))
    out.extend(ratio_lines)
    for name in order:
        s = summary.get(name)
        if s and s["runs"] and summary[name]["msgs_per_s"] > 0.85 * cal["msgs_per_s"]:
            out.append("WARNING: %s ran at > 85%% of the loggen ceiling: the generator may be the bottleneck" % name)
    out.extend(warn)
    text = "\n".join(out)
    print(text)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(text + "\n")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"machine": info, "fdatasync_probe": probe, "calibration": cal, "messages": expected,
                       "mean_size": set_bytes / expected, "conns": len(parts), "reps": a.reps, "seed": a.seed,
                       "summary": summary, "runs": results, "pending": pending,
                       "loggen_cmd": loggen.cmd_example}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
