"""Connection handling: half-open and stalled senders do not hold up others, idle connections
are closed after --idle-timeout, 5,000 simultaneous connections, --max-connections."""
import socket
import time


from kiroku_harness import (LOCALHOST, field, octet, peer_closed, raise_nofile, require_binary,
                            rfc5424, tcp_connect, tcp_send, token, udp_send, wait_until)


def setup_module(module):
    require_binary()


def tcp_gauge(server):
    return server.metrics().get_value("kiroku_connections", transport="tcp")


def test_half_open_connections_do_not_block_others(kiroku):
    server = kiroku()
    tok_a, tok_b, tok_c, tok_u = token(), token(), token(), token()
    # A: half an LF frame; B: an octet count promising more than it sends; C: TLS-less silence.
    a = tcp_connect(server.tcp)
    a.sendall(rfc5424(f"{tok_a} first half"))
    b = tcp_connect(server.tcp)
    frame_b = rfc5424(f"{tok_b} promised " + "x" * 400)
    b.sendall(octet(frame_b)[:200])
    c = tcp_connect(server.tcp)
    # Meanwhile another sender's 100 messages and a UDP message go through promptly.
    n = 100
    tcp_send(server.tcp, b"".join(rfc5424(f"{tok_c} m{i}") + b"\n" for i in range(n)))
    udp_send(server.udp, [rfc5424(f"{tok_u} via udp")])
    server.wait_records(lambda rs: len([r for r in rs if tok_c in field(r, "message")]) == n
                        and any(tok_u in field(r, "message") for r in rs),
                        timeout=10, what="other senders' messages while two are half-open")
    assert not [r for r in server.search() if tok_a in field(r, "message")
                or tok_b in field(r, "message")], "a partial frame was stored as complete"
    # The half-open senders complete their frames later: stored whole.
    a.sendall(b" second half\n")
    b.sendall(octet(frame_b)[200:])
    rs = server.wait_records(lambda rs: len([r for r in rs if tok_a in field(r, "message")
                                             or tok_b in field(r, "message")]) == 2,
                             what="completed frames")
    got = {field(r, "message") for r in rs if tok_a in field(r, "message")
           or tok_b in field(r, "message")}
    assert got == {f"{tok_a} first half second half", f"{tok_b} promised " + "x" * 400}
    for s in (a, b, c):
        s.close()
    wait_until(lambda: tcp_gauge(server) == 0, 10, "kiroku_connections{transport=tcp} == 0")


def test_idle_timeout_closes_idle_connections(kiroku):
    server = kiroku(args=["--idle-timeout", "2"])
    t0 = time.monotonic()
    idle = tcp_connect(server.tcp)
    partial = tcp_connect(server.tcp)
    partial.sendall(rfc5424("never finished"))
    wait_until(lambda: tcp_gauge(server) == 2, 5, "2 open tcp connections")
    assert peer_closed(idle, timeout=10), "idle connection not closed within 10 s"
    elapsed = time.monotonic() - t0
    assert elapsed >= 1.9, f"idle connection closed after {elapsed:.2f}s, before the 2 s timeout"
    assert peer_closed(partial, timeout=5), "connection idle after a partial frame not closed"
    wait_until(lambda: tcp_gauge(server) == 0, 5, "kiroku_connections{transport=tcp} == 0")
    idle.close()
    partial.close()


def test_active_connection_is_not_idle(kiroku):
    """A sender that sends every 0.3 s outlives a 1 s idle timeout."""
    server = kiroku(args=["--idle-timeout", "1"])
    tok = token()
    s = tcp_connect(server.tcp)
    n = 10
    for i in range(n):
        s.sendall(rfc5424(f"{tok} tick {i}") + b"\n")
        time.sleep(0.3)  # pacing the sender, not waiting for the server
    server.wait_records(lambda rs: len([r for r in rs if tok in field(r, "message")]) == n,
                        what="all ticks")
    assert not peer_closed(s, timeout=0.1), "active connection was closed"
    assert tcp_gauge(server) == 1
    s.close()


def test_5000_simultaneous_connections(kiroku):
    n = 5000
    assert raise_nofile(3 * n) >= 2 * n + 100, "cannot raise RLIMIT_NOFILE for this test"
    server = kiroku()  # inherits the raised limit
    tok = token()
    socks = []
    try:
        for i in range(n):
            socks.append(socket.create_connection(server.tcp, timeout=30))
        wait_until(lambda: tcp_gauge(server) == n, 60, f"kiroku_connections == {n}")
        ports = {}
        for i, s in enumerate(socks):
            s.sendall(rfc5424(f"{tok} conn {i}") + b"\n")
            ports[f"{tok} conn {i}"] = s.getsockname()[1]
        server.wait_count(n, timeout=120)
        records = server.search()
        assert len(records) == n
        seen = {}
        for r in records:
            msg = field(r, "message")
            assert msg in ports, f"unexpected record {msg!r}"
            assert msg not in seen, f"{msg!r} stored twice"
            seen[msg] = r
            assert field(r, "log.source.address") == LOCALHOST
            assert field(r, "log.source.port") == ports[msg], \
                f"{msg!r}: peer port {field(r, 'log.source.port')}, sent from {ports[msg]}"
        assert server.metrics().total("kiroku_connections_rejected_total") == 0
    finally:
        for s in socks:
            s.close()
    wait_until(lambda: tcp_gauge(server) == 0, 60, "all connections closed")


def test_max_connections(kiroku):
    limit, extra = 100, 20
    raise_nofile(4096)
    server = kiroku(args=["--max-connections", str(limit)])
    tok, tok_x, tok_late = token(), token(), token()
    first = [tcp_connect(server.tcp) for _ in range(limit)]
    wait_until(lambda: tcp_gauge(server) == limit, 20, f"{limit} open connections")
    rejected = []
    for i in range(extra):
        s = socket.create_connection(server.tcp, timeout=10)
        rejected.append(s)
        # Accepted and closed at once.
        assert peer_closed(s, timeout=5), f"connection {limit + i + 1} over the limit not closed"
    for i, s in enumerate(rejected):
        try:
            s.sendall(rfc5424(f"{tok_x} over the limit {i}") + b"\n")
        except OSError:
            pass
    m = server.metrics()
    assert m.get_value("kiroku_connections_rejected_total", reason="limit") == extra
    assert m.get_value("kiroku_connections", transport="tcp") == limit
    # The first 100 still work.
    for i, s in enumerate(first):
        s.sendall(rfc5424(f"{tok} conn {i}") + b"\n")
    server.wait_records(lambda rs: len([r for r in rs if tok in field(r, "message")]) == limit,
                        what=f"{limit} messages from the accepted connections")
    assert not [r for r in server.search() if tok_x in field(r, "message")]
    # Closing some makes room again.
    for s in first[:10]:
        s.close()
    wait_until(lambda: tcp_gauge(server) == limit - 10, 10, "gauge back to 90")
    late = tcp_connect(server.tcp)
    late.sendall(rfc5424(f"{tok_late} after room was made") + b"\n")
    server.wait_records(lambda rs: [r for r in rs if tok_late in field(r, "message")],
                        what="message on a connection accepted after others closed")
    assert server.metrics().get_value("kiroku_connections_rejected_total",
                                      reason="limit") == extra
    for s in first[10:] + rejected + [late]:
        s.close()
