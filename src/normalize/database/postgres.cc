#include "normalize/database/postgres.h"

#include <array>
#include <string_view>

#include "normalize/database/internal/common.h"
#include "normalize/text.h"

namespace kiroku::normalize {
namespace {

using internal::IsDigit;

constexpr std::array<std::string_view, 16> kLevels = {
    "LOG",    "FATAL", "ERROR",   "WARNING", "DETAIL", "STATEMENT", "HINT",   "PANIC",
    "NOTICE", "INFO",  "CONTEXT", "DEBUG1",  "DEBUG2", "DEBUG3",    "DEBUG4", "DEBUG5"};

bool IsLevel(std::string_view w) {
  for (std::string_view l : kLevels) {
    if (w == l) return true;
  }
  return false;
}

// The first "WORD<sep>" whose WORD is a severity, at the start or after a blank, within the
// first 512 bytes: returns the colon's position and sets *word to WORD's start.
size_t FindLevel(std::string_view s, std::string_view sep, size_t* word) {
  for (size_t from = 0;;) {
    size_t colon = s.find(sep, from);
    if (colon == std::string_view::npos || colon > 512) return std::string_view::npos;
    size_t w = s.rfind(' ', colon);
    w = w == std::string_view::npos ? 0 : w + 1;
    if (IsLevel(s.substr(w, colon - w))) {
      *word = w;
      return colon;
    }
    from = colon + 1;
  }
}

// What the log_line_prefix told us.
struct Prefix {
  bool known = false;  // the prefix had a shape we read
  std::string_view user;
  std::string_view db;
  std::string_view client;
};

// "[12-1] " (syslog sequence and line number) or "[12-1]" at the front of `s`.
bool StripBracketedNumbers(std::string_view* s) {
  std::string_view t = *s;
  if (t.empty() || t.front() != '[') return false;
  size_t close = t.find(']');
  if (close == std::string_view::npos || close < 2 || close > 24) return false;
  for (size_t i = 1; i < close; ++i) {
    if (!IsDigit(t[i]) && t[i] != '-') return false;
  }
  t.remove_prefix(close + 1);
  if (!t.empty() && t.front() == ':') t.remove_prefix(1);
  *s = Trim(t);
  return true;
}

// "%m [%p] " / "%t [%p]: ": 2026-11-26 14:37:42[.123] TZ [4711][:]
bool StripTimeAndPid(std::string_view* s) {
  std::string_view t = *s;
  if (!internal::MatchesShape(t, "dddd-dd-dd dd:dd:dd")) return false;
  t.remove_prefix(19);
  if (!t.empty() && t.front() == '.') {
    t.remove_prefix(1);
    while (!t.empty() && IsDigit(t.front())) t.remove_prefix(1);
  }
  if (t.empty() || t.front() != ' ') return false;
  t.remove_prefix(1);
  size_t sp = t.find(' ');  // the zone: UTC, CET, +03, ...
  if (sp == std::string_view::npos || sp == 0 || sp > 32) return false;
  t.remove_prefix(sp + 1);
  if (t.empty() || t.front() != '[') return false;
  size_t close = t.find(']');
  if (close == std::string_view::npos || close < 2) return false;
  for (size_t i = 1; i < close; ++i) {
    if (!IsDigit(t[i])) return false;
  }
  t.remove_prefix(close + 1);
  if (!t.empty() && t.front() == ':') t.remove_prefix(1);
  *s = Trim(t);
  return true;
}

std::string_view Known(std::string_view v) { return v == "[unknown]" ? std::string_view() : v; }

// The part after time, pid and line number: "", "user@db", "user@db app host",
// "user=..,db=..,app=..,client=..".
bool ReadSession(std::string_view r, Prefix* p) {
  if (r.empty()) return true;
  if (r.starts_with("user=")) {
    auto user = ValueAfter(r, "user", ",");
    auto db = ValueAfter(r, "db", ",");
    if (!user || !db) return false;
    p->user = Known(*user);
    p->db = Known(*db);
    size_t c = r.rfind(",client=");
    if (c != std::string_view::npos) p->client = Trim(r.substr(c + 8));
    return true;
  }
  size_t sp = r.find(' ');
  std::string_view first = r.substr(0, sp);
  size_t at = first.find('@');
  if (at == std::string_view::npos) return false;
  p->user = Known(first.substr(0, at));
  p->db = Known(first.substr(at + 1));
  if (sp != std::string_view::npos) {
    std::string_view rest = Trim(r.substr(sp + 1));
    size_t last = rest.rfind(' ');
    p->client = last == std::string_view::npos ? rest : rest.substr(last + 1);
  }
  return true;
}

std::string_view Quoted(std::string_view s, std::string_view after) {
  auto v = Between(s, after, "\"");
  return v ? *v : std::string_view();
}

// Reads the message after "LEVEL:  "; false when it is none we know.
bool ReadBody(std::string_view level, std::string_view body, Event* out) {
  auto add_login = [out](bool ok) {
    out->Add(Field::kEventCategory, "authentication");
    out->Add(Field::kEventAction, "login");
    out->Add(Field::kEventOutcome, ok ? "success" : "failure");
  };
  if (body.starts_with("connection received: ")) {
    out->Add(Field::kEventAction, "connect");
    out->Add(Field::kEventOutcome, "success");
    if (auto h = ValueAfter(body, "host"); h && IsIpText(*h)) out->Add(Field::kSourceIp, *h);
    if (auto p = ValueAfter(body, "port")) out->Add(Field::kSourcePort, *p);
    return true;
  }
  if (body.starts_with("connection authorized: ") ||
      body.starts_with("replication connection authorized: ")) {
    add_login(true);
    if (auto u = ValueAfter(body, "user")) out->Add(Field::kUserName, *u);
    if (auto d = ValueAfter(body, "database")) out->Add(Field::kDbName, *d);
    return true;
  }
  if (size_t p = body.find("authentication failed for user \""); p != std::string_view::npos) {
    add_login(false);
    out->Add(Field::kUserName, Quoted(body.substr(p), "for user \""));
    out->Add(Field::kEventReason, body);
    return true;
  }
  if (body.starts_with("no pg_hba.conf entry for ")) {
    add_login(false);
    std::string_view host = Quoted(body, "host \"");
    if (IsIpText(host)) out->Add(Field::kSourceIp, host);
    out->Add(Field::kUserName, Quoted(body, "user \""));
    out->Add(Field::kDbName, Quoted(body, "database \""));
    out->Add(Field::kEventReason, body);
    return true;
  }
  if (level == "FATAL" && body.starts_with("role \"") && body.ends_with("\" does not exist")) {
    add_login(false);
    out->Add(Field::kUserName, Quoted(body, "role \""));
    out->Add(Field::kEventReason, body);
    return true;
  }
  if (body.starts_with("disconnection: ")) {
    out->Add(Field::kEventCategory, "authentication");
    out->Add(Field::kEventAction, "logout");
    out->Add(Field::kEventOutcome, "success");
    if (auto u = ValueAfter(body, "user")) out->Add(Field::kUserName, *u);
    if (auto d = ValueAfter(body, "database")) out->Add(Field::kDbName, *d);
    if (auto h = ValueAfter(body, "host"); h && IsIpText(*h)) out->Add(Field::kSourceIp, *h);
    if (auto p = ValueAfter(body, "port")) out->Add(Field::kSourcePort, *p);
    return true;
  }
  if (body.starts_with("AUDIT: ")) {
    // pgaudit: AUDIT_TYPE,STATEMENT_ID,SUBSTATEMENT_ID,CLASS,COMMAND,OBJECT_TYPE,OBJECT_NAME,
    // STATEMENT,PARAMETER (CSV quoting).
    FieldSplitter f(body.substr(7), ',');
    std::array<std::string_view, 8> v;
    for (auto& x : v) {
      if (!f.Next(&x)) return false;
    }
    if (v[0] != "SESSION" && v[0] != "OBJECT") return false;
    out->Add(Field::kEventAction, "query");
    out->Add(Field::kDbStatement, v[7]);
    return true;
  }
  // "statement: ", "execute <name>: ", "duration: 1.2 ms  statement: ", "... execute x: "
  std::string_view b = body;
  if (b.starts_with("duration: ")) {
    size_t two = b.find(" ms  ");
    if (two == std::string_view::npos) return false;
    b.remove_prefix(two + 5);
  }
  if (b.starts_with("statement: ")) {
    out->Add(Field::kEventAction, "query");
    out->Add(Field::kDbStatement, b.substr(11));
    return true;
  }
  if (b.starts_with("execute ")) {
    auto c = Cut(b, ": ");
    if (!c) return false;
    out->Add(Field::kEventAction, "query");
    out->Add(Field::kDbStatement, c->after);
    return true;
  }
  if (level == "STATEMENT") {
    out->Add(Field::kEventAction, "query");
    out->Add(Field::kDbStatement, body);
    return true;
  }
  return false;
}

}  // namespace

bool NormalizePostgres(const Input& in, const Config& config, Event* out) {
  (void)config;
  std::string_view s = Trim(in.message);
  bool pg_app = StartsWithIgnoreCase(in.app, "postgres");
  bool syslog_seq = StripBracketedNumbers(&s);
  size_t word = 0;
  size_t colon = FindLevel(s, ":  ", &word);
  size_t skip = 3;
  if (colon == std::string_view::npos && pg_app) {
    // Some relays squeeze blanks; from a postgres app one blank is enough.
    colon = FindLevel(s, ": ", &word);
    skip = 2;
  }
  if (colon == std::string_view::npos) return false;
  std::string_view level = s.substr(word, colon - word);
  std::string_view prefix = Trim(s.substr(0, word));
  std::string_view body = Trim(s.substr(colon + skip));

  Prefix p;
  std::string_view session = prefix;
  bool timed = StripTimeAndPid(&session);
  if (timed) StripBracketedNumbers(&session);
  if (timed || syslog_seq || pg_app || prefix.empty()) p.known = ReadSession(session, &p);
  if (!p.known) p = Prefix{};

  // Read into a scratch Event first: a line we do not recognise must leave `out` untouched.
  // thread_local so that its buffers are reused from record to record.
  thread_local Event body_fields;
  body_fields.Clear();
  bool body_known = ReadBody(level, body, &body_fields);
  if (!body_known && !(p.known && (timed || syslog_seq || pg_app))) return false;

  internal::AddDatabaseBase(out, "postgresql", "postgresql", "postgresql");
  out->Add(Field::kUserName, p.user);
  out->Add(Field::kDbName, p.db);
  if (IsIpText(p.client)) out->Add(Field::kSourceIp, p.client);
  if (body_known) {
    // The message's own values are more precise than the prefix's: they replace them.
    for (const Event::Entry& e : body_fields.entries()) out->Add(e.field, body_fields.Value(e));
  } else {
    internal::AddKebab(out, Field::kEventAction, level);
    if (level == "ERROR" || level == "FATAL" || level == "PANIC") {
      out->Add(Field::kEventOutcome, "failure");
      out->Add(Field::kEventReason, body);
    }
  }
  return true;
}

}  // namespace kiroku::normalize
