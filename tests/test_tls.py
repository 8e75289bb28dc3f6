"""Syslog over TLS (RFC 5425): mutual TLS against a CA, the client-certificate fingerprint
allowlist, TLS >= 1.2 only, and bad clients (plain bytes, no certificate, untrusted CA, wrong
fingerprint, TLS 1.1) that are refused and counted while the server keeps serving."""
import os
import re
import select
import ssl
import subprocess
import time

import pytest

from kiroku_harness import (LOCALHOST, OPENSSL, Certs, assert_record, field, free_port, octet,
                            peer_closed, require_binary, rfc5424, tcp_connect, tls_connect,
                            tls_rejected, token, wait_until)


def setup_module(module):
    require_binary()


def tls_server(kiroku, certs, mutual=True, fingerprints=None, args=()):
    return kiroku(listeners={"syslog-tls": f"{LOCALHOST}:0"},
                  tls=certs.server_tls(mutual=mutual, fingerprints=fingerprints), args=list(args))


def rejected(server, reason):
    return server.metrics().get_value("kiroku_connections_rejected_total", reason=reason)


def send_tls(server, ctx, msgs):
    s = tls_connect(server.tls_addr, ctx)
    s.sendall(b"".join(octet(m) for m in msgs))
    return s


def assert_tls_works(server, certs, cert="client"):
    tok = token()
    s = send_tls(server, certs.client_context(cert), [rfc5424(f"{tok} over tls")])
    [r] = server.wait_records(lambda rs: [r for r in rs if tok in field(r, "message")],
                              what="a message over TLS")
    assert_record(r, message=f"{tok} over tls", transport="tls", host="h1", app="app", pid=123)
    s.close()


@pytest.mark.parametrize("version", ["TLSv1_2", "TLSv1_3"])
def test_mutual_tls_messages_stored(kiroku, certs, version):
    server = tls_server(kiroku, certs)
    v = getattr(ssl.TLSVersion, version)
    ctx = certs.client_context("client", min_version=v, max_version=v)
    tok = token()
    n = 50
    msgs = [rfc5424(f"{tok} n{i} line\nwith LF", pri=4 * 8 + 2) for i in range(n)]
    s = send_tls(server, ctx, msgs)
    assert s.version() == version.replace("_", ".")
    port = s.getsockname()[1]
    rs = server.wait_records(lambda rs: len(rs) == n, what=f"{n} TLS messages")
    assert sorted(field(r, "message") for r in rs) == sorted(f"{tok} n{i} line\nwith LF"
                                                             for i in range(n))
    for r in rs:
        assert_record(r, host="h1", app="app", pid=123, facility=4, severity=2, transport="tls")
        assert field(r, "log.source.port") == port
    s.close()
    m = server.metrics()
    assert m.get_value("kiroku_messages_received_total", transport="tls") == n
    assert m.total("kiroku_connections_rejected_total") == 0


def test_openssl_s_client_with_client_cert(kiroku, certs):
    server = tls_server(kiroku, certs)
    tok = token()
    msg = octet(rfc5424(f"{tok} from s_client", host="sclient", app="openssl", pid="7"))
    r = subprocess.run(
        [OPENSSL, "s_client", "-connect", f"{LOCALHOST}:{server.tls_addr[1]}",
         "-cert", certs.client, "-key", certs.client_key, "-CAfile", certs.ca,
         "-verify_return_error", "-verify_ip", LOCALHOST, "-quiet", "-no_ign_eof"],
        input=msg, capture_output=True, timeout=30)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    [rec] = server.wait_records(lambda rs: [x for x in rs if tok in field(x, "message")],
                                what="s_client's message")
    assert_record(rec, host="sclient", app="openssl", pid=7, transport="tls",
                  message=f"{tok} from s_client")


@pytest.mark.parametrize("garbage", [
    b"<13>1 2024-01-01T00:00:00Z h app - - - plain syslog to the TLS port\n",
    b"GET / HTTP/1.0\r\n\r\n",
    b"\x16\x03\x01\xff\xff" + b"\x00" * 64,  # a TLS record header with a bogus length
    "random",
], ids=["syslog", "http", "bogus-record", "random"])
def test_tls_port_garbage_is_refused_and_counted(kiroku, certs, garbage):
    server = tls_server(kiroku, certs)
    if garbage == "random":
        garbage = os.urandom(4096)
    s = tcp_connect(server.tls_addr)
    s.sendall(garbage)
    assert peer_closed(s, timeout=10), "server kept a connection that sent garbage"
    s.close()
    wait_until(lambda: rejected(server, "tls_handshake") == 1, 5,
               "kiroku_connections_rejected_total{reason=tls_handshake} == 1")
    assert server.count() == 0
    assert_tls_works(server, certs)


