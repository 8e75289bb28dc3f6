// The scripted attack of the investigation tests (unit tests here, and the same lines in
// tests/test_investigate.py): a C&C contact to 203.0.113.50 seen through the Squid proxy from
// two internal hosts, one of them also in firewall lines (allowed and denied) with a RADIUS
// logon of bob on it; a malicious mail with an attachment to three recipients (one bounced),
// another mail from the same sender and one with the same attachment name from someone else;
// an LDAP admin modifying carol's entry. Times are 2026-11-26 UTC.
#pragma once

#include <string>
#include <vector>

namespace kiroku::investigate::testing {

inline const std::vector<std::string>& ScenarioLines() {
  static const std::vector<std::string> kLines = {
      // RADIUS accounting: bob on 10.1.0.9 from 09:55.
      "<134>Nov 26 09:55:00 radius1 radiusd-accounting: Acct-Status-Type = Start, User-Name = "
      "\"bob\", Framed-IP-Address = 10.1.0.9",
      // Proxy: 10.1.0.5 (alice) twice, 10.1.0.9 denied once; one unrelated request.
      "<134>Nov 26 10:00:00 proxy1 squid[811]: 1795687200.000    120 10.1.0.5 TCP_MISS/200 1500 "
      "GET http://203.0.113.50/beacon alice HIER_DIRECT/203.0.113.50 text/html",
      "<134>Nov 26 10:02:00 proxy1 squid[811]: 1795687320.000    80 10.1.0.5 TCP_MISS/200 700 "
      "GET http://www.example.com/ alice HIER_DIRECT/93.184.216.34 text/html",
      "<134>Nov 26 10:05:00 proxy1 squid[811]: 1795687500.000    300 10.1.0.5 TCP_MISS/200 2500 "
      "POST http://203.0.113.50/upload alice HIER_DIRECT/203.0.113.50 text/html",
      "<134>Nov 26 11:00:00 proxy1 squid[811]: 1795690800.000      0 10.1.0.9 TCP_DENIED/403 3964 "
      "GET http://203.0.113.50/beacon - HIER_NONE/- text/html",
      // Firewall: 10.1.0.9 allowed at 10:30, denied at 11:30 and 11:31.
      "<4>Nov 26 10:30:00 fw1 kernel: [UFW ALLOW] IN=eth1 OUT=eth0 SRC=10.1.0.9 DST=203.0.113.50 "
      "LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=1 DF PROTO=TCP SPT=50000 DPT=443 WINDOW=64240 "
      "RES=0x00 SYN URGP=0",
      "<4>Nov 26 11:30:00 fw1 kernel: [UFW BLOCK] IN=eth1 OUT=eth0 SRC=10.1.0.9 DST=203.0.113.50 "
      "LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=2 DF PROTO=TCP SPT=50001 DPT=8080 WINDOW=64240 "
      "RES=0x00 SYN URGP=0",
      "<4>Nov 26 11:31:00 fw1 kernel: [UFW BLOCK] IN=eth1 OUT=eth0 SRC=10.1.0.9 DST=203.0.113.50 "
      "LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=3 DF PROTO=TCP SPT=50002 DPT=8080 WINDOW=64240 "
      "RES=0x00 SYN URGP=0",
      // The malicious mail: 3 recipients, a3 bounced.
      "<22>Nov 26 09:00:00 mx1 postfix/smtpd[2345]: 4F2A1B3C9D: "
      "client=mail.evil.example[198.51.100.66]",
      "<22>Nov 26 09:00:01 mx1 postfix/cleanup[2346]: 4F2A1B3C9D: message-id=<m1@evil.example>",
      "<22>Nov 26 09:00:01 mx1 postfix/cleanup[2346]: 4F2A1B3C9D: warning: header "
      "Content-Disposition: attachment; filename=\"Invoice Nov.pdf.exe\" from "
      "mail.evil.example[198.51.100.66]; from=<boss@evil.example> to=<a1@corp.example> "
      "proto=ESMTP helo=<mail.evil.example>: attachment",
      "<22>Nov 26 09:00:02 mx1 postfix/qmgr[2347]: 4F2A1B3C9D: from=<boss@evil.example>, "
      "size=48211, nrcpt=3 (queue active)",
      "<22>Nov 26 09:00:03 mx1 postfix/local[2348]: 4F2A1B3C9D: to=<a1@corp.example>, "
      "relay=local, delay=2, delays=1/0/0/1, dsn=2.0.0, status=sent (delivered to mailbox)",
      "<22>Nov 26 09:00:03 mx1 postfix/local[2348]: 4F2A1B3C9D: to=<a2@corp.example>, "
      "relay=local, delay=2, delays=1/0/0/1, dsn=2.0.0, status=sent (delivered to mailbox)",
      "<22>Nov 26 09:00:04 mx1 postfix/local[2348]: 4F2A1B3C9D: to=<a3@corp.example>, "
      "relay=local, delay=3, delays=1/0/0/2, dsn=5.1.1, status=bounced (unknown user: \"a3\")",
      "<22>Nov 26 09:00:05 mx1 postfix/qmgr[2347]: 4F2A1B3C9D: removed",
      // Another mail from the same sender, another attachment.
      "<22>Nov 26 09:10:00 mx1 postfix/cleanup[2346]: 5B3C2D4E0F: message-id=<m2@evil.example>",
      "<22>Nov 26 09:10:00 mx1 postfix/qmgr[2347]: 5B3C2D4E0F: from=<boss@evil.example>, "
      "size=1000, nrcpt=1 (queue active)",
      "<22>Nov 26 09:10:01 mx1 postfix/local[2348]: 5B3C2D4E0F: to=<a4@corp.example>, "
      "relay=local, delay=1, delays=1/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)",
      // The same attachment name from someone else.
      "<22>Nov 26 09:20:00 mx1 postfix/cleanup[2346]: 6C4D3E5F1A: message-id=<m3@other.example>",
      "<22>Nov 26 09:20:00 mx1 postfix/cleanup[2346]: 6C4D3E5F1A: warning: header "
      "Content-Disposition: attachment; filename=\"Invoice Nov.pdf.exe\" from "
      "relay.other.example[198.51.100.77]; from=<x@other.example> to=<a5@corp.example> "
      "proto=ESMTP helo=<relay.other.example>: attachment",
      "<22>Nov 26 09:20:01 mx1 postfix/local[2348]: 6C4D3E5F1A: to=<a5@corp.example>, "
      "relay=local, delay=1, delays=1/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)",
      // LDAP: cn=admin binds from 10.1.0.20 and modifies carol's password.
      "<38>Nov 26 12:00:00 ldap1 slapd[900]: conn=2001 fd=20 ACCEPT from IP=10.1.0.20:40000 "
      "(IP=0.0.0.0:389)",
      "<38>Nov 26 12:00:00 ldap1 slapd[900]: conn=2001 op=0 BIND "
      "dn=\"cn=admin,dc=corp,dc=example\" method=128",
      "<38>Nov 26 12:00:00 ldap1 slapd[900]: conn=2001 op=0 RESULT tag=97 err=0 text=",
      "<38>Nov 26 12:00:01 ldap1 slapd[900]: conn=2001 op=1 MOD "
      "dn=\"uid=carol,ou=people,dc=corp,dc=example\"",
      "<38>Nov 26 12:00:01 ldap1 slapd[900]: conn=2001 op=1 MOD attr=userPassword",
      "<38>Nov 26 12:00:01 ldap1 slapd[900]: conn=2001 op=1 RESULT tag=103 err=0 text=",
      "<38>Nov 26 12:00:02 ldap1 slapd[900]: conn=2001 op=2 UNBIND",
      "<38>Nov 26 12:00:02 ldap1 slapd[900]: conn=2001 fd=20 closed",
  };
  return kLines;
}

}  // namespace kiroku::investigate::testing
