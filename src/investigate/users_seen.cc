#include "investigate/users_seen.h"

#include <algorithm>

namespace kiroku::investigate {

using normalize::Field;

bool IsLogon(const EventRow& r) {
  std::string_view action = r.Get(Field::kEventAction);
  if (action == "accounting-start") return true;
  if (!r.HasValue(Field::kEventCategory, "authentication")) return false;
  return action == "login" || action == "bind" || action == "authenticate" || action == "logon";
}

void UsersSeen::Add(const EventRow& r) {
  if (!r.Has(Field::kUserName)) return;
  std::string via(r.Has(Field::kObserverType) ? r.Get(Field::kObserverType)
                                              : r.Get(Field::kKirokuNormalizer));
  auto key = std::make_pair(std::string(r.Get(Field::kUserName)), via);
  auto [it, fresh] = users_.try_emplace(key);
  UserSeen& u = it->second;
  if (fresh) {
    u.name = key.first;
    u.via = via;
    u.first_ns = r.time_ns;
    u.last_ns = r.time_ns;
  }
  ++u.events;
  u.first_ns = std::min(u.first_ns, r.time_ns);
  u.last_ns = std::max(u.last_ns, r.time_ns);
  if (!IsLogon(r)) return;
  if (r.Has(Field::kLdapSession)) {
    std::string once = r.host + '\x1f' + std::string(r.Get(Field::kLdapSession)) + '\x1f' +
                       std::string(r.Get(Field::kEventOutcome));
    if (!logon_keys_.insert(once).second) return;
    // A BIND line seen before its RESULT has no outcome yet: the RESULT decides.
    if (!r.Has(Field::kEventOutcome)) return;
  }
  if (r.Get(Field::kEventOutcome) == "failure") {
    ++u.logons_failed;
  } else {
    ++u.logons_ok;
  }
}

std::vector<UserSeen> UsersSeen::Sorted() const {
  std::vector<UserSeen> out;
  for (const auto& [key, u] : users_) out.push_back(u);
  std::stable_sort(out.begin(), out.end(),
                   [](const UserSeen& a, const UserSeen& b) { return a.first_ns < b.first_ns; });
  return out;
}

nlohmann::ordered_json UserJson(const UserSeen& u) {
  return {{"name", u.name},
          {"via", u.via},
          {"records", u.events},
          {"logons_ok", u.logons_ok},
          {"logons_failed", u.logons_failed},
          {"first", TimeText(u.first_ns)},
          {"last", TimeText(u.last_ns)}};
}

std::string UserText(const UserSeen& u) {
  std::string s = u.name + " (" + (u.via.empty() ? "?" : u.via);
  auto count = [&](uint64_t n, const char* one) {
    s += ", " + std::to_string(n) + " " + one + (n == 1 ? "" : "s");
  };
  if (u.logons_ok > 0) count(u.logons_ok, "logon");
  if (u.logons_failed > 0) count(u.logons_failed, "failed logon");
  if (u.logons_ok == 0 && u.logons_failed == 0) count(u.events, "record");
  return s + ")";
}

}  // namespace kiroku::investigate
