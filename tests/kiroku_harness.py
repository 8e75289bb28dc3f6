"""End-to-end test harness for kiroku.

Starts the real `kiroku` binary (KIROKU_BIN) on a temporary data directory with ephemeral
ports, and real senders: rsyslog (as a forwarder with its own config and work directory),
util-linux `logger`, syslog-ng's `loggen` (LOGGEN), `openssl s_client`, and raw Python sockets.
Also: a RELP client (the protocol rsyslog's omrelp speaks) that knows exactly which messages
were acknowledged, a Prometheus text parser and certificate generation with the openssl CLI.

Rules every helper follows: nothing sleeps to wait for something; every wait polls a
condition against a deadline (`wait_until`) and fails with a message saying what it waited for.
"""
from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import random
import re
import secrets
import select
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_BIN_CANDIDATES = [
    REPO / "build" / "kiroku",
    REPO / "build" / "src" / "kiroku",
    REPO / "build-e2e" / "kiroku",
    REPO / "build-e2e" / "src" / "kiroku",
]


def kiroku_bin() -> str:
    b = os.environ.get("KIROKU_BIN")
    if b:
        return b
    for c in DEFAULT_BIN_CANDIDATES:
        if c.is_file() and os.access(c, os.X_OK):
            return str(c)
    return str(DEFAULT_BIN_CANDIDATES[0])


def loggen_bin() -> str:
    return os.environ.get("LOGGEN") or str(REPO.parent / "shared" / "tools" / "loggen")


LOCALHOST = "127.0.0.1"
RSYSLOGD = shutil.which("rsyslogd") or "/usr/sbin/rsyslogd"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
LOGGER = shutil.which("logger") or "/usr/bin/logger"


# --------------------------------------------------------------------------------------------
# Waiting


class WaitTimeout(AssertionError):
    pass


class Abort(AssertionError):
    """Raised inside a wait_until predicate: stop waiting at once (e.g. the server died)."""


def wait_until(pred, timeout: float, what: str = "condition", interval: float = 0.01):
    """Polls pred() until it returns a truthy value; returns that value.

    Raises WaitTimeout (an AssertionError) after `timeout` seconds. The poll interval starts
    small and grows to 0.2 s so fast conditions are seen at once and slow ones cost little.
    """
    deadline = time.monotonic() + timeout
    last_exc = None
    while True:
        try:
            v = pred()
            if v:
                return v
        except (WaitTimeout, Abort):
            raise
        except Exception as e:  # noqa: BLE001 - reported on timeout
            last_exc = e
        if time.monotonic() >= deadline:
            extra = f" (last error: {last_exc!r})" if last_exc else ""
            raise WaitTimeout(f"timed out after {timeout:.1f}s waiting for {what}{extra}")
        time.sleep(interval)
        interval = min(interval * 1.5, 0.2)


def token(prefix: str = "t") -> str:
    """A unique word made of letters and digits only, so any tokenizer keeps it whole."""
    return prefix + secrets.token_hex(8)


