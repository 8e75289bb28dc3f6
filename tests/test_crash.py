"""Crash safety: a RELP sender sends continuously while the server is killed with SIGKILL at
random moments (at least 20 times, some of them during start-up) and restarted on the same
data directory and port.

The sender is a RELP client in Python that knows exactly which messages were acknowledged
(kiroku acknowledges only after fsync). After every crash it reconnects and resends what was
not acknowledged (at-least-once). Afterwards:
  * every acknowledged message is stored;
  * a message is stored more than once only if it was in flight (sent, not yet acknowledged)
    when a connection died, and never more often than it was sent;
  * nothing is stored that was not sent, and the sequence numbers are dense;
  * every restart that cut the journal back (a file shrank) said `journal: cut`.
"""
import collections
import os
import random
import re
import socket
import threading
import time

from kiroku_harness import (LOCALHOST, RelpClient, RelpError, check_seqs_dense, field,
                            require_binary, rfc5424, token, wait_until)

KILLS = 22
KILLS_DURING_STARTUP = 3
MAX_RATE = 10_000  # messages/s: enough to catch writes in progress, bounded data volume


def setup_module(module):
    require_binary()


class CrashSender(threading.Thread):
    def __init__(self, addr, tok):
        super().__init__(daemon=True)
        self.addr = addr
        self.tok = tok
        self.lock = threading.Lock()
        self.next_id = 0
        self.attempts = collections.Counter()  # id -> times sent
        self.acked = set()
        self.inflight = {}                     # id -> None, in send order
        self.lost_in_flight = set()            # ids in flight when a connection died
        self.resend = collections.deque()
        self.nacks = []
        self.connects = 0
        self.go = threading.Event()            # cleared while the test restarts the server
        self.go.set()
        self.draining = False
        self.drained = threading.Event()
        self.stopping = False
        self.error = None
        self.t0 = time.monotonic()
        self.sent_total = 0

    def acked_count(self):
        with self.lock:
            return len(self.acked)

    def message(self, i):
        return rfc5424(f"{self.tok} m{i:09d}", host="crashhost", app="relpsender", pid="99")

    def run(self):
        try:
            self._run()
        except BaseException as e:  # noqa: BLE001 - reported by the test
            self.error = e

    def _collect(self, c, upto):
        """Takes the acks (and nacks) c received since the last call; upto = [acks, nacks]."""
        new_acks, new_nacks = c.acked[upto[0]:], c.nacked[upto[1]:]
        upto[0], upto[1] = len(c.acked), len(c.nacked)
        with self.lock:
            for i in new_acks:
                self.acked.add(i)
                self.inflight.pop(i, None)
            for i, data in new_nacks:  # refused: not stored, send again
                self.nacks.append((i, data))
                self.inflight.pop(i, None)
                self.resend.append(i)

    def _run(self):
        while not self.stopping:
            self.go.wait()
            try:
                c = RelpClient(self.addr, timeout=5)
            except (OSError, RelpError):
                time.sleep(0.01)  # the server is not back yet: retry the connect
                continue
            self.connects += 1
            upto = [0, 0]
            try:
                # Everything that was in flight when the last connection died goes first.
                with self.lock:
                    pending = sorted(self.inflight)
                    self.resend.extend(i for i in pending if i not in self.resend)
                while not self.stopping:
                    with self.lock:
                        i = self.resend.popleft() if self.resend else None
                        if i is None and not self.draining:
                            i = self.next_id
                            self.next_id += 1
                        if i is not None:
                            self.attempts[i] += 1
                            self.inflight[i] = None
                    if i is None:  # draining: wait for the last acks
                        if not c.pending:
                            with self.lock:
                                if not self.inflight and not self.resend:
                                    self.drained.set()
                            c.poll(0.05)
                        else:
                            c.poll(0.2)
                        self._collect(c, upto)
                        continue
                    c.send(self.message(i), ident=i)
                    self.sent_total += 1
                    c.poll(0.0)
                    self._collect(c, upto)
                    # Pace to MAX_RATE.
                    ahead = self.sent_total / MAX_RATE - (time.monotonic() - self.t0)
                    if ahead > 0:
                        time.sleep(ahead)
                if self.stopping:
                    with self.lock:
                        if not self.inflight:
                            c.close(timeout=5)
            except (RelpError, OSError):
                self._collect(c, upto)
                with self.lock:
                    for i in self.inflight:
                        self.lost_in_flight.add(i)
                c.abort()


class TcpFlood(threading.Thread):
    """Background TCP traffic (no acknowledgements): makes group commits bigger, so a kill is
    more likely to tear a write. Each message is sent once; stored at most once."""

    def __init__(self, addr_fn, tok):
        super().__init__(daemon=True)
        self.addr_fn, self.tok = addr_fn, tok
        self.next_id = 0
        self.stopping = False

    def run(self):
        while not self.stopping:
            try:
                s = socket.create_connection(self.addr_fn(), timeout=2)
            except OSError:
                time.sleep(0.01)  # the server is not back yet: retry the connect
                continue
            try:
                while not self.stopping:
                    batch = b"".join(
                        rfc5424(f"{self.tok} f{i:09d} " + "x" * 300) + b"\n"
                        for i in range(self.next_id, self.next_id + 50))
                    self.next_id += 50
                    s.sendall(batch)
                    time.sleep(0.005)  # pacing
            except OSError:
                pass
            finally:
                s.close()


def _sizes(data):
    """Sizes of the journal's files: the only files whose shrinking loses records.

    Other state (the clock watch's sources.json and its .tmp, key state, metrics) is
    rewritten whole by design and may be shorter after a restart.
    """
    journal = data / "journal"
    if not journal.is_dir():
        return {}
    return {p: p.stat().st_size for p in journal.rglob("*") if p.is_file()}


