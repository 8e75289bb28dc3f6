// FreeRADIUS: authentication results from radius.log (or syslog, app "radiusd"/"freeradius")
// and accounting records written by the detail or linelog modules.
//
//   Tue Nov 26 14:37:42 2026 : Auth: (12) Login OK: [alice] (from client nas01 port 0 cli ...)
//   Auth: (13) Login incorrect (mschap: MS-CHAP2-Response is incorrect): [bob/<via Auth-Type =
//         eap>] (from client nas01 port 0 cli ...)
//   Auth: Login incorrect: [bob/wrongpw] (from client nas01 port 0)    (2.x, no request number)
//   Auth: (3) Invalid user: [mallory] (from client nas01 port 0)
//
// With auth_goodpass/auth_badpass the password follows the user name after '/'; it must never
// reach user.name (see UserOf).
//
// An accounting record is "Attribute = value" pairs, one a line (detail) or on one line:
//   Acct-Status-Type = Start  User-Name = "alice"  Framed-IP-Address = 10.0.0.77 ...

#include <string>

#include "normalize/directory/directory.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

void AddCommon(Event* out) {
  out->Add(Field::kKirokuNormalizer, "freeradius");
  out->Add(Field::kObserverType, "radius");
  out->Add(Field::kObserverVendor, "FreeRADIUS");
  out->Add(Field::kObserverProduct, "FreeRADIUS");
  out->Add(Field::kNetworkProtocol, "radius");
}

// The user name out of "[user]", "[user/password]" or "[user/<via Auth-Type = eap>]".
// FreeRADIUS writes the password (when it logs one) after the first '/' it adds, but the user
// name itself may hold a '/' ("host/pc01.example.com" for 802.1X machine accounts). Without a
// "<...>" marker there is no telling the two apart, so the name is cut at the first '/' (it may
// come out short, it never carries a password), except for the "host/" machine-account form,
// which is only ever authenticated by EAP and so only ever carries the marker.
std::string_view UserOf(std::string_view inside) {
  size_t marker = inside.rfind("/<");
  if (marker != std::string_view::npos && inside.ends_with('>')) return inside.substr(0, marker);
  if (StartsWithIgnoreCase(inside, "host/") && inside.find('/', 5) == std::string_view::npos) {
    return inside;
  }
  if (auto c = Cut(inside, '/')) return c->before;
  return inside;
}

bool ParseAuth(std::string_view s, Event* out) {
  if (s.starts_with('(')) {  // request number, FreeRADIUS 3
    size_t close = s.find(") ");
    if (close == std::string_view::npos || close > 12) return false;
    s.remove_prefix(close + 2);
  }
  std::string_view outcome;
  std::string_view verb;
  for (std::string_view v : {"Login OK", "Login incorrect", "Invalid user"}) {
    if (s.starts_with(v)) verb = v;
  }
  if (verb.empty()) return false;
  outcome = verb == "Login OK" ? "success" : "failure";
  s.remove_prefix(verb.size());
  std::string_view reason;
  if (s.starts_with(" (")) {
    size_t end = s.find("): [");
    if (end == std::string_view::npos) return false;
    reason = s.substr(2, end - 2);
    s.remove_prefix(end + 1);
  }
  if (!s.starts_with(": [")) return false;
  s.remove_prefix(3);
  size_t close = s.find("] (");
  if (close == std::string_view::npos) close = s.rfind(']');
  if (close == std::string_view::npos) return false;
  std::string_view user = UserOf(s.substr(0, close));

  AddCommon(out);
  out->AddUnique(Field::kEventCategory, "iam");
  out->AddUnique(Field::kEventCategory, "authentication");
  out->Add(Field::kEventAction, "login");
  out->Add(Field::kEventOutcome, outcome);
  out->Add(Field::kUserName, user);
  if (!reason.empty()) {
    out->Add(Field::kEventReason, reason);
  } else if (verb == "Invalid user") {
    out->Add(Field::kEventReason, verb);
  }
  return true;
}

