#include "normalize/mail/postfix.h"

#include <array>

#include "normalize/mail/internal/mail_text.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

using internal::AddEndpoint;
using internal::AngleValue;
using internal::Endpoint;
using internal::LooksLikeAddress;
using internal::ParseEndpoint;

// Postfix cuts the logged header or body text at 200 bytes (cleanup_act_log "%.200s").
constexpr size_t kContentLimit = 200;

// The program after the last '/' of "postfix[-x]/[instance/]program"; empty when the app is
// not a Postfix daemon.
std::string_view PostfixAgent(std::string_view app) {
  if (app.size() < 9 || app.substr(0, 7) != "postfix") return {};
  size_t first = app.find('/');
  if (first == std::string_view::npos) return {};
  for (char c : app.substr(7, first - 7)) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return {};
  }
  std::string_view agent = app.substr(app.rfind('/') + 1);
  return agent;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool IsSmtpAgent(std::string_view agent) {
  return agent == "smtpd" || agent == "smtp" || agent == "postscreen";
}

void AddProtocol(std::string_view agent, Event* out) {
  if (IsSmtpAgent(agent)) {
    out->Add(Field::kNetworkProtocol, "smtp");
  } else if (agent == "lmtp") {
    out->Add(Field::kNetworkProtocol, "lmtp");
  }
}

void AddAddress(Field f, std::string_view addr, Event* out) {
  if (LooksLikeAddress(addr)) out->Add(f, addr);
}

// The tail Postfix appends to smtpd and cleanup action logs:
//   " from=<a> to=<b> proto=ESMTP helo=<h>" (postscreen puts ',' after each), each optional,
// then for cleanup ": optional text".
struct Envelope {
  std::string_view from;
  bool has_from = false;
  std::string_view to;
  std::string_view proto;
  std::string_view text;
};

bool ReadAngleKey(std::string_view* s, std::string_view key, std::string_view* value) {
  if (!StartsWith(*s, key)) return false;
  size_t close = s->find('>', key.size());
  if (close == std::string_view::npos) return false;
  *value = s->substr(key.size(), close - key.size());
  s->remove_prefix(close + 1);
  if (StartsWith(*s, ",")) s->remove_prefix(1);
  if (StartsWith(*s, " ")) s->remove_prefix(1);
  return true;
}

Envelope ParseEnvelope(std::string_view s) {
  Envelope env;
  if (StartsWith(s, " ")) s.remove_prefix(1);
  env.has_from = ReadAngleKey(&s, "from=<", &env.from);
  ReadAngleKey(&s, "to=<", &env.to);
  if (StartsWith(s, "proto=")) {
    size_t end = s.find_first_of(" ,:", 6);
    if (end == std::string_view::npos) end = s.size();
    env.proto = s.substr(6, end - 6);
    s.remove_prefix(end);
    if (StartsWith(s, ",")) s.remove_prefix(1);
    if (StartsWith(s, " ")) s.remove_prefix(1);
  }
  std::string_view helo;
  ReadAngleKey(&s, "helo=<", &helo);
  if (StartsWith(s, ": ")) env.text = s.substr(2);
  return env;
}

void AddEnvelope(const Envelope& env, Event* out) {
  if (env.has_from) AddAddress(Field::kEmailFromAddress, env.from, out);
  AddAddress(Field::kEmailToAddress, env.to, out);
  if (EqualsIgnoreCase(env.proto, "SMTP") || EqualsIgnoreCase(env.proto, "ESMTP")) {
    out->Add(Field::kNetworkProtocol, "smtp");
  }
}

// The start of the envelope tail: the last "; from=<", else the first of the later keys.
size_t EnvelopeStart(std::string_view s) {
  for (std::string_view key : {"; from=<", "; to=<", "; proto=", "; helo=<"}) {
    size_t p = s.rfind(key);
    if (p != std::string_view::npos) return p;
  }
  return std::string_view::npos;
}

