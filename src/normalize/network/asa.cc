#include "normalize/network/asa.h"

#include <optional>

#include "normalize/network/internal/asa_connection.h"
#include "normalize/network/internal/flow.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

using internal::AddEndpoint;
using internal::AddTransport;

struct Sock {
  std::string_view ip;
  std::string_view port;  // may be empty (ICMP, reverse-path messages)
};

// "10.0.0.1/443" or "10.0.0.1": the address is everything up to the last '/'.
Sock SplitAddrPort(std::string_view t) {
  size_t slash = t.rfind('/');
  if (slash == std::string_view::npos) return {t, {}};
  return {t.substr(0, slash), t.substr(slash + 1)};
}

// The token at the start of `s` up to a blank, '(' or ',' (or the end).
std::string_view Token(std::string_view s) {
  size_t e = s.find_first_of(" (,\t");
  return e == std::string_view::npos ? s : s.substr(0, e);
}

// After `marker` (e.g. "from "): the token there.
std::optional<std::string_view> TokenAfter(std::string_view s, std::string_view marker) {
  size_t p = s.find(marker);
  if (p == std::string_view::npos) return std::nullopt;
  return Token(s.substr(p + marker.size()));
}

// "inside:10.0.0.1/1234" with the interface name possibly holding blanks ("NP Identity Ifc").
// `s` starts at the interface name; returns the socket and sets *rest to the text after it.
std::optional<Sock> IfcSock(std::string_view s, std::string_view* rest) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view after = Trim(s.substr(colon + 1));
  std::string_view tok = Token(after);
  if (rest) *rest = after.substr(tok.size());
  Sock sock = SplitAddrPort(tok);
  if (!IsIpText(sock.ip)) return std::nullopt;
  return sock;
}

// "(LOCAL\jdoe)" or " (LOCAL\jdoe, sg)" right after a socket: the identity-firewall user.
std::string_view UserAfter(std::string_view rest) {
  rest = Trim(rest);
  if (rest.empty() || rest[0] != '(') return {};
  size_t e = rest.find_first_of(",)");
  if (e == std::string_view::npos) return {};
  std::string_view u = Trim(rest.substr(1, e - 1));
  if (u.find('\\') == std::string_view::npos || u.find(' ') != std::string_view::npos) return {};
  return u;
}

void Deny(Event* out) {
  out->Add(Field::kEventAction, "deny");
  out->Add(Field::kEventOutcome, "failure");
}

void Allow(Event* out) {
  out->Add(Field::kEventAction, "allow");
  out->Add(Field::kEventOutcome, "success");
}

// "... from A/p to B/p ...": 106001, 106006, 106007, 106015.
bool FromTo(std::string_view body, Event* out) {
  std::optional<std::string_view> a = TokenAfter(body, " from ");
  std::optional<std::string_view> b = TokenAfter(body, " to ");
  if (!a || !b) return false;
  Sock s = SplitAddrPort(*a);
  Sock d = SplitAddrPort(*b);
  if (!IsIpText(s.ip) || !IsIpText(d.ip)) return false;
  AddEndpoint(out, true, s.ip, s.port);
  AddEndpoint(out, false, d.ip, d.port);
  return true;
}

// 106014 "Deny inbound icmp src outside:IP dst inside:IP (type 8, code 0)" and
// 106023 "Deny tcp src outside:IP/p dst dmz:IP/p by access-group "acl" [..]".
bool SrcDst(std::string_view body, Event* out) {
  size_t sp = body.find(" src ");
  size_t dp = body.find(" dst ");
  if (sp == std::string_view::npos || dp == std::string_view::npos || dp < sp) return false;
  std::string_view rest;
  std::optional<Sock> s = IfcSock(body.substr(sp + 5, dp - sp - 5), &rest);
  std::string_view src_user = UserAfter(rest);
  std::optional<Sock> d = IfcSock(body.substr(dp + 5), nullptr);
  if (!s || !d) return false;
  AddEndpoint(out, true, s->ip, s->port);
  AddEndpoint(out, false, d->ip, d->port);
  if (!src_user.empty()) internal::AddUser(out, src_user);
  if (std::optional<std::string_view> acl = Between(body, "access-group \"", "\"")) {
    out->Add(Field::kRuleName, *acl);
  }
  // The protocol is the word after "Deny" ("Deny inbound icmp" for 106014, "Deny protocol 47").
  std::string_view head = body.substr(0, sp);
  size_t last = head.rfind(' ');
  if (last != std::string_view::npos) AddTransport(out, head.substr(last + 1));
  return true;
}

