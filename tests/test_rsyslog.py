"""rsyslog as a real forwarder into kiroku: omfwd UDP, omfwd TCP (octet-counted RFC 5424),
omfwd over TLS with rsyslog's ossl driver (mutual TLS) and omrelp.

rsyslog gets its own config and work directory; the test feeds it messages over a plain TCP
input and its only forwarding action sends them to kiroku. Every message must be stored
exactly once with the right host, app, pid, facility, severity, message, transport and peer.
"""
import datetime as dt


from kiroku_harness import (LOCALHOST, assert_record, check_seqs_dense, field, require_binary,
                            rfc3164, rfc5424, token)

N = 200


def setup_module(module):
    require_binary()


def _messages(tok, fmt):
    """N messages, each with its own text, pid, facility and severity."""
    out = []
    for i in range(N):
        fac, sev = i % 24, i % 8
        text = f"{tok} msg {i} user=alice action=login"
        pid = 1000 + i
        if fmt == "5424":
            ts = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            line = rfc5424(text, host="web01", app="sshd", pid=str(pid), pri=fac * 8 + sev,
                           msgid="ID47", ts=ts)
        else:
            ts = None
            line = rfc3164(text, host="web01", app="sshd", pid=pid, pri=fac * 8 + sev)
        out.append(dict(i=i, line=line, text=text, pid=pid, fac=fac, sev=sev, ts=ts))
    return out


def _parse_time(s):
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


def _check_all(server, msgs, transport, tok, msgid=None):
    # The last message (rsyslog keeps order on one connection) tells that all were delivered.
    last = msgs[-1]["text"]
    server.wait_records(lambda rs: any(field(r, "message") == last for r in rs), timeout=30,
                        what=f"last message via rsyslog/{transport}")
    records = server.search()
    check_seqs_dense(records)
    by_text = {}
    for r in records:
        by_text.setdefault(field(r, "message"), []).append(r)
    unexpected = [t for t in by_text if t not in {m["text"] for m in msgs}]
    assert not unexpected, f"records not sent by the test (first 5): {unexpected[:5]}"
    for m in msgs:
        got = by_text.get(m["text"], [])
        assert len(got) == 1, f"message {m['i']} stored {len(got)} times (want exactly once)"
        r = got[0]
        assert_record(r, host="web01", app="sshd", pid=m["pid"], facility=m["fac"],
                      severity=m["sev"], message=m["text"], transport=transport, peer=LOCALHOST,
                      msgid=msgid)
        if m["ts"]:
            assert _parse_time(field(r, "@timestamp")) == _parse_time(m["ts"]), \
                f"@timestamp {field(r, '@timestamp')} != device time {m['ts']}"
    assert len(records) == N


def test_omfwd_udp(kiroku, rsyslog):
    server = kiroku()
    tok = token()
    # rsyslog's default UDP template is the traditional (RFC 3164) format.
    rs = rsyslog(action=f'action(type="omfwd" target="{LOCALHOST}" port="{server.udp[1]}" '
                        f'protocol="udp")')
    msgs = _messages(tok, "3164")
    rs.feed([m["line"] for m in msgs])
    _check_all(server, msgs, "udp", tok)


def test_omfwd_tcp_octet_counted_rfc5424(kiroku, rsyslog):
    server = kiroku()
    tok = token()
    rs = rsyslog(action=f'action(type="omfwd" target="{LOCALHOST}" port="{server.tcp[1]}" '
                        f'protocol="tcp" TCP_Framing="octet-counted" '
                        f'template="RSYSLOG_SyslogProtocol23Format")')
    msgs = _messages(tok, "5424")
    rs.feed([m["line"] for m in msgs])
    # RSYSLOG_SyslogProtocol23Format ends each message with LF inside the octet-counted frame;
    # like rsyslog's own receivers, the message field must not keep that trailing LF.
    _check_all(server, msgs, "tcp", tok, msgid="ID47")


def test_omfwd_tls_ossl_mutual(kiroku, rsyslog, certs):
    server = kiroku(listeners={"syslog-tls": f"{LOCALHOST}:0"}, tls=certs.server_tls(mutual=True))
    tok = token()
    rs = rsyslog(
        globals_=(f'DefaultNetstreamDriverCAFile="{certs.ca}" '
                  f'DefaultNetstreamDriverCertFile="{certs.client}" '
                  f'DefaultNetstreamDriverKeyFile="{certs.client_key}"'),
        action=(f'action(type="omfwd" target="{LOCALHOST}" port="{server.tls_addr[1]}" '
                f'protocol="tcp" StreamDriver="ossl" StreamDriverMode="1" '
                f'StreamDriverAuthMode="x509/name" StreamDriverPermittedPeers="localhost" '
                f'TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")'))
    msgs = _messages(tok, "5424")
    rs.feed([m["line"] for m in msgs])
    _check_all(server, msgs, "tls", tok, msgid="ID47")
    m = server.metrics()
    assert m.get_value("kiroku_messages_received_total", transport="tls") == N


def test_omrelp(kiroku, rsyslog):
    server = kiroku(listeners={"relp": f"{LOCALHOST}:0"})
    tok = token()
    rs = rsyslog(modules='module(load="omrelp")',
                 action=f'action(type="omrelp" target="{LOCALHOST}" port="{server.relp[1]}")')
    msgs = _messages(tok, "3164")
    rs.feed([m["line"] for m in msgs])
    _check_all(server, msgs, "relp", tok)
    m = server.metrics()
    assert m.get_value("kiroku_messages_received_total", transport="relp") == N
    assert server.stored_received(m) == N