def free_port(kind=socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind((LOCALHOST, 0))
        return s.getsockname()[1]


def parse_addr(a: str) -> tuple[str, int]:
    m = re.fullmatch(r"\[([0-9a-fA-F:.]+)\]:(\d+)", a) or re.fullmatch(r"([^:\s]+):(\d+)", a)
    if not m:
        raise ValueError(f"not an address: {a!r}")
    return m.group(1), int(m.group(2))


def raise_nofile(n: int = 20000) -> int:
    """Raises this process's RLIMIT_NOFILE soft limit (children inherit it). Returns it."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(n, hard) if hard != resource.RLIM_INFINITY else n
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# --------------------------------------------------------------------------------------------
# Records returned by `kiroku search --format json`


def field(rec: dict, dotted: str, default=None):
    """field(r, "log.syslog.facility.code") on the nested ECS JSON; also accepts flat keys."""
    if dotted in rec:
        return rec[dotted]
    cur = rec
    for part in dotted.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            return default
    return cur


def msg_of(rec):
    return field(rec, "message")


def check_original_length(rec, want: int):
    """kiroku.original_length must be `want` on a truncated record. The contract's JSON shows it
    on every record; kiroku prints it only for truncated ones (docs/query.md). That one point is
    asserted by test_search.py::test_original_length_on_every_record; elsewhere an absent value
    on an untruncated record is let through so that it does not hide the test's other checks."""
    got = field(rec, "kiroku.original_length")
    if got is None and field(rec, "kiroku.truncated") is False:
        return
    assert got == want, f"kiroku.original_length: got {got!r}, want {want}"


NOT_INTERNAL = "NOT kiroku.transport:internal"


def without_internal(query: str) -> str:
    """QUERY without the server's own self-audit records (docs/operations.md, "Self-audit")."""
    return f"({query}) {NOT_INTERNAL}" if query else NOT_INTERNAL


class Records(list):
    """search() results. internal_seqs: the seqs of the server's own audit records (start, stop,
    ...; kiroku.transport internal) that search() left out, below the highest seq returned;
    looked up only when asked for (check_seqs_dense does)."""

    def __init__(self, items=(), internal=None):
        super().__init__(items)
        self._internal = internal
        self._seqs = None

    @property
    def internal_seqs(self) -> list:
        if self._seqs is None:
            top = max((field(r, "kiroku.seq") or 0 for r in self), default=0)
            self._seqs = [s for s in (self._internal() if self._internal else []) if s < top]
        return self._seqs


def check_seqs_dense(records, start: int = 1):
    """Every record has a unique kiroku.seq and together they are start..start+n-1 (counting the
    server's own audit records that search() left out)."""
    seqs = [field(r, "kiroku.seq") for r in records] + list(getattr(records, "internal_seqs", []))
    assert all(isinstance(s, int) for s in seqs), f"non-integer seqs: {seqs[:10]}"
    dup = len(seqs) - len(set(seqs))
    assert dup == 0, f"{dup} duplicate kiroku.seq values"
    if seqs:
        lo, hi = min(seqs), max(seqs)
        assert lo == start, f"lowest seq is {lo}, expected {start}"
        missing = sorted(set(range(lo, hi + 1)) - set(seqs))
        assert not missing, f"seq gaps: {len(missing)} missing, first {missing[:10]}"
    return seqs


def assert_record(rec, *, host=None, app=None, pid=None, facility=None, severity=None,
                  message=None, transport=None, peer=LOCALHOST, msgid=None,
                  truncated=False, parse_error=False):
    """Asserts the base fields of one stored record. None means "don't check"."""
    problems = []

    def chk(name, want):
        got = field(rec, name)
        if got != want:
            problems.append(f"{name}: got {got!r}, want {want!r}")

    if host is not None:
        chk("host.name", host)
    if app is not None:
        chk("process.name", app)
    if pid is not None:
        chk("process.pid", pid)
    if facility is not None:
        chk("log.syslog.facility.code", facility)
    if severity is not None:
        chk("log.syslog.severity.code", severity)
    if msgid is not None:
        chk("log.syslog.msgid", msgid)
    if message is not None:
        chk("message", message)
    if transport is not None:
        chk("kiroku.transport", transport)
    if peer is not None:
        chk("log.source.address", peer)
        port = field(rec, "log.source.port")
        if field(rec, "kiroku.transport") == "relp":
            # librelp does not tell the peer's port (docs/decisions/relp.md): 0 or absent.
            if port not in (0, None):
                problems.append(f"log.source.port: got {port!r} for RELP, want 0 or absent")
        elif not (isinstance(port, int) and 0 < port < 65536):
            problems.append(f"log.source.port: got {port!r}, want a port number")
    if truncated is not None:
        chk("kiroku.truncated", truncated)
    if parse_error is not None:
        chk("kiroku.parse_error", parse_error)
    for k in ("@timestamp", "event.created"):
        v = field(rec, k)
        if not (isinstance(v, str) and v.endswith("Z")):
            problems.append(f"{k}: got {v!r}, want an RFC 3339 UTC time")
    if not isinstance(field(rec, "kiroku.seq"), int):
        problems.append(f"kiroku.seq: got {field(rec, 'kiroku.seq')!r}")
    assert not problems, "record fields wrong:\n  " + "\n  ".join(problems) + \
        f"\nrecord: {json.dumps(rec)[:2000]}"


# --------------------------------------------------------------------------------------------
# Prometheus text format


_METRIC_RE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?\s*$")
_LABEL_RE = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*,?')


def _unescape_label(v: str) -> str:
    return v.replace("\\n", "\n").replace('\\"', '"').replace("\\\\", "\\")


def parse_prometheus(text: str) -> "Metrics":
    m = Metrics()
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        mm = _METRIC_RE.match(line)
        assert mm, f"malformed Prometheus line: {line!r}"
        name, labels_s, value = mm.groups()
        labels = {}
        if labels_s:
            pos = 0
            while pos < len(labels_s):
                lm = _LABEL_RE.match(labels_s, pos)
                assert lm, f"malformed labels in Prometheus line: {line!r}"
                labels[lm.group(1)] = _unescape_label(lm.group(2))
                pos = lm.end()
        v = float(value.replace("+Inf", "inf").replace("-Inf", "-inf"))
        key = (name, tuple(sorted(labels.items())))
        assert key not in m, f"duplicate series in /metrics: {line!r}"
        m[key] = v
    return m


class Metrics(dict):
    """{(name, ((label, value), ...)): float} with convenience look-ups."""

    def get_value(self, name: str, default=0.0, **labels) -> float:
        return self.get((name, tuple(sorted(labels.items()))), default)

    def has(self, name: str, **labels) -> bool:
        return (name, tuple(sorted(labels.items()))) in self

    def series(self, name: str) -> dict:
        return {lbl: v for (n, lbl), v in self.items() if n == name}

    def total(self, name: str, **labels) -> float:
        """Sum over every series of `name` whose labels include `labels`."""
        s = 0.0
        for (n, lbl), v in self.items():
            if n == name and all(dict(lbl).get(k) == w for k, w in labels.items()):
                s += v
        return s


# --------------------------------------------------------------------------------------------
# The kiroku server


LISTENERS = ("syslog-udp", "syslog-tcp", "syslog-tls", "relp", "http")
_LISTEN_RE = re.compile(r"listening on (syslog-udp|syslog-tcp|syslog-tls|relp|http) (\S+)")
_SANITIZER_RE = re.compile(r"ERROR: (AddressSanitizer|LeakSanitizer|ThreadSanitizer)|"
                           r"runtime error:|SUMMARY: (Address|Undefined)")


_KEY_TEMPLATE: Path | None = None


def key_template() -> Path:
    """A keys directory made once per test session by `kiroku init` with a 30-day horizon
    (720 hourly keys: quick even under ASan); servers copy it into new data directories."""
    global _KEY_TEMPLATE
    if _KEY_TEMPLATE is None:
        d = Path(tempfile.mkdtemp(prefix="kiroku-test-keys-"))
        r = subprocess.run([kiroku_bin(), "init", "--data", str(d), "--horizon", "30d"],
                           capture_output=True, timeout=300)
        assert r.returncode == 0, f"kiroku init for the test key template: {r.stderr.decode()}"
        _KEY_TEMPLATE = d / "keys"
    return _KEY_TEMPLATE


class KirokuServer:
    """One `kiroku serve` process on a data directory; can be stopped, killed and restarted.

    listeners: {"syslog-udp": "127.0.0.1:0", ...}; a listener not given is passed as "off"
    (except that udp, tcp and http are on by default). After start(), self.addr[name] holds
    the actually bound (host, port), parsed from the `listening on` lines.
    """

    def __init__(self, workdir: Path, data: Path | None = None, listeners: dict | None = None,
                 args: list | None = None, tls: dict | None = None, env: dict | None = None,
                 seed_keys: bool = True):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.data = Path(data) if data else self.workdir / "data"
        lst = {"syslog-udp": f"{LOCALHOST}:0", "syslog-tcp": f"{LOCALHOST}:0",
               "syslog-tls": "off", "relp": "off", "http": f"{LOCALHOST}:0"}
        lst.update(listeners or {})
        self.listeners = lst
        self.args = list(args or [])
        self.tls = tls  # {"cert":..., "key":..., "ca":..., "fingerprints": [...]}
        self.env = env
        # A new data directory gets a copy of one session-wide key set (see key_template), so
        # that a hundred server starts do not each derive ten years of epoch keys. False: the
        # server initialises its own keys on first start, as for a user.
        self.seed_keys = seed_keys and not os.environ.get("KIROKU_TEST_FRESH_KEYS")
        self.proc: subprocess.Popen | None = None
        self.addr: dict[str, tuple[str, int]] = {}
        self.runs = 0
        self.all_lines: list[str] = []  # every stderr/stdout line of every run
        self.lines: list[str] = []      # lines of the current run
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self.logfile = None
        self.exit_codes: list[int] = []
        self.ended_by_test = False

    # -- process control --------------------------------------------------------------------

    def command(self) -> list[str]:
        cmd = [kiroku_bin(), "serve", "--data", str(self.data)]
        for name in LISTENERS:
            if self.listeners[name] is not None:  # None: not on the command line (config file)
                cmd += [f"--{name}", self.listeners[name]]
        if self.tls:
            cmd += ["--tls-cert", str(self.tls["cert"]), "--tls-key", str(self.tls["key"])]
            if self.tls.get("ca"):
                cmd += ["--tls-ca", str(self.tls["ca"])]
            if self.tls.get("fingerprints"):
                cmd += ["--tls-allowed-fingerprints", ",".join(self.tls["fingerprints"])]
        return cmd + self.args

    def start(self, timeout: float = 30.0, wait: bool = True):
        """Starts the server; with wait=False returns right after spawning it (crash tests
        kill it during start-up)."""
        assert self.proc is None or self.proc.poll() is not None, "already running"
        if self.seed_keys and not (self.data / "keys").exists():
            self.data.mkdir(parents=True, exist_ok=True)
            shutil.copytree(key_template(), self.data / "keys")  # keeps the 0700/0600 modes
        self.runs += 1
        self.ended_by_test = False
        self.lines = []
        self.addr = {}
        log = self.workdir / f"kiroku-run{self.runs}.log"
        self.logfile = open(log, "w", buffering=1)
        cmd = self.command()
        self.logfile.write("# " + " ".join(cmd) + "\n")
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "abort_on_error=0:detect_leaks=1")
        if self.env:
            env.update(self.env)
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env, cwd=self.workdir)
        self._threads = [threading.Thread(target=self._reader, args=(self.proc, s), daemon=True)
                         for s in (self.proc.stdout, self.proc.stderr)]
        for t in self._threads:
            t.start()
        if not wait:
            return self

        def ready():
            if self.proc.poll() is not None:
                self._join_readers()
                raise Abort(
                    f"kiroku exited with {self.proc.returncode} before ready:\n{self.tail()}")
            return any("kiroku serve ready" in ln for ln in self.lines)

        wait_until(ready, timeout, "kiroku serve ready")
        with self._lock:
            for ln in self.lines:
                m = _LISTEN_RE.search(ln)
                if m:
                    self.addr[m.group(1)] = parse_addr(m.group(2))
        for name, v in self.listeners.items():
            if v is None:
                continue
            if v != "off":
                assert name in self.addr, f"no 'listening on {name}' line:\n{self.tail()}"
                if not v.endswith(":0"):
                    assert self.addr[name] == parse_addr(v), \
                        f"{name} bound to {self.addr[name]}, asked for {v}"
            else:
                assert name not in self.addr, f"{name} is off but listening: {self.addr[name]}"
        return self

    def _reader(self, proc, stream):
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self._lock:
                self.lines.append(line)
                self.all_lines.append(line)
                if self.logfile and not self.logfile.closed:
                    try:
                        self.logfile.write(line + "\n")
                    except ValueError:
                        pass
        stream.close()

    def _join_readers(self):
        for t in self._threads:
            t.join(timeout=10)
        if self.logfile:
            self.logfile.close()

    def check_alive(self):
        """Raises Abort if the server died on its own (not stopped or killed by the test)."""
        if self.proc is not None and self.proc.poll() is not None and not self.ended_by_test:
            raise Abort(f"kiroku died (exit {self.proc.returncode}):\n{self.tail()}")

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = 30.0, sig=signal.SIGTERM) -> int:
        """Clean shutdown (SIGTERM); returns the exit code (contract: 0)."""
        assert self.proc is not None
        self.ended_by_test = True
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self._join_readers()
                raise AssertionError(f"kiroku did not exit within {timeout}s of {sig.name}:\n"
                                     + self.tail())
        self._join_readers()
        self.exit_codes.append(self.proc.returncode)
        return self.proc.returncode

    def kill(self):
        """SIGKILL, as a crash."""
        assert self.proc is not None
        self.ended_by_test = True
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(30)
        self._join_readers()
        self.exit_codes.append(self.proc.returncode)

    def restart(self, same_ports: bool = True, timeout: float = 30.0):
        """Starts again on the same data directory (and by default the same ports)."""
        if self.running():
            assert self.stop() == 0, "kiroku did not exit 0 on SIGTERM:\n" + self.tail()
        if same_ports:
            for name, (h, p) in self.addr.items():
                if self.listeners.get(name) is None:
                    continue
                self.listeners[name] = f"[{h}]:{p}" if ":" in h else f"{h}:{p}"
        return self.start(timeout)

    def tail(self, n: int = 40) -> str:
        with self._lock:
            return "\n".join(self.lines[-n:])

    def sanitizer_reports(self) -> list[str]:
        with self._lock:
            return [ln for ln in self.all_lines if _SANITIZER_RE.search(ln)]

    # -- addresses ----------------------------------------------------------------------------

    def port(self, name: str) -> int:
        return self.addr[name][1]

    @property
    def udp(self):
        return self.addr["syslog-udp"]

    @property
    def tcp(self):
        return self.addr["syslog-tcp"]

    @property
    def tls_addr(self):
        return self.addr["syslog-tls"]

    @property
    def relp(self):
        return self.addr["relp"]

    @property
    def http(self):
        return self.addr["http"]

    # -- HTTP ---------------------------------------------------------------------------------

    def http_get(self, path: str, timeout: float = 10.0) -> tuple[int, str]:
        h, p = self.http
        url = f"http://{h}:{p}{path}" if ":" not in h else f"http://[{h}]:{p}{path}"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")

    def metrics(self) -> Metrics:
        st, body = self.http_get("/metrics")
        assert st == 200, f"/metrics answered {st}: {body[:500]}"
        return parse_prometheus(body)

    def stored_received(self, m: "Metrics | None" = None) -> float:
        """kiroku_messages_stored_total without the server's own self-audit records (start,
        stop, ...): the received messages stored."""
        m = m if m is not None else self.metrics()
        return m.get_value("kiroku_messages_stored_total") - self.count(
            "kiroku.transport:internal", include_internal=True)

    def metric(self, name: str, **labels) -> float:
        return self.metrics().get_value(name, **labels)

    # -- search -------------------------------------------------------------------------------

    def search_raw(self, *args, timeout: float = 120.0) -> subprocess.CompletedProcess:
        # The device time (@timestamp as stored) unless a test asks for another: the default,
        # --time corrected, follows the clock watch's estimates, which change as records arrive
        # (tests/test_clock.py tests it).
        if "--time" not in args:
            args = ("--time", "device", *args)
        cmd = [kiroku_bin(), "search", "--data", str(self.data), *args]
        return subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout)

    def search(self, query: str = "", *extra, limit: int = 10_000_000,
               include_internal: bool = False) -> list[dict]:
        """All records matching query as parsed JSON objects (asserts each line is valid JSON).

        The server's own self-audit records (kiroku.transport internal) are left out unless
        include_internal; their seqs are in the result's internal_seqs."""
        args = ["--format", "json", "--limit", str(limit), *extra]
        asked = query
        if not include_internal:
            query = without_internal(query)
        if query:
            args.append(query)
        r = self.search_raw(*args)
        assert r.returncode == 0, \
            f"kiroku search {args} exited {r.returncode}: {r.stderr.decode(errors='replace')}"
        out = []
        for i, line in enumerate(r.stdout.split(b"\n")):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line.decode("utf-8")))
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                raise AssertionError(f"search output line {i + 1} is not valid UTF-8 JSON "
                                     f"({e}): {line[:300]!r}") from None
        if include_internal or asked.strip() == "kiroku.transport:internal":
            return Records(out)
        return Records(out, internal=lambda: [
            field(r, "kiroku.seq")
            for r in self.search("kiroku.transport:internal", include_internal=True)])

    def count(self, query: str = "", *extra, include_internal: bool = False) -> int:
        """search --count QUERY, without the server's own audit records unless include_internal."""
        args = ["--count", *extra]
        if not include_internal:
            query = without_internal(query)
        if query:
            args.append(query)
        r = self.search_raw(*args)
        assert r.returncode == 0, \
            f"kiroku search --count exited {r.returncode}: {r.stderr.decode(errors='replace')}"
        txt = r.stdout.decode().strip()
        assert re.fullmatch(r"\d+", txt), f"--count printed {txt!r}, want a number only"
        return int(txt)

    def wait_count(self, n: int, query: str = "", timeout: float = 30.0, exact_after=True):
        """Waits until search --count QUERY >= n; returns the count."""
        got = [0]

        def pred():
            self.check_alive()
            got[0] = self.count(query)
            return got[0] >= n

        try:
            wait_until(pred, timeout, f"{n} stored records matching {query!r}")
        except WaitTimeout as e:
            raise WaitTimeout(f"{e}; last count {got[0]}\nserver log:\n{self.tail()}") from None
        return got[0]

    def wait_records(self, pred, timeout: float = 30.0, what="records", query: str = ""):
        """Polls search(query) until pred(records) is truthy; returns the records."""
        box = [None]

        def p():
            self.check_alive()
            box[0] = self.search(query)
            return pred(box[0])

        try:
            wait_until(p, timeout, what)
        except WaitTimeout as e:
            n = len(box[0]) if box[0] is not None else "?"
            raise WaitTimeout(f"{e}; {n} records\nserver log:\n{self.tail()}") from None
        return box[0]

    def with_token(self, tok: str) -> list[dict]:
        """All records whose message or raw bytes contain tok, found by a full scan in Python
        (not through the query engine, whose own behaviour is tested separately)."""
        return [r for r in self.search() if tok in (field(r, "message") or "")
                or tok in (field(r, "event.original") or "")]


