// slapd's auditlog overlay (slapo-auditlog(5)): one LDIF change record per write,
//
//   # modify 1614223245 dc=example,dc=com cn=admin,dc=example,dc=com IP=[::1]:47270 conn=1002
//   dn: uid=joepublic,ou=people,dc=example,dc=com
//   changetype: modify
//   replace: displayName
//   displayName: Joe Public
//   -
//   # end modify 1614223245
//
// Header fields: operation, time, database suffix, modifiersName, client IP:port, connection
// (-1 = internal). Before OpenLDAP 2.5 the header is only "# <op> <time> <modifiersName>".
// The record arrives whole (a multi-line forwarder) or as lone lines; only the header line of
// the lone lines is recognised, since a bare "dn:" line could come from anywhere.

#include <array>
#include <string>

#include "normalize/directory/directory.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

struct OpName {
  std::string_view word;
  std::string_view action;
};

constexpr OpName kOps[] = {
    {"add", "add"}, {"modify", "modify"}, {"delete", "delete"}, {"modrdn", "rename"}};

// Attributes slapd maintains itself: noise in the list of what a person changed.
constexpr std::string_view kOperational[] = {
    "entryCSN",        "modifiersName", "modifyTimestamp",       "creatorsName",
    "createTimestamp", "entryUUID",     "structuralObjectClass", "contextCSN"};

bool IsOperational(std::string_view attr) {
  for (std::string_view o : kOperational) {
    if (EqualsIgnoreCase(o, attr)) return true;
  }
  return false;
}

bool IsDigits(std::string_view s) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The suffix and the modifiersName are two DNs separated by a blank, and DNs may contain
// blanks ("cn=John Smith,..."). A blank starts the second DN only when the word after it is an
// attribute=value pair; when that is not exactly one blank, the split is not certain.
std::optional<std::string_view> SecondDn(std::string_view two) {
  std::optional<size_t> split;
  for (size_t i = 0; i < two.size(); ++i) {
    if (two[i] != ' ') continue;
    size_t end = two.find_first_of(", ", i + 1);
    std::string_view word = two.substr(i + 1, end == std::string_view::npos ? end : end - i - 1);
    if (word.find('=') == std::string_view::npos) continue;
    if (split) return std::nullopt;
    split = i;
  }
  if (!split) return std::nullopt;
  return two.substr(*split + 1);
}

void AddIpPort(std::string_view v, Event* out) {
  std::string_view addr;
  std::string_view port;
  if (v.starts_with('[')) {
    auto c = Cut(v.substr(1), "]:");
    if (!c) return;
    addr = c->before;
    port = c->after;
  } else {
    size_t colon = v.rfind(':');
    if (colon == std::string_view::npos) return;
    addr = v.substr(0, colon);
    port = v.substr(colon + 1);
  }
  if (!IsIpText(addr) || !IsDigits(port)) return;
  out->Add(Field::kSourceIp, addr);
  out->Add(Field::kSourcePort, port);
}

// The changed attributes, from the LDIF body: "replace: mail; add: memberUid" for a modify,
// the attribute names for an add, the new RDN for a modrdn. Never the values.
std::string Changes(std::string_view body, std::string_view op) {
  std::string reason;
  auto append = [&reason](std::string_view sep, std::string_view a, std::string_view b) {
    if (!reason.empty()) reason.append(sep);
    reason.append(a).append(b);
  };
  std::array<std::string_view, 64> added;  // attribute names already listed for an add
  size_t added_count = 0;
  bool after_dash = true;  // a modify's change spec starts after "changetype:" or "-"
  while (!body.empty()) {
    auto nl = Cut(body, '\n');
    std::string_view line = nl ? nl->before : body;
    body = nl ? nl->after : std::string_view();
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == ' ' || line[0] == '#') continue;  // folded, comment
    if (line == "-") {
      after_dash = true;
      continue;
    }
    auto kv = Cut(line, ':');
    if (!kv) continue;
    std::string_view name = kv->before;
    std::string_view value = Trim(kv->after.starts_with(':') ? kv->after.substr(1) : kv->after);
    if (name == "dn" || name == "changetype") {
      after_dash = true;
      continue;
    }
    if (op == "modify") {
      if (after_dash &&
          (name == "add" || name == "replace" || name == "delete" || name == "increment") &&
          !IsOperational(value)) {
        append("; ", name, std::string(": ").append(value));
      }
      after_dash = false;
    } else if (op == "add") {
      bool seen = false;
      for (size_t i = 0; i < added_count; ++i) seen = seen || EqualsIgnoreCase(added[i], name);
      if (!IsOperational(name) && !seen && added_count < added.size()) {
        added[added_count++] = name;
        append(", ", name, "");
      }
    } else if (op == "modrdn") {
      if (name == "newrdn" || name == "newsuperior") {
        append("; ", name, std::string(": ").append(value));
      }
    }
  }
  return reason;
}

}  // namespace

bool NormalizeSlapdAudit(const Input& in, const Config& /*config*/, Event* out) {
  std::string_view m = in.message;
  if (!m.starts_with("# ")) return false;
  auto first = Cut(m, '\n');
  std::string_view header = first ? first->before : m;
  std::string_view body = first ? first->after : std::string_view();
  if (!header.empty() && header.back() == '\r') header.remove_suffix(1);

  auto words = Cut(header.substr(2), ' ');
  if (!words) return false;
  const OpName* op = nullptr;
  for (const OpName& o : kOps) {
    if (o.word == words->before) op = &o;
  }
  if (op == nullptr) return false;
  auto time = Cut(words->after, ' ');
  if (!time || !IsDigits(time->before)) return false;
  std::string_view rest = Trim(time->after);

  std::string_view modifier;
  std::string_view ip;
  std::string_view conn;
  size_t ip_at = rest.rfind(" IP=");
  size_t conn_at = rest.rfind(" conn=");
  if (ip_at != std::string_view::npos && conn_at != std::string_view::npos && conn_at > ip_at) {
    ip = rest.substr(ip_at + 4, conn_at - ip_at - 4);
    conn = rest.substr(conn_at + 6);
    if (auto dn = SecondDn(rest.substr(0, ip_at))) modifier = *dn;
  } else if (rest.find('=') != std::string_view::npos) {
    modifier = rest;  // the old header: the modifiersName alone
  }

  out->Add(Field::kKirokuNormalizer, "slapd-auditlog");
  out->Add(Field::kObserverType, "directory");
  out->Add(Field::kObserverVendor, "OpenLDAP");
  out->Add(Field::kObserverProduct, "OpenLDAP");
  out->AddUnique(Field::kEventCategory, "iam");
  out->Add(Field::kEventAction, op->action);
  out->Add(Field::kEventOutcome, "success");  // the overlay logs only changes that were made
  out->Add(Field::kUserName, modifier);
  AddIpPort(ip, out);
  if (IsDigits(conn)) out->Add(Field::kLdapSession, std::string("conn=").append(conn));
  if (!body.empty()) {
    if (auto dn = Between(std::string_view(m), "\ndn: ", "\n")) {
      std::string_view d = *dn;
      if (!d.empty() && d.back() == '\r') d.remove_suffix(1);
      out->Add(Field::kLdapDn, d);
    }
    out->Add(Field::kEventReason, Changes(body, words->before));
  }
  out->AddBool(Field::kKirokuAdmin, true);
  return true;
}

}  // namespace kiroku::normalize