// 106100 "access-list NAME permitted|denied|est-allowed PROTO ifc/IP(port) [(user)] ->
// ifc/IP(port) hit-cnt N ..."
bool AccessList(std::string_view body, Event* out) {
  if (body.substr(0, 12) != "access-list ") return false;
  std::string_view rest = body.substr(12);
  auto name = Cut(rest, ' ');
  if (!name) return false;
  auto verb = Cut(name->after, ' ');
  if (!verb) return false;
  auto proto = Cut(verb->after, ' ');
  if (!proto) return false;
  auto arrow = Cut(proto->after, " -> ");
  if (!arrow) return false;
  auto parse = [](std::string_view t, Sock* sock, std::string_view* user) {
    t = Trim(t);
    size_t open = t.find('(');
    if (open == std::string_view::npos) return false;
    size_t slash = t.rfind('/', open);
    size_t close = t.find(')', open);
    if (slash == std::string_view::npos || close == std::string_view::npos) return false;
    sock->ip = t.substr(slash + 1, open - slash - 1);
    sock->port = t.substr(open + 1, close - open - 1);
    if (user) *user = UserAfter(t.substr(close + 1));
    return IsIpText(sock->ip);
  };
  Sock s, d;
  std::string_view user;
  std::string_view dst_text = arrow->after;
  if (size_t hc = dst_text.find(" hit-cnt"); hc != std::string_view::npos) {
    dst_text = dst_text.substr(0, hc);
  }
  if (!parse(arrow->before, &s, &user) || !parse(dst_text, &d, nullptr)) return false;
  if (verb->before == "denied") {
    Deny(out);
  } else if (verb->before == "permitted" || verb->before == "est-allowed") {
    Allow(out);
  } else {
    return false;
  }
  out->Add(Field::kRuleName, name->before);
  AddTransport(out, proto->before);
  // For ICMP the "ports" are 0 and the ICMP type.
  bool icmp = StartsWithIgnoreCase(proto->before, "icmp");
  AddEndpoint(out, true, s.ip, icmp ? std::string_view() : s.port);
  AddEndpoint(out, false, d.ip, icmp ? std::string_view() : d.port);
  if (!user.empty()) internal::AddUser(out, user);
  return true;
}

// 302013/302015 "Built {inbound|outbound} TCP connection ID for ifc:IP/p (mIP/mp) [(user)] to
// ifc:IP/p (mIP/mp) [(user)]". The first socket is the outside ("foreign") one: for an inbound
// connection it is the initiator, for an outbound one the responder.
bool Built(std::string_view body, Event* out, bool* outbound) {
  bool inbound = body.starts_with("Built inbound ");
  if (!inbound && !body.starts_with("Built outbound ")) return false;
  *outbound = !inbound;
  std::string_view rest = body.substr(inbound ? 14 : 15);
  std::string_view proto = Token(rest);
  size_t f = rest.find(" for ");
  if (f == std::string_view::npos) return false;
  auto halves = Cut(rest.substr(f + 5), " to ");
  if (!halves) return false;
  std::string_view after_first, after_second;
  std::optional<Sock> first = IfcSock(halves->before, &after_first);
  std::optional<Sock> second = IfcSock(halves->after, &after_second);
  if (!first || !second) return false;
  // "(mapped/port)" right after each socket.
  auto mapped = [](std::string_view r) -> std::string_view {
    r = Trim(r);
    if (r.empty() || r[0] != '(') return {};
    return SplitAddrPort(Token(r.substr(1))).ip;
  };
  std::string_view first_mapped = mapped(after_first);
  std::string_view second_mapped = mapped(after_second);
  const Sock& src = inbound ? *first : *second;
  const Sock& dst = inbound ? *second : *first;
  std::string_view src_mapped = inbound ? first_mapped : second_mapped;
  out->Add(Field::kEventAction, "connection-started");
  out->Add(Field::kEventOutcome, "success");
  out->Add(Field::kNetworkDirection, inbound ? "inbound" : "outbound");
  AddTransport(out, proto);
  AddEndpoint(out, true, src.ip, src.port);
  AddEndpoint(out, false, dst.ip, dst.port);
  if (IsIpText(src_mapped) && src_mapped != src.ip) out->Add(Field::kSourceNatIp, src_mapped);
  // An identity-firewall user follows the source's "(mapped/port)": "(LOCAL\jdoe)".
  std::string_view after_src = Trim(inbound ? after_first : after_second);
  if (after_src.starts_with('(')) {
    size_t close = after_src.find(')');
    if (close != std::string_view::npos) {
      std::string_view user = UserAfter(after_src.substr(close + 1));
      if (!user.empty()) internal::AddUser(out, user);
    }
  }
  return true;
}