# --------------------------------------------------------------------------------------------
# Raw senders


def udp_send(addr, payloads, family=socket.AF_INET):
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        for p in payloads:
            s.sendto(p, addr)


def tcp_connect(addr, timeout: float = 10.0) -> socket.socket:
    s = socket.create_connection(addr, timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def tcp_send(addr, data: bytes, close: bool = True) -> socket.socket | None:
    s = tcp_connect(addr)
    s.sendall(data)
    if close:
        s.close()
        return None
    return s


def octet(msg: bytes) -> bytes:
    return str(len(msg)).encode() + b" " + msg


def _b(v) -> bytes:
    return v if isinstance(v, bytes) else str(v).encode()


def rfc5424(msg: str | bytes, host="h1", app="app", pid="123", pri=13, msgid="-", sd="-",
            ts: str | None = None) -> bytes:
    """An RFC 5424 message; msg and every header field may be str or bytes."""
    ts = ts or _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return b"<%d>1 " % pri + b" ".join(_b(x) for x in (ts, host, app, pid, msgid, sd)) + \
        b" " + _b(msg)


def rfc3164(msg: str | bytes, host="h1", app="app", pid=123, pri=13) -> bytes:
    now = _dt.datetime.now()
    ts = f"{now:%b} {now.day:2d} {now:%H:%M:%S}"
    tag = f"{app}[{pid}]" if pid is not None else app
    head = f"<{pri}>{ts} {host} {tag}: ".encode()
    return head + (msg.encode() if isinstance(msg, str) else msg)


def peer_closed(sock: socket.socket, timeout: float) -> bool:
    """True if the peer closes (EOF or reset) within timeout; reads and discards data."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        r, _, _ = select.select([sock], [], [], min(left, 0.5))
        if r:
            try:
                if sock.recv(65536) == b"":
                    return True
            except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError):
                return True
            except ssl.SSLError:
                return True
            except OSError:
                return True


# --------------------------------------------------------------------------------------------
# Certificates (openssl CLI)


def run(cmd, timeout=60, check=True, **kw) -> subprocess.CompletedProcess:
    r = subprocess.run(cmd, capture_output=True, timeout=timeout, **kw)
    if check and r.returncode != 0:
        raise AssertionError(f"{cmd} exited {r.returncode}:\n{r.stdout.decode(errors='replace')}"
                             f"\n{r.stderr.decode(errors='replace')}")
    return r


class Certs:
    """A test PKI: a CA, a server certificate for 127.0.0.1/localhost (SAN), two client
    certificates of that CA (client, client2), and a second, untrusted CA (rogue) with its own
    client certificate. All keys are EC P-256."""

    def __init__(self, d: Path):
        self.dir = Path(d)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.ca_key, self.ca = self._ca("ca", "kiroku test CA")
        self.rogue_ca_key, self.rogue_ca = self._ca("rogue-ca", "untrusted test CA")
        self.server_key, self.server = self._leaf(
            "server", "localhost", self.ca, self.ca_key,
            "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\n")
        self.client_key, self.client = self._leaf(
            "client", "client1.test", self.ca, self.ca_key,
            "subjectAltName=DNS:client1.test\nextendedKeyUsage=clientAuth,serverAuth\n")
        self.client2_key, self.client2 = self._leaf(
            "client2", "client2.test", self.ca, self.ca_key,
            "subjectAltName=DNS:client2.test\nextendedKeyUsage=clientAuth,serverAuth\n")
        self.rogue_key, self.rogue = self._leaf(
            "rogue-client", "client1.test", self.rogue_ca, self.rogue_ca_key,
            "subjectAltName=DNS:client1.test\nextendedKeyUsage=clientAuth,serverAuth\n")

    def _ca(self, name, cn):
        key, crt = self.dir / f"{name}.key", self.dir / f"{name}.crt"
        run([OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", key, "-out", crt, "-days", "30", "-subj", f"/CN={cn}",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign",
             "-addext", "subjectKeyIdentifier=hash"])
        return key, crt

    def _leaf(self, name, cn, ca, ca_key, ext):
        key, csr, crt = (self.dir / f"{name}.key", self.dir / f"{name}.csr",
                         self.dir / f"{name}.crt")
        extf = self.dir / f"{name}.ext"
        extf.write_text("basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                        "authorityKeyIdentifier=keyid\n" + ext)
        run([OPENSSL, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", key, "-out", csr, "-subj", f"/CN={cn}"])
        run([OPENSSL, "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
             "-set_serial", str(random.getrandbits(63)), "-days", "30", "-sha256",
             "-extfile", extf, "-out", crt])
        os.chmod(key, 0o600)
        return key, crt

    @staticmethod
    def fingerprint(crt: Path) -> str:
        """SHA-256 of the DER certificate, lowercase hex without colons."""
        out = run([OPENSSL, "x509", "-in", crt, "-noout", "-fingerprint", "-sha256"]).stdout
        return out.decode().strip().split("=", 1)[1].replace(":", "").lower()

    def verify(self, crt: Path, ca: Path | None = None) -> bool:
        r = run([OPENSSL, "verify", "-CAfile", ca or self.ca, crt], check=False)
        return r.returncode == 0

    def server_tls(self, mutual: bool = True, fingerprints=None) -> dict:
        d = {"cert": self.server, "key": self.server_key}
        if mutual:
            d["ca"] = self.ca
        if fingerprints:
            d["fingerprints"] = list(fingerprints)
        return d

    def client_context(self, cert="client", min_version=ssl.TLSVersion.TLSv1_2,
                       max_version=None) -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(self.ca)
        ctx.minimum_version = min_version
        if max_version:
            ctx.maximum_version = max_version
        if cert:
            crt, key = {"client": (self.client, self.client_key),
                        "client2": (self.client2, self.client2_key),
                        "rogue": (self.rogue, self.rogue_key)}[cert]
            ctx.load_cert_chain(crt, key)
        return ctx


def tls_connect(addr, ctx: ssl.SSLContext, server_hostname="localhost", timeout=10.0):
    raw = socket.create_connection(addr, timeout=timeout)
    try:
        return ctx.wrap_socket(raw, server_hostname=server_hostname)
    except BaseException:
        raw.close()
        raise


def tls_rejected(addr, ctx, payload: bytes = b"", timeout: float = 10.0) -> str | None:
    """Tries a TLS session (and sends payload). Returns None if the server kept it open and
    usable, else a description of how it refused (handshake error, alert, or close).

    With TLS 1.3 the server verifies the client certificate after the client considers the
    handshake done, so a refusal may arrive only on the first read."""
    try:
        s = tls_connect(addr, ctx, timeout=timeout)
    except (ssl.SSLError, ConnectionResetError, BrokenPipeError, ConnectionAbortedError) as e:
        return f"handshake failed: {e!r}"
    except OSError as e:
        return f"handshake failed: {e!r}"
    with contextlib.closing(s):
        try:
            if payload:
                s.sendall(payload)
            if peer_closed(s, timeout=3.0):
                return "closed by server"
        except (ssl.SSLError, OSError) as e:
            return f"refused after handshake: {e!r}"
    return None


# --------------------------------------------------------------------------------------------
# RELP client


class RelpError(Exception):
    pass


class RelpClient:
    """A minimal RELP client (librelp's protocol, as spoken by rsyslog's omrelp).

    Frames: TXNR SP COMMAND SP DATALEN [SP DATA] LF. The session starts with an "open" offering
    relp_version=0 and commands=syslog; each "syslog" command is acknowledged by a "rsp" with the
    same txnr and data "200 OK". send() pipelines (up to `window` unacknowledged), acks are
    collected by poll()/wait_acked(). `acked` holds the ids (caller's) of acknowledged messages.
    """

    def __init__(self, addr, timeout: float = 10.0, window: int = 128, sock=None):
        self.addr = addr
        self.window = window
        self.sock = sock or socket.create_connection(addr, timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.txnr = 0
        self.pending: dict[int, object] = {}  # txnr -> caller's id
        self.acked: list = []                 # ids, in ack order
        self.nacked: list = []
        self.closed = False
        self.server_offers = self._open(timeout)

    def _next_txnr(self):
        self.txnr = self.txnr + 1 if self.txnr < 999_999_999 else 1
        return self.txnr

    def _frame(self, txnr: int, cmd: bytes, data: bytes) -> bytes:
        head = b"%d %s %d" % (txnr, cmd, len(data))
        return head + (b" " + data if data else b"") + b"\n"

    def _read_frame(self, timeout: float | None):
        """Returns (txnr, command, data) or None on timeout; raises RelpError on EOF."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            fr = self._parse_frame()
            if fr is not None:
                return fr
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                r, _, _ = select.select([self.sock], [], [], left)
                if not r:
                    return None
            try:
                d = self.sock.recv(65536)
            except (ConnectionResetError, BrokenPipeError, ConnectionAbortedError) as e:
                self.closed = True
                raise RelpError(f"connection lost: {e!r}") from None
            except socket.timeout:
                return None
            if not d:
                self.closed = True
                raise RelpError("connection closed by server")
            self.buf += d

    def _parse_frame(self):
        m = re.match(rb"(\d{1,9}) ([a-zA-Z]{1,32}) (\d{1,9})", self.buf)
        if not m:
            if len(self.buf) > 64 and not re.match(rb"\d{1,9} [a-zA-Z]{1,32} \d{0,9}$",
                                                      self.buf[:64]):
                raise RelpError(f"invalid RELP frame from server: {self.buf[:80]!r}")
            return None
        txnr, cmd, dlen = int(m.group(1)), m.group(2), int(m.group(3))
        pos = m.end()
        if dlen:
            if len(self.buf) < pos + 1 + dlen + 1:
                return None
            if self.buf[pos:pos + 1] != b" ":
                raise RelpError(f"invalid RELP frame: {self.buf[:80]!r}")
            data = self.buf[pos + 1:pos + 1 + dlen]
            end = pos + 1 + dlen
        else:
            if len(self.buf) < pos + 1:
                return None
            data, end = b"", pos
        if self.buf[end:end + 1] != b"\n":
            raise RelpError(f"RELP frame without LF trailer: {self.buf[:80]!r}")
        self.buf = self.buf[end + 1:]
        return txnr, cmd, data

    def _open(self, timeout):
        offers = b"relp_version=0\nrelp_software=kiroku-e2e,1,none\ncommands=syslog"
        t = self._next_txnr()
        self.sock.sendall(self._frame(t, b"open", offers))
        deadline = time.monotonic() + timeout
        while True:
            fr = self._read_frame(max(0.0, deadline - time.monotonic()))
            if fr is None:
                raise RelpError("no answer to RELP open")
            rt, cmd, data = fr
            if rt == 0:
                continue  # hint
            if rt != t or cmd != b"rsp" or not data.startswith(b"200"):
                raise RelpError(f"RELP open refused: {rt} {cmd!r} {data[:200]!r}")
            if b"commands=syslog" not in data or b"relp_version=" not in data:
                raise RelpError(f"RELP open answer lacks offers: {data[:200]!r}")
            return data

    def send(self, msg: bytes, ident=None):
        """Sends one syslog message; blocks (collecting acks) while the window is full."""
        while len(self.pending) >= self.window:
            self.poll(timeout=10.0, need=True)
        t = self._next_txnr()
        self.pending[t] = ident if ident is not None else t
        try:
            self.sock.sendall(self._frame(t, b"syslog", msg))
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError) as e:
            self.closed = True
            raise RelpError(f"send failed: {e!r}") from None
        return t

    def poll(self, timeout: float = 0.0, need: bool = False) -> int:
        """Reads responses available within timeout; returns how many were processed. With
        need=True, raises RelpError if none arrived in time."""
        n = 0
        first = True
        while True:
            fr = self._read_frame(timeout if first else 0.0)
            first = False
            if fr is None:
                break
            self._handle(*fr)
            n += 1
        if need and n == 0:
            raise RelpError(f"no RELP response within {timeout}s")
        return n

    def _handle(self, txnr, cmd, data):
        if txnr == 0:  # hint, e.g. "serverclose"
            if cmd == b"serverclose":
                self.closed = True
            return
        if cmd != b"rsp":
            raise RelpError(f"unexpected RELP command from server: {txnr} {cmd!r}")
        if txnr not in self.pending:
            raise RelpError(f"RELP rsp for unknown txnr {txnr}: {data[:100]!r}")
        # Responses must come in command order.
        first = min(self.pending)
        if txnr != first:
            raise RelpError(f"RELP rsp out of order: got {txnr}, oldest pending {first}")
        ident = self.pending.pop(txnr)
        if data.startswith(b"200"):
            self.acked.append(ident)
        else:
            self.nacked.append((ident, data))

    def wait_acked(self, timeout: float = 30.0):
        deadline = time.monotonic() + timeout
        while self.pending:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RelpError(f"{len(self.pending)} RELP messages unacknowledged after "
                                f"{timeout}s")
            self.poll(timeout=left)

    def close(self, timeout: float = 10.0):
        """Graceful RELP close: waits for acks, sends "close", waits for its rsp."""
        try:
            self.wait_acked(timeout)
            t = self._next_txnr()
            self.sock.sendall(self._frame(t, b"close", b""))
            deadline = time.monotonic() + timeout
            while True:
                fr = self._read_frame(max(0.0, deadline - time.monotonic()))
                if fr is None:
                    raise RelpError("no answer to RELP close")
                if fr[0] == t and fr[1] == b"rsp":
                    return fr[2]
        finally:
            self.abort()

    def abort(self):
        with contextlib.suppress(OSError):
            self.sock.close()
        self.closed = True


# --------------------------------------------------------------------------------------------
# rsyslog as a forwarder


class Rsyslog:
    """rsyslogd run in the foreground with its own config and work directory.

    The test feeds it RFC 5424 lines over a plain TCP input (imptcp on a loopback port that the
    test controls) bound to its own ruleset, whose only action is the forwarding action under
    test; rsyslog's own internal messages go to a file in the work directory, never to kiroku.
    """

    def __init__(self, workdir: Path, action: str, modules: str = "", globals_: str = "",
                 input_params: str = ""):
        self.dir = Path(workdir)
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "work").mkdir(exist_ok=True)
        self.in_port = free_port()
        self.conf = self.dir / "rsyslog.conf"
        self.pidfile = self.dir / "rsyslogd.pid"
        self.conf.write_text(f"""\
global(workDirectory="{self.dir / 'work'}" {globals_})
module(load="imptcp")
{modules}
input(type="imptcp" address="127.0.0.1" port="{self.in_port}" ruleset="forward" {input_params})
ruleset(name="forward") {{
{action}
}}
# rsyslog's own messages stay here.
action(type="omfile" file="{self.dir / 'internal.log'}")
""")
        self.proc = None
        self.log = None

    def validate(self):
        r = run([RSYSLOGD, "-N1", "-f", self.conf], check=False)
        out = (r.stdout + r.stderr).decode(errors="replace")
        assert r.returncode == 0, f"rsyslogd -N1 rejects {self.conf}:\n{out}"
        return out

    def start(self, timeout: float = 20.0):
        self.log = open(self.dir / "rsyslogd.out", "w")
        self.proc = subprocess.Popen([RSYSLOGD, "-n", "-f", str(self.conf), "-i",
                                      str(self.pidfile)], stdin=subprocess.DEVNULL,
                                     stdout=self.log, stderr=subprocess.STDOUT, cwd=self.dir)

        def up():
            if self.proc.poll() is not None:
                raise Abort(f"rsyslogd exited {self.proc.returncode}:\n"
                                     + self.output())
            with socket.socket() as s:
                s.settimeout(1)
                return s.connect_ex((LOCALHOST, self.in_port)) == 0

        wait_until(up, timeout, "rsyslogd input port")
        return self

    def output(self) -> str:
        txt = ""
        for f in ("rsyslogd.out", "internal.log"):
            p = self.dir / f
            if p.exists():
                txt += f"--- {f}\n" + p.read_text(errors="replace")[-4000:]
        return txt

    def feed(self, lines: list[bytes]):
        """Sends RFC 5424 lines (without LF) into rsyslog's input."""
        with socket.create_connection((LOCALHOST, self.in_port), timeout=10) as s:
            s.sendall(b"".join(ln + b"\n" for ln in lines))

    def stop(self, timeout: float = 20.0):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.log:
            self.log.close()