// Reads "Name = value" pairs; values may be double-quoted. Other words are skipped.
class AttributeScanner {
 public:
  explicit AttributeScanner(std::string_view text) : text_(text) {}
  bool Next(std::string_view* name, std::string_view* value) {
    while (pos_ < text_.size()) {
      while (pos_ < text_.size() && (IsBlank(text_[pos_]) || text_[pos_] == ',')) ++pos_;
      size_t start = pos_;
      while (pos_ < text_.size() && !IsBlank(text_[pos_]) && text_[pos_] != ',') ++pos_;
      std::string_view word = text_.substr(start, pos_ - start);
      if (text_.substr(pos_, 3) != " = " || word.empty()) continue;
      pos_ += 3;
      *name = word;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        size_t vstart = ++pos_;
        while (pos_ < text_.size() && text_[pos_] != '"') {
          if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
          ++pos_;
        }
        *value = text_.substr(vstart, pos_ - vstart);
        if (pos_ < text_.size()) ++pos_;
        return true;
      }
      size_t vstart = pos_;
      while (pos_ < text_.size() && !IsBlank(text_[pos_]) && text_[pos_] != ',') ++pos_;
      *value = text_.substr(vstart, pos_ - vstart);
      return true;
    }
    return false;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

bool ParseAccounting(std::string_view m, Event* out) {
  std::string_view status;
  std::string_view user, framed_ip, in_octets, out_octets, cause;
  AttributeScanner scan(m);
  for (std::string_view name, value; scan.Next(&name, &value);) {
    if (name == "Acct-Status-Type") status = value;
    if (name == "User-Name") user = value;
    if (name == "Framed-IP-Address") framed_ip = value;
    if (name == "Acct-Input-Octets") in_octets = value;
    if (name == "Acct-Output-Octets") out_octets = value;
    if (name == "Acct-Terminate-Cause") cause = value;
  }
  if (status.empty()) return false;
  std::string_view action;
  if (status == "Start") action = "accounting-start";
  if (status == "Stop") action = "accounting-stop";
  if (status == "Interim-Update" || status == "Alive") action = "accounting-update";
  if (status == "Accounting-On") action = "accounting-on";
  if (status == "Accounting-Off") action = "accounting-off";
  AddCommon(out);
  out->AddUnique(Field::kEventCategory, "iam");
  out->Add(Field::kEventAction, action);
  out->Add(Field::kUserName, user);
  if (IsIpText(framed_ip)) out->Add(Field::kSourceIp, framed_ip);
  // Octets the NAS received from the user, and sent to the user.
  if (IsIntegerText(in_octets)) out->Add(Field::kSourceBytes, in_octets);
  if (IsIntegerText(out_octets)) out->Add(Field::kDestinationBytes, out_octets);
  out->Add(Field::kEventReason, cause);
  return true;
}

bool IsRadiusApp(std::string_view app) {
  return app == "radiusd" || app == "freeradius" || app == "radiusd-accounting";
}

}  // namespace

bool NormalizeFreeRadius(const Input& in, const Config& /*config*/, Event* out) {
  std::string_view m = in.message;
  // radius.log: "Tue Nov 26 14:37:42 2026 : Auth: ..."
  size_t auth = m.substr(0, 40).find(" : Auth: ");
  if (auth != std::string_view::npos) return ParseAuth(m.substr(auth + 9), out);
  const bool app = IsRadiusApp(in.app);
  if (app) {
    std::string_view s = m.starts_with("Auth: ") ? m.substr(6) : m;
    if (ParseAuth(s, out)) return true;
  }
  if (m.substr(0, 1024).find("Acct-Status-Type = ") != std::string_view::npos &&
      ParseAccounting(m, out)) {
    return true;
  }
  if (app) {
    AddCommon(out);  // a FreeRADIUS line, but not one of the formats above
    return true;
  }
  return false;
}

}  // namespace kiroku::normalize