// 302014/302016 "Teardown TCP connection ID for ifc:IP/p to ifc:IP/p duration H:MM:SS bytes N
// [reason] [(user)]". The line does not say which side opened the connection, so the sockets
// are left out (the Built line has them); bytes and reason are certain.
bool Teardown(std::string_view body, Event* out) {
  if (!body.starts_with("Teardown ")) return false;
  std::string_view proto = Token(body.substr(9));
  out->Add(Field::kEventAction, "connection-ended");
  AddTransport(out, proto);
  size_t b = body.find(" bytes ");
  if (b != std::string_view::npos) {
    std::string_view after = body.substr(b + 7);
    std::string_view n = Token(after);
    if (IsIntegerText(n)) out->Add(Field::kNetworkBytes, n);
    std::string_view reason = Trim(after.substr(n.size()));
    if (!reason.empty() && reason.back() == ')') {
      size_t open = reason.rfind('(');
      if (open != std::string_view::npos) reason = Trim(reason.substr(0, open));
    }
    out->Add(Field::kEventReason, reason);
  }
  return true;
}

// 302020 "Built {inbound|outbound} ICMP connection for faddr IP/seq gaddr IP/id laddr IP/id".
bool BuiltIcmp(std::string_view body, Event* out) {
  bool inbound = body.starts_with("Built inbound ");
  if (!inbound && !body.starts_with("Built outbound ")) return false;
  std::optional<std::string_view> fa = TokenAfter(body, "faddr ");
  std::optional<std::string_view> ga = TokenAfter(body, "gaddr ");
  std::optional<std::string_view> la = TokenAfter(body, "laddr ");
  if (!fa || !ga || !la) return false;
  std::string_view f = SplitAddrPort(*fa).ip;
  std::string_view g = SplitAddrPort(*ga).ip;
  std::string_view l = SplitAddrPort(*la).ip;
  if (!IsIpText(f) || !IsIpText(l)) return false;
  out->Add(Field::kEventAction, "connection-started");
  out->Add(Field::kEventOutcome, "success");
  out->Add(Field::kNetworkDirection, inbound ? "inbound" : "outbound");
  AddTransport(out, Token(body.substr(inbound ? 14 : 15)));
  out->Add(Field::kSourceIp, inbound ? f : l);
  out->Add(Field::kDestinationIp, inbound ? l : f);
  if (!inbound && IsIpText(g) && g != l) out->Add(Field::kSourceNatIp, g);
  return true;
}

// 710002/710003/710005 "{TCP|UDP} access permitted|denied by ACL|request discarded from IP/p to
// ifc:IP/service".
bool ToTheBox(std::string_view body, Event* out) {
  std::optional<std::string_view> from = TokenAfter(body, " from ");
  size_t to = body.find(" to ");
  if (!from || to == std::string_view::npos) return false;
  Sock s = SplitAddrPort(*from);
  std::optional<Sock> d = IfcSock(body.substr(to + 4), nullptr);
  if (!IsIpText(s.ip) || !d) return false;
  AddTransport(out, Token(body));
  AddEndpoint(out, true, s.ip, s.port);
  AddEndpoint(out, false, d->ip, d->port);
  return true;
}

// FTD 430002/430003 connection events: "Key: value, Key: value, ..." (Cisco's "Security Event
// Syslog Messages"). The first occurrence of a key counts, so a later free-text value (a URL)
// cannot override an earlier field.
std::string_view FtdValue(std::string_view body, std::string_view key) {
  size_t from = 0;
  while (from < body.size()) {
    size_t p = body.find(key, from);
    if (p == std::string_view::npos) return {};
    bool at_start = p == 0 || (p >= 2 && body.substr(p - 2, 2) == ", ");
    size_t v = p + key.size();
    if (at_start && body.substr(v, 2) == ": ") {
      v += 2;
      size_t e = body.find(", ", v);
      return Trim(body.substr(v, e == std::string_view::npos ? std::string_view::npos : e - v));
    }
    from = p + 1;
  }
  return {};
}