std::string_view ActionForVerb(std::string_view verb) {
  if (verb == "warning") return "warn";
  if (verb == "reject_warning") return "reject-warning";
  if (verb == "milter-reject") return "reject";
  if (verb == "milter-discard") return "discard";
  if (verb == "milter-hold") return "hold";
  return verb;
}

bool IsFailureVerb(std::string_view verb) {
  return verb == "reject" || verb == "milter-reject" || verb == "discard" ||
         verb == "milter-discard";
}

// Percent-decodes an RFC 2231 extended value ("UTF-8''invoice%20x.pdf") into buf.
std::string_view DecodeRfc2231(std::string_view v, std::array<char, 256>* buf) {
  size_t q1 = v.find('\'');
  if (q1 == std::string_view::npos) return {};
  size_t q2 = v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return {};
  v.remove_prefix(q2 + 1);
  size_t n = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (n == buf->size()) return {};
    char c = v[i];
    if (c == '%') {
      if (i + 2 >= v.size()) return {};
      auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      int hi = hex(v[i + 1]), lo = hex(v[i + 2]);
      if (hi < 0 || lo < 0) return {};
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    (*buf)[n++] = c;
  }
  return std::string_view(buf->data(), n);
}

// "filename=" / "name=" / "filename*=" parameters of a logged Content-Disposition or
// Content-Type header. A value that runs into the 200-byte cut is not taken: it may be partial.
void AddAttachmentNames(std::string_view content, bool cut, Event* out) {
  size_t colon = content.find(':');
  if (colon == std::string_view::npos) return;
  std::string_view name = Trim(content.substr(0, colon));
  if (!EqualsIgnoreCase(name, "Content-Disposition") && !EqualsIgnoreCase(name, "Content-Type")) {
    return;
  }
  std::string_view params = content.substr(colon + 1);
  size_t pos = 0;
  while (pos < params.size()) {
    size_t semi = params.find(';', pos);
    if (semi == std::string_view::npos) return;
    size_t p = semi + 1;
    while (p < params.size() && IsBlank(params[p])) ++p;
    pos = p;
    std::string_view rest = params.substr(p);
    size_t key_len;
    if (StartsWithIgnoreCase(rest, "filename")) {
      key_len = 8;
    } else if (StartsWithIgnoreCase(rest, "name")) {
      key_len = 4;
    } else {
      continue;
    }
    bool extended = key_len < rest.size() && rest[key_len] == '*';
    size_t q = key_len + (extended ? 1 : 0);
    while (q < rest.size() && IsBlank(rest[q])) ++q;
    if (q >= rest.size() || rest[q] != '=') continue;  // "filename*0=" continuations: not taken
    ++q;
    while (q < rest.size() && IsBlank(rest[q])) ++q;
    std::string_view value;
    if (q < rest.size() && rest[q] == '"') {
      size_t close = rest.find('"', q + 1);
      if (close == std::string_view::npos) return;  // cut inside the quotes
      value = rest.substr(q + 1, close - q - 1);
    } else {
      size_t end = rest.find_first_of("; \t", q);
      if (end == std::string_view::npos) {
        if (cut) return;
        end = rest.size();
      }
      value = rest.substr(q, end - q);
    }
    if (extended) {
      std::array<char, 256> buf;
      value = DecodeRfc2231(value, &buf);
      if (!value.empty()) out->AddUnique(Field::kEmailAttachmentsFileName, value);
    } else if (!value.empty()) {
      out->AddUnique(Field::kEmailAttachmentsFileName, value);
    }
  }
}