def _sealed_firsts(data):
    """First sequence numbers of the sealed segments (DATA/segments/<first>-<last>.seg)."""
    segments = data / "segments"
    if not segments.is_dir():
        return set()
    return {int(p.stem.split("-")[0]) for p in segments.glob("*.seg")}


def _sealed_away(path, sealed_firsts):
    """True if journal segment `path` (named by its first seq) is covered by a sealed file."""
    return path.suffix == ".journal" and int(path.stem) in sealed_firsts


def test_relp_sigkill_crash_loop(kiroku):
    seed = int(os.environ.get("KIROKU_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    print(f"crash test seed {seed} (set KIROKU_CRASH_SEED to replay)")
    server = kiroku(listeners={"relp": f"{LOCALHOST}:0"})
    tok = token()
    sender = CrashSender(server.relp, tok)
    sender.start()
    tcp_tok = token()
    tcp_addr = server.tcp  # restarts keep the ports
    flood = TcpFlood(lambda: tcp_addr, tcp_tok)
    flood.start()
    startup_kills = set(rng.sample(range(2, KILLS), KILLS_DURING_STARTUP))
    cuts_reported, cuts_seen, shrink_unreported = 0, 0, []
    t_start = time.monotonic()
    for k in range(KILLS):
        if k in startup_kills:
            # Crash during start-up (recovery), then start normally.
            sender.go.clear()
            server.kill()
            server.start(wait=False)
            time.sleep(rng.uniform(0.0, 0.05))  # a random moment of start-up
            server.kill()
        else:
            # Let the sender make some progress on this run, then kill at a random moment.
            base = sender.acked_count()
            want = base + rng.choice([1, 5, 20, 100, 300])
            wait_until(lambda: sender.acked_count() >= want or sender.error, 60,
                       f"the RELP sender to get {want - base} more acks (run {k})")
            assert sender.error is None, repr(sender.error)
            time.sleep(rng.uniform(0.0, 0.1))  # a random moment
            sender.go.clear()
            server.kill()
        after_kill = _sizes(server.data)
        server.restart()
        after_start = _sizes(server.data)
        # A journal file may vanish only because a sealed segment covers it; one that got
        # shorter, or vanished with nothing sealed in its place, was cut.
        sealed = _sealed_firsts(server.data)
        shrank = [str(p) for p, n in after_kill.items()
                  if (p in after_start and after_start[p] < n)
                  or (p not in after_start and not _sealed_away(p, sealed))]
        reported = any("journal: cut" in ln for ln in server.lines)
        cuts_reported += reported
        if shrank:
            cuts_seen += 1
            if not reported:
                shrink_unreported.append((k, shrank))
        sender.go.set()
    # Drain: no new messages; everything unacknowledged is resent until acknowledged.
    sender.draining = True
    wait_until(lambda: sender.drained.is_set() or sender.error, 60, "all messages acknowledged")
    assert sender.error is None, repr(sender.error)
    sender.stopping = True
    flood.stopping = True
    sender.join(30)
    flood.join(30)
    assert server.stop() == 0
    elapsed = time.monotonic() - t_start

    records = server.search()
    check_seqs_dense(records)
    counts = collections.Counter()
    tcp_counts = collections.Counter()
    foreign = []
    for r in records:
        msg = field(r, "message") or ""
        f = re.fullmatch(rf"{tcp_tok} f(\d{{9}}) x{{300}}", msg)
        if f:
            tcp_counts[int(f.group(1))] += 1
            continue
        m = re.fullmatch(rf"{tok} m(\d{{9}})", msg)
        if not m:
            foreign.append(field(r, "message"))
            continue
        counts[int(m.group(1))] += 1
        assert field(r, "kiroku.transport") == "relp"
        assert field(r, "host.name") == "crashhost"
    sent_ids = set(sender.attempts)
    lost = sorted(sender.acked - set(counts))
    never_sent = sorted(set(counts) - sent_ids)
    dups = {i: n for i, n in counts.items() if n > 1}
    bad_dups = {i: n for i, n in dups.items()
                if i not in sender.lost_in_flight or n > sender.attempts[i]}
    print(f"crash test: {KILLS} kills ({KILLS_DURING_STARTUP} during start-up) in {elapsed:.1f}s, "
          f"{len(sent_ids)} messages, {sum(sender.attempts.values())} sends, "
          f"{len(sender.acked)} acked, {sender.connects} connections, {len(records)} records, "
          f"{len(dups)} duplicates (ack lost in a crash), {len(sender.lost_in_flight)} in flight "
          f"at a crash, restarts reporting 'journal: cut': {cuts_reported}, "
          f"restarts where a file shrank: {cuts_seen}, nacks: {len(sender.nacks)}; "
          f"TCP flood: {flood.next_id} sent, {len(tcp_counts)} stored")
    assert not foreign, f"records the senders never sent (or torn): {foreign[:5]}"
    tcp_dups = [i for i, n in tcp_counts.items() if n > 1]
    assert not tcp_dups, f"TCP messages (sent once) stored twice: {tcp_dups[:10]}"
    assert not never_sent, f"stored ids never sent: {never_sent[:10]}"
    assert not lost, f"{len(lost)} ACKNOWLEDGED messages lost, first ids {lost[:10]}"
    assert sender.acked == sent_ids, "drain ended with unacknowledged messages"
    assert not bad_dups, f"duplicates not explained by a lost ack: {list(bad_dups.items())[:10]}"
    assert not shrink_unreported, f"restarts cut the journal without 'journal: cut': " \
                                  f"{shrink_unreported[:3]}"
    assert not sender.nacks, f"server refused messages: {sender.nacks[:5]}"