bool FtdConnection(std::string_view body, Event* out) {
  std::string_view src = FtdValue(body, "SrcIP");
  std::string_view dst = FtdValue(body, "DstIP");
  if (!IsIpText(src) || !IsIpText(dst)) return false;
  std::string_view action = FtdValue(body, "AccessControlRuleAction");
  if (action == "Allow" || action == "Trust" || action == "Fastpath") {
    Allow(out);
  } else if (action.starts_with("Block") || action.starts_with("Interactive Block")) {
    Deny(out);
  }
  AddEndpoint(out, true, src, FtdValue(body, "SrcPort"));
  AddEndpoint(out, false, dst, FtdValue(body, "DstPort"));
  AddTransport(out, FtdValue(body, "Protocol"));
  out->Add(Field::kRuleName, FtdValue(body, "AccessControlRuleName"));
  std::string_view user = FtdValue(body, "User");
  if (user.find('\\') != std::string_view::npos) internal::AddUser(out, user);
  std::string_view ib = FtdValue(body, "InitiatorBytes");
  std::string_view rb = FtdValue(body, "ResponderBytes");
  if (IsIntegerText(ib)) out->Add(Field::kSourceBytes, ib);
  if (IsIntegerText(rb)) out->Add(Field::kDestinationBytes, rb);
  std::string_view nat = FtdValue(body, "NAT_InitiatorIP");
  if (IsIpText(nat) && nat != src) out->Add(Field::kSourceNatIp, nat);
  return true;
}

// "%ASA-6-302013: " → product, id and body; nullopt when the message is not ASA/FTD/PIX.
struct Tag {
  std::string_view product;
  std::string_view id;
  std::string_view body;
};
std::optional<Tag> ReadTag(std::string_view m) {
  size_t pct = m.find('%');
  if (pct == std::string_view::npos || pct > 128) return std::nullopt;
  m = m.substr(pct + 1);
  std::string_view product;
  if (m.starts_with("ASA-")) {
    product = "ASA";
  } else if (m.starts_with("FTD-")) {
    product = "FTD";
  } else if (m.starts_with("PIX-")) {
    product = "PIX";
  } else {
    return std::nullopt;
  }
  // "<sev>-<6-digit id>: "
  if (m.size() < 4 + 10 || m[4] < '0' || m[4] > '7' || m[5] != '-' || m[12] != ':') {
    return std::nullopt;
  }
  std::string_view id = m.substr(6, 6);
  if (!IsIntegerText(id) || id[0] == '-') return std::nullopt;
  return Tag{product, id, Trim(m.substr(13))};
}

}  // namespace

namespace internal {

std::optional<AsaConnection> ReadAsaConnection(std::string_view message) {
  std::optional<Tag> tag = ReadTag(message);
  if (!tag) return std::nullopt;
  std::string_view body = tag->body;
  AsaConnection c;
  c.built = tag->id == "302013" || tag->id == "302015" || tag->id == "302020";
  bool teardown = tag->id == "302014" || tag->id == "302016" || tag->id == "302021";
  if (!c.built && !teardown) return std::nullopt;
  if (tag->id == "302020" || tag->id == "302021") {
    // ICMP has no connection id: the faddr/gaddr/laddr triple names the connection.
    size_t f = body.find("faddr ");
    if (f == std::string_view::npos) return std::nullopt;
    size_t t = body.find(" type ", f);
    c.key = body.substr(f, t == std::string_view::npos ? std::string_view::npos : t - f);
    std::optional<std::string_view> fa = TokenAfter(body, "faddr ");
    std::optional<std::string_view> la = TokenAfter(body, "laddr ");
    if (!fa || !la) return std::nullopt;
    c.first_ip = SplitAddrPort(*fa).ip;
    c.second_ip = SplitAddrPort(*la).ip;
  } else {
    // "TCP connection 9" is unique on the box while the connection lives.
    size_t p = body.find(" connection ");
    size_t f = body.find(" for ");
    if (p == std::string_view::npos || f == std::string_view::npos || f < p) return std::nullopt;
    size_t start = body.rfind(' ', p - 1);
    start = start == std::string_view::npos ? 0 : start + 1;
    c.key = body.substr(start, f - start);
    auto halves = Cut(body.substr(f + 5), " to ");
    if (!halves) return std::nullopt;
    std::optional<Sock> a = IfcSock(halves->before, nullptr);
    std::optional<Sock> b = IfcSock(halves->after, nullptr);
    if (!a || !b) return std::nullopt;
    c.first_ip = a->ip;
    c.second_ip = b->ip;
  }
  if (!IsIpText(c.first_ip) || !IsIpText(c.second_ip)) return std::nullopt;
  return c;
}

}  // namespace internal