// "header TEXT from CLIENT; ENVELOPE" of a header_checks / body_checks action. The client is
// "name[ip]" or "local"; the header text itself may contain " from ", so the client is the
// first " from X;" whose X has that shape.
bool ParseContentAction(std::string_view verb, std::string_view rest, Event* out) {
  bool header = StartsWith(rest, "header ");
  bool mime = !header && StartsWith(rest, "body ");
  if (!header && !mime) return false;
  rest.remove_prefix(header ? 7 : 5);
  size_t from = 0;
  while (true) {
    size_t p = rest.find(" from ", from);
    if (p == std::string_view::npos) return false;
    size_t semi = rest.find(';', p + 6);
    if (semi == std::string_view::npos) return false;
    std::string_view client = rest.substr(p + 6, semi - p - 6);
    Endpoint ep;
    bool is_endpoint = ParseEndpoint(client, &ep);
    if (is_endpoint || client == "local") {
      std::string_view content = rest.substr(0, p);
      out->Add(Field::kEventAction, ActionForVerb(verb));
      if (IsFailureVerb(verb)) out->Add(Field::kEventOutcome, "failure");
      if (is_endpoint) AddEndpoint(ep, /*destination=*/false, out);
      Envelope env = ParseEnvelope(rest.substr(semi + 1));
      AddEnvelope(env, out);
      out->Add(Field::kEventReason, env.text);
      bool cut = content.size() >= kContentLimit;
      if (header) {
        AddAttachmentNames(content, cut, out);
        if (StartsWithIgnoreCase(content, "Subject:")) {
          out->Add(Field::kEmailSubject, content.substr(8));
        }
      }
      return true;
    }
    from = p + 1;
  }
}

// "CMD from CLIENT: REASON; from=<a> to=<b> proto=ESMTP helo=<h>" of an smtpd access decision,
// or postscreen's "RCPT from [ip]:port: ...".
bool ParseAccessAction(std::string_view verb, std::string_view rest, Event* out) {
  size_t p = rest.find(" from ");
  if (p == std::string_view::npos || p > 16) return false;
  for (char c : rest.substr(0, p)) {
    if (!((c >= 'A' && c <= 'Z') || c == '-')) return false;
  }
  size_t colon = rest.find(": ", p + 6);
  if (colon == std::string_view::npos) return false;
  Endpoint ep;
  if (!ParseEndpoint(rest.substr(p + 6, colon - p - 6), &ep)) return false;
  out->Add(Field::kEventAction, ActionForVerb(verb));
  if (IsFailureVerb(verb)) out->Add(Field::kEventOutcome, "failure");
  AddEndpoint(ep, /*destination=*/false, out);
  std::string_view tail = rest.substr(colon + 2);
  size_t env_at = EnvelopeStart(tail);
  if (env_at == std::string_view::npos) {
    out->Add(Field::kEventReason, tail);
    return true;
  }
  out->Add(Field::kEventReason, tail.substr(0, env_at));
  Envelope env = ParseEnvelope(tail.substr(env_at + 1));
  AddEnvelope(env, out);
  if (!env.to.empty() && IsFailureVerb(verb) && out->Has(Field::kEmailToAddress)) {
    out->Add(Field::kEmailDeliveryStatus, "rejected");
  }
  return true;
}

// "to=<x>, orig_to=<y>, relay=mx[ip]:25, delay=1.2, delays=a/b/c/d, dsn=2.0.0, status=sent (...)"
void ParseDelivery(std::string_view rest, Event* out) {
  std::string_view to, orig_to;
  if (AngleValue(rest, "to", &to)) AddAddress(Field::kEmailToAddress, to, out);
  if (AngleValue(rest, "orig_to", &orig_to) && orig_to != to) {
    AddAddress(Field::kEmailToAddress, orig_to, out);
  }
  if (auto relay = ValueAfter(rest, "relay", ",")) {
    Endpoint ep;
    if (ParseEndpoint(*relay, &ep)) AddEndpoint(ep, /*destination=*/true, out);
  }
  auto status = ValueAfter(rest, "status", " ,");
  if (!status) {
    out->Add(Field::kEventAction, "deliver");
    return;
  }
  bool known = *status == "sent" || *status == "deferred" || *status == "bounced" ||
               *status == "expired" || *status == "undeliverable" || *status == "deliverable";
  if (!known) {
    out->Add(Field::kEventAction, "deliver");
    return;
  }
  // Address verification probes (status=deliverable/undeliverable) deliver nothing.
  bool probe = *status == "deliverable" || *status == "undeliverable";
  out->Add(Field::kEventAction, probe ? "verify" : "deliver");
  out->Add(Field::kEmailDeliveryStatus, *status);
  out->Add(Field::kEventOutcome,
           (*status == "sent" || *status == "deliverable") ? "success" : "failure");
  size_t st = rest.find("status=");
  size_t open = rest.find(" (", st);
  if (open != std::string_view::npos && rest.back() == ')') {
    out->Add(Field::kEventReason, rest.substr(open + 2, rest.size() - open - 3));
  }
}

