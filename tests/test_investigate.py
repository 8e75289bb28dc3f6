"""End-to-end: `kiroku investigate ip|mail|user|host` and `kiroku timeline` on a scripted
attack with known answers, sent as syslog over TCP into a real `kiroku serve`.

The scenario (the same lines as src/investigate/testing/scenario.h, with RFC 5424 headers so
the year is explicit): a C&C contact to 203.0.113.50 seen through the Squid proxy from two
internal hosts, one of them also in firewall lines allowed and denied, with a RADIUS logon of
bob on it; a malicious mail with an attachment to three recipients, one bounced, plus another
mail from the same sender and one with the same attachment name from someone else; an LDAP
admin modifying carol's entry. The answers below are counted by hand from those lines.
"""
from __future__ import annotations

import json
import subprocess

import pytest

from kiroku_harness import kiroku_bin, octet, tcp_send, wait_until

DAY = "2026-11-26T"

# (time, host, app, message)
SCENARIO = [
    ("09:55:00", "radius1", "radiusd-accounting",
     'Acct-Status-Type = Start, User-Name = "bob", Framed-IP-Address = 10.1.0.9'),
    ("10:00:00", "proxy1", "squid", "1795687200.000    120 10.1.0.5 TCP_MISS/200 1500 GET "
     "http://203.0.113.50/beacon alice HIER_DIRECT/203.0.113.50 text/html"),
    ("10:02:00", "proxy1", "squid", "1795687320.000    80 10.1.0.5 TCP_MISS/200 700 GET "
     "http://www.example.com/ alice HIER_DIRECT/93.184.216.34 text/html"),
    ("10:05:00", "proxy1", "squid", "1795687500.000    300 10.1.0.5 TCP_MISS/200 2500 POST "
     "http://203.0.113.50/upload alice HIER_DIRECT/203.0.113.50 text/html"),
    ("11:00:00", "proxy1", "squid", "1795690800.000      0 10.1.0.9 TCP_DENIED/403 3964 GET "
     "http://203.0.113.50/beacon - HIER_NONE/- text/html"),
    ("10:30:00", "fw1", "kernel", "[UFW ALLOW] IN=eth1 OUT=eth0 SRC=10.1.0.9 DST=203.0.113.50 "
     "LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=TCP SPT=50000 DPT=443 WINDOW=64240 "
     "RES=0x00 SYN URGP=0"),
    ("11:30:00", "fw1", "kernel", "[UFW BLOCK] IN=eth1 OUT=eth0 SRC=10.1.0.9 DST=203.0.113.50 "
     "LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=2 DF PROTO=TCP SPT=50001 DPT=8080 WINDOW=64240 "
     "RES=0x00 SYN URGP=0"),
    ("11:31:00", "fw1", "kernel", "[UFW BLOCK] IN=eth1 OUT=eth0 SRC=10.1.0.9 DST=203.0.113.50 "
     "LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=3 DF PROTO=TCP SPT=50002 DPT=8080 WINDOW=64240 "
     "RES=0x00 SYN URGP=0"),
    ("09:00:00", "mx1", "postfix/smtpd",
     "4F2A1B3C9D: client=mail.evil.example[198.51.100.66]"),
    ("09:00:01", "mx1", "postfix/cleanup", "4F2A1B3C9D: message-id=<m1@evil.example>"),
    ("09:00:01", "mx1", "postfix/cleanup", "4F2A1B3C9D: warning: header Content-Disposition: "
     "attachment; filename=\"Invoice Nov.pdf.exe\" from mail.evil.example[198.51.100.66]; "
     "from=<boss@evil.example> to=<a1@corp.example> proto=ESMTP helo=<mail.evil.example>: "
     "attachment"),
    ("09:00:02", "mx1", "postfix/qmgr",
     "4F2A1B3C9D: from=<boss@evil.example>, size=48211, nrcpt=3 (queue active)"),
    ("09:00:03", "mx1", "postfix/local", "4F2A1B3C9D: to=<a1@corp.example>, relay=local, "
     "delay=2, delays=1/0/0/1, dsn=2.0.0, status=sent (delivered to mailbox)"),
    ("09:00:03", "mx1", "postfix/local", "4F2A1B3C9D: to=<a2@corp.example>, relay=local, "
     "delay=2, delays=1/0/0/1, dsn=2.0.0, status=sent (delivered to mailbox)"),
    ("09:00:04", "mx1", "postfix/local", "4F2A1B3C9D: to=<a3@corp.example>, relay=local, "
     "delay=3, delays=1/0/0/2, dsn=5.1.1, status=bounced (unknown user: \"a3\")"),
    ("09:00:05", "mx1", "postfix/qmgr", "4F2A1B3C9D: removed"),
    ("09:10:00", "mx1", "postfix/cleanup", "5B3C2D4E0F: message-id=<m2@evil.example>"),
    ("09:10:00", "mx1", "postfix/qmgr",
     "5B3C2D4E0F: from=<boss@evil.example>, size=1000, nrcpt=1 (queue active)"),
    ("09:10:01", "mx1", "postfix/local", "5B3C2D4E0F: to=<a4@corp.example>, relay=local, "
     "delay=1, delays=1/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)"),
    ("09:20:00", "mx1", "postfix/cleanup", "6C4D3E5F1A: message-id=<m3@other.example>"),
    ("09:20:00", "mx1", "postfix/cleanup", "6C4D3E5F1A: warning: header Content-Disposition: "
     "attachment; filename=\"Invoice Nov.pdf.exe\" from relay.other.example[198.51.100.77]; "
     "from=<x@other.example> to=<a5@corp.example> proto=ESMTP helo=<relay.other.example>: "
     "attachment"),
    ("09:20:01", "mx1", "postfix/local", "6C4D3E5F1A: to=<a5@corp.example>, relay=local, "
     "delay=1, delays=1/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)"),
    ("12:00:00", "ldap1", "slapd",
     "conn=2001 fd=20 ACCEPT from IP=10.1.0.20:40000 (IP=0.0.0.0:389)"),
    ("12:00:00", "ldap1", "slapd",
     "conn=2001 op=0 BIND dn=\"cn=admin,dc=corp,dc=example\" method=128"),
    ("12:00:00", "ldap1", "slapd", "conn=2001 op=0 RESULT tag=97 err=0 text="),
    ("12:00:01", "ldap1", "slapd",
     "conn=2001 op=1 MOD dn=\"uid=carol,ou=people,dc=corp,dc=example\""),
    ("12:00:01", "ldap1", "slapd", "conn=2001 op=1 MOD attr=userPassword"),
    ("12:00:01", "ldap1", "slapd", "conn=2001 op=1 RESULT tag=103 err=0 text="),
    ("12:00:02", "ldap1", "slapd", "conn=2001 op=2 UNBIND"),
    ("12:00:02", "ldap1", "slapd", "conn=2001 fd=20 closed"),
]


