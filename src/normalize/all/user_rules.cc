#include "normalize/all/user_rules.h"

#include <re2/re2.h>
#include <toml++/toml.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

std::string Where(const std::string& origin, const toml::node& n) {
  std::ostringstream os;
  os << origin << ":" << n.source().begin.line;
  return os.str();
}

// Cuts "a ${x} b" into literals {"a ", " b"} and group indices {index of x}.
Status CompileTemplate(const std::string& value, const re2::RE2& re, const std::string& where,
                       UserRule::Assignment* out) {
  const std::map<std::string, int>& named = re.NamedCapturingGroups();
  std::string literal;
  size_t i = 0;
  while (i < value.size()) {
    if (value.compare(i, 2, "${") == 0) {
      size_t end = value.find('}', i + 2);
      if (end == std::string::npos) {
        std::string msg = where;
        msg.append(": unterminated ${ in \"").append(value).append("\"");
        return Status::InvalidArgument(std::move(msg));
      }
      std::string name = value.substr(i + 2, end - i - 2);
      auto it = named.find(name);
      if (it == named.end()) {
        std::string msg = where;
        msg.append(": ${").append(name).append("} is not a named group of the pattern (write (?P<");
        msg.append(name).append(">...))");
        return Status::InvalidArgument(std::move(msg));
      }
      out->literals.push_back(std::move(literal));
      literal.clear();
      out->groups.push_back(it->second);
      i = end + 1;
      continue;
    }
    literal.push_back(value[i++]);
  }
  out->literals.push_back(std::move(literal));
  return Status::Ok();
}

}  // namespace

StatusOr<UserRules> UserRules::Parse(std::string_view toml_text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream os;
    os << origin << ":" << e.source().begin.line << ": " << e.description();
    return Status::InvalidArgument(os.str());
  }
  UserRules out;
  for (const auto& [key, node] : root) {
    if (key.str() != "rule") {
      return Status::InvalidArgument(Where(origin, node) + ": unknown key '" +
                                     std::string(key.str()) + "' (rules are [[rule]] tables)");
    }
  }
  const toml::array* rules = root["rule"].as_array();
  if (!rules) {
    if (root.contains("rule")) {
      return Status::InvalidArgument(origin + ": 'rule' must be an array of tables ([[rule]])");
    }
    return out;
  }
  for (const toml::node& n : *rules) {
    const toml::table* t = n.as_table();
    std::string where = Where(origin, n);
    if (!t) return Status::InvalidArgument(where + ": each [[rule]] must be a table");
    UserRule rule;
    for (const auto& [k, v] : *t) {
      std::string_view key = k.str();
      if (key != "name" && key != "app" && key != "contains" && key != "pattern" &&
          key != "fields") {
        return Status::InvalidArgument(Where(origin, v) + ": unknown key '" + std::string(key) +
                                       "' in [[rule]] (name, app, contains, pattern, fields)");
      }
    }
    rule.name = (*t)["name"].value_or(std::string());
    rule.app = (*t)["app"].value_or(std::string());
    rule.contains = (*t)["contains"].value_or(std::string());
    rule.pattern = (*t)["pattern"].value_or(std::string());
    if (rule.name.empty()) return Status::InvalidArgument(where + ": [[rule]] needs a name");
    where += " (rule " + rule.name + ")";
    if (rule.pattern.empty() && rule.contains.empty() && rule.app.empty()) {
      return Status::InvalidArgument(where + ": needs a pattern, contains or app to match on");
    }
    re2::RE2::Options opts;
    opts.set_log_errors(false);
    auto re =
        std::make_shared<re2::RE2>(rule.pattern.empty() ? std::string("") : rule.pattern, opts);
    if (!re->ok()) {
      return Status::InvalidArgument(where + ": bad pattern: " + re->error());
    }
    if (re->NumberOfCapturingGroups() > 15) {
      return Status::InvalidArgument(where + ": at most 15 capture groups per pattern");
    }
    rule.regex = re;
    const toml::table* fields = (*t)["fields"].as_table();
    if (!fields || fields->empty()) {
      return Status::InvalidArgument(where + ": needs a [rule.fields] table");
    }
    for (const auto& [fk, fv] : *fields) {
      std::optional<Field> field = FieldByName(fk.str());
      if (!field) {
        return Status::InvalidArgument(Where(origin, fv) + ": unknown field '" +
                                       std::string(fk.str()) + "' (docs/schema.md lists them)");
      }
      std::optional<std::string> value = fv.value<std::string>();
      if (!value) {
        if (auto i = fv.value<int64_t>()) value = std::to_string(*i);
        if (auto b = fv.value<bool>()) value = *b ? "true" : "false";
      }
      if (!value) {
        return Status::InvalidArgument(Where(origin, fv) + ": the value of '" +
                                       std::string(fk.str()) + "' must be a string");
      }
      UserRule::Assignment a;
      a.field = *field;
      KIROKU_RETURN_IF_ERROR(CompileTemplate(*value, *re, Where(origin, fv), &a));
      rule.fields.push_back(std::move(a));
    }
    out.rules_.push_back(std::move(rule));
  }
  return out;
}

const UserRule* UserRules::Apply(const Input& in, Event* out) const {
  re2::StringPiece groups[16];
  std::string value;
  for (const UserRule& rule : rules_) {
    if (!rule.app.empty() && !EqualsIgnoreCase(rule.app, in.app)) continue;
    if (!rule.contains.empty() && in.message.find(rule.contains) == std::string_view::npos) {
      continue;
    }
    int ngroups = std::min(rule.regex->NumberOfCapturingGroups() + 1, 16);
    if (!rule.pattern.empty() &&
        !rule.regex->Match(re2::StringPiece(in.message.data(), in.message.size()), 0,
                           in.message.size(), re2::RE2::UNANCHORED, groups, ngroups)) {
      continue;
    }
    for (const UserRule::Assignment& a : rule.fields) {
      value.clear();
      for (size_t i = 0; i < a.groups.size(); ++i) {
        value.append(a.literals[i]);
        int g = a.groups[i];
        if (g < ngroups && groups[g].data() != nullptr) {
          value.append(groups[g].data(), groups[g].size());
        }
      }
      value.append(a.literals.back());
      out->Add(a.field, value);
    }
    out->Add(Field::kKirokuNormalizer, "rule:" + rule.name);
    return &rule;
  }
  return nullptr;
}

}  // namespace kiroku::normalize
