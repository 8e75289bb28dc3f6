#include "investigate/ip_report.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "investigate/query_text.h"
#include "query/ip_address.h"

namespace kiroku::investigate {

namespace {

using normalize::Field;

bool IsHostName(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

uint64_t Number(const EventRow& r, Field f) {
  std::string_view v = r.Get(f);
  uint64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  return ec == std::errc() && p == v.data() + v.size() ? n : 0;
}

}  // namespace

StatusOr<IpReport> InvestigateIp(const Context& ctx, std::string_view address) {
  IpReport report;
  report.address = std::string(address);
  std::string target;
  if (normalize::IsIpText(address)) {
    target = "destination.ip:" + Quoted(address) + " OR source.ip:" + Quoted(address) +
             " OR url.domain:" + Quoted(address);
  } else if (address.find('/') != std::string_view::npos && query::ParseIpPrefix(address)) {
    target = "destination.ip:" + Quoted(address) + " OR source.ip:" + Quoted(address);
  } else if (IsHostName(address)) {
    target = "url.domain:" + Quoted(address) + " OR destination.domain:" + Quoted(address);
  } else {
    return Status::InvalidArgument("'" + std::string(address) +
                                   "' is not an address, a CIDR or a host name");
  }
  report.query = "observer.type:(proxy OR firewall) AND (" + target + ")";
  std::vector<EventRow> rows;
  if (Status s = ctx.Find(report.query, &rows); !s.ok()) return s;
  report.records = rows.size();

  std::map<std::string, size_t> index;
  std::vector<UsersSeen> users;
  for (const EventRow& r : rows) {
    std::string_view src = r.Get(Field::kSourceIp);
    std::string_view dst = r.Get(Field::kDestinationIp);
    bool outbound;
    std::string host;
    if (!src.empty() && src != address && ctx.IsInternal(src)) {
      outbound = true;
      host = std::string(src);
    } else if (!dst.empty() && dst != address && ctx.IsInternal(dst)) {
      outbound = false;
      host = std::string(dst);
    } else {
      ++report.without_internal_host;
      continue;
    }
    auto [it, fresh] = index.try_emplace(host, report.hosts.size());
    if (fresh) {
      report.hosts.emplace_back();
      report.hosts.back().ip = host;
      report.hosts.back().first_ns = r.time_ns;
      users.emplace_back();
    }
    HostContact& h = report.hosts[it->second];
    h.first_ns = std::min(h.first_ns, r.time_ns);
    h.last_ns = std::max(h.last_ns, r.time_ns);
    if (r.Get(Field::kObserverType) == "proxy") {
      ++h.proxy_requests;
    } else {
      ++h.firewall_connections;
    }
    ++(outbound ? h.outbound : h.inbound);
    std::string_view outcome = r.Get(Field::kEventOutcome);
    if (outcome == "success") ++h.allowed;
    if (outcome == "failure") ++h.denied;
    uint64_t from_source = Number(r, Field::kSourceBytes);
    uint64_t from_dest = Number(r, Field::kDestinationBytes) + Number(r, Field::kHttpResponseBytes);
    h.bytes_sent += outbound ? from_source : from_dest;
    h.bytes_received += outbound ? from_dest : from_source;
    h.bytes_total += from_source + from_dest + Number(r, Field::kNetworkBytes);
    std::string_view domain = r.Get(Field::kUrlDomain);
    if (!domain.empty() &&
        std::find(h.domains.begin(), h.domains.end(), domain) == h.domains.end()) {
      h.domains.emplace_back(domain);
    }
    users[it->second].Add(r);
  }

  // The users logged on at each host: any other record from its address that names a user
  // (RADIUS accounting with the framed address, LDAP binds, database logins, mail SASL).
  for (size_t i = 0; i < report.hosts.size(); ++i) {
    std::vector<EventRow> logons;
    std::string q = "source.ip:" + Quoted(report.hosts[i].ip) +
                    " AND user.name:* AND NOT observer.type:(proxy OR firewall)";
    if (Status s = ctx.Find(q, &logons); !s.ok()) return s;
    for (const EventRow& r : logons) users[i].Add(r);
    report.hosts[i].users = users[i].Sorted();
  }
  std::stable_sort(report.hosts.begin(), report.hosts.end(),
                   [](const HostContact& a, const HostContact& b) {
                     return a.first_ns != b.first_ns ? a.first_ns < b.first_ns : a.ip < b.ip;
                   });
  return report;
}

void WriteIpText(const IpReport& report, std::ostream& out) {
  out << "Internal hosts that talked to " << report.address
      << " (proxy and firewall): " << report.hosts.size() << " host"
      << (report.hosts.size() == 1 ? "" : "s") << ", " << report.records << " record"
      << (report.records == 1 ? "" : "s") << "\n";
  if (report.without_internal_host > 0) {
    out << "  (" << report.without_internal_host
        << " matching records had no internal address on either side)\n";
  }
  for (const HostContact& h : report.hosts) {
    out << "\n" << h.ip << "\n";
    out << "  first seen      " << TimeText(h.first_ns) << "\n";
    out << "  last seen       " << TimeText(h.last_ns) << "\n";
    out << "  proxy requests  " << h.proxy_requests << "\n";
    out << "  firewall        " << h.firewall_connections << "\n";
    out << "  direction       " << h.outbound << " outbound, " << h.inbound << " inbound\n";
    out << "  allowed/denied  " << h.allowed << " allowed, " << h.denied << " denied\n";
    out << "  bytes           " << h.bytes_sent << " sent, " << h.bytes_received << " received\n";
    if (!h.domains.empty()) {
      out << "  domains        ";
      for (const std::string& d : h.domains) out << " " << d;
      out << "\n";
    }
    out << "  users          ";
    if (h.users.empty()) out << " (none seen)";
    for (size_t i = 0; i < h.users.size(); ++i) {
      out << (i == 0 ? " " : ", ") << UserText(h.users[i]);
    }
    out << "\n";
  }
}

nlohmann::ordered_json IpJson(const IpReport& report) {
  nlohmann::ordered_json j;
  j["address"] = report.address;
  j["query"] = report.query;
  j["records"] = report.records;
  j["without_internal_host"] = report.without_internal_host;
  nlohmann::ordered_json hosts = nlohmann::ordered_json::array();
  for (const HostContact& h : report.hosts) {
    nlohmann::ordered_json users = nlohmann::ordered_json::array();
    for (const UserSeen& u : h.users) users.push_back(UserJson(u));
    hosts.push_back({{"ip", h.ip},
                     {"first", TimeText(h.first_ns)},
                     {"last", TimeText(h.last_ns)},
                     {"proxy_requests", h.proxy_requests},
                     {"firewall_records", h.firewall_connections},
                     {"outbound", h.outbound},
                     {"inbound", h.inbound},
                     {"allowed", h.allowed},
                     {"denied", h.denied},
                     {"bytes_sent", h.bytes_sent},
                     {"bytes_received", h.bytes_received},
                     {"bytes_total", h.bytes_total},
                     {"domains", h.domains},
                     {"users", std::move(users)}});
  }
  j["hosts"] = std::move(hosts);
  return j;
}

}  // namespace kiroku::investigate
