"""Device normalisers end to end: real senders put device log lines into kiroku, and
`kiroku search` finds them by their normalised ECS fields (docs/schema.md).

1. Every single-line known answer of src/normalize/testdata/ (the unit tests' own cases) goes
   through a real rsyslog that forwards each line byte for byte (template %rawmsg%); the JSON
   output of `kiroku search` must carry exactly the expected fields.
2. The issue's investigator questions with lines sent by `logger`: which hosts talked to a
   C&C address, who got the mail with this attachment (every line of that mail, thanks to the
   queue-id correlation), what did the LDAP admin change.
3. Site settings: internal networks change network.direction, a user rules file adds a device
   kiroku does not know, `kiroku rules test` checks a file, and a bad rules file stops serve.
"""
import json
import re
import subprocess
from pathlib import Path

from kiroku_harness import LOCALHOST, field, kiroku_bin, require_binary

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "src" / "normalize" / "testdata"
# Families whose lines stand alone. The correlated ones (mail, directory, proxy) share queue ids
# and connection numbers between cases, so they are checked by the targeted tests below.
STANDALONE = ("network", "windows", "antivirus", "timesync", "database")


def setup_module(module):
    require_binary()


def schema_fields() -> list[str]:
    text = (ROOT / "src" / "normalize" / "schema.cc").read_text()
    names = re.findall(r'\{F::k\w+, "([a-z_.@]+)", VT::', text)
    assert len(names) > 40, "could not read the field names from schema.cc"
    return names


def normalized_of(rec: dict, names: list[str]) -> dict:
    out = {}
    for name in names:
        v = field(rec, name)
        if v is None:
            continue
        vs = v if isinstance(v, list) else [v]
        out[name] = [("true" if x else "false") if isinstance(x, bool) else str(x) for x in vs]
    return out


def expected_of(fields: dict) -> dict:
    out = {}
    for k, v in fields.items():
        vs = v if isinstance(v, list) else [v]
        out[k] = [("true" if x else "false") if isinstance(x, bool) else str(x) for x in vs]
    return out


def standalone_cases():
    cases = []
    for fam in STANDALONE:
        path = TESTDATA / f"{fam}.jsonl"
        if not path.exists():
            continue
        for n, text in enumerate(path.read_text().splitlines(), 1):
            if not text.strip() or text.startswith("#"):
                continue
            c = json.loads(text)
            if "line" not in c or "config" in c or "peer" in c:
                continue
            line = c["line"]
            if "\n" in line or "\r" in line or not line.strip():
                continue
            # ASA teardowns take their endpoints from the Built line of the same connection,
            # and the cases reuse connection ids: the unit tests check those with their pairs.
            if "Teardown" in line:
                continue
            cases.append((f"{fam}.jsonl:{n} {c.get('name', '')}", line, expected_of(c["fields"])))
    return cases


def raw_forwarder(rsyslog, server):
    template = 'template(name="raw" type="string" string="%rawmsg%\\n")'
    # Lines that start with a digit (bare log-file lines) must not be taken for octet counts.
    # Snare and LEEF separate fields with TABs, which rsyslog turns into "#011" unless told not
    # to: docs/schema/windows.md and network.md say so for relays.
    return rsyslog(modules=template, input_params='SupportOctetCountedFraming="off"',
                   globals_='parser.escapeControlCharacterTab="off"',
                   action=f'action(type="omfwd" target="{LOCALHOST}" port="{server.tcp[1]}" '
                          f'protocol="tcp" template="raw")')


def test_every_standalone_known_answer_through_rsyslog(kiroku, rsyslog):
    cases = standalone_cases()
    assert len(cases) >= 50, f"only {len(cases)} single-line known answers found"
    server = kiroku()
    rs = raw_forwarder(rsyslog, server)
    rs.feed([line.encode() for _, line, _ in cases])
    server.wait_count(len(cases), timeout=60)
    records = server.search("")
    records.sort(key=lambda r: field(r, "kiroku.seq"))
    assert len(records) == len(cases)
    names = schema_fields()
    wrong = []
    for (name, line, want), rec in zip(cases, records):
        got = normalized_of(rec, names)
        if got != want:
            wrong.append(f"{name}\n  line: {line}\n  got:  {got}\n  want: {want}")
    assert not wrong, f"{len(wrong)} of {len(cases)} lines normalised wrongly:\n" + \
        "\n".join(wrong[:10])


def logger(server, tag, message):
    """One line sent by util-linux logger over TCP in BSD format (logger always names this
    machine as HOSTNAME, so every line here comes from one host)."""
    subprocess.run(["logger", "-n", LOCALHOST, "-P", str(server.tcp[1]), "-T", "--rfc3164",
                    "-t", tag, "--", message], check=True)


