#include "investigate/activity_report.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "investigate/query_text.h"
#include "investigate/timeline.h"

namespace kiroku::investigate {

namespace {

using normalize::Field;

// Actions that only read or connect: an administrator's search is not an admin operation.
bool IsReadOnly(std::string_view action) {
  static const std::set<std::string_view> kRead = {
      "search",  "bind",     "connect",         "disconnect",        "unbind", "result", "compare",
      "abandon", "starttls", "tls-established", "extended-operation"};
  return kRead.contains(action);
}

bool IsWindowsAccountEvent(const EventRow& r) {
  std::string_view code = r.Get(Field::kEventCode);
  int n = 0;
  auto [p, ec] = std::from_chars(code.data(), code.data() + code.size(), n);
  return ec == std::errc() && p == code.data() + code.size() && n >= 4720 && n <= 4767 &&
         r.Get(Field::kObserverVendor) == "Microsoft";
}

void AddUnique(std::vector<std::string>* list, std::string_view v) {
  if (v.empty()) return;
  if (std::find(list->begin(), list->end(), v) == list->end()) list->emplace_back(v);
}

StatusOr<ActivityReport> Investigate(const Context& ctx, std::string subject, std::string_view name,
                                     std::string query, uint64_t limit) {
  ActivityReport report;
  report.subject = std::move(subject);
  report.name = std::string(name);
  report.query = std::move(query);
  std::vector<EventRow> rows;
  if (Status s = ctx.Find(report.query, &rows); !s.ok()) return s;
  report.records = rows.size();

  UsersSeen users;
  std::set<std::string> once;  // slapd operations already counted
  ActivityCounts& c = report.counts;
  for (const EventRow& r : rows) {
    Kind kind = Classify(r);
    if (r.Has(Field::kLdapSession) && (kind == Kind::kLogon || kind == Kind::kAdmin)) {
      std::string key = r.host + '\x1f' + std::string(r.Get(Field::kLdapSession));
      if (!once.insert(key).second) kind = Kind::kOther;  // counted with its first line
    }
    bool denied = r.Get(Field::kEventOutcome) == "failure";
    switch (kind) {
      case Kind::kLogon:
        ++(denied ? c.logons_failed : c.logons_ok);
        break;
      case Kind::kAdmin:
        ++c.admin;
        break;
      case Kind::kMalware:
        ++c.malware;
        AddUnique(&report.malware, r.Get(Field::kThreatSoftwareName));
        break;
      case Kind::kProxy:
        ++c.proxy;
        if (denied) ++c.proxy_denied;
        break;
      case Kind::kFirewall:
        ++c.firewall;
        if (denied) ++c.firewall_denied;
        break;
      case Kind::kMail:
        ++c.mail;
        break;
      case Kind::kOther:
        // A repeated line of a counted slapd operation is not "other" activity.
        if (Classify(r) == Kind::kOther) ++c.other;
        break;
    }
    if (report.subject == "host") users.Add(r);
    if (report.subject == "user") AddUnique(&report.hosts, r.host);
  }
  report.users = users.Sorted();
  if (limit != 0 && rows.size() > limit) rows.resize(limit);
  report.timeline = std::move(rows);
  return report;
}

std::string Plural(uint64_t n, std::string_view one) {
  return std::to_string(n) + " " + std::string(one) + (n == 1 ? "" : "s");
}

}  // namespace

std::string_view KindName(Kind k) {
  switch (k) {
    case Kind::kLogon:
      return "logon";
    case Kind::kAdmin:
      return "admin";
    case Kind::kMalware:
      return "malware";
    case Kind::kProxy:
      return "proxy";
    case Kind::kFirewall:
      return "firewall";
    case Kind::kMail:
      return "mail";
    case Kind::kOther:
      return "other";
  }
  return "other";
}

Kind Classify(const EventRow& r) {
  std::string_view action = r.Get(Field::kEventAction);
  std::string_view type = r.Get(Field::kObserverType);
  if (r.Has(Field::kThreatSoftwareName) || action == "malware-detected") return Kind::kMalware;
  if (IsLogon(r)) return Kind::kLogon;
  if ((r.Get(Field::kKirokuAdmin) == "true" && !IsReadOnly(action)) || IsWindowsAccountEvent(r)) {
    return Kind::kAdmin;
  }
  if (type == "proxy") return Kind::kProxy;
  if (type == "firewall") return Kind::kFirewall;
  if (type == "mail") return Kind::kMail;
  return Kind::kOther;
}

StatusOr<ActivityReport> InvestigateUser(const Context& ctx, std::string_view name,
                                         uint64_t limit) {
  if (name.empty()) return Status::InvalidArgument("the user name is empty");
  std::string q = "user.name:" + Quoted(name) + " OR user.target.name:" + Quoted(name);
  if (name.find('=') == std::string_view::npos) {
    // Directories name users by DN: uid=bob,ou=people,... or cn=admin,dc=...
    for (std::string_view attr : {"uid=", "cn="}) {
      std::string dn = Prefix(std::string(attr) + std::string(name) + ",");
      q.append(" OR user.name:").append(dn).append(" OR kiroku.ldap.dn:").append(dn);
    }
  } else {
    q += " OR kiroku.ldap.dn:" + Quoted(name);
  }
  return Investigate(ctx, "user", name, q, limit);
}

StatusOr<ActivityReport> InvestigateHost(const Context& ctx, std::string_view name,
                                         uint64_t limit) {
  if (name.empty()) return Status::InvalidArgument("the host name is empty");
  std::string q = "host.name:" + Quoted(name);
  if (normalize::IsIpText(name)) {
    q += " OR source.ip:" + Quoted(name) + " OR destination.ip:" + Quoted(name);
  } else {
    q += " OR host.name:" + Prefix(std::string(name) + ".") + " OR source.domain:" + Quoted(name);
  }
  return Investigate(ctx, "host", name, q, limit);
}

void WriteActivityText(const ActivityReport& r, std::ostream& out) {
  const ActivityCounts& c = r.counts;
  out << "Activity of " << r.subject << " " << r.name << ": " << Plural(r.records, "record")
      << "\n";
  out << "  logons      " << c.logons_ok << " succeeded, " << c.logons_failed << " failed\n";
  out << "  admin       " << Plural(c.admin, "operation") << "\n";
  out << "  malware     " << Plural(c.malware, "detection");
  for (size_t i = 0; i < r.malware.size(); ++i) out << (i == 0 ? ": " : ", ") << r.malware[i];
  out << "\n";
  out << "  proxy       " << Plural(c.proxy, "request") << " (" << c.proxy_denied << " denied)\n";
  out << "  firewall    " << Plural(c.firewall, "record") << " (" << c.firewall_denied
      << " denied)\n";
  out << "  mail        " << Plural(c.mail, "record") << "\n";
  out << "  other       " << Plural(c.other, "record") << "\n";
  if (r.subject == "user") {
    out << "  hosts      ";
    if (r.hosts.empty()) out << " -";
    for (size_t i = 0; i < r.hosts.size(); ++i) out << (i == 0 ? " " : ", ") << r.hosts[i];
    out << "\n";
  } else {
    out << "  users      ";
    if (r.users.empty()) out << " -";
    for (size_t i = 0; i < r.users.size(); ++i) {
      out << (i == 0 ? " " : ", ") << UserText(r.users[i]);
    }
    out << "\n";
  }
  if (r.timeline.empty()) return;
  out << "\nTimeline";
  if (r.timeline.size() < r.records) {
    out << " (first " << r.timeline.size() << " of " << r.records << "; --limit N shows more)";
  }
  out << "\n";
  WriteTimelineTable(r.timeline, out, "  ");
}

nlohmann::ordered_json ActivityJson(const ActivityReport& r) {
  const ActivityCounts& c = r.counts;
  nlohmann::ordered_json j;
  j[r.subject] = r.name;
  j["query"] = r.query;
  j["records"] = r.records;
  j["counts"] = {{"logons_ok", c.logons_ok}, {"logons_failed", c.logons_failed},
                 {"admin", c.admin},         {"malware", c.malware},
                 {"proxy", c.proxy},         {"proxy_denied", c.proxy_denied},
                 {"firewall", c.firewall},   {"firewall_denied", c.firewall_denied},
                 {"mail", c.mail},           {"other", c.other}};
  j["malware"] = r.malware;
  if (r.subject == "user") {
    j["hosts"] = r.hosts;
  } else {
    nlohmann::ordered_json users = nlohmann::ordered_json::array();
    for (const UserSeen& u : r.users) users.push_back(UserJson(u));
    j["users"] = std::move(users);
  }
  nlohmann::ordered_json timeline = nlohmann::ordered_json::array();
  for (const EventRow& row : r.timeline) {
    nlohmann::ordered_json e = RowJson(row);
    e["kind"] = std::string(KindName(Classify(row)));
    timeline.push_back(std::move(e));
  }
  j["timeline"] = std::move(timeline);
  return j;
}

}  // namespace kiroku::investigate