def test_client_without_certificate_rejected(kiroku, certs):
    server = tls_server(kiroku, certs, mutual=True)
    tok = token()
    why = tls_rejected(server.tls_addr, certs.client_context(cert=None),
                       octet(rfc5424(f"{tok} no cert")))
    assert why is not None, "client without a certificate was accepted"
    wait_until(lambda: rejected(server, "tls_handshake") == 1, 5, "handshake rejection counted")
    assert server.count() == 0
    assert_tls_works(server, certs)


def test_client_of_untrusted_ca_rejected(kiroku, certs):
    server = tls_server(kiroku, certs, mutual=True)
    tok = token()
    why = tls_rejected(server.tls_addr, certs.client_context(cert="rogue"),
                       octet(rfc5424(f"{tok} rogue")))
    assert why is not None, "client certificate of an untrusted CA was accepted"
    wait_until(lambda: rejected(server, "tls_handshake") == 1, 5, "handshake rejection counted")
    assert server.count() == 0
    assert_tls_works(server, certs)


def test_without_tls_ca_client_certificate_not_needed(kiroku, certs):
    server = tls_server(kiroku, certs, mutual=False)
    tok = token()
    s = send_tls(server, certs.client_context(cert=None), [rfc5424(f"{tok} anonymous client")])
    server.wait_records(lambda rs: [r for r in rs if tok in field(r, "message")],
                        what="message from a client without certificate")
    s.close()


def test_fingerprint_allowlist(kiroku, certs):
    allowed = Certs.fingerprint(certs.client)
    server = tls_server(kiroku, certs, mutual=True, fingerprints=[allowed])
    tok = token()
    why = tls_rejected(server.tls_addr, certs.client_context(cert="client2"),
                       octet(rfc5424(f"{tok} not on the list")))
    assert why is not None, "client whose fingerprint is not allowed was accepted"
    wait_until(lambda: rejected(server, "tls_fingerprint") == 1, 5,
               "kiroku_connections_rejected_total{reason=tls_fingerprint} == 1")
    assert server.count() == 0
    assert_tls_works(server, certs, cert="client")
    assert rejected(server, "tls_fingerprint") == 1


def _s_client_tls11(port, certs):
    return subprocess.run(
        [OPENSSL, "s_client", "-connect", f"{LOCALHOST}:{port}", "-tls1_1",
         "-cipher", "DEFAULT:@SECLEVEL=0", "-cert", certs.client, "-key", certs.client_key,
         "-brief", "-no_ign_eof"],
        input=b"", capture_output=True, timeout=30)


def test_tls_1_1_refused(kiroku, certs, tmp_path):
    # Control: this openssl s_client can speak TLS 1.1 with a server that allows it, so a
    # failure against kiroku is kiroku's refusal.
    port = free_port()
    ctl = subprocess.Popen(
        [OPENSSL, "s_server", "-accept", f"{LOCALHOST}:{port}", "-cert", certs.server,
         "-key", certs.server_key, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0", "-naccept", "1"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        out = b""
        deadline = time.monotonic() + 10
        while b"ACCEPT" not in out:
            assert time.monotonic() < deadline and ctl.poll() is None, out
            r, _, _ = select.select([ctl.stdout], [], [], 0.5)
            if r:
                out += os.read(ctl.stdout.fileno(), 4096)
        c = _s_client_tls11(port, certs)
        ctl_out = (c.stdout + c.stderr).decode(errors="replace")
        if not re.search(r"Protocol version: TLSv1\.1", ctl_out):
            pytest.fail(f"control failed: this openssl cannot speak TLS 1.1:\n{ctl_out}")
    finally:
        ctl.kill()
        ctl.wait()
    server = tls_server(kiroku, certs)
    c = _s_client_tls11(server.tls_addr[1], certs)
    out = (c.stdout + c.stderr).decode(errors="replace")
    assert c.returncode != 0 and "Protocol version: TLSv1.1" not in out, \
        f"kiroku accepted a TLS 1.1 handshake:\n{out}"
    wait_until(lambda: rejected(server, "tls_handshake") == 1, 5, "handshake rejection counted")
    assert_tls_works(server, certs)


def test_tls_idle_handshake_does_not_block(kiroku, certs):
    """A client that connects to the TLS port and never starts the handshake does not stop
    other TLS clients."""
    server = tls_server(kiroku, certs)
    silent = [tcp_connect(server.tls_addr) for _ in range(5)]
    half = tcp_connect(server.tls_addr)
    half.sendall(b"\x16\x03\x01\x02\x00\x01\x00")  # the first bytes of a ClientHello
    assert_tls_works(server, certs)
    for s in silent + [half]:
        s.close()
