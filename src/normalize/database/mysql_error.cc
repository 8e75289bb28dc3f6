#include "normalize/database/mysql_error.h"

#include "normalize/database/internal/common.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

constexpr std::string_view kDenied = "Access denied for user '";

}  // namespace

bool NormalizeMysqlAccessDenied(std::string_view text, std::string_view normalizer, Event* out) {
  if (!text.starts_with(kDenied)) return false;
  std::string_view rest = text.substr(kDenied.size());
  // The user may not hold a quote; the host part is '...' right after.
  auto user = Cut(rest, "'@'");
  if (!user || user->before.find('\'') != std::string_view::npos) return false;
  auto host = Cut(user->after, '\'');
  if (!host || !host->after.starts_with(" (using password: ")) return false;
  internal::AddDatabaseBase(out, normalizer, "", "mysql");
  out->Add(Field::kEventCategory, "authentication");
  out->Add(Field::kEventAction, "login");
  out->Add(Field::kEventOutcome, "failure");
  out->Add(Field::kUserName, user->before);
  if (IsIpText(host->before)) out->Add(Field::kSourceIp, host->before);
  out->Add(Field::kEventReason, Trim(text));
  return true;
}

bool NormalizeMysqlError(const Input& in, const Config& config, Event* out) {
  (void)config;
  std::string_view m = in.message;
  size_t p = m.find(kDenied);
  if (p == std::string_view::npos) return false;
  // Only a MySQL error-log line ("[Note]", "[Warning]" before it) or a mysqld syslog message.
  std::string_view before = m.substr(0, p);
  bool mysqld = StartsWithIgnoreCase(in.app, "mysqld") || StartsWithIgnoreCase(in.app, "mariadbd");
  bool marked = before.find("[Note] ") != std::string_view::npos ||
                before.find("[Warning] ") != std::string_view::npos;
  if (!mysqld && !marked) return false;
  if (!NormalizeMysqlAccessDenied(m.substr(p), "mysql-error", out)) return false;
  // MySQL 8 error-log code: "[MY-010926]".
  if (auto code = Between(before, "[MY-", "]"); code && IsIntegerText(*code)) {
    size_t start = code->data() - m.data() - 3;
    out->Add(Field::kEventCode, m.substr(start, code->size() + 3));
  }
  return true;
}

}  // namespace kiroku::normalize
