// slapd's `loglevel stats` lines, one per connection event or operation step:
//
//   conn=1000 fd=12 ACCEPT from IP=10.0.0.5:51234 (IP=0.0.0.0:389)
//   conn=1000 op=0 BIND dn="cn=admin,dc=example,dc=com" method=128
//   conn=1000 op=0 RESULT tag=97 err=49 text=
//   conn=1000 op=1 MOD attr=userPassword shadowLastChange
//   conn=1000 fd=12 closed (connection lost)
//
// slapd 2.5/2.6 writing to its own log file prefixes "<hex time>.<hex ns> 0x<thread id> ".
// Each line gives only what it says; the correlator adds what other lines of the same
// connection said.

#include "normalize/directory/directory.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

constexpr std::string_view kNormalizer = "slapd";

bool IsHex(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

bool IsDigits(std::string_view s) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "6565a1b2.1c2d3e4f 0x7f1234567890 conn=..." → "conn=...".
std::string_view StripLogFilePrefix(std::string_view m) {
  auto first = Cut(m, ' ');
  if (!first) return m;
  auto stamp = Cut(first->before, '.');
  if (!stamp || !IsHex(stamp->before) || !IsHex(stamp->after)) return m;
  auto second = Cut(first->after, ' ');
  if (!second || !second->before.starts_with("0x") || !IsHex(second->before.substr(2))) return m;
  return second->after;
}

// The next blank-delimited word of `s` from `*pos`.
std::string_view Word(std::string_view s, size_t* pos) {
  while (*pos < s.size() && s[*pos] == ' ') ++*pos;
  size_t start = *pos;
  while (*pos < s.size() && s[*pos] != ' ') ++*pos;
  return s.substr(start, *pos - start);
}

// key="value" anywhere in the line (value runs to the next '"').
std::optional<std::string_view> Quoted(std::string_view s, std::string_view key) {
  size_t p = s.find(key);
  while (p != std::string_view::npos && p != 0 && s[p - 1] != ' ') p = s.find(key, p + 1);
  if (p == std::string_view::npos) return std::nullopt;
  p += key.size();
  size_t e = s.find('"', p);
  if (e == std::string_view::npos) return std::nullopt;
  return s.substr(p, e - p);
}

// "10.0.0.5:51234" or "[::1]:47270" → address and port.
void AddIpPort(std::string_view v, Field ip, Field port, Event* out) {
  std::string_view addr;
  std::string_view p;
  if (v.starts_with('[')) {
    auto c = Cut(v.substr(1), "]:");
    if (!c) return;
    addr = c->before;
    p = c->after;
  } else {
    size_t colon = v.rfind(':');
    if (colon == std::string_view::npos) return;
    addr = v.substr(0, colon);
    p = v.substr(colon + 1);
  }
  if (!IsIpText(addr) || !IsDigits(p)) return;
  if (addr != "0.0.0.0" && addr != "::") out->Add(ip, addr);
  out->Add(port, p);
}

struct LdapCode {
  int code;
  std::string_view text;
};

// RFC 4511 result codes as slapd's stats lines give them (err=N).
constexpr LdapCode kCodes[] = {
    {0, "success"},
    {1, "operations error"},
    {2, "protocol error"},
    {3, "time limit exceeded"},
    {4, "size limit exceeded"},
    {7, "auth method not supported"},
    {8, "stronger auth required"},
    {10, "referral"},
    {11, "admin limit exceeded"},
    {13, "confidentiality required"},
    {14, "SASL bind in progress"},
    {16, "no such attribute"},
    {17, "undefined attribute type"},
    {19, "constraint violation"},
    {20, "attribute or value exists"},
    {21, "invalid attribute syntax"},
    {32, "no such object"},
    {34, "invalid DN syntax"},
    {48, "inappropriate authentication"},
    {49, "invalid credentials"},
    {50, "insufficient access rights"},
    {51, "busy"},
    {52, "unavailable"},
    {53, "unwilling to perform"},
    {64, "naming violation"},
    {65, "object class violation"},
    {66, "not allowed on non-leaf"},
    {68, "entry already exists"},
    {80, "other"},
};

void AddResult(std::string_view rest, Event* out) {
  std::optional<std::string_view> err = ValueAfter(rest, "err", " ");
  if (!err || !IsDigits(*err)) return;
  const int code = static_cast<int>(*ParseInt(*err));
  out->Add(Field::kEventOutcome, code == 0 ? "success" : "failure");
  std::string reason = "err=";
  reason.append(*err);
  for (const LdapCode& c : kCodes) {
    if (c.code == code) reason.append(" ").append(c.text);
  }
  // text= is the last key; what follows is the server's diagnostic message.
  size_t t = rest.find(" text=");
  if (t != std::string_view::npos) {
    std::string_view text = Trim(rest.substr(t + 6));
    if (!text.empty()) reason.append(": ").append(text);
  }
  out->Add(Field::kEventReason, reason);
}

struct Verb {
  std::string_view word;
  std::string_view action;
  bool write;
};

constexpr Verb kVerbs[] = {
    {"BIND", "bind", false},
    {"SRCH", "search", false},
    {"ADD", "add", true},
    {"MOD", "modify", true},
    {"DEL", "delete", true},
    {"MODRDN", "rename", true},
    {"PASSMOD", "password-change", true},
    {"EXT", "extended-operation", false},
    {"UNBIND", "unbind", false},
    {"CMP", "compare", false},
    {"ABANDON", "abandon", false},
    {"STARTTLS", "starttls", false},
};

void AddCommon(Event* out) {
  out->Add(Field::kKirokuNormalizer, kNormalizer);
  out->Add(Field::kObserverType, "directory");
  out->Add(Field::kObserverVendor, "OpenLDAP");
  out->Add(Field::kObserverProduct, "OpenLDAP");
}

void ParseConnLine(std::string_view fd_rest, Event* out) {
  size_t pos = 0;
  std::string_view what = Word(fd_rest, &pos);
  std::string_view rest = fd_rest.substr(pos);
  if (what == "ACCEPT") {
    out->Add(Field::kEventAction, "connect");
    if (auto from = ValueAfter(rest, "from IP", " ")) {
      AddIpPort(*from, Field::kSourceIp, Field::kSourcePort, out);
    }
    if (auto to = Between(rest, "(IP=", ")")) {
      AddIpPort(*to, Field::kDestinationIp, Field::kDestinationPort, out);
    }
  } else if (what == "closed") {
    out->Add(Field::kEventAction, "disconnect");
    if (auto why = Between(rest, "(", ")")) out->Add(Field::kEventReason, *why);
  } else if (what == "TLS") {
    out->Add(Field::kEventAction, "tls-established");
  }
}

void ParseOpLine(std::string_view verb, std::string_view rest, const Config& config, Event* out) {
  if (verb == "RESULT" || (verb == "SEARCH" && rest.starts_with(" RESULT "))) {
    out->Add(Field::kEventAction, "result");
    AddResult(rest, out);
    return;
  }
  const Verb* v = nullptr;
  for (const Verb& candidate : kVerbs) {
    if (candidate.word == verb) v = &candidate;
  }
  if (v == nullptr) return;
  out->Add(Field::kEventAction, v->action);
  std::optional<std::string_view> dn;
  if (verb == "SRCH") {
    dn = Quoted(rest, "base=\"");
  } else if (verb == "PASSMOD") {
    dn = Quoted(rest, "id=\"");
  } else {
    dn = Quoted(rest, "dn=\"");
  }
  if (dn) out->Add(Field::kLdapDn, *dn);
  if (verb == "BIND") {
    out->AddUnique(Field::kEventCategory, "authentication");
    if (auto authcid = Quoted(rest, "authcid=\"")) {
      out->Add(Field::kUserName, *authcid);
    } else if (dn) {
      out->Add(Field::kUserName, *dn);
    }
    if (dn && !dn->empty() && config.IsAdmin(*dn)) out->AddBool(Field::kKirokuAdmin, true);
  }
  if (verb == "MOD" && !dn) {
    if (auto attrs = Cut(rest, "attr=")) out->Add(Field::kEventReason, attrs->after);
  }
  if (v->write) out->AddBool(Field::kKirokuAdmin, true);
}

}  // namespace

