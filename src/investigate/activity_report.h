// `kiroku investigate user NAME` and `kiroku investigate host NAME`: everything the logs say a
// user or a host did, on one timeline, with a summary of counts by kind (G-II.1..G-II.5):
// logons (succeeded, failed), admin operations (directory writes, Windows account management
// 4720..4767, anything flagged kiroku.admin that is not a read), malware detections, proxy
// requests, firewall records, mail, other.
//
// A user is matched as the actor (user.name, also as an LDAP DN's uid= or cn=), as the target
// of an account operation (user.target.name) and as the directory entry touched (kiroku.ldap.dn
// uid=NAME,...). A host is matched by its name (host.name, exact or as the first label of an
// FQDN; source.domain) or, for an address, as source or destination.
//
//   StatusOr<ActivityReport> r = InvestigateUser(ctx, "bob", /*limit=*/1000);
//   WriteActivityText(*r, std::cout);
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "common/status.h"
#include "investigate/context.h"
#include "investigate/users_seen.h"

namespace kiroku::investigate {

enum class Kind { kLogon, kAdmin, kMalware, kProxy, kFirewall, kMail, kOther };
std::string_view KindName(Kind k);  // "logon", "admin", "malware", "proxy", ...

// What one record is, for the counts: malware first, then logon, admin, proxy, firewall, mail.
Kind Classify(const EventRow& row);

struct ActivityCounts {
  uint64_t logons_ok = 0;
  uint64_t logons_failed = 0;
  uint64_t admin = 0;  // operations: the lines of one slapd operation count once
  uint64_t malware = 0;
  uint64_t proxy = 0;
  uint64_t proxy_denied = 0;
  uint64_t firewall = 0;
  uint64_t firewall_denied = 0;
  uint64_t mail = 0;
  uint64_t other = 0;
};

struct ActivityReport {
  std::string subject;  // "user" or "host"
  std::string name;
  std::string query;
  uint64_t records = 0;  // all matches (the timeline may be shorter: limit)
  ActivityCounts counts;
  std::vector<std::string> malware;  // threat names, first seen first
  std::vector<UserSeen> users;       // host: who was seen there
  std::vector<std::string> hosts;    // user: hosts (host.name) whose logs name the user
  std::vector<EventRow> timeline;    // the first `limit` records
};

// InvalidArgument for an empty name. `limit` caps the timeline (0: all), not the counts.
StatusOr<ActivityReport> InvestigateUser(const Context& ctx, std::string_view name, uint64_t limit);
StatusOr<ActivityReport> InvestigateHost(const Context& ctx, std::string_view name, uint64_t limit);

void WriteActivityText(const ActivityReport& report, std::ostream& out);
nlohmann::ordered_json ActivityJson(const ActivityReport& report);

}  // namespace kiroku::investigate
