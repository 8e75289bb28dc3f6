#!/usr/bin/python3
"""Seeded generator of a realistic, mixed syslog message set for the ingest benchmark.

Writes one message per line (LF-terminated, no embedded LF/NUL) so that loggen can
replay the file with `--read-file FILE --dont-parse` over TCP with non-transparent
(LF) framing.  Every line is unique (pids, ports, queue ids, counters and timestamps
vary), which makes exactly-once counting meaningful.

The mix (weights in MIX below) covers what a central collector really receives:
sshd, sudo, cron, postfix, kernel netfilter/iptables LOG lines, squid access lines,
BIND named query logs, Cisco ASA (%ASA-...) and IOS (%FAC-SEV-MNEMONIC with the
`seq: host: *Mmm dd ...:` header), RFC 5424 lines with structured data (some with a
BOM), Windows events as NXLog (BSD header + key/value text) and Snare (tab-separated
MSWinEventLog), and a small share of long lines (up to ~4 KiB: Windows 4688 process
creation with long command lines, JSON application logs, long proxy URLs).

Sizes are 80..~4100 bytes with a mean of roughly 300 bytes; the statistics are printed
to stderr.  Same --seed, same --count  =>  byte-identical file.

Usage: gen_mixed.py --count 1000000 --seed 42 --out msgs.txt
"""

import argparse
import random
import sys
import time

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

USERS = ["root", "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan",
         "mallory", "oscar", "peggy", "trent", "walter", "backup", "deploy", "ansible", "nagios",
         "postgres", "www-data", "svc_sql", "svc_backup", "admin", "administrator", "test",
         "oracle", "ubuntu", "pi", "git"]
LINUX_HOSTS = ["web01", "web02", "web03", "db01", "db02", "mail01", "mx02", "proxy01", "ns1", "ns2",
               "bastion", "jump01", "build07", "k8s-node-04", "k8s-node-11", "files01", "vpn-gw",
               "ldap01", "mon01", "app-prod-17"]
WIN_HOSTS = ["DC01", "DC02", "WIN-FS01", "WIN-SQL01", "WKS-0412", "WKS-0877", "WKS-1203",
             "EXCH01", "RDS01", "WIN-CA01"]
DOMAINS = ["example.com", "example.org", "corp.example.net", "mail.example.co.jp", "cdn.example-static.net",
           "updates.vendor.example", "login.example-idp.com", "api.partner.example", "intranet.corp.local",
           "files.example-share.io", "news.example.jp", "ads.tracker.example"]
TLDS_WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
              "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango"]
PATH_WORDS = ["index", "login", "api", "v1", "v2", "static", "img", "js", "css", "download", "update",
              "search", "cart", "checkout", "assets", "vendor", "jquery.min.js", "favicon.ico",
              "wp-admin", "wp-login.php", "owa", "ecp", "autodiscover", "Microsoft-Server-ActiveSync",
              "robots.txt", "sitemap.xml", "report.pdf", "invoice_2024.xlsx", "setup.exe"]
MIME = ["text/html", "application/json", "image/png", "image/jpeg", "application/javascript",
        "text/css", "application/octet-stream", "application/pdf", "-"]
SQUID_CODES = ["TCP_MISS/200", "TCP_HIT/200", "TCP_MEM_HIT/200", "TCP_TUNNEL/200", "TCP_DENIED/403",
               "TCP_MISS/304", "TCP_MISS/404", "TCP_REFRESH_MODIFIED/200", "TCP_MISS/502", "NONE_NONE/400"]
CRON_CMDS = ["   cd / && run-parts --report /etc/cron.hourly",
             "[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi",
             "/usr/local/bin/backup.sh --incremental >/dev/null 2>&1",
             "test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )",
             "/usr/bin/certbot -q renew",
             "command -v debian-sa1 > /dev/null && debian-sa1 1 1",
             "/opt/monitoring/check_disk.sh"]
SUDO_CMDS = ["/usr/bin/systemctl restart nginx", "/usr/bin/apt-get update", "/bin/cat /etc/shadow",
             "/usr/bin/journalctl -u sshd --since today", "/usr/sbin/iptables -L -n -v",
             "/usr/bin/tail -f /var/log/syslog", "/bin/bash", "/usr/bin/vim /etc/ssh/sshd_config",
             "/usr/bin/docker ps -a", "/usr/bin/kubectl get pods -A -o wide",
             "/usr/bin/find / -perm -4000 -type f", "/usr/bin/crontab -l -u www-data"]
IFACES = ["eth0", "eth1", "ens192", "enp3s0", "bond0", "br0", "wan0"]
ASA_IFS = ["outside", "inside", "dmz", "mgmt", "guest"]
IOS_IFS = ["GigabitEthernet0/1", "GigabitEthernet1/0/24", "TenGigabitEthernet1/1/1", "Vlan100",
           "FastEthernet0/3", "Port-channel2", "Tunnel10"]
