// ZoneRules: which time zone to assume for a source whose timestamps carry none.
//
// Configured per source by sender address (CIDR) or host name; the default is the server's own
// zone (from TZ or /etc/localtime). Lookups happen on the hot path, so the common case (no rules)
// is a single branch.
//
//   ZoneRules rules;
//   rules.Add("10.1.0.0/16", "Asia/Tokyo");      // by sender address
//   rules.Add("host:fw01", "Europe/Berlin");     // by host name in the message
//   syslog::Zone z = rules.ZoneFor(peer, host);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/record.h"
#include "common/status.h"
#include "syslog/parser.h"

namespace kiroku::syslog {

class ZoneRules {
 public:
  ZoneRules();  // default zone = the server's local zone
  // `match` is a CIDR ("192.0.2.0/24", "2001:db8::/32"), a single address, or "host:NAME".
  // `zone` is an IANA name ("Asia/Tokyo"), "UTC", or "local".
  Status Add(std::string_view match, std::string_view zone);
  Status SetDefault(std::string_view zone);
  Zone default_zone() const { return default_; }
  bool empty() const { return rules_.empty(); }
  // The zone for a message from `peer` whose header names `host` (may be empty).
  Zone ZoneFor(const PeerAddress& peer, std::string_view host) const;

 private:
  struct Rule {
    bool by_host = false;
    std::string host;
    PeerAddress net;
    int prefix_len = 0;
    Zone zone = nullptr;
  };
  std::vector<Rule> rules_;
  Zone default_ = nullptr;
};

// Resolves a zone name: IANA name, "UTC", or "local" (the server's zone).
StatusOr<Zone> LookupZone(std::string_view name);

}  // namespace kiroku::syslog