// "client=name[ip][:port][, sasl_method=PLAIN, sasl_username=alice]"
void ParseClient(std::string_view rest, Event* out) {
  std::string_view client = rest.substr(7);
  client = client.substr(0, client.find(','));
  Endpoint ep;
  if (ParseEndpoint(client, &ep)) AddEndpoint(ep, /*destination=*/false, out);
  if (auto user = ValueAfter(rest, "sasl_username", ",")) out->Add(Field::kUserName, *user);
  out->Add(Field::kEventAction, "receive");
}

// "[disconnect|connect] from name[ip][:port][ commands...]"
bool ParseConnect(std::string_view rest, bool disconnect, Event* out) {
  std::string_view client = rest.substr(disconnect ? 16 : 13);
  client = client.substr(0, client.find(' '));
  Endpoint ep;
  if (!ParseEndpoint(client, &ep)) return false;
  AddEndpoint(ep, /*destination=*/false, out);
  out->Add(Field::kEventAction, disconnect ? "disconnect" : "connect");
  return true;
}

// postscreen: "CONNECT from [ip]:port to [ip]:25", "PASS NEW [ip]:port", "DISCONNECT [ip]:port"
bool ParsePostscreen(std::string_view rest, const Config& config, Event* out) {
  if (StartsWith(rest, "CONNECT from ")) {
    auto parts = Cut(rest.substr(13), " to ");
    Endpoint src, dst;
    if (!parts || !ParseEndpoint(parts->before, &src) || !ParseEndpoint(parts->after, &dst)) {
      return false;
    }
    AddEndpoint(src, false, out);
    AddEndpoint(dst, true, out);
    out->Add(Field::kNetworkDirection, config.Direction(src.ip, dst.ip));
    out->Add(Field::kEventAction, "connect");
    return true;
  }
  std::string_view action, client;
  if (StartsWith(rest, "PASS NEW ") || StartsWith(rest, "PASS OLD ")) {
    action = "pass";
    client = rest.substr(9);
  } else if (StartsWith(rest, "DISCONNECT ")) {
    action = "disconnect";
    client = rest.substr(11);
  } else {
    return false;
  }
  Endpoint ep;
  if (!ParseEndpoint(client, &ep)) return false;
  AddEndpoint(ep, false, out);
  out->Add(Field::kEventAction, action);
  return true;
}

