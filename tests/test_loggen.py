"""Volume with syslog-ng's loggen: 50,000 messages over TCP (LF framing and octet counting,
several connections at once) are stored exactly once each, with dense sequence numbers; over
UDP every datagram is either stored or counted as a kernel drop."""
import os
import re
import signal
import socket
import subprocess

import pytest

from kiroku_harness import (LOCALHOST, check_seqs_dense, field, loggen_bin, require_binary,
                            rfc5424, token, wait_until)

CONNS = 4
PER_CONN = 12_500  # loggen's -n counts per connection: 50,000 in all
SIZE = 300
LOGGEN_RE = re.compile(r"seq: (\d{10}), thread: (\d{4}), runid: (\d+)")


def setup_module(module):
    require_binary()


def run_loggen(args, timeout=180):
    r = subprocess.run([loggen_bin(), *args], capture_output=True, timeout=timeout,
                       env=dict(os.environ, TZ="UTC"))
    out = (r.stdout + r.stderr).decode(errors="replace")
    assert r.returncode == 0, f"loggen {args} exited {r.returncode}:\n{out}"
    m = re.findall(r"count=(\d+)", out)
    assert m, f"no count in loggen output:\n{out}"
    return int(m[-1]), out


@pytest.mark.parametrize("framing", ["lf", "octet"])
def test_loggen_tcp_volume(kiroku, framing):
    server = kiroku(args=["--timezone", "UTC"])
    args = ["-i", "-S", "-r", "1000000", "-n", str(PER_CONN), "-s", str(SIZE),
            f"--active-connections={CONNS}", "-Q"]
    if framing == "octet":
        args.append("-P")  # RFC 5424 with octet counting
    sent, out = run_loggen(args + [LOCALHOST, str(server.tcp[1])])
    assert sent == CONNS * PER_CONN, out
    server.wait_count(sent, timeout=120)
    records = server.search()
    assert len(records) == sent, f"stored {len(records)}, loggen sent {sent}"
    check_seqs_dense(records)
    seen = set()
    bad = []
    for r in records:
        msg = field(r, "message") or ""
        m = LOGGEN_RE.search(msg)
        if not m:
            bad.append(msg[:120])
            continue
        seen.add((m.group(2), int(m.group(1))))
        if (field(r, "host.name"), field(r, "process.name"), field(r, "process.pid"),
                field(r, "log.syslog.facility.code"), field(r, "log.syslog.severity.code"),
                field(r, "kiroku.transport"), field(r, "log.source.address"),
                field(r, "kiroku.parse_error"), field(r, "kiroku.truncated")) != \
                ("localhost", "prg00000", 1234, 4, 6, "tcp", LOCALHOST, False, False):
            bad.append(r)
        if framing == "octet" and (msg.startswith("\ufeff") or msg.endswith("\n")):
            bad.append(f"BOM or trailing LF kept in message: {msg[:40]!r}...{msg[-10:]!r}")
        if not msg.startswith("seq: "):
            bad.append(f"message does not start at loggen's text: {msg[:60]!r}")
    assert not bad, f"{len(bad)} bad records, first: {bad[:3]}"
    want = {(f"{t:04d}", s) for t in range(CONNS) for s in range(PER_CONN)}
    assert seen == want, f"{len(want - seen)} loggen messages missing, {len(seen - want)} extra"
    m = server.metrics()
    assert m.get_value("kiroku_messages_received_total", transport="tcp") == sent
    assert server.stored_received(m) == sent
    assert m.total("kiroku_framing_errors_total") == 0
    assert m.total("kiroku_messages_truncated_total") == 0


def test_loggen_udp_every_datagram_accounted(kiroku):
    server = kiroku(args=["--timezone", "UTC"])
    n = 20_000
    sent, out = run_loggen(["-i", "-D", "-r", "40000", "-n", str(n), "-s", str(SIZE), "-Q",
                            LOCALHOST, str(server.udp[1])])
    assert sent == n, out

    def settled():
        m = server.metrics()
        stored = server.stored_received(m)
        kdrops = m.get_value("kiroku_udp_kernel_drops_total")
        adrops = m.total("kiroku_messages_dropped_total")
        done = stored + kdrops + adrops >= n and m.get_value("kiroku_queue_depth") == 0
        return done and (stored, kdrops, adrops)

    # Never dropped silently: each datagram is stored, or counted as dropped by the kernel
    # (SO_RXQ_OVFL) or by kiroku.
    stored, kdrops, adrops = wait_until(settled, 60, "stored + drops to reach the sent count")
    print(f"udp: sent {n}, stored {stored}, kernel drops {kdrops}, kiroku drops {adrops}")
    assert stored + kdrops + adrops == n, \
        f"stored {stored} + kernel drops {kdrops} + dropped {adrops} != sent {n}"
    assert stored > 0
    assert server.count() == stored
    m = server.metrics()
    assert m.get_value("kiroku_messages_received_total", transport="udp") == stored + adrops
    records = server.search()
    check_seqs_dense(records)
    assert all(field(r, "kiroku.transport") == "udp" for r in records)
    assert len({LOGGEN_RE.search(field(r, "message")).group(1) for r in records}) == stored


def _udp_totals(server):
    m = server.metrics()
    return (server.stored_received(m),
            m.get_value("kiroku_udp_kernel_drops_total"),
            m.total("kiroku_messages_dropped_total"))


def test_udp_kernel_drops_are_counted(kiroku):
    """The server is stopped (SIGSTOP) while far more datagrams arrive than its socket buffer
    holds: the kernel drops the rest, and kiroku must count exactly those (SO_RXQ_OVFL)."""
    server = kiroku()
    tok = token()
    n = 200_000
    os.kill(server.proc.pid, signal.SIGSTOP)
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            for i in range(n):
                s.sendto(rfc5424(f"{tok} {i}"), server.udp)
    finally:
        os.kill(server.proc.pid, signal.SIGCONT)
    # SO_RXQ_OVFL reports the socket's drop count with the next datagram that gets through,
    # so probes keep coming until stored + drops accounts for everything sent so far.
    probes = [0]

    def accounted():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(rfc5424(f"{tok} probe {probes[0]}"), server.udp)
        probes[0] += 1
        return sum(_udp_totals(server)) >= n + probes[0] - 1

    try:
        wait_until(accounted, 20, "stored + drops to account for every datagram")
    except AssertionError:
        stored, kdrops, adrops = _udp_totals(server)
        raise AssertionError(f"sent {n} (+{probes[0]} probes): stored {stored}, kernel drops "
                             f"{kdrops}, kiroku drops {adrops}; the kernel dropped datagrams "
                             f"(RcvbufErrors) that kiroku_udp_kernel_drops_total does not "
                             f"count") from None
    sent = n + probes[0]
    wait_until(lambda: sum(_udp_totals(server)) >= sent, 10, "the last probe")
    stored, kdrops, adrops = _udp_totals(server)
    print(f"udp: sent {sent}, stored {stored}, kernel drops {kdrops}, kiroku drops {adrops}")
    assert stored + kdrops + adrops == sent
    assert kdrops > 0, "no kernel drops although the server was stopped"
    records = server.search()
    assert len(records) == stored
    check_seqs_dense(records)
    assert len({field(r, "message") for r in records}) == stored
