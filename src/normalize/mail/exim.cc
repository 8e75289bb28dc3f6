#include "normalize/mail/exim.h"

#include "normalize/mail/internal/mail_text.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

using internal::LooksLikeAddress;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsBase62(char c) { return IsDigit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

bool AllOf(std::string_view s, bool (*pred)(char)) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}

// Skips "YYYY-MM-DD hh:mm:ss[.fff][ +hhmm][ [pid]] " at the start of a bare mainlog line;
// returns false when the line does not start with such a stamp.
bool SkipStamp(std::string_view* s) {
  std::string_view t = *s;
  if (t.size() < 20) return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) {
    if (!IsDigit(t[i])) return false;
  }
  if (t[4] != '-' || t[7] != '-' || t[10] != ' ' || t[13] != ':' || t[16] != ':') return false;
  t.remove_prefix(19);
  if (StartsWith(t, ".") && t.size() > 4 && AllOf(t.substr(1, 3), IsDigit)) t.remove_prefix(4);
  if (t.size() > 6 && t[0] == ' ' && (t[1] == '+' || t[1] == '-') &&
      AllOf(t.substr(2, 4), IsDigit)) {
    t.remove_prefix(6);
  }
  if (StartsWith(t, " [")) {
    size_t close = t.find(']');
    if (close == std::string_view::npos || !AllOf(t.substr(2, close - 2), IsDigit)) return false;
    t.remove_prefix(close + 1);
  }
  if (!StartsWith(t, " ")) return false;
  t.remove_prefix(1);
  *s = t;
  return true;
}

std::string_view FirstToken(std::string_view s) { return s.substr(0, s.find(' ')); }

// The value of " K=" up to the next blank; for a value in double quotes, up to the closing one.
std::optional<std::string_view> EximValue(std::string_view s, std::string_view key) {
  size_t p = 0;
  while (true) {
    p = s.find(key, p);
    if (p == std::string_view::npos) return std::nullopt;
    if (p == 0 || s[p - 1] == ' ') break;
    ++p;
  }
  size_t v = p + key.size();
  if (v < s.size() && s[v] == '"') {
    size_t e = v + 1;
    while (e < s.size() && s[e] != '"') e += (s[e] == '\\') ? 2 : 1;
    if (e >= s.size()) return std::nullopt;
    return s.substr(v + 1, e - v - 1);
  }
  size_t e = s.find(' ', v);
  return s.substr(v, e == std::string_view::npos ? std::string_view::npos : e - v);
}

// H=name (helo) [ip]:port — the address in the first brackets after " H=".
void AddHost(std::string_view s, bool destination, Event* out) {
  auto value = EximValue(s, "H=");
  if (!value) return;
  size_t h = static_cast<size_t>(value->data() - s.data());  // start of the value
  size_t open = s.find('[', h);
  // "H=name (helo) [ip]": no other key between H= and the bracket.
  if (open == std::string_view::npos || s.substr(h, open - h).find('=') != std::string_view::npos) {
    return;
  }
  size_t close = s.find(']', open);
  if (close == std::string_view::npos) return;
  std::string_view ip = s.substr(open + 1, close - open - 1);
  if (!IsIpText(ip)) return;
  out->Add(destination ? Field::kDestinationIp : Field::kSourceIp, ip);
  if (close + 1 < s.size() && s[close + 1] == ':') {
    std::string_view port = s.substr(close + 2);
    port = port.substr(0, port.find_first_of(" :"));
    if (IsIntegerText(port) && port[0] != '-') {
      out->Add(destination ? Field::kDestinationPort : Field::kSourcePort, port);
    }
  }
  if (destination) {
    std::string_view name = s.substr(h, open - h);
    name = Trim(name);
    if (!name.empty() && name.find_first_of(" ()") == std::string_view::npos && !IsIpText(name)) {
      out->Add(Field::kDestinationDomain, name);
    }
  }
}

void AddTo(std::string_view addr, Event* out) {
  if (!addr.empty() && addr.back() == ':') addr.remove_suffix(1);
  if (LooksLikeAddress(addr) && addr.find('@') != std::string_view::npos) {
    out->AddUnique(Field::kEmailToAddress, addr);
  }
}

void ParseArrival(std::string_view rest, Event* out) {
  std::string_view sender = FirstToken(rest);
  if (sender != "<>" && LooksLikeAddress(sender)) out->Add(Field::kEmailFromAddress, sender);
  AddHost(rest, /*destination=*/false, out);
  if (auto proto = EximValue(rest, "P="); proto && proto->find("smtp") != std::string_view::npos) {
    out->Add(Field::kNetworkProtocol, "smtp");
  }
  if (auto id = EximValue(rest, "id="); id && id->find_first_of("<>") == std::string_view::npos) {
    out->Add(Field::kEmailMessageId, *id);
  }
  if (auto auth = EximValue(rest, "A=")) {
    if (auto user = Cut(*auth, ':')) out->Add(Field::kUserName, user->after);
  }
  size_t after_subject = 0;
  if (auto subject = EximValue(rest, "T=")) {
    out->Add(Field::kEmailSubject, *subject);
    after_subject = static_cast<size_t>(subject->data() + subject->size() - rest.data());
  }
  // +received_recipients: " for a@x b@y" closes the line.
  size_t f = rest.find(" for ", after_subject);
  if (f != std::string_view::npos) {
    std::string_view list = rest.substr(f + 5);
    while (!list.empty()) {
      size_t sp = list.find(' ');
      AddTo(list.substr(0, sp), out);
      if (sp == std::string_view::npos) break;
      list.remove_prefix(sp + 1);
    }
  }
  out->Add(Field::kEventAction, "receive");
}

