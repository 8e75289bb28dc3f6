// UserRules: a site's own normalisers for devices kiroku does not know, written as a TOML rules
// file of RE2 patterns whose named captures fill ECS fields. Checked when loaded (unknown field,
// bad pattern, a ${name} that the pattern does not capture: an error naming the rule), and
// testable with `kiroku rules test FILE SAMPLE`. docs/rules.md has a complete example.
//
//   [[rule]]
//   name = "acme-vpn"
//   app = "acmevpn"                 # optional: process.name, case-insensitive
//   contains = "login"              # optional: fast substring test on the message
//   pattern = 'user=(?P<user>\S+) from (?P<ip>[0-9.]+) (?P<result>ok|failed)'
//   [rule.fields]
//   "observer.type" = "vpn"
//   "user.name" = "${user}"
//   "source.ip" = "${ip}"
//
//   StatusOr<UserRules> rules = UserRules::Parse(text, "rules.toml");
//   if (const UserRule* hit = rules->Apply(input, &event)) ...
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "normalize/event.h"
#include "normalize/family.h"

namespace re2 {
class RE2;
}

namespace kiroku::normalize {

struct UserRule {
  std::string name;
  std::string app;       // empty: any
  std::string contains;  // empty: none
  std::string pattern;
  std::shared_ptr<const re2::RE2> regex;
  struct Assignment {
    Field field;
    // The value template cut at ${...}: literal text, then capture group numbers (-1 = none).
    std::vector<std::string> literals;  // size == groups.size() + 1
    std::vector<int> groups;
  };
  std::vector<Assignment> fields;
};

class UserRules {
 public:
  UserRules() = default;
  // `origin` names the file in error messages.
  static StatusOr<UserRules> Parse(std::string_view toml_text, const std::string& origin);

  // The first rule that matches fills `out` (kiroku.normalizer = "rule:NAME") and is returned;
  // nullptr when none matched (out untouched).
  const UserRule* Apply(const Input& in, Event* out) const;

  bool empty() const { return rules_.empty(); }
  const std::vector<UserRule>& rules() const { return rules_; }

 private:
  std::vector<UserRule> rules_;
};

}  // namespace kiroku::normalize
