"""RELP (librelp's protocol, rsyslog's omrelp): an acknowledged message is durable, so it is
found by `kiroku search` at once; several senders at once; oversize messages are stored
truncated and flagged; a client speaking garbage is dropped while others carry on."""
import threading

import pytest

from kiroku_harness import (LOCALHOST, RelpClient, assert_record, check_original_length,
                            check_seqs_dense, field, peer_closed, require_binary, rfc5424,
                            tcp_connect, token)


def setup_module(module):
    require_binary()


def relp_server(kiroku, args=()):
    return kiroku(listeners={"relp": f"{LOCALHOST}:0"}, args=list(args))


def test_acknowledged_means_stored(kiroku):
    """With a long commit window for the other transports, a RELP ack still only comes once
    the message is in the journal: every acknowledged message is searchable immediately,
    without waiting."""
    server = relp_server(kiroku, ["--commit-interval", "2000"])
    tok = token()
    c = RelpClient(server.relp)
    for i in range(20):
        c.send(rfc5424(f"{tok} n{i}", host="relphost", app="relpapp", pid="5", pri=10 * 8 + 4),
               ident=i)
        c.wait_acked(timeout=10)
        # No polling: acknowledged means durable means visible.
        recs = server.search()
        assert len(recs) == i + 1, f"message {i} acknowledged but {len(recs)} records stored"
    c.close()
    for r in server.search():
        assert_record(r, host="relphost", app="relpapp", pid=5, facility=10, severity=4,
                      transport="relp", peer=LOCALHOST)
    m = server.metrics()
    assert m.get_value("kiroku_messages_received_total", transport="relp") == 20
    assert server.stored_received(m) == 20


def test_concurrent_relp_senders(kiroku):
    server = relp_server(kiroku)
    tok = token()
    senders, per = 4, 250
    errors = []

    def run(k):
        try:
            c = RelpClient(server.relp)
            for i in range(per):
                c.send(rfc5424(f"{tok} s{k} n{i}"), ident=(k, i))
            c.wait_acked(60)
            assert sorted(c.acked) == [(k, i) for i in range(per)]
            c.close()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    recs = server.search()
    assert len(recs) == senders * per
    assert sorted(field(r, "message") for r in recs) == sorted(
        f"{tok} s{k} n{i}" for k in range(senders) for i in range(per))
    check_seqs_dense(recs)


@pytest.mark.parametrize("size", [1000, 1001, 5000])
def test_relp_oversize_truncated(kiroku, size):
    limit = 1000
    server = relp_server(kiroku, ["--max-frame-size", str(limit)])
    tok = token()
    m = rfc5424(f"{tok} ")
    m += b"r" * (size - len(m))
    c = RelpClient(server.relp)
    c.send(m, ident="big")
    c.send(rfc5424(f"{tok} small"), ident="small")
    c.wait_acked(10)
    assert c.acked == ["big", "small"]
    c.close()
    recs = {field(r, "message"): r for r in server.search()}
    assert len(recs) == 2
    big = [r for k, r in recs.items() if k != f"{tok} small"][0]
    truncated = size > limit
    assert_record(big, transport="relp", truncated=truncated,
                  message=m[len(rfc5424(b"")):limit if truncated else size].decode())
    check_original_length(big, size)
    assert_record(recs[f"{tok} small"], transport="relp", truncated=False)


@pytest.mark.parametrize("garbage", [
    b"this is not relp\n",
    b"1 open 99999999999 relp_version=0\n",     # an absurd DATALEN
    b"\x00\xff" * 100,
], ids=["text", "absurd-len", "binary"])
def test_relp_garbage_client_dropped_others_unaffected(kiroku, garbage):
    server = relp_server(kiroku)
    tok = token()
    good = RelpClient(server.relp)
    bad = tcp_connect(server.relp)
    bad.sendall(garbage)
    good.send(rfc5424(f"{tok} during"), ident=1)
    good.wait_acked(10)
    assert peer_closed(bad, timeout=10), "server kept a connection that sent garbage"
    bad.close()
    good.send(rfc5424(f"{tok} after"), ident=2)
    good.wait_acked(10)
    good.close()
    assert sorted(field(r, "message") for r in server.search()) == [f"{tok} after",
                                                                    f"{tok} during"]


def test_relp_syslog_before_open_refused(kiroku):
    """A "syslog" command before "open" is answered with an error (librelp: "500 command
    disabled") and not stored."""
    server = relp_server(kiroku)
    tok = token()
    s = tcp_connect(server.relp)
    msg = rfc5424(f"{tok} before open")
    s.sendall(b"1 syslog %d %s\n" % (len(msg), msg))
    s.settimeout(10)
    answer = b""
    while b"\n" not in answer:
        d = s.recv(1000)
        if not d:
            break
        answer += d
    s.close()
    assert answer == b"" or answer.startswith(b"1 rsp ") and b" 500" in answer[:16], answer
    c = RelpClient(server.relp)
    c.send(rfc5424(f"{tok} proper"), ident=1)
    c.wait_acked(10)
    c.close()
    assert [field(r, "message") for r in server.search()] == [f"{tok} proper"]


def test_relp_half_open_session_does_not_block_others(kiroku):
    server = relp_server(kiroku)
    tok = token()
    stalled = RelpClient(server.relp)
    stalled.sock.sendall(b"2 syslog 500 <13>1 - h app - - - partial")  # never completed
    c = RelpClient(server.relp)
    for i in range(50):
        c.send(rfc5424(f"{tok} n{i}"), ident=i)
    c.wait_acked(10)
    c.close()
    assert server.count() == 50
    stalled.abort()