bool NormalizeSlapdStats(const Input& in, const Config& config, Event* out) {
  const bool slapd_app = in.app == "slapd";
  std::string_view m = in.message;
  if (!slapd_app && !m.starts_with("conn=") && !(m.size() > 18 && m[8] == '.')) return false;
  m = StripLogFilePrefix(m);
  if (!m.starts_with("conn=")) {
    if (!slapd_app) return false;
    AddCommon(out);  // a slapd line, but not a stats line: only what is certain
    return true;
  }
  size_t pos = 0;
  std::string_view conn = Word(m, &pos);
  std::string_view second = Word(m, &pos);
  if (!IsDigits(conn.substr(5)) && conn != "conn=-1") {
    if (!slapd_app) return false;
    AddCommon(out);
    return true;
  }
  const bool op_line = second.starts_with("op=") && IsDigits(second.substr(3));
  const bool fd_line = second.starts_with("fd=") && IsDigits(second.substr(3));
  if (!op_line && !fd_line) {
    if (!slapd_app) return false;
    AddCommon(out);
    return true;
  }
  AddCommon(out);
  out->AddUnique(Field::kEventCategory, "iam");
  out->Add(Field::kNetworkProtocol, "ldap");
  if (fd_line) {
    out->Add(Field::kLdapSession, conn);
    ParseConnLine(m.substr(pos), out);
    return true;
  }
  out->Add(Field::kLdapSession, m.substr(0, pos));
  size_t vpos = pos;
  std::string_view verb = Word(m, &vpos);
  ParseOpLine(verb, m.substr(vpos), config, out);
  return true;
}

}  // namespace kiroku::normalize