def line(t, host, app, msg, pri=134):
    return f"<{pri}>1 {DAY}{t}Z {host} {app} - - - {msg}".encode()


@pytest.fixture(scope="module", params=["journal", "sealed"])
def data(request, tmp_path_factory):
    """A data directory holding the scenario, written by a real server (stopped afterwards,
    so every test reads the same, finished data). "journal": all of it unsealed; "sealed": the
    server seals a journal segment a second old (--seal-after 1), so the C&C and mail lines
    are read from a sealed segment and the LDAP lines from the journal."""
    from kiroku_harness import KirokuServer
    wd = tmp_path_factory.mktemp(f"investigate-{request.param}")
    sealed = request.param == "sealed"
    server = KirokuServer(wd, args=["--seal-after", "1"] if sealed else []).start()
    try:
        # Sent in sequence order over one TCP connection, octet-counted: the mail and LDAP
        # correlators need the lines of a queue id / connection in order.
        first = [s for s in SCENARIO if s[1] != "ldap1"]
        rest = [s for s in SCENARIO if s[1] == "ldap1"]
        tcp_send(server.tcp, b"".join(octet(line(*s)) for s in first))
        wait_until(lambda: server.count("mx1 OR proxy1 OR fw1 OR radius1") >= len(first), 30,
                   "the first part stored")
        if sealed:
            segments = server.data / "segments"
            wait_until(lambda: segments.is_dir() and any(
                "tmp" not in p.name for p in segments.iterdir()), 60, "a sealed segment")
        tcp_send(server.tcp, b"".join(octet(line(*s)) for s in rest))
        wait_until(lambda: server.count("ldap1 OR mx1 OR proxy1 OR fw1 OR radius1")
                   >= len(SCENARIO), 30, "the scenario stored")
    finally:
        assert server.stop() == 0
    return server.data