RRTYPES = ["A", "AAAA", "MX", "TXT", "PTR", "SRV", "NS", "CNAME", "SOA", "HTTPS"]
MAIL_USERS = ["info", "sales", "support", "noreply", "hr", "ceo", "it-helpdesk", "billing", "j.smith",
              "m.tanaka", "k.suzuki", "newsletter"]
APP_NAMES = ["orderd", "paymentsvc", "authd", "inventory", "gatewayd", "scheduler", "reportgen"]
WIN_PROCS = [r"C:\Windows\System32\svchost.exe", r"C:\Windows\System32\cmd.exe",
             r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe", r"C:\Windows\explorer.exe",
             r"C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE", r"C:\Windows\System32\rundll32.exe",
             r"C:\Windows\System32\wbem\WmiPrvSE.exe", r"C:\Windows\System32\schtasks.exe",
             r"C:\Users\Public\Downloads\update.exe"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        # device clock: starts at a fixed point, advances a little per message
        self.t = 1710144000.0  # 2024-03-11T08:00:00Z
        self.n = 0
        self.uptime = 1234567.0
        self.ios_seq = self.r.randint(1000, 90000)
        self.conn_id = self.r.randint(10_000_000, 90_000_000)

    # ---- helpers -------------------------------------------------------------
    def tick(self):
        self.t += self.r.expovariate(1.0 / 0.004)
        self.uptime += self.r.expovariate(1.0 / 0.004)
        self.n += 1

    def bsd_ts(self):
        tm = time.gmtime(self.t)
        return "%s %2d %02d:%02d:%02d" % (MONTHS[tm.tm_mon - 1], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec)

    def iso_ts(self, frac=3, zone="Z"):
        tm = time.gmtime(self.t)
        f = ("%.6f" % (self.t % 1))[1:2 + frac] if frac else ""
        return "%04d-%02d-%02dT%02d:%02d:%02d%s%s" % (tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour,
                                                     tm.tm_min, tm.tm_sec, f, zone)

    def pri(self, fac, sev):
        return "<%d>" % (fac * 8 + sev)

    def ip_priv(self):
        r = self.r
        c = r.random()
        if c < 0.6:
            return "10.%d.%d.%d" % (r.randint(0, 40), r.randint(0, 255), r.randint(1, 254))
        if c < 0.85:
            return "192.168.%d.%d" % (r.randint(0, 20), r.randint(1, 254))
        return "172.%d.%d.%d" % (r.randint(16, 31), r.randint(0, 255), r.randint(1, 254))

    def ip_pub(self):
        r = self.r
        while True:
            a = r.randint(1, 223)
            if a not in (10, 127, 172, 192):
                return "%d.%d.%d.%d" % (a, r.randint(0, 255), r.randint(0, 255), r.randint(1, 254))

    def port(self):
        return self.r.randint(1024, 65535)

    def host(self):
        return self.r.choice(LINUX_HOSTS)

    def pid(self):
        return self.r.randint(300, 4_000_000)

    def hexid(self, n):
        return "".join(self.r.choice("0123456789ABCDEF") for _ in range(n))

    def domain(self):
        r = self.r
        d = r.choice(DOMAINS)
        if r.random() < 0.5:
            d = r.choice(TLDS_WORDS) + str(r.randint(1, 99)) + "." + d
        return d

    def url_path(self, maxparts=5):
        r = self.r
        p = "/" + "/".join(r.choice(PATH_WORDS) for _ in range(r.randint(1, maxparts)))
        if r.random() < 0.4:
            p += "?" + "&".join("%s=%s" % (r.choice(TLDS_WORDS), self.hexid(r.randint(2, 16)).lower())
                                for _ in range(r.randint(1, 6)))
        return p

    def bsd(self, fac, sev, host, tag, msg):
        return "%s%s %s %s: %s" % (self.pri(fac, sev), self.bsd_ts(), host, tag, msg)

    # ---- message kinds -------------------------------------------------------
    def sshd(self):
        r = self.r
        u = r.choice(USERS)
        ip = self.ip_pub() if r.random() < 0.6 else self.ip_priv()
        k = r.random()
        if k < 0.35:
            m = "Failed password for %s%s from %s port %d ssh2" % (
                "invalid user " if r.random() < 0.4 else "", u, ip, self.port())
        elif k < 0.55:
            m = "Accepted %s for %s from %s port %d ssh2%s" % (
                r.choice(["password", "publickey"]), u, ip, self.port(),
                ": RSA SHA256:" + "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
                                          for _ in range(43)) if r.random() < 0.5 else "")
        elif k < 0.7:
            m = "pam_unix(sshd:session): session opened for user %s(uid=%d) by (uid=0)" % (u, r.randint(0, 60000))
        elif k < 0.8:
            m = "Invalid user %s from %s port %d" % (u, ip, self.port())
        elif k < 0.9:
            m = "Disconnected from authenticating user %s %s port %d [preauth]" % (u, ip, self.port())
        else:
            m = "Connection closed by %s port %d [preauth]" % (ip, self.port())
        return self.bsd(10, 6 if k >= 0.35 else 5, self.host(), "sshd[%d]" % self.pid(), m)

    def sudo(self):
        r = self.r
        u = r.choice(USERS[1:])
        m = "%8s : TTY=pts/%d ; PWD=/home/%s ; USER=root ; COMMAND=%s" % (
            u, r.randint(0, 9), u, r.choice(SUDO_CMDS))
        if r.random() < 0.1:
            m = "%8s : 3 incorrect password attempts ; TTY=pts/%d ; PWD=/home/%s ; USER=root ; COMMAND=%s" % (
                u, r.randint(0, 9), u, r.choice(SUDO_CMDS))
        return self.bsd(10, 5, self.host(), "sudo", m)

    def cron(self):
        r = self.r
        m = "(%s) CMD (%s)" % (r.choice(["root", "www-data", "backup", "postgres"]), r.choice(CRON_CMDS))
        return self.bsd(9, 6, self.host(), "CRON[%d]" % self.pid(), m)

    def postfix(self):
        r = self.r
        qid = self.hexid(r.choice([10, 11, 12]))
        to = "%s@%s" % (r.choice(MAIL_USERS), self.domain())
        frm = "%s@%s" % (r.choice(MAIL_USERS), self.domain())
        k = r.random()
        if k < 0.35:
            tag = "postfix/smtp[%d]" % self.pid()
            mx = "mx%d.%s" % (r.randint(1, 4), self.domain())
            status = r.choice(["sent (250 2.0.0 OK  %d %s - gsmtp)" % (int(self.t), self.hexid(12).lower()),
                               "sent (250 2.0.0 Ok: queued as %s)" % self.hexid(11),
                               "deferred (connect to %s[%s]:25: Connection timed out)" % (mx, self.ip_pub()),
                               "bounced (host %s[%s] said: 550 5.1.1 <%s>: Recipient address rejected: "
                               "User unknown in virtual mailbox table (in reply to RCPT TO command))" % (
                                   mx, self.ip_pub(), to)])
            m = "%s: to=<%s>, relay=%s[%s]:25, delay=%.2f, delays=%.2f/%.2f/%.2f/%.2f, dsn=%s, status=%s" % (
                qid, to, mx, self.ip_pub(), r.uniform(0.1, 30), r.uniform(0, 1), r.uniform(0, 1),
                r.uniform(0, 5), r.uniform(0, 5), r.choice(["2.0.0", "4.4.1", "5.1.1"]), status)
        elif k < 0.55:
            tag = "postfix/qmgr[%d]" % self.pid()
            m = "%s: from=<%s>, size=%d, nrcpt=%d (queue active)" % (qid, frm, r.randint(800, 9_000_000),
                                                                     r.randint(1, 5))
        elif k < 0.7:
            tag = "postfix/cleanup[%d]" % self.pid()
            m = "%s: message-id=<%s.%s@%s>" % (qid, self.hexid(16).lower(), self.hexid(8).lower(), self.domain())
        elif k < 0.85:
            tag = "postfix/smtpd[%d]" % self.pid()
            m = "connect from %s[%s]" % (r.choice(["unknown", "mail-" + r.choice(TLDS_WORDS) + "." + self.domain()]),
                                        self.ip_pub())
        else:
            tag = "postfix/smtpd[%d]" % self.pid()
            m = ("NOQUEUE: reject: RCPT from unknown[%s]: 554 5.7.1 Service unavailable; Client host [%s] "
                 "blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/%s; from=<%s> to=<%s> "
                 "proto=ESMTP helo=<%s>") % (self.ip_pub(), self.ip_pub(), self.ip_pub(), frm, to,
                                             r.choice(TLDS_WORDS) + ".example")
        return self.bsd(2, 6, r.choice(["mail01", "mx02"]), tag, m)

    def netfilter(self):
        r = self.r
        proto = r.choice(["TCP", "TCP", "TCP", "UDP", "ICMP"])
        mac = ":".join("%02x" % r.randint(0, 255) for _ in range(14))
        src, dst = (self.ip_pub(), self.ip_priv()) if r.random() < 0.7 else (self.ip_priv(), self.ip_pub())
        m = "[%.6f] %s IN=%s OUT=%s MAC=%s SRC=%s DST=%s LEN=%d TOS=0x00 PREC=0x00 TTL=%d ID=%d %sPROTO=%s" % (
            self.uptime, r.choice(["IPTABLES-DROP:", "[UFW BLOCK]", "nft-drop-in:", "FW-ACCEPT:"]),
            r.choice(IFACES), r.choice(["", "", r.choice(IFACES)]), mac, src, dst, r.randint(40, 1500),
            r.randint(30, 128), r.randint(0, 65535), "DF " if r.random() < 0.6 else "", proto)
        if proto == "TCP":
            m += " SPT=%d DPT=%d WINDOW=%d RES=0x00 %s URGP=0" % (
                self.port(), r.choice([22, 23, 80, 443, 445, 3389, 8080, 3306, 5900, r.randint(1, 65535)]),
                r.randint(1024, 65535), r.choice(["SYN", "ACK PSH", "ACK FIN", "RST"]))
        elif proto == "UDP":
            m += " SPT=%d DPT=%d LEN=%d" % (self.port(), r.choice([53, 123, 161, 500, 1900, 5353]),
                                            r.randint(8, 512))
        else:
            m += " TYPE=8 CODE=0 ID=%d SEQ=%d" % (r.randint(1, 65535), r.randint(1, 9999))
        return self.bsd(0, 4, r.choice(["fw01", "vpn-gw", "web01", "bastion"]), "kernel", m)

    def squid(self, long=False):
        r = self.r
        code = r.choice(SQUID_CODES)
        method = "CONNECT" if code.startswith("TCP_TUNNEL") else r.choice(["GET", "GET", "GET", "POST", "HEAD"])
        d = self.domain()
        if method == "CONNECT":
            url = "%s:443" % d
        else:
            url = "http://%s%s" % (d, self.url_path(12 if long else 5))
            if long:
                url += "&data=" + "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789%")
                                          for _ in range(r.randint(600, 3200)))
        m = "%.3f %6d %s %s %d %s %s %s HIER_DIRECT/%s %s" % (
            self.t, r.randint(1, 60000), self.ip_priv(), code, r.randint(200, 5_000_000), method, url,
            r.choice(USERS) if r.random() < 0.3 else "-", self.ip_pub(), r.choice(MIME))
        return self.bsd(16, 6, "proxy01", "squid[%d]" % r.randint(1000, 3000), m)

    def named(self):
        r = self.r
        q = self.domain()
        m = "client @0x7f%s %s#%d (%s): query: %s IN %s %s (%s)" % (
            self.hexid(10).lower(), self.ip_priv(), self.port(), q, q, r.choice(RRTYPES),
            r.choice(["+", "+E(0)", "+E(0)K", "-E(0)DC", "+ED"]), r.choice(["10.0.0.53", "10.0.1.53"]))
        if r.random() < 0.1:
            m = "client @0x7f%s %s#%d (%s): query (cache) '%s/%s/IN' denied" % (
                self.hexid(10).lower(), self.ip_pub(), self.port(), q, q, r.choice(RRTYPES))
        return self.bsd(3, 6, r.choice(["ns1", "ns2"]), "named[%d]" % r.randint(500, 900), m)

    def asa(self):
        r = self.r
        self.conn_id += r.randint(1, 50)
        tm = time.gmtime(self.t)
        ts = "%s %02d %04d %02d:%02d:%02d" % (MONTHS[tm.tm_mon - 1], tm.tm_mday, tm.tm_year, tm.tm_hour,
                                              tm.tm_min, tm.tm_sec)
        inside, outside = self.ip_priv(), self.ip_pub()
        k = r.random()
        if k < 0.45:
            proto = r.choice(["TCP", "UDP"])
            dport = r.choice([443, 80, 53, 25, 123, 8443])
            mapped = "203.0.113.%d" % r.randint(1, 254)
            sp = self.port()
            m = "%%ASA-6-%s: Built outbound %s connection %d for outside:%s/%d (%s/%d) to inside:%s/%d (%s/%d)" % (
                "302013" if proto == "TCP" else "302015", proto, self.conn_id, outside, dport, outside, dport,
                inside, sp, mapped, sp)
        elif k < 0.8:
            m = ("%%ASA-6-302014: Teardown TCP connection %d for outside:%s/%d to inside:%s/%d duration %d:%02d:%02d "
                 "bytes %d %s") % (self.conn_id - r.randint(1, 5000), outside, r.choice([443, 80, 25]), inside,
                                   self.port(), r.randint(0, 2), r.randint(0, 59), r.randint(0, 59),
                                   r.randint(0, 90_000_000), r.choice(["TCP FINs", "TCP Reset-I", "TCP Reset-O",
                                                                       "Conn-timeout", "SYN Timeout"]))
        elif k < 0.95:
            m = ('%%ASA-4-106023: Deny tcp src outside:%s/%d dst %s:%s/%d by access-group "%s" [0x%s, 0x0]') % (
                outside, self.port(), r.choice(ASA_IFS), inside, r.choice([22, 445, 3389, 1433, 23]),
                r.choice(["outside_access_in", "dmz_in", "acl_guest"]), self.hexid(8).lower())
        else:
            m = ("%%ASA-6-113004: AAA user authentication Successful : server =  %s : user = %s" %
                 (self.ip_priv(), r.choice(USERS)))
        sev = int(m[5])
        return "%s%s %s : %s" % (self.pri(20, sev), ts, r.choice(["asa01", "asa02", "fw-edge"]), m)

    def ios(self):
        r = self.r
        self.ios_seq += 1
        tm = time.gmtime(self.t)
        ts = "*%s %2d %02d:%02d:%02d.%03d" % (MONTHS[tm.tm_mon - 1], tm.tm_mday, tm.tm_hour, tm.tm_min,
                                               tm.tm_sec, int((self.t % 1) * 1000))
        k = r.random()
        if k < 0.3:
            st = r.choice(["up", "down"])
            m = "%%LINEPROTO-5-UPDOWN: Line protocol on Interface %s, changed state to %s" % (r.choice(IOS_IFS), st)
            sev = 5
        elif k < 0.6:
            m = "%%SEC-6-IPACCESSLOGP: list %s %s %s %s(%d) -> %s(%d), %d packet%s" % (
                r.choice(["101", "ACL-IN", "MGMT"]), r.choice(["permitted", "denied"]), r.choice(["tcp", "udp"]),
                self.ip_pub(), self.port(), self.ip_priv(), r.choice([22, 23, 161, 443]), r.randint(1, 40),
                r.choice(["", "s"]))
            sev = 6
        elif k < 0.8:
            m = "%%SYS-5-CONFIG_I: Configured from console by %s on vty%d (%s)" % (
                r.choice(USERS), r.randint(0, 4), self.ip_priv())
            sev = 5
        else:
            m = ("%%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: %s] [Source: %s] [localport: 22] "
                 "[Reason: Login Authentication Failed] at %02d:%02d:%02d UTC %s %s %d %d") % (
                r.choice(USERS), self.ip_pub(), tm.tm_hour, tm.tm_min, tm.tm_sec,
                ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][tm.tm_wday], MONTHS[tm.tm_mon - 1], tm.tm_mday,
                tm.tm_year)
            sev = 4
        return "%s%d: %s: %s: %s" % (self.pri(23, sev), self.ios_seq, r.choice(["rtr-core1", "sw-acc-03", "rtr-br2"]),
                                    ts, m)

    def rfc5424(self):
        r = self.r
        app = r.choice(APP_NAMES)
        sd = '[meta@32473 sequenceId="%d" sysUpTime="%d" language="en-US"]' % (self.n, int(self.uptime))
        if r.random() < 0.6:
            sd += '[origin ip="%s" software="%s" swVersion="%d.%d.%d"]' % (
                self.ip_priv(), app, r.randint(1, 9), r.randint(0, 30), r.randint(0, 200))
        if r.random() < 0.3:
            sd += '[req@32473 id="%s" user="%s" path="%s" status="%d"]' % (
                self.hexid(32).lower(), r.choice(USERS), self.url_path(4).replace('"', ''),
                r.choice([200, 201, 204, 301, 400, 401, 403, 404, 500, 503]))
        msgs = ["order %d accepted for customer %d, total=%.2f JPY" % (r.randint(1, 10**8), r.randint(1, 10**6),
                                                                     r.uniform(100, 500000)),
                "user %s logged in from %s using method %s" % (r.choice(USERS), self.ip_pub(),
                                                               r.choice(["password", "saml", "oidc", "mfa-totp"])),
                "token refresh failed: upstream %s:%d timed out after %d ms" % (self.domain(), r.choice([443, 8443]),
                                                                               r.randint(100, 30000)),
                "job %s finished in %.3fs, %d rows" % (self.hexid(8).lower(), r.uniform(0.01, 900), r.randint(0, 10**7))]
        bom = "\ufeff" if r.random() < 0.2 else ""
        zone = r.choice(["Z", "+09:00", "+00:00", "-05:00"])
        return "%s1 %s %s.%s %s %d %s %s %s%s" % (
            self.pri(r.choice([1, 16, 17, 20]), r.randint(2, 7)), self.iso_ts(r.choice([0, 3, 6]), zone),
            r.choice(["app-prod-17", "app-prod-18", "k8s-node-04"]), "corp.example.net", app, self.pid(),
            r.choice(["ID47", "AUDIT", "-", "REQ"]), sd, bom, r.choice(msgs))

    def nxlog_windows(self):
        r = self.r
        h = r.choice(WIN_HOSTS)
        u = r.choice(USERS)
        ev = r.choice([4624, 4625, 4634, 4672, 4648, 4768, 4776])
        texts = {
            4624: "An account was successfully logged on.",
            4625: "An account failed to log on.",
            4634: "An account was logged off.",
            4672: "Special privileges assigned to new logon.",
            4648: "A logon was attempted using explicit credentials.",
            4768: "A Kerberos authentication ticket (TGT) was requested.",
            4776: "The computer attempted to validate the credentials for an account.",
        }
        kv = ("EventTime=%s Hostname=%s.corp.example.net Keywords=-9214364837600034816 EventType=AUDIT_%s "
              "SeverityValue=2 Severity=INFO EventID=%d SourceName=Microsoft-Windows-Security-Auditing "
              "ProviderGuid={54849625-5478-4994-A5BA-3E3B0328C30D} Version=2 Task=12544 OpcodeValue=0 "
              "RecordNumber=%d ProcessID=%d ThreadID=%d Channel=Security "
              "Message=%s Subject: Security ID: S-1-5-18 Account Name: %s$ Account Domain: CORP Logon ID: 0x3E7 "
              "Logon Type: %d New Logon: Security ID: S-1-5-21-%d-%d-%d-%d Account Name: %s Account Domain: CORP "
              "Logon ID: 0x%s Workstation Name: %s Source Network Address: %s Source Port: %d "
              "Logon Process: %s Authentication Package: %s") % (
            self.iso_ts(0, "").replace("T", " "), h, "FAILURE" if ev == 4625 else "SUCCESS", ev,
            r.randint(10**6, 10**9), r.randint(500, 900), r.randint(100, 9000), texts[ev], h,
            r.choice([2, 3, 3, 3, 5, 10]), r.randint(10**8, 4 * 10**9), r.randint(10**8, 4 * 10**9),
            r.randint(10**8, 4 * 10**9), r.randint(500, 20000), u, self.hexid(8), r.choice(WIN_HOSTS),
            self.ip_priv() if r.random() < 0.8 else self.ip_pub(), self.port(),
            r.choice(["NtLmSsp", "Kerberos", "User32", "Advapi"]), r.choice(["NTLM", "Kerberos", "Negotiate"]))
        return self.bsd(1, 5 if ev == 4625 else 6, h, "Microsoft-Windows-Security-Auditing[%d]" % r.randint(500, 900),
                        kv)

    def snare_windows(self):
        r = self.r
        h = r.choice(WIN_HOSTS)
        tm = time.gmtime(self.t)
        wts = "%s %s %2d %02d:%02d:%02d %d" % (["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][tm.tm_wday],
                                               MONTHS[tm.tm_mon - 1], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                                               tm.tm_year)
        ev = r.choice([4624, 4625, 4688, 4720, 4732, 1102, 7045])
        desc = {
            4624: "An account was successfully logged on.",
            4625: "An account failed to log on.",
            4688: "A new process has been created.",
            4720: "A user account was created.",
            4732: "A member was added to a security-enabled local group.",
            1102: "The audit log was cleared.",
            7045: "A service was installed in the system.",
        }[ev]
        fields = ["MSWinEventLog", "1", "Security", str(r.randint(10**5, 10**8)), wts, str(ev),
                  "Microsoft-Windows-Security-Auditing", "CORP\\" + r.choice(USERS), "N/A",
                  "Failure Audit" if ev == 4625 else "Success Audit", h, r.choice(["Logon", "Process Creation",
                                                                                    "User Account Management"]),
                  "", "%s  Subject:  Security ID: S-1-5-21-%d  Account Name: %s  Account Domain: CORP  "
                      "Logon ID: 0x%s  Process Name: %s  Source Network Address: %s" % (
                      desc, r.randint(10**8, 4 * 10**9), r.choice(USERS), self.hexid(6), r.choice(WIN_PROCS),
                      self.ip_priv()),
                  str(r.randint(1, 10**6))]
        return "%s%s %s %s" % (self.pri(1, 6), self.bsd_ts(), h, "\t".join(fields))

    def paloalto(self):
        r = self.r
        tm = time.gmtime(self.t)
        ts = "%04d/%02d/%02d %02d:%02d:%02d" % (tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec)
        src, dst = self.ip_priv(), self.ip_pub()
        app = r.choice(["ssl", "web-browsing", "dns-base", "ms-office365-base", "smtp-base", "ssh", "incomplete",
                        "google-base", "windows-update"])
        action = r.choice(["allow", "allow", "allow", "deny", "drop", "reset-both"])
        fields = ["1", ts, "0%011d" % r.randint(10**9, 10**10), "TRAFFIC", r.choice(["end", "start", "drop", "deny"]),
                  "2561", ts, src, dst, "203.0.113.%d" % r.randint(1, 254), dst,
                  r.choice(["allow-outbound-web", "allow-dns", "deny-all", "block-known-bad"]),
                  r.choice(["corp\\" + r.choice(USERS), ""]), "", app, "vsys1", "trust", "untrust",
                  "ethernet1/2", "ethernet1/1", "fwd-to-siem", ts, str(r.randint(10**5, 10**7)), "1",
                  str(self.port()), str(r.choice([443, 80, 53, 25, 22])), str(self.port()),
                  str(r.choice([443, 80, 53, 25, 22])), "0x%x" % r.choice([0x400000, 0x400019, 0x19, 0x0]),
                  r.choice(["tcp", "udp"]), action, str(r.randint(60, 10**7)), str(r.randint(60, 10**6)),
                  str(r.randint(60, 10**7)), str(r.randint(1, 9000)), ts, str(r.randint(0, 3600)),
                  r.choice(["computer-and-internet-info", "business-and-economy", "any", "unknown"]), "0",
                  str(r.randint(10**17, 10**18)), "0x8000000000000000", "10.0.0.0-10.255.255.255",
                  r.choice(["United States", "Japan", "Germany", "Netherlands", "China"]), "0",
                  str(r.randint(1, 9000)), str(r.randint(1, 9000)),
                  r.choice(["tcp-fin", "tcp-rst-from-client", "aged-out", "policy-deny", "n/a"]),
                  "0", "0", "0", "0", "", r.choice(["PA-3220-1", "PA-850-edge"]), "from-policy", "", "", "0", "", "0",
                  "", "N/A", "0", "0", "0", "0", self.hexid(8).lower() + "-" + self.hexid(4).lower(), "0", "0"]
        # PAN-OS BSD format: no tag, the CSV record follows the hostname
        return "%s%s %s %s" % (self.pri(1, 6), self.bsd_ts(), r.choice(["pa-fw01", "pa-fw02"]), ",".join(fields))

    def auditd(self):
        r = self.r
        serial = r.randint(10**5, 10**8)
        hdr = "type=%s msg=audit(%.3f:%d): " % (r.choice(["SYSCALL", "EXECVE", "USER_AUTH", "USER_CMD"]), self.t,
                                                 serial)
        k = r.random()
        if k < 0.5:
            m = hdr.replace(hdr.split()[0], "type=SYSCALL") + (
                'arch=c000003e syscall=59 success=yes exit=0 a0=%s a1=%s a2=%s a3=0 items=2 ppid=%d pid=%d '
                'auid=%d uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts%d ses=%d comm="%s" '
                'exe="%s" subj=unconfined key="%s"') % (
                self.hexid(12).lower(), self.hexid(12).lower(), self.hexid(12).lower(), self.pid(), self.pid(),
                r.randint(1000, 1100), r.randint(0, 5), r.randint(1, 900),
                r.choice(["bash", "curl", "wget", "nc", "python3", "sshd", "crontab"]),
                r.choice(["/usr/bin/bash", "/usr/bin/curl", "/usr/bin/wget", "/usr/bin/nc.openbsd", "/usr/bin/python3.11"]),
                r.choice(["exec_log", "priv_esc", "susp_activity", "T1059"]))
        elif k < 0.8:
            args = [r.choice(["curl", "wget", "bash", "python3"]), "-s", "http://%s%s" % (self.domain(), self.url_path(4)),
                    "-o", "/tmp/." + self.hexid(6).lower()]
            m = hdr.replace(hdr.split()[0], "type=EXECVE") + "argc=%d %s" % (
                len(args), " ".join('a%d="%s"' % (i, a) for i, a in enumerate(args)))
        else:
            m = hdr.replace(hdr.split()[0], "type=USER_AUTH") + (
                "pid=%d uid=0 auid=%d ses=%d subj=unconfined msg='op=PAM:authentication grantors=%s acct=\"%s\" "
                "exe=\"/usr/sbin/sshd\" hostname=%s addr=%s terminal=ssh res=%s'") % (
                self.pid(), r.randint(1000, 1100), r.randint(1, 900), r.choice(["pam_unix", "?"]), r.choice(USERS),
                self.ip_pub(), self.ip_pub(), r.choice(["success", "failed"]))
        return self.bsd(13, 5, self.host(), "audit", m) if r.random() < 0.5 else self.bsd(
            13, 5, self.host(), "auditd[%d]" % r.randint(300, 900), m)

    def long_line(self):
        r = self.r
        k = r.random()
        if k < 0.4:
            # Windows 4688 with a long (encoded PowerShell) command line
            h = r.choice(WIN_HOSTS)
            enc = "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
                          for _ in range(r.randint(800, 3400)))
            m = ("EventID=4688 Channel=Security Hostname=%s Message=A new process has been created. "
                 "Creator Subject: Account Name: %s Account Domain: CORP New Process Name: %s "
                 "Token Elevation Type: %%%%1936 Creator Process Name: C:\\Windows\\System32\\cmd.exe "
                 "Process Command Line: powershell.exe -NoProfile -NonInteractive -WindowStyle Hidden "
                 "-ExecutionPolicy Bypass -EncodedCommand %s") % (h, r.choice(USERS), r.choice(WIN_PROCS), enc)
            return self.bsd(1, 6, h, "Microsoft-Windows-Security-Auditing[%d]" % r.randint(500, 900), m)
        if k < 0.7:
            # JSON application log with a stack trace flattened to one line
            frames = " | ".join("at com.example.%s.%s(%s.java:%d)" % (
                r.choice(TLDS_WORDS), r.choice(["handle", "process", "invoke", "run", "call", "apply"]),
                r.choice(["Handler", "Service", "Dispatcher", "Worker"]), r.randint(10, 2000))
                for _ in range(r.randint(10, 60)))
            m = ('{"ts":"%s","level":"ERROR","logger":"com.example.%s","thread":"http-nio-8080-exec-%d",'
                 '"trace_id":"%s","msg":"unhandled exception while processing request","exception":'
                 '"java.lang.IllegalStateException: connection pool exhausted | %s"}') % (
                self.iso_ts(3, "Z"), r.choice(APP_NAMES), r.randint(1, 200), self.hexid(32).lower(), frames)
            return self.bsd(16, 3, r.choice(["app-prod-17", "app-prod-18"]), r.choice(APP_NAMES) + "[%d]" % self.pid(), m)
        return self.squid(long=True)


