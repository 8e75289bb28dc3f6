#include "normalize/mail/sendmail.h"

#include "normalize/mail/internal/mail_text.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

using internal::LooksLikeAddress;

bool IsSendmailApp(std::string_view app) {
  return app == "sendmail" || app == "sm-mta" || app == "sm-msp-queue";
}

bool IsSendmailQueueId(std::string_view s) {
  if (s.size() < 8 || s.size() > 20) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
      return false;
    }
  }
  return true;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool IsKeyChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

// The value of `key=` in Sendmail's ", "-separated list. A value may itself hold ", " (stat=
// text, relay=... (may be forged)), so it runs to the next ", key=" or to the end.
std::optional<std::string_view> SmValue(std::string_view s, std::string_view key) {
  size_t from = 0;
  size_t p;
  while (true) {
    p = s.find(key, from);
    if (p == std::string_view::npos) return std::nullopt;
    bool at_start = p == 0 || (p >= 2 && s[p - 1] == ' ' && s[p - 2] == ',');
    if (at_start && p + key.size() < s.size() && s[p + key.size()] == '=') break;
    from = p + 1;
  }
  size_t v = p + key.size() + 1;
  for (size_t q = s.find(", ", v); q != std::string_view::npos; q = s.find(", ", q + 1)) {
    size_t k = q + 2;
    while (k < s.size() && IsKeyChar(s[k])) ++k;
    if (k > q + 2 && k < s.size() && s[k] == '=') return s.substr(v, q - v);
  }
  return s.substr(v);
}

std::string_view StripAngles(std::string_view s) {
  s = Trim(s);
  if (s.size() >= 2 && s.front() == '<' && s.back() == '>') return s.substr(1, s.size() - 2);
  return s;
}

void AddAddress(Field f, std::string_view value, Event* out) {
  value = StripAngles(value);
  if (LooksLikeAddress(value)) out->Add(f, value);
}

// "host [ip]", "[ip]", "host. [ip] (may be forged)"; a relay without '[' (a local user) is
// left alone.
void AddRelay(std::string_view relay, bool destination, Event* out) {
  size_t open = relay.find('[');
  if (open == std::string_view::npos) return;
  size_t close = relay.find(']', open);
  if (close == std::string_view::npos) return;
  std::string_view ip = relay.substr(open + 1, close - open - 1);
  if (StartsWithIgnoreCase(ip, "IPv6:")) ip.remove_prefix(5);
  if (!IsIpText(ip)) return;
  out->Add(destination ? Field::kDestinationIp : Field::kSourceIp, ip);
  std::string_view host = Trim(relay.substr(0, open));
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (destination && !host.empty() && host.find_first_of(" []@") == std::string_view::npos &&
      !IsIpText(host)) {
    out->Add(Field::kDestinationDomain, host);
  }
}

void ParseTo(std::string_view rest, Event* out) {
  if (auto to = SmValue(rest, "to")) {
    // Several recipients of one delivery: "to=<a@x>,<b@x>".
    std::string_view list = *to;
    while (!list.empty()) {
      size_t comma = list.find(',');
      AddAddress(Field::kEmailToAddress, list.substr(0, comma), out);
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  if (auto relay = SmValue(rest, "relay")) AddRelay(*relay, /*destination=*/true, out);
  if (auto mailer = SmValue(rest, "mailer");
      mailer && (*mailer == "esmtp" || *mailer == "smtp" || *mailer == "relay")) {
    out->Add(Field::kNetworkProtocol, "smtp");
  }
  out->Add(Field::kEventAction, "deliver");
  auto stat = SmValue(rest, "stat");
  if (!stat) return;
  out->Add(Field::kEventReason, *stat);
  std::string_view dsn = SmValue(rest, "dsn").value_or("");
  std::string_view status;
  const bool deferred = StartsWith(*stat, "Deferred");
  if (StartsWith(*stat, "Sent")) {
    status = "sent";
  } else if (!deferred && !dsn.empty() && dsn[0] == '5') {
    status = "bounced";
  } else if (deferred || (!dsn.empty() && dsn[0] == '4')) {
    status = "deferred";
  }
  if (status.empty()) return;
  out->Add(Field::kEmailDeliveryStatus, status);
  out->Add(Field::kEventOutcome, status == "sent" ? "success" : "failure");
}

void ParseRuleset(std::string_view rest, Event* out) {
  auto reject = SmValue(rest, "reject");
  if (!reject) return;
  std::string_view ruleset = SmValue(rest, "ruleset").value_or("");
  out->Add(Field::kEventAction, "reject");
  out->Add(Field::kEventOutcome, "failure");
  out->Add(Field::kEventReason, *reject);
  out->Add(Field::kRuleName, ruleset);
  if (auto relay = SmValue(rest, "relay")) AddRelay(*relay, /*destination=*/false, out);
  if (auto arg1 = SmValue(rest, "arg1")) {
    if (ruleset == "check_rcpt") {
      AddAddress(Field::kEmailToAddress, *arg1, out);
      if (out->Has(Field::kEmailToAddress)) out->Add(Field::kEmailDeliveryStatus, "rejected");
    } else if (ruleset == "check_mail") {
      AddAddress(Field::kEmailFromAddress, *arg1, out);
    }
  }
  out->Add(Field::kNetworkProtocol, "smtp");
}

}  // namespace

bool NormalizeSendmail(const Input& in, const Config& /*config*/, Event* out) {
  if (!IsSendmailApp(in.app)) return false;
  internal::AddMailBase("sendmail", "Sendmail", out);
  std::string_view rest = in.message;
  size_t colon = rest.find(": ");
  if (colon == std::string_view::npos) return true;
  std::string_view head = rest.substr(0, colon);
  if (head != "NOQUEUE") {
    if (!IsSendmailQueueId(head)) return true;
    out->Add(Field::kEmailQueueId, head);
  }
  rest.remove_prefix(colon + 2);
  if (StartsWith(rest, "from=")) {
    if (auto from = SmValue(rest, "from")) AddAddress(Field::kEmailFromAddress, *from, out);
    if (auto msgid = SmValue(rest, "msgid")) {
      std::string_view id = StripAngles(*msgid);
      if (!id.empty() && id.find_first_of(" <>") == std::string_view::npos) {
        out->Add(Field::kEmailMessageId, id);
      }
    }
    if (auto relay = SmValue(rest, "relay")) AddRelay(*relay, /*destination=*/false, out);
    if (auto proto = SmValue(rest, "proto");
        proto && (*proto == "ESMTP" || *proto == "SMTP" || *proto == "ESMTPS" ||
                  *proto == "ESMTPA" || *proto == "ESMTPSA")) {
      out->Add(Field::kNetworkProtocol, "smtp");
    }
    out->Add(Field::kEventAction, "queue");
  } else if (StartsWith(rest, "to=")) {
    ParseTo(rest, out);
  } else if (StartsWith(rest, "ruleset=")) {
    ParseRuleset(rest, out);
  } else if (StartsWith(rest, "AUTH=server, ")) {
    if (auto relay = SmValue(rest, "relay")) AddRelay(*relay, /*destination=*/false, out);
    if (auto user = SmValue(rest, "authid")) out->Add(Field::kUserName, *user);
    out->Add(Field::kEventAction, "authenticate");
    out->Add(Field::kEventOutcome, "success");
    out->Add(Field::kNetworkProtocol, "smtp");
  }
  return true;
}

}  // namespace kiroku::normalize