FIREWALL_LINES = [
    ("kernel", "[UFW BLOCK] IN=eth0 OUT=eth1 MAC= SRC=10.1.2.3 DST=203.0.113.5 LEN=60 TOS=0x00 "
               "PREC=0x00 TTL=63 ID=5 DF PROTO=TCP SPT=51514 DPT=443 WINDOW=64240 RES=0x00 SYN URGP=0"),
    ("kernel", "[UFW BLOCK] IN=eth0 OUT=eth1 MAC= SRC=10.1.2.4 DST=198.51.100.99 LEN=60 TOS=0x00 "
               "PREC=0x00 TTL=63 ID=6 DF PROTO=TCP SPT=51515 DPT=443 WINDOW=64240 RES=0x00 SYN URGP=0"),
    ("%ASA-4-106023", "Deny tcp src inside:10.1.2.9/51000 dst outside:203.0.113.5/8080 by "
                      "access-group \"inside_in\" [0x0, 0x0]"),
]

MAIL_LINES = [
    ("postfix/smtpd", "8C1E24A0F3: client=mail.example.net[203.0.113.9]"),
    ("postfix/cleanup", "8C1E24A0F3: message-id=<20261126.invoice@example.net>"),
    ("postfix/cleanup", "8C1E24A0F3: warning: header Content-Disposition: attachment; "
                        "filename=\"invoice.pdf.exe\" from mail.example.net[203.0.113.9]; "
                        "from=<billing@example.net> to=<alice@corp.example> proto=ESMTP "
                        "helo=<mail.example.net>: attachment"),
    ("postfix/qmgr", "8C1E24A0F3: from=<billing@example.net>, size=48213, nrcpt=2 (queue active)"),
    ("postfix/lmtp", "8C1E24A0F3: to=<alice@corp.example>, relay=mbox.corp.example[10.0.0.25]:24, "
                     "delay=0.5, delays=0.1/0/0.1/0.3, dsn=2.0.0, status=sent (250 2.0.0 Ok)"),
    ("postfix/lmtp", "8C1E24A0F3: to=<bob@corp.example>, relay=mbox.corp.example[10.0.0.25]:24, "
                     "delay=0.5, delays=0.1/0/0.1/0.3, dsn=2.0.0, status=sent (250 2.0.0 Ok)"),
    ("postfix/qmgr", "8C1E24A0F3: removed"),
    # Another mail, which must not be found by the attachment query.
    ("postfix/qmgr", "5B7D2E9A41: from=<news@example.org>, size=1200, nrcpt=1 (queue active)"),
]

LDAP_LINES = [
    ("slapd", "conn=1001 fd=14 ACCEPT from IP=10.0.0.5:51234 (IP=0.0.0.0:389)"),
    ("slapd", "conn=1001 op=0 BIND dn=\"cn=admin,dc=corp,dc=example\" method=128"),
    ("slapd", "conn=1001 op=0 BIND dn=\"cn=admin,dc=corp,dc=example\" mech=SIMPLE ssf=0"),
    ("slapd", "conn=1001 op=0 RESULT tag=97 err=0 text="),
    ("slapd", "conn=1001 op=1 MOD dn=\"uid=bob,ou=people,dc=corp,dc=example\""),
    ("slapd", "conn=1001 op=1 MOD attr=userPassword"),
    ("slapd", "conn=1001 op=1 RESULT tag=103 err=0 text="),
    ("slapd", "conn=1001 op=2 SRCH base=\"dc=corp,dc=example\" scope=2 deref=0 filter=\"(uid=bob)\""),
]


def send_all(server, lines):
    # An ASA with `logging device-id hostname` writes "host %ASA-4-106023: ...": the message id
    # stands where a BSD TAG stands, which is how logger -t sends it.
    for tag, msg in lines:
        logger(server, tag, msg)


