"""Bad input from raw sockets: oversized datagrams and frames, garbage, NUL bytes, invalid
UTF-8, malformed headers, absurd octet counts, LF inside octet-counted frames, CR/LF/NUL
terminators. Each gets the documented treatment and the server keeps serving the others."""
import os
import socket

import pytest

from kiroku_harness import (assert_record, check_original_length, check_seqs_dense, field, octet,
                            require_binary, rfc3164, rfc5424, tcp_connect, tcp_send, token,
                            udp_send)


def setup_module(module):
    require_binary()


def header(**kw) -> bytes:
    return rfc5424(b"", **kw)


def records_with(server, tok):
    return [r for r in server.search() if tok in (field(r, "message") or "")]


def wait_token(server, tok, n=1, timeout=15):
    """Waits until n records contain tok (by a Python scan of all records); returns them."""
    return server.wait_records(
        lambda rs: len([r for r in rs if tok in (field(r, "message") or "")]) >= n,
        timeout=timeout, what=f"{n} record(s) containing {tok}") and records_with(server, tok)


def send_and_check_alive(server, transport="tcp"):
    """A normal message still goes through (the server keeps serving)."""
    tok = token("alive")
    msg = rfc5424(f"{tok} still serving")
    if transport == "tcp":
        tcp_send(server.tcp, msg + b"\n")
    else:
        udp_send(server.udp, [msg])
    [r] = wait_token(server, tok)
    assert_record(r, message=f"{tok} still serving", transport=transport)


# ---------------------------------------------------------------------------------------------
# Truncation


@pytest.mark.parametrize("size", [999, 1000, 1001, 3000, 60000])
def test_udp_datagram_over_limit_truncated(kiroku, size):
    limit = 1000
    server = kiroku(args=["--udp-max-message-size", str(limit)])
    tok = token()
    h = header()
    body = (tok + " ").encode() + b"A" * (size - len(h) - len(tok) - 1)
    dgram = h + body
    assert len(dgram) == size
    udp_send(server.udp, [dgram])
    [r] = wait_token(server, tok)
    truncated = size > limit
    want = body[:limit - len(h)] if truncated else body
    assert_record(r, host="h1", app="app", pid=123, facility=1, severity=5,
                  message=want.decode(), transport="udp", truncated=truncated)
    check_original_length(r, size)
    m = server.metrics()
    assert m.get_value("kiroku_messages_truncated_total", transport="udp") == (1 if truncated
                                                                               else 0)
    send_and_check_alive(server, "udp")


