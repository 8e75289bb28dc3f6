"""A full disk: the data directory sits on a small tmpfs that the test fills. kiroku must say
so (/healthz 503, a log line), stop reading TCP senders (back-pressure, nothing lost), account
for every UDP datagram (stored or counted as dropped), resume by itself when space is freed,
and leave every record, old and new, intact."""
import os
import subprocess
import threading
import time

import pytest

from kiroku_harness import (Abort, check_seqs_dense, field, require_binary, rfc5424, tcp_connect,
                            token, udp_send, wait_until)


def setup_module(module):
    require_binary()


@pytest.fixture
def small_fs(tmp_path):
    d = tmp_path / "fs"
    d.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m,mode=0755", "tmpfs", str(d)],
                       capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {r.stderr.decode().strip()}")
    try:
        yield d
    finally:
        subprocess.run(["umount", "-l", str(d)], capture_output=True)


class Sender(threading.Thread):
    """Sends `total` numbered messages on one blocking TCP connection; records how many
    sendall() calls completed and whether it is stuck in one (back-pressure)."""

    def __init__(self, addr, tok, total, size=500):
        super().__init__(daemon=True)
        self.sock = tcp_connect(addr, timeout=None)
        self.tok, self.total, self.size = tok, total, size
        self.done = 0
        self.in_send_since = None
        self.error = None

    def msg(self, i):
        m = rfc5424(f"{self.tok} {i:06d} ")
        return m + b"p" * (self.size - len(m) - 1) + b"\n"

    def run(self):
        try:
            for i in range(self.total):
                self.in_send_since = time.monotonic()
                self.sock.sendall(self.msg(i))
                self.in_send_since = None
                self.done = i + 1
        except OSError as e:
            self.in_send_since = None
            self.error = e

    def blocked_for(self):
        t = self.in_send_since
        return time.monotonic() - t if t is not None else 0.0


def test_disk_full_back_pressure_and_recovery(kiroku, small_fs):
    data = small_fs / "data"
    # --queue-max-bytes keeps kiroku's in-memory queue small so that back-pressure reaches the
    # sender's socket quickly.
    server = kiroku(data=data, args=["--queue-max-bytes", "64KiB"])
    tok = token()
    # Some records before the disk fills.
    pre = Sender(server.tcp, tok + "pre", 100)
    pre.run()
    server.wait_count(100)
    lines_before = len(server.lines)
    # Fill the file system, leaving 64 KiB.
    st = os.statvfs(small_fs)
    free = st.f_bavail * st.f_frsize
    filler = small_fs / "filler"
    with open(filler, "wb") as f:
        left = free - 64 * 1024
        chunk = b"\0" * (1 << 20)
        while left > 0:
            n = f.write(chunk[:min(left, len(chunk))])
            left -= n
    # 40,000 x 500 bytes: far more than fits into kernel socket buffers and kiroku's queue.
    sender = Sender(server.tcp, tok, 40_000)
    sender.start()
    wait_until(lambda: server.http_get("/healthz")[0] == 503, 30, "/healthz to answer 503")
    assert any("journal" in ln.lower() for ln in server.lines[lines_before:]), \
        "no log line about the journal failing:\n" + server.tail()
    # Back-pressure: kiroku stops reading, the sender's sendall() blocks; the connection stays.
    def blocked():
        if sender.error:
            raise Abort(f"kiroku closed the TCP connection while the journal could not be "
                        f"written ({sender.error!r} after {sender.done} messages); it must stop "
                        f"reading instead\n{server.tail()}")
        return sender.blocked_for() > 1.0

    wait_until(blocked, 60, "the TCP sender to be blocked")
    assert sender.done < 40_000
    # UDP cannot be pushed back: each datagram is stored (if it fit in the queue) or counted.
    dropped_before = server.metrics().total("kiroku_messages_dropped_total")
    udp_tok = token()
    udp_send(server.udp, [rfc5424(f"{udp_tok} {i}") for i in range(200)])
    # Free the space: kiroku resumes by itself.
    filler.unlink()
    wait_until(lambda: server.http_get("/healthz")[0] == 200, 30, "/healthz to answer 200 again")
    sender.join(120)
    assert not sender.is_alive(), "sender still blocked after space was freed"
    assert sender.error is None, repr(sender.error)
    sender.sock.close()
    server.wait_count(100 + 40_000, timeout=60)

    def udp_accounted():
        m = server.metrics()
        udp_stored = len([r for r in server.search() if udp_tok in field(r, "message")])
        dropped = m.total("kiroku_messages_dropped_total") - dropped_before
        return udp_stored + dropped >= 200 and (udp_stored, dropped)

    udp_stored, dropped = wait_until(udp_accounted, 30, "all UDP datagrams stored or counted")
    assert udp_stored + dropped == 200, (udp_stored, dropped)
    records = server.search()
    check_seqs_dense(records)
    tcp_msgs = [field(r, "message") for r in records if field(r, "kiroku.transport") == "tcp"]
    assert len(tcp_msgs) == len(set(tcp_msgs)) == 40_100, "TCP messages lost or duplicated"
    assert server.stop() == 0
    # Nothing half-written stays in the journal: a restart finds nothing to cut.
    server.restart()
    assert not any("journal: cut" in ln for ln in server.lines), server.tail()
    assert not list(data.rglob("cut-*")), "recovery cut bytes (docs/formats/journal.md)"
    assert server.count() == len(records)