# (method name, weight in percent)
MIX = [
    ("sshd", 9), ("sudo", 3), ("cron", 3), ("postfix", 10), ("netfilter", 14), ("squid", 9),
    ("named", 7), ("asa", 11), ("ios", 4), ("rfc5424", 9), ("nxlog_windows", 5),
    ("snare_windows", 4), ("paloalto", 6), ("auditd", 5), ("long_line", 1),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-size", type=int, default=4096, help="lines longer than this are cut (bytes, without LF)")
    ap.add_argument("--fixed-size", type=int, default=0,
                    help="make every line exactly this long (bytes, without LF): the uniform set")
    a = ap.parse_args()

    g = Gen(a.seed)
    names = [m for m, _ in MIX]
    weights = [w for _, w in MIX]
    fns = [getattr(g, n) for n in names]
    picks = g.r.choices(range(len(fns)), weights=weights, k=a.count)
    sizes_sum = 0
    mn, mx = 1 << 30, 0
    per_kind = [0] * len(fns)
    buckets = {80: 0, 150: 0, 300: 0, 600: 0, 1500: 0, 1 << 30: 0}
    with open(a.out, "wb", buffering=1 << 20) as f:
        out = []
        for i, k in enumerate(picks):
            g.tick()
            b = fns[k]().encode("utf-8")
            if len(b) < 80:
                b += b" " + b"-" * (79 - len(b))  # pad the rare very short one up to the 80-byte floor
            if len(b) > a.max_size:
                b = b[:a.max_size]
            if a.fixed_size:  # cut at a character boundary, then pad
                b = b[:a.fixed_size].decode("utf-8", "ignore").encode("utf-8")
                b = b.ljust(a.fixed_size, b".")
            assert b"\n" not in b and b"\0" not in b
            n = len(b)
            sizes_sum += n
            mn, mx = min(mn, n), max(mx, n)
            per_kind[k] += 1
            for lim in buckets:
                if n < lim:
                    buckets[lim] += 1
                    break
            out.append(b)
            if len(out) >= 4096:
                f.write(b"\n".join(out) + b"\n")
                out = []
        if out:
            f.write(b"\n".join(out) + b"\n")
    mean = sizes_sum / max(1, a.count)
    sys.stderr.write("gen_mixed: %d lines, %d bytes (without LF), size min %d / mean %.1f / max %d\n" % (
        a.count, sizes_sum, mn, mean, mx))
    sys.stderr.write("gen_mixed: mix " + ", ".join("%s=%d" % (names[i], per_kind[i]) for i in range(len(names))) + "\n")
    prev = 0
    parts = []
    for lim, c in buckets.items():
        parts.append("[%d,%s)=%d" % (prev, "inf" if lim == 1 << 30 else lim, c))
        prev = lim
    sys.stderr.write("gen_mixed: sizes " + " ".join(parts) + "\n")


if __name__ == "__main__":
    main()