def kiroku(*args, check=True):
    # The scenario's device times are hours before it is sent, so the clock watch sees every
    # host's clock hours behind and --time corrected (the default) would move the events
    # towards their receive time; these tests check the device times.
    if check and args[0] in ("investigate", "timeline"):
        args = (*args, "--time", "device")
    r = subprocess.run([kiroku_bin(), *args], capture_output=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    if check:
        assert r.returncode == 0, f"kiroku {args} exited {r.returncode}: {r.stderr.decode()}"
    return r


def investigate(data, *args):
    return kiroku("investigate", *args, "--data", str(data)).stdout.decode()


def investigate_json(data, *args):
    out = investigate(data, *args, "--format", "json")
    return json.loads(out)


def at(t):
    return f"{DAY}{t}.000Z"


def test_ip_text(data):
    assert investigate(data, "ip", "203.0.113.50") == (
        "Internal hosts that talked to 203.0.113.50 (proxy and firewall): 2 hosts, 6 records\n"
        "\n10.1.0.5\n"
        f"  first seen      {at('10:00:00')}\n"
        f"  last seen       {at('10:05:00')}\n"
        "  proxy requests  2\n"
        "  firewall        0\n"
        "  direction       2 outbound, 0 inbound\n"
        "  allowed/denied  2 allowed, 0 denied\n"
        "  bytes           0 sent, 4000 received\n"
        "  domains         203.0.113.50\n"
        "  users           alice (proxy, 2 records)\n"
        "\n10.1.0.9\n"
        f"  first seen      {at('10:30:00')}\n"
        f"  last seen       {at('11:31:00')}\n"
        "  proxy requests  1\n"
        "  firewall        3\n"
        "  direction       4 outbound, 0 inbound\n"
        "  allowed/denied  1 allowed, 3 denied\n"
        "  bytes           0 sent, 3964 received\n"
        "  domains         203.0.113.50\n"
        "  users           bob (radius, 1 logon)\n")


def test_ip_json_and_window(data):
    j = investigate_json(data, "ip", "203.0.113.50")
    hosts = {h["ip"]: h for h in j["hosts"]}
    assert set(hosts) == {"10.1.0.5", "10.1.0.9"}
    b = hosts["10.1.0.9"]
    assert (b["first"], b["last"]) == (at("10:30:00"), at("11:31:00"))
    assert (b["proxy_requests"], b["firewall_records"], b["allowed"], b["denied"]) == (1, 3, 1, 3)
    assert [(u["name"], u["via"], u["logons_ok"]) for u in b["users"]] == [("bob", "radius", 1)]
    assert [(u["name"], u["via"], u["records"]) for u in hosts["10.1.0.5"]["users"]] == \
        [("alice", "proxy", 2)]
    # --since/--until narrow the contacts (the logon query too: bob logged on at 09:55).
    j = investigate_json(data, "ip", "203.0.113.50", "--since", f"{DAY}11:00:00Z",
                         "--until", f"{DAY}11:31:00Z")
    assert [(h["ip"], h["proxy_requests"], h["firewall_records"], h["users"])
            for h in j["hosts"]] == [("10.1.0.9", 1, 1, [])]


def test_mail_by_message_id(data):
    j = investigate_json(data, "mail", "--message-id", "<m1@evil.example>")
    assert len(j["mails"]) == 1
    m = j["mails"][0]
    assert (m["host"], m["queue_id"], m["message_id"], m["from"], m["client_ip"]) == \
        ("mx1", "4F2A1B3C9D", "m1@evil.example", "boss@evil.example", "198.51.100.66")
    assert (m["first"], m["last"]) == (at("09:00:00"), at("09:00:05"))
    assert m["attachments"] == ["Invoice Nov.pdf.exe"]
    assert [(r["address"], r["status"]) for r in m["recipients"]] == [
        ("a1@corp.example", "sent"), ("a2@corp.example", "sent"),
        ("a3@corp.example", "bounced")]
    assert [(e["time"], e["action"], e["status"]) for e in m["events"]] == [
        (at("09:00:00"), "receive", ""), (at("09:00:01"), "message-id", ""),
        (at("09:00:01"), "warn", ""), (at("09:00:02"), "queue", ""),
        (at("09:00:03"), "deliver", "sent"), (at("09:00:03"), "deliver", "sent"),
        (at("09:00:04"), "deliver", "bounced"), (at("09:00:05"), "removed", "")]
    assert [x["message_id"] for x in j["same_sender"]] == ["m2@evil.example"]
    assert [(x["message_id"], x["from"]) for x in j["same_attachment"]] == \
        [("m3@other.example", "x@other.example")]


def test_mail_by_attachment_name_with_blanks(data):
    out = investigate(data, "mail", "--attachment", "Invoice Nov.pdf.exe")
    assert out.startswith("Mails with attachment Invoice Nov.pdf.exe: 2\n\n4F2A1B3C9D on mx1\n")
    assert "    a3@corp.example  bounced  (unknown user: \"a3\")\n" in out
    assert "\n6C4D3E5F1A on mx1\n" in out
    assert out.endswith(
        "\nOther mails from the same sender: 1\n"
        f"  {at('09:10:00')}  mx1 5B3C2D4E0F  from boss@evil.example  to a4@corp.example  "
        "message-id m2@evil.example\n"
        "\nOther mails with the same attachment name: 0\n")


@pytest.mark.parametrize("name", ['x" OR email.from.address:*', "a (b) \\ c", "NOT", "*"])
def test_mail_attachment_names_are_literal(data, name):
    j = investigate_json(data, "mail", "--attachment", name)
    assert j["mails"] == [] and j["same_sender"] == [] and j["same_attachment"] == []


def test_mail_by_sender(data):
    j = investigate_json(data, "mail", "--sender", "boss@evil.example")
    assert [m["message_id"] for m in j["mails"]] == ["m1@evil.example", "m2@evil.example"]
    assert j["same_sender"] == []
    assert [m["message_id"] for m in j["same_attachment"]] == ["m3@other.example"]


def test_user_admin_on_ldap(data):
    j = investigate_json(data, "user", "admin")
    assert j["records"] == 7
    c = j["counts"]
    assert (c["logons_ok"], c["logons_failed"], c["admin"], c["other"]) == (1, 0, 1, 2)
    assert j["hosts"] == ["ldap1"]
    # The operation's three lines (MOD dn, MOD attr, RESULT) are one admin operation.
    mods = [e for e in j["timeline"] if e["kind"] == "admin"]
    assert len(mods) == 3
    assert {(e["time"], e["fields"]["kiroku.ldap.dn"]) for e in mods} == \
        {(at("12:00:01"), "uid=carol,ou=people,dc=corp,dc=example")}
    out = investigate(data, "user", "admin")
    assert out.startswith("Activity of user admin: 7 records\n"
                          "  logons      1 succeeded, 0 failed\n"
                          "  admin       1 operation\n")


def test_user_target_of_admin_change(data):
    j = investigate_json(data, "user", "carol")
    assert (j["records"], j["counts"]["admin"]) == (3, 1)
    assert {e["fields"]["user.name"] for e in j["timeline"]} == {"cn=admin,dc=corp,dc=example"}


def test_host(data):
    j = investigate_json(data, "host", "10.1.0.9")
    c = j["counts"]
    assert j["records"] == 5
    assert (c["logons_ok"], c["proxy"], c["proxy_denied"], c["firewall"],
            c["firewall_denied"]) == (1, 1, 1, 3, 2)
    assert [(u["name"], u["via"]) for u in j["users"]] == [("bob", "radius")]
    assert [e["time"] for e in j["timeline"]] == [
        at("09:55:00"), at("10:30:00"), at("11:00:00"), at("11:30:00"), at("11:31:00")]
    j = investigate_json(data, "host", "ldap1")
    assert (j["records"], j["counts"]["admin"]) == (8, 1)
    assert [u["name"] for u in j["users"]] == ["cn=admin,dc=corp,dc=example"]


def test_timeline(data):
    r = kiroku("timeline", "--data", str(data), "203.0.113.50 OR source.ip:10.1.0.9")
    assert r.stdout.decode() == (
        "time                      host     type      action            summary\n"
        f"{at('09:55:00')}  radius1  radius    accounting-start  user=bob from 10.1.0.9\n"
        f"{at('10:00:00')}  proxy1   proxy     tcp_miss          user=alice 10.1.0.5 -> "
        "203.0.113.50 GET http://203.0.113.50/beacon status=200 outcome=success\n"
        f"{at('10:05:00')}  proxy1   proxy     tcp_miss          user=alice 10.1.0.5 -> "
        "203.0.113.50 POST http://203.0.113.50/upload status=200 outcome=success\n"
        f"{at('10:30:00')}  fw1      firewall  allow             10.1.0.9:50000 -> "
        "203.0.113.50:443 outcome=success\n"
        f"{at('11:00:00')}  proxy1   proxy     tcp_denied        from 10.1.0.9 GET "
        "http://203.0.113.50/beacon status=403 outcome=failure\n"
        f"{at('11:30:00')}  fw1      firewall  deny              10.1.0.9:50001 -> "
        "203.0.113.50:8080 outcome=failure\n"
        f"{at('11:31:00')}  fw1      firewall  deny              10.1.0.9:50002 -> "
        "203.0.113.50:8080 outcome=failure\n")
    assert r.stderr == b""


def test_timeline_json_limit_and_window(data):
    r = kiroku("timeline", "--data", str(data), "--format", "json", "--limit", "2",
               "--since", f"{DAY}10:00:00Z", "host.name:(proxy1 OR fw1)")
    rows = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert [(x["time"], x["host"], x["observer.type"], x["event.action"]) for x in rows] == [
        (at("10:00:00"), "proxy1", "proxy", "tcp_miss"),
        (at("10:02:00"), "proxy1", "proxy", "tcp_miss")]
    assert rows[0]["fields"]["http.response.status_code"] == 200
    assert "showing the first 2 events" in r.stderr.decode()


@pytest.mark.parametrize("args", [
    ["timeline", "nosuch.field:x"],
    ["timeline", "--since", "soon", ""],
    ["investigate", "ip", "not an address"],
    ["investigate", "mail"],
    ["investigate", "mail", "--message-id", "a", "--sender", "b"],
    ["investigate", "user"],
    ["investigate", "host", "h", "--format", "xml"],
    ["investigate"],
])
def test_usage_errors_exit_2(data, args):
    r = kiroku(*args, "--data", str(data), check=False)
    assert r.returncode == 2, (args, r.stdout, r.stderr)
    assert r.stderr


def test_missing_data_directory_exits_1(tmp_path):
    r = kiroku("investigate", "ip", "203.0.113.50", "--data", str(tmp_path / "none"),
               check=False)
    assert r.returncode == 1, r.stderr
    assert b"no data directory" in r.stderr
