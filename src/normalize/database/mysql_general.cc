#include "normalize/database/mysql_general.h"

#include <array>
#include <string_view>

#include "normalize/database/internal/common.h"
#include "normalize/database/mysql_error.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

using internal::IsDigit;
using internal::MatchesShape;

// The commands of the general log (sql/sql_parse.cc command_name[]).
constexpr std::array<std::string_view, 30> kCommands = {
    "Sleep",       "Quit",       "Init DB",     "Query",          "Field List",     "Create DB",
    "Drop DB",     "Refresh",    "Shutdown",    "Statistics",     "Processlist",    "Connect",
    "Kill",        "Debug",      "Ping",        "Time",           "Delayed insert", "Change user",
    "Binlog Dump", "Table Dump", "Connect Out", "Register Slave", "Prepare",        "Execute",
    "Long Data",   "Close stmt", "Reset stmt",  "Set option",     "Fetch",          "Daemon"};

bool IsCommand(std::string_view c) {
  for (std::string_view k : kCommands) {
    if (c == k) return true;
  }
  return false;
}

// Strips "2026-11-26T14:37:42[.ffffff][Z|+hh:mm]\t" or "261126 14:37:42\t" (hour may be
// blank-padded) or the "\t\t" of a line without time.
bool StripTime(std::string_view* s) {
  std::string_view t = *s;
  if (t.starts_with("\t\t")) {
    *s = t.substr(2);
    return true;
  }
  size_t tab = t.find('\t');
  if (tab == std::string_view::npos || tab > 40) return false;
  std::string_view ts = t.substr(0, tab);
  bool iso = MatchesShape(ts, "dddd-dd-ddTdd:dd:dd");
  bool old = ts.size() == 15 && MatchesShape(ts, "dddddd ") && (ts[7] == ' ' || IsDigit(ts[7])) &&
             MatchesShape(ts.substr(8), "d:dd:dd");
  if (!iso && !old) return false;
  if (iso) {
    for (char c : ts.substr(19)) {
      if (!IsDigit(c) && c != '.' && c != 'Z' && c != '+' && c != '-' && c != ':') return false;
    }
  }
  *s = t.substr(tab + 1);
  return true;
}

}  // namespace

bool NormalizeMysqlGeneral(const Input& in, const Config& config, Event* out) {
  std::string_view s = in.message;
  if (s.empty() || !(IsDigit(s.front()) || s.front() == '\t')) return false;
  if (!StripTime(&s)) return false;
  // "   12 Query\tSELECT 1": the thread id is right-aligned.
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  size_t i = 0;
  while (i < s.size() && IsDigit(s[i])) ++i;
  if (i == 0 || i > 20 || i >= s.size() || s[i] != ' ') return false;
  s.remove_prefix(i + 1);
  size_t tab = s.find('\t');
  std::string_view command = Trim(s.substr(0, tab));
  std::string_view arg = tab == std::string_view::npos ? std::string_view() : s.substr(tab + 1);
  if (!IsCommand(command)) return false;

  if (command == "Connect" && arg.starts_with("Access denied for user ")) {
    return NormalizeMysqlAccessDenied(arg, "mysql-general", out);
  }
  internal::AddDatabaseBase(out, "mysql-general", "", "mysql");
  if (command == "Connect") {
    out->Add(Field::kEventCategory, "authentication");
    out->Add(Field::kEventAction, "login");
    out->Add(Field::kEventOutcome, "success");
    // "alice@10.0.0.5 on sales using TCP/IP", "root@localhost on  using Socket",
    // "alice@10.0.0.5 as anonymous on sales"
    auto at = Cut(arg, '@');
    if (at) {
      out->Add(Field::kUserName, at->before);
      std::string_view host = at->after.substr(0, at->after.find(' '));
      if (IsIpText(host)) out->Add(Field::kSourceIp, host);
      if (auto on = Cut(at->after, " on ")) {
        std::string_view db = on->after.substr(0, on->after.find(' '));
        out->Add(Field::kDbName, db);
      }
    }
  } else if (command == "Quit") {
    out->Add(Field::kEventCategory, "authentication");
    out->Add(Field::kEventAction, "logout");
    out->Add(Field::kEventOutcome, "success");
  } else if (command == "Query" || command == "Execute") {
    out->Add(Field::kEventAction, "query");
    out->Add(Field::kDbStatement, arg);
  } else if (command == "Prepare") {
    out->Add(Field::kEventAction, "prepare");
    out->Add(Field::kDbStatement, arg);
  } else if (command == "Init DB") {
    out->Add(Field::kEventAction, "change-database");
    out->Add(Field::kDbName, arg);
  } else {
    internal::AddKebab(out, Field::kEventAction, command);
  }
  (void)config;
  return true;
}

}  // namespace kiroku::normalize