bool NormalizeAsa(const Input& in, const Config& config, Event* out) {
  std::optional<Tag> tag = ReadTag(in.message);
  if (!tag) return false;
  std::string_view product = tag->product;
  std::string_view id = tag->id;
  std::string_view body = tag->body;

  internal::SetObserver(out, "asa", "Cisco", product);
  out->Add(Field::kEventCode, id);

  // Parsed into a scratch event so that a half-matching line adds nothing; thread_local so the
  // steady state allocates nothing.
  thread_local Event fields;
  fields.Clear();
  bool ok = false;
  bool inbound = false;  // the message itself says "inbound"
  bool has_direction = false;
  int n = static_cast<int>(*ParseInt(id));
  switch (n) {
    case 106001:  // Inbound TCP connection denied from IP/p to IP/p flags F on interface I
      ok = body.starts_with("Inbound TCP connection denied") && FromTo(body, &fields);
      if (ok) AddTransport(&fields, "tcp");
      inbound = has_direction = true;
      break;
    case 106006:  // Deny inbound UDP from IP/p to IP/p on interface I
    case 106007:  // Deny inbound UDP from IP/p to IP/p due to DNS {Response|Query}
      ok = body.starts_with("Deny inbound UDP") && FromTo(body, &fields);
      if (ok) AddTransport(&fields, "udp");
      inbound = has_direction = true;
      break;
    case 106015:  // Deny TCP (no connection) from IP/p to IP/p flags F on interface I
      ok = body.starts_with("Deny TCP (no connection)") && FromTo(body, &fields);
      if (ok) AddTransport(&fields, "tcp");
      break;
    case 106014:  // Deny inbound icmp src ifc:IP dst ifc:IP (type T, code C)
      ok = body.starts_with("Deny inbound ") && SrcDst(body, &fields);
      inbound = has_direction = true;
      break;
    case 106023:
      ok = body.starts_with("Deny ") && SrcDst(body, &fields);
      break;
    case 106021:  // Deny PROTO reverse path check from IP to IP on interface I
      if (body.starts_with("Deny ") &&
          body.find(" reverse path check ") != std::string_view::npos) {
        ok = FromTo(body, &fields);
        if (ok) AddTransport(&fields, Token(body.substr(5)));
      }
      break;
    case 106100:
      ok = AccessList(body, &fields);
      break;
    case 302013:
    case 302015: {
      bool outbound = false;
      ok = Built(body, &fields, &outbound);
      break;
    }
    case 302014:
    case 302016:
    case 302021:
      ok = Teardown(body, &fields);
      break;
    case 302020:
      ok = BuiltIcmp(body, &fields);
      break;
    case 430002:  // FTD connection start
    case 430003:  // FTD connection end
      ok = FtdConnection(body, &fields);
      break;
    case 313001:  // Denied ICMP type=T, code=C from IP on interface I
      if (body.starts_with("Denied ICMP ")) {
        std::optional<std::string_view> from = TokenAfter(body, " from ");
        ok = from && IsIpText(*from);
        if (ok) {
          fields.Add(Field::kSourceIp, *from);
          AddTransport(&fields, "icmp");
        }
      }
      break;
    case 710002:
      ok =
          body.find(" access permitted from ") != std::string_view::npos && ToTheBox(body, &fields);
      break;
    case 710003:
      ok = body.find(" access denied by ACL from ") != std::string_view::npos &&
           ToTheBox(body, &fields);
      break;
    case 710005:
      ok = body.find(" request discarded from ") != std::string_view::npos &&
           ToTheBox(body, &fields);
      break;
    default:
      break;
  }
  if (!ok) return true;  // an ASA message all the same: observer and event.code are certain

  out->Add(Field::kEventCategory, "network");
  if (n < 300000 || n == 313001 || n == 710003 || n == 710005) {
    if (n != 106100) Deny(out);
  } else if (n == 710002) {
    Allow(out);
  }
  for (const Event::Entry& e : fields.entries()) out->Add(e.field, fields.Value(e));
  if (has_direction) {
    out->Add(Field::kNetworkDirection, inbound ? "inbound" : "outbound");
  } else if (!out->Has(Field::kNetworkDirection) && out->Has(Field::kSourceIp) &&
             out->Has(Field::kDestinationIp)) {
    out->Add(Field::kNetworkDirection,
             config.Direction(out->Get(Field::kSourceIp), out->Get(Field::kDestinationIp)));
  }
  return true;
}

}  // namespace kiroku::normalize