// "=> addr [<original>] R=router T=transport H=host [ip] ... C="250 ..."" and the "->", "**",
// "==" forms. `status` is sent, bounced or deferred.
void ParseDelivery(std::string_view rest, std::string_view status, Event* out) {
  std::string_view addr = FirstToken(rest);
  AddTo(addr, out);
  std::string_view next = rest.substr(std::min(rest.size(), addr.size() + 1));
  std::string_view orig = FirstToken(next);
  if (orig.size() > 2 && orig.front() == '<' && orig.back() == '>') {
    AddTo(orig.substr(1, orig.size() - 2), out);
  }
  AddHost(rest, /*destination=*/true, out);
  if (auto transport = EximValue(rest, "T=");
      transport && transport->find("smtp") != std::string_view::npos) {
    out->Add(Field::kNetworkProtocol, "smtp");
  }
  out->Add(Field::kEventAction, "deliver");
  out->Add(Field::kEmailDeliveryStatus, status);
  out->Add(Field::kEventOutcome, status == "sent" ? "success" : "failure");
  if (status == "sent") {
    if (auto confirmation = EximValue(rest, "C=")) out->Add(Field::kEventReason, *confirmation);
  } else if (size_t colon = rest.find(": "); colon != std::string_view::npos) {
    out->Add(Field::kEventReason, rest.substr(colon + 2));
  } else if (!addr.empty() && addr.back() == ':') {
    out->Add(Field::kEventReason, next);
  }
}

// "H=(helo) [ip] F=<a@b> rejected RCPT <x@y>: relay not permitted"
void ParseReject(std::string_view msg, Event* out) {
  size_t r = msg.find(" rejected RCPT <");
  if (r == std::string_view::npos) return;
  std::string_view head = msg.substr(0, r);
  std::string_view tail = msg.substr(r + 16);
  size_t close = tail.find('>');
  if (close == std::string_view::npos) return;
  AddHost(head, /*destination=*/false, out);
  if (auto from = EximValue(head, "F=")) {
    std::string_view f = *from;
    if (f.size() > 2 && f.front() == '<' && f.back() == '>' &&
        LooksLikeAddress(f.substr(1, f.size() - 2))) {
      out->Add(Field::kEmailFromAddress, f.substr(1, f.size() - 2));
    }
  }
  AddTo(tail.substr(0, close), out);
  out->Add(Field::kEventAction, "reject");
  out->Add(Field::kEventOutcome, "failure");
  out->Add(Field::kNetworkProtocol, "smtp");
  if (out->Has(Field::kEmailToAddress)) out->Add(Field::kEmailDeliveryStatus, "rejected");
  if (tail.substr(close + 1, 2) == ": ") out->Add(Field::kEventReason, tail.substr(close + 3));
}

}  // namespace

bool IsEximMessageId(std::string_view s) {
  if (s.size() == 16) {
    return s[6] == '-' && s[13] == '-' && AllOf(s.substr(0, 6), IsBase62) &&
           AllOf(s.substr(7, 6), IsBase62) && AllOf(s.substr(14), IsBase62);
  }
  if (s.size() == 23) {
    return s[6] == '-' && s[18] == '-' && AllOf(s.substr(0, 6), IsBase62) &&
           AllOf(s.substr(7, 11), IsBase62) && AllOf(s.substr(19), IsBase62);
  }
  return false;
}

bool NormalizeExim(const Input& in, const Config& /*config*/, Event* out) {
  std::string_view msg = in.message;
  bool via_syslog = in.app == "exim" || in.app == "exim4";
  if (!via_syslog) {
    if (!in.app.empty() || !SkipStamp(&msg)) return false;
  }
  std::string_view id = FirstToken(msg);
  bool has_id = IsEximMessageId(id);
  std::string_view rest = has_id ? msg.substr(std::min(msg.size(), id.size() + 1)) : msg;
  std::string_view flag = rest.substr(0, 3);
  bool known = flag == "<= " || flag == "=> " || flag == "-> " || flag == "** " || flag == "== " ||
               rest == "Completed";
  if (!via_syslog && !(has_id && known)) return false;
  internal::AddMailBase("exim", "Exim", out);
  if (has_id) out->Add(Field::kEmailQueueId, id);
  if (has_id && known) {
    std::string_view body = rest.substr(std::min<size_t>(3, rest.size()));
    if (flag == "<= ") {
      ParseArrival(body, out);
    } else if (flag == "=> " || flag == "-> ") {
      ParseDelivery(body, "sent", out);
    } else if (flag == "** ") {
      ParseDelivery(body, "bounced", out);
    } else if (flag == "== ") {
      ParseDelivery(body, "deferred", out);
    } else {
      out->Add(Field::kEventAction, "completed");
    }
  } else if (!has_id) {
    ParseReject(msg, out);
  }
  return true;
}

}  // namespace kiroku::normalize