def test_investigator_questions_with_logger(kiroku):
    server = kiroku()
    send_all(server, FIREWALL_LINES)
    send_all(server, MAIL_LINES)
    send_all(server, LDAP_LINES)
    total = len(FIREWALL_LINES) + len(MAIL_LINES) + len(LDAP_LINES)
    server.wait_count(total, timeout=30)

    # Which internal hosts talked to the C&C address?
    hits = server.search("destination.ip:203.0.113.5")
    assert sorted(field(r, "source.ip") for r in hits) == ["10.1.2.3", "10.1.2.9"]
    assert {field(r, "event.outcome") for r in hits} == {"failure"}
    assert server.count("destination.ip:203.0.113.0/24") == 2
    assert server.count("source.ip:10.1.2.4 AND destination.port:443") == 1

    # Who got the mail with this attachment? Every line of that mail, none of the other.
    mail = server.search("email.attachments.file.name:invoice.pdf.exe")
    assert len(mail) == 7, [field(r, "message") for r in mail]
    assert {field(r, "email.queue_id") for r in mail} == {"8C1E24A0F3"}
    for r in mail:
        assert field(r, "email.from.address") == "billing@example.net"
        assert field(r, "email.message_id") == "20261126.invoice@example.net"
        assert sorted(field(r, "email.to.address")) == ["alice@corp.example", "bob@corp.example"]
    delivered = server.search("email.message_id:\"20261126.invoice@example.net\" AND "
                              "email.delivery_status:sent")
    assert sorted(sorted(field(r, "email.to.address")) for r in delivered) == [
        ["alice@corp.example", "bob@corp.example"]] * 2
    assert server.count("email.from.address:news@example.org") == 1

    # What did the LDAP admin change?
    mods = server.search("observer.type:directory AND event.action:modify")
    assert len(mods) >= 1
    mod = [r for r in mods if field(r, "message").endswith('dc=example"')]
    assert len(mod) == 1
    assert field(mod[0], "kiroku.ldap.dn") == "uid=bob,ou=people,dc=corp,dc=example"
    assert field(mod[0], "user.name") == "cn=admin,dc=corp,dc=example"
    assert field(mod[0], "source.ip") == "10.0.0.5"
    assert field(mod[0], "event.outcome") == "success"
    assert field(mod[0], "kiroku.admin") is True
    assert server.count("observer.type:directory AND event.action:search") == 1

    # Table output and queries on the record's own fields do not need normalising and still work.
    assert server.count("process.name:kernel") == 2
    r = server.search_raw("--format", "table", "observer.type:firewall")
    assert r.returncode == 0 and r.stdout.decode().count("\n") == 4  # header + 3 rows


def test_internal_networks_decide_direction(kiroku, tmp_path):
    server = kiroku(args=["--internal-networks", "203.0.113.0/24"])
    logger(server, "kernel", FIREWALL_LINES[0][1])
    server.wait_count(1)
    (rec,) = server.search("")
    # 203.0.113.0/24 is now inside and 10.0.0.0/8 outside.
    assert field(rec, "network.direction") == "inbound"


RULES = """\
[[rule]]
name = "acme-vpn"
app = "acmevpn"
contains = "login"
pattern = 'user=(?P<user>\\S+) from (?P<ip>\\S+) (?P<result>ok|failed)'
[rule.fields]
"observer.type" = "vpn"
"observer.vendor" = "Acme"
"event.category" = "authentication"
"event.action" = "login"
"user.name" = "${user}"
"source.ip" = "${ip}"
"event.reason" = "login ${result}"
"""


def test_user_rules_file(kiroku, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES)
    server = kiroku(args=["--rules", str(rules)])
    logger(server, "acmevpn", "login user=carol from 198.51.100.23 failed")
    logger(server, "acmevpn", "logout user=carol")
    server.wait_count(2)
    hits = server.search("user.name:carol AND observer.type:vpn")
    assert len(hits) == 1
    assert field(hits[0], "source.ip") == "198.51.100.23"
    assert field(hits[0], "event.reason") == "login failed"
    assert field(hits[0], "kiroku.normalizer") == "rule:acme-vpn"


def test_rules_test_command(tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES)
    ok = subprocess.run([kiroku_bin(), "rules", "test", str(rules),
                         "<38>Nov 26 14:37:42 gw1 acmevpn[7]: login user=dave from 10.0.0.7 ok"],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "rule acme-vpn:" in ok.stdout
    assert "    user.name = dave\n" in ok.stdout
    assert "    source.ip = 10.0.0.7\n" in ok.stdout
    miss = subprocess.run([kiroku_bin(), "rules", "test", str(rules), "-"],
                          input="<38>Nov 26 14:37:42 gw1 acmevpn[7]: hello\n",
                          capture_output=True, text=True)
    assert miss.returncode == 1
    assert "no rule matched" in miss.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text(RULES.replace('"user.name"', '"user.nmae"'))
    err = subprocess.run([kiroku_bin(), "rules", "test", str(bad), "x"], capture_output=True,
                         text=True)
    assert err.returncode == 2
    assert f"{bad}:11: unknown field 'user.nmae'" in err.stderr


def test_bad_rules_file_stops_serve(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rule]]\nname = \"x\"\npattern = \"(\"\n[rule.fields]\n\"user.name\" = \"a\"\n")
    r = subprocess.run([kiroku_bin(), "serve", "--data", str(tmp_path / "d"), "--rules", str(bad),
                        "--syslog-udp", f"{LOCALHOST}:0", "--syslog-tcp", f"{LOCALHOST}:0",
                        "--http", f"{LOCALHOST}:0"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 2
    assert "bad pattern" in r.stderr
