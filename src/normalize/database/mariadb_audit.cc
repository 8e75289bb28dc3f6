#include "normalize/database/mariadb_audit.h"

#include <array>
#include <string_view>

#include "normalize/database/internal/common.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

bool IsOperation(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || c == '_')) return false;
  }
  return true;
}

}  // namespace

bool NormalizeMariadbAudit(const Input& in, const Config& config, Event* out) {
  (void)config;
  std::string_view s = Trim(in.message);
  if (internal::MatchesShape(s, "dddddddd dd:dd:dd,")) {
    s.remove_prefix(18);
  } else if (in.app.find("server_audit") == std::string_view::npos &&
             !StartsWithIgnoreCase(in.app, "mysqld") && !StartsWithIgnoreCase(in.app, "mariadbd")) {
    return false;
  }
  // Seven fields from the left; the object may hold commas, so the retcode is taken from the
  // right and the object is what is between.
  std::array<std::string_view, 7> f;
  for (auto& x : f) {
    auto c = Cut(s, ',');
    if (!c) return false;
    x = c->before;
    s = c->after;
  }
  size_t last = s.rfind(',');
  if (last == std::string_view::npos) return false;
  std::string_view object = s.substr(0, last);
  std::string_view retcode = s.substr(last + 1);
  const std::string_view user = f[1], host = f[2], op = f[5], db = f[6];
  // TABLE events (READ, WRITE, ...) leave the retcode empty.
  if (!IsIntegerText(f[3]) || !IsIntegerText(f[4]) || !IsOperation(op) ||
      (!retcode.empty() && !IsIntegerText(retcode))) {
    return false;
  }

  internal::AddDatabaseBase(out, "mariadb-audit", "mariadb", "mariadb");
  bool ok = retcode == "0";
  if (op == "CONNECT" || op == "FAILED_CONNECT" || op == "DISCONNECT" || op == "CHANGEUSER" ||
      op == "PROXY_CONNECT") {
    out->Add(Field::kEventCategory, "authentication");
  }
  if (op == "CONNECT" || op == "FAILED_CONNECT" || op == "PROXY_CONNECT") {
    out->Add(Field::kEventAction, "login");
    ok = ok && op != "FAILED_CONNECT";
  } else if (op == "DISCONNECT") {
    out->Add(Field::kEventAction, "logout");
  } else if (op == "CHANGEUSER") {
    out->Add(Field::kEventAction, "change-user");
  } else if (op.starts_with("QUERY")) {
    out->Add(Field::kEventAction, "query");
    // 'SELECT 1' with quotes inside escaped as \' : kept as written, outer quotes removed.
    if (object.size() >= 2 && object.front() == '\'' && object.back() == '\'') {
      object = object.substr(1, object.size() - 2);
    }
    out->Add(Field::kDbStatement, object);
  } else {
    internal::AddKebab(out, Field::kEventAction, op);  // READ, WRITE, CREATE, ALTER, DROP, ...
  }
  if (!retcode.empty()) out->Add(Field::kEventOutcome, ok ? "success" : "failure");
  if (!retcode.empty() && retcode != "0") out->Add(Field::kEventCode, retcode);
  out->Add(Field::kUserName, user);
  internal::AddSourceAddress(out, host);
  out->Add(Field::kDbName, db);
  return true;
}

}  // namespace kiroku::normalize