// The rest of a line after "QID: " (or with no queue id), by what it starts with.
void ParseBody(std::string_view agent, std::string_view qid, std::string_view rest,
               const Config& config, Event* out) {
  // "reject: ", "warning: ", "hold: ", ... of access and content checks.
  size_t colon = rest.find(": ");
  if (colon != std::string_view::npos && colon <= 14) {
    std::string_view verb = rest.substr(0, colon);
    std::string_view after = rest.substr(colon + 2);
    static constexpr std::array<std::string_view, 14> kVerbs = {
        "reject", "warning",       "hold",           "discard",    "redirect",
        "filter", "info",          "replace",        "prepend",    "reject_warning",
        "bcc",    "milter-reject", "milter-discard", "milter-hold"};
    for (std::string_view v : kVerbs) {
      if (verb != v) continue;
      if (ParseContentAction(verb, after, out)) return;
      if (verb != "warning" || !qid.empty()) ParseAccessAction(verb, after, out);
      return;
    }
  }
  if (qid.empty()) {
    if (agent == "smtpd" || agent == "lmtp") {
      if (StartsWith(rest, "connect from ")) {
        ParseConnect(rest, false, out);
      } else if (StartsWith(rest, "disconnect from ")) {
        ParseConnect(rest, true, out);
      }
    } else if (agent == "postscreen") {
      ParsePostscreen(rest, config, out);
    }
    return;
  }
  if (StartsWith(rest, "client=")) {
    ParseClient(rest, out);
  } else if (StartsWith(rest, "message-id=")) {
    std::string_view id = Trim(rest.substr(11));
    if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
    if (id.find_first_of(" <>") == std::string_view::npos) out->Add(Field::kEmailMessageId, id);
    out->Add(Field::kEventAction, "message-id");
  } else if (StartsWith(rest, "from=<")) {
    std::string_view from;
    if (AngleValue(rest, "from", &from)) AddAddress(Field::kEmailFromAddress, from, out);
    if (rest.find(", status=expired") != std::string_view::npos) {
      out->Add(Field::kEventAction, "expire");
      out->Add(Field::kEventOutcome, "failure");
    } else {
      out->Add(Field::kEventAction, "queue");
    }
  } else if (StartsWith(rest, "uid=")) {  // pickup: "uid=1000 from=<alice>"
    std::string_view from;
    if (AngleValue(rest, "from", &from)) AddAddress(Field::kEmailFromAddress, from, out);
    out->Add(Field::kEventAction, "pickup");
  } else if (StartsWith(rest, "to=<")) {
    ParseDelivery(rest, out);
  } else if (rest == "removed") {
    out->Add(Field::kEventAction, "removed");
  } else if (StartsWith(rest, "sender non-delivery notification: ")) {
    out->Add(Field::kEventAction, "bounce-notification");
  } else if (StartsWith(rest, "sender delivery status notification: ")) {
    out->Add(Field::kEventAction, "status-notification");
  }
}

}  // namespace

bool IsPostfixQueueId(std::string_view s) {
  if (s.size() < 6 || s.size() > 32) return false;
  // Short form (enable_long_queue_ids = no): upper-case hex, 5 digits of microseconds + inode.
  bool hex = true;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) hex = false;
  }
  if (hex) return true;
  // Long form: base-52 time (>= 10 chars of the vowel-free safe alphabet), 'z', base-51 inode
  // (the safe alphabet without 'z'), as in mail_queue.h / safe_ultostr.c.
  size_t sep = s.rfind('z');
  if (sep == std::string_view::npos || sep < 10 || sep + 1 == s.size()) return false;
  constexpr std::string_view kSafe = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
  for (char c : s) {
    if (kSafe.find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool NormalizePostfix(const Input& in, const Config& config, Event* out) {
  std::string_view agent = PostfixAgent(in.app);
  if (agent.empty()) return false;
  internal::AddMailBase("postfix", "Postfix", out);
  std::string_view msg = in.message;
  std::string_view qid;
  std::string_view rest = msg;
  size_t colon = msg.find(": ");
  if (colon != std::string_view::npos && colon <= 24) {
    std::string_view head = msg.substr(0, colon);
    if (head == "NOQUEUE") {
      rest = msg.substr(colon + 2);
    } else if (IsPostfixQueueId(head)) {
      qid = head;
      rest = msg.substr(colon + 2);
      out->Add(Field::kEmailQueueId, qid);
    }
  }
  size_t before = out->entries().size();
  ParseBody(agent, qid, rest, config, out);
  if (out->entries().size() != before && out->Has(Field::kEventAction)) AddProtocol(agent, out);
  return true;
}

}  // namespace kiroku::normalize