# --------------------------------------------------------------------------------------------
# pytest fixtures (conftest.py re-exports them)


@pytest.fixture
def kiroku(tmp_path, request):
    """Factory: kiroku(listeners=..., args=[...], tls=...) -> started KirokuServer.

    Teardown fails the test if a server died during the test (it must keep serving), stops
    every server with SIGTERM and checks the contract's exit code 0, and reports sanitizer
    errors found in its output."""
    servers: list[KirokuServer] = []

    def start(**kw) -> KirokuServer:
        wd = tmp_path / f"kiroku{len(servers)}"
        s = KirokuServer(wd, **kw)
        servers.append(s)
        return s.start()

    yield start
    problems = []
    for s in servers:
        if s.proc is None:
            continue
        if s.proc.poll() is not None and not s.ended_by_test:
            problems.append(f"kiroku died during the test (exit {s.proc.returncode})")
        if s.running():
            rc = s.stop()
            if rc != 0:
                problems.append(f"kiroku exited {rc} on SIGTERM (want 0)")
        san = s.sanitizer_reports()
        if san:
            problems.append("sanitizer reports:\n" + "\n".join(san[:20]))
        print(f"--- kiroku log ({s.workdir}):\n{s.tail(60)}")
    if problems:
        pytest.fail("; ".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def certs(tmp_path_factory) -> Certs:
    return Certs(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def rsyslog(tmp_path):
    """Factory: rsyslog(action=..., modules=..., globals_=...) -> started Rsyslog."""
    started = []

    def make(**kw) -> Rsyslog:
        r = Rsyslog(tmp_path / f"rsyslog{len(started)}", **kw)
        started.append(r)
        r.validate()
        return r.start()

    yield make
    for r in started:
        r.stop()
        print(f"--- rsyslog output ({r.dir}):\n{r.output()}")


def require_binary():
    b = kiroku_bin()
    if not (os.path.isfile(b) and os.access(b, os.X_OK)):
        pytest.fail(f"kiroku binary not found at {b} (set KIROKU_BIN)", pytrace=False)
