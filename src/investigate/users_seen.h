// Who was seen on a host or in a set of events: per user and per kind of device (proxy,
// firewall, radius, directory, ...), how many records, how many logons succeeded and failed,
// first and last seen. Shared by `investigate ip` (the users on each internal host) and
// `investigate host`.
//
//   UsersSeen users;
//   for (const EventRow& r : rows) users.Add(r);
//   for (const UserSeen& u : users.Sorted()) ...
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "investigate/context.h"

namespace kiroku::investigate {

struct UserSeen {
  std::string name;
  std::string via;  // observer.type of the records (or the normaliser's name)
  uint64_t events = 0;
  uint64_t logons_ok = 0;
  uint64_t logons_failed = 0;
  int64_t first_ns = 0;
  int64_t last_ns = 0;
};

// A logon attempt: an authentication event (RADIUS/LDAP/DB login, LDAP bind) or a RADIUS
// accounting start. The lines of one slapd operation (BIND, its RESULT) are one attempt.
bool IsLogon(const EventRow& row);

class UsersSeen {
 public:
  // Counts row for its user.name; rows without one are ignored.
  void Add(const EventRow& row);
  // By first seen, then name.
  std::vector<UserSeen> Sorted() const;

 private:
  std::map<std::pair<std::string, std::string>, UserSeen> users_;
  std::set<std::string> logon_keys_;  // host + slapd session already counted
};

nlohmann::ordered_json UserJson(const UserSeen& u);
// "alice (proxy, 3 records)", "bob (radius, 1 logon)", "eve (directory, 2 failed logons)"
std::string UserText(const UserSeen& u);

}  // namespace kiroku::investigate