def test_udp_max_size_datagram_default_limit(kiroku):
    """The largest IPv4 UDP payload (65,507 bytes) is under the 64 KiB default: stored whole."""
    server = kiroku()
    tok = token()
    h = header()
    size = 65507
    body = (tok + " ").encode() + b"B" * (size - len(h) - len(tok) - 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        s.sendto(h + body, server.udp)
    [r] = wait_token(server, tok)
    assert_record(r, message=body.decode(), transport="udp", truncated=False)
    check_original_length(r, size)


@pytest.mark.parametrize("framing", ["lf", "octet"])
@pytest.mark.parametrize("size", [1000, 1001, 5000, 300_000])
def test_tcp_frame_over_limit_truncated(kiroku, framing, size):
    """A frame longer than --max-frame-size is stored once, truncated to the limit and flagged;
    the rest of that frame is discarded (never parsed as further records) and the next frame on
    the same connection is intact."""
    limit = 1000
    server = kiroku(args=["--max-frame-size", str(limit)])
    tok, tok2, tok3 = token(), token(), token()
    h = header()
    filler = b"C" * 50 + b" <13>1 2024-01-01T00:00:00Z forged app 1 - - forged record " + b"C" * 50
    body = (tok + " ").encode()
    while len(h) + len(body) < size:
        body += filler
    body = body[:size - len(h)]
    big = h + body
    follow = rfc5424(f"{tok2} after the big frame")
    if framing == "lf":
        # LF framing: make sure the filler has no LF; the frame ends at the LF.
        data = big + b"\n" + follow + b"\n"
    else:
        data = octet(big) + octet(follow)
    s = tcp_connect(server.tcp)
    s.sendall(data)
    rs = wait_token(server, tok2)
    [r] = records_with(server, tok)
    truncated = size > limit
    assert_record(r, host="h1", app="app", pid=123, transport="tcp", truncated=truncated,
                  message=(body[:limit - len(h)] if truncated else body).decode())
    check_original_length(r, size)
    assert_record(rs[0], message=f"{tok2} after the big frame", transport="tcp")
    # Nothing else came out of the oversized frame.
    all_recs = server.search()
    assert len(all_recs) == 2, [field(x, "message")[:80] for x in all_recs]
    assert not [x for x in all_recs if field(x, "host.name") == "forged"]
    # The connection survives.
    s.sendall((octet if framing == "octet" else lambda b: b + b"\n")(
        rfc5424(f"{tok3} same connection")))
    wait_token(server, tok3)
    s.close()
    m = server.metrics()
    assert m.get_value("kiroku_messages_truncated_total", transport="tcp") == (1 if truncated
                                                                               else 0)
    check_seqs_dense(server.search())


# ---------------------------------------------------------------------------------------------
# Framing


def test_lf_inside_octet_counted_frame_stays_in_one_record(kiroku):
    server = kiroku()
    tok = token()
    forged = b"<13>1 2024-01-01T00:00:00Z forged app 1 - - forged second record"
    msg = rfc5424(f"{tok} first line\n".encode() + forged + b"\nthird line")
    tcp_send(server.tcp, octet(msg) + octet(rfc5424(f"{tok} end")))
    rs = wait_token(server, tok, n=2)
    assert len(rs) == 2
    one = [r for r in rs if field(r, "message").startswith(f"{tok} first")]
    assert len(one) == 1
    assert field(one[0], "message") == (f"{tok} first line\n".encode() + forged +
                                        b"\nthird line").decode()
    assert_record(one[0], host="h1", transport="tcp")
    assert len(server.search()) == 2
    assert not [r for r in server.search() if field(r, "host.name") == "forged"]


def test_crlf_and_nul_end_frames_in_lf_mode(kiroku):
    """Non-transparent framing: LF, CRLF and NUL each end a frame; the CR is not kept."""
    server = kiroku()
    tok = token()
    data = (rfc5424(f"{tok} a") + b"\r\n" + rfc5424(f"{tok} b") + b"\x00" +
            rfc5424(f"{tok} c") + b"\n" + rfc3164(f"{tok} d", host="h1") + b"\r\n")
    tcp_send(server.tcp, data)
    rs = wait_token(server, tok, n=4)
    msgs = sorted(field(r, "message") for r in rs)
    assert msgs == [f"{tok} a", f"{tok} b", f"{tok} c", f"{tok} d"], msgs
    for r in rs:
        assert_record(r, host="h1", app="app", pid=123, facility=1, severity=5, transport="tcp")
    check_seqs_dense(server.search())
    assert len(server.search()) == 4


def test_nul_bytes_inside_octet_frame_and_udp_are_kept(kiroku):
    server = kiroku()
    tok1, tok2 = token(), token()
    tcp_send(server.tcp, octet(rfc5424(f"{tok1} x\x00y\x00z")))
    udp_send(server.udp, [rfc5424(f"{tok2} x\x00y")])
    [r1] = wait_token(server, tok1)
    [r2] = wait_token(server, tok2)
    assert_record(r1, message=f"{tok1} x\x00y\x00z", transport="tcp")
    assert_record(r2, message=f"{tok2} x\x00y", transport="udp")


@pytest.mark.parametrize("bad_header", [b"99999999999", b"12ab", b"0000000000000000001"])
def test_invalid_octet_count_falls_back_to_lf(kiroku, bad_header):
    """An invalid octet-count header: framing error counted, the bytes stored (parse_error),
    the connection continues with LF framing; other connections are unaffected."""
    server = kiroku()
    tok1, tok2, tok3, tokx = token(), token(), token(), token()
    other = tcp_connect(server.tcp)
    other.sendall(octet(rfc5424(f"{tokx} other before")))
    wait_token(server, tokx)
    s = tcp_connect(server.tcp)
    line = bad_header + b" " + rfc5424(f"{tok1} behind a bad count")
    s.sendall(line + b"\n" + rfc5424(f"{tok2} next line") + b"\n")
    [r1] = wait_token(server, tok1)
    [r2] = wait_token(server, tok2)
    assert_record(r1, transport="tcp", parse_error=True, message=line.decode(), host=None)
    assert_record(r2, transport="tcp", message=f"{tok2} next line", host="h1")
    s.sendall(rfc5424(f"{tok3} still on it") + b"\n")
    wait_token(server, tok3)
    other.sendall(octet(rfc5424(f"{tokx} other after")))
    wait_token(server, tokx, n=2)
    m = server.metrics()
    assert m.get_value("kiroku_framing_errors_total", transport="tcp") == 1
    s.close()
    other.close()
    assert len(server.search()) == 5


def test_huge_valid_octet_count_then_close_does_not_hurt_others(kiroku):
    """A ten-digit count (valid syntax, far over the frame limit) and a sender that then goes
    away: the server does not wait for or allocate 9,999,999,999 bytes; others go through."""
    server = kiroku()
    s = tcp_connect(server.tcp)
    s.sendall(b"9999999999 " + rfc5424("partial frame ") + b"x" * 100_000)
    send_and_check_alive(server)
    s.close()
    send_and_check_alive(server)
    assert server.running()


# ---------------------------------------------------------------------------------------------
# Garbage, malformed headers, invalid UTF-8


@pytest.mark.parametrize("line", [
    b"<abc>TOK not a priority",
    b"<999>TOK priority out of range",
    b"<192>TOK priority out of range",
    b"<13 TOK unterminated priority",
    b"<>TOK empty priority",
], ids=["letters", "999", "192", "unterminated", "empty"])
@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_malformed_header_stored_whole_with_parse_error(kiroku, line, transport):
    server = kiroku()
    tok = token()
    line = line.replace(b"TOK", tok.encode())
    if transport == "udp":
        udp_send(server.udp, [line])
    else:
        tcp_send(server.tcp, line + b"\n")
    [r] = wait_token(server, tok)
    assert_record(r, message=line.decode(), parse_error=True, transport=transport)
    # Receive time stands in for the missing device time.
    assert field(r, "@timestamp") == field(r, "event.created")
    assert server.metrics().get_value("kiroku_parse_errors_total") == 1
    send_and_check_alive(server, transport)


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_garbage_bytes(kiroku, transport):
    server = kiroku()
    tok = token()
    rnd = bytes(b for b in os.urandom(3000) if b not in b"\n\r\x00")
    blob = b"\x01\x02\x03\xff" + rnd[:1000] + b" " + tok.encode() + b" " + rnd[1000:]
    if transport == "udp":
        udp_send(server.udp, [blob])
    else:
        tcp_send(server.tcp, blob + b"\n")
    # The token is ASCII between spaces: it survives in the message whatever happens to the
    # invalid UTF-8 around it.
    [r] = wait_token(server, tok)
    assert_record(r, parse_error=True, transport=transport, host=None)
    check_original_length(r, len(blob))
    send_and_check_alive(server, transport)


INVALID_UTF8 = b"\xff\xfe \xc3\x28 \xa0\xa1 \xe2\x28\xa1 \xf0\x28\x8c\xbc \xed\xa0\x80 \xc0\xaf"


@pytest.mark.parametrize("transport", ["udp", "tcp"])
def test_invalid_utf8_in_message_stored_and_json_valid(kiroku, transport):
    """RFC 5424 MSG may be any octets: the header parses, the record is stored, and every
    output format stays valid UTF-8 (JSON stays valid JSON)."""
    server = kiroku()
    tok = token()
    msg = rfc5424((tok + " start ").encode() + INVALID_UTF8 + b" end")
    if transport == "udp":
        udp_send(server.udp, [msg])
    else:
        tcp_send(server.tcp, msg + b"\n")
    # server.search() checks that every output line is valid UTF-8 and valid JSON.
    [r] = wait_token(server, tok)
    text = field(r, "message")
    assert text.startswith(f"{tok} start ") and text.endswith(" end"), repr(text)
    assert_record(r, host="h1", app="app", pid=123, transport=transport, parse_error=False)
    check_original_length(r, len(msg))
    for fmt in ("table", "csv", "json"):
        res = server.search_raw("--format", fmt)
        assert res.returncode == 0, res.stderr
        res.stdout.decode("utf-8")  # valid UTF-8 in every output format
    send_and_check_alive(server, transport)


def test_invalid_utf8_in_hostname_is_a_parse_error(kiroku):
    """HOSTNAME is printable US-ASCII (RFC 5424): invalid bytes there make the header malformed:
    stored whole, flagged, and still valid JSON."""
    server = kiroku()
    tok = token()
    msg = rfc5424(f"{tok} end", host=b"h\xc3\x28st")
    udp_send(server.udp, [msg])
    [r] = wait_token(server, tok)
    assert_record(r, transport="udp", parse_error=True, host=None)
    assert field(r, "message").endswith(f"{tok} end")
    check_original_length(r, len(msg))
    send_and_check_alive(server, "udp")


def test_empty_and_whitespace_datagrams_do_not_hurt(kiroku):
    server = kiroku()
    udp_send(server.udp, [b"", b" ", b"\n", b"\x00"])
    tcp_send(server.tcp, b"\n\n\r\n\x00\x00\n")
    send_and_check_alive(server, "udp")
    send_and_check_alive(server, "tcp")
