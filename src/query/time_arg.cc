#include "query/time_arg.h"

#include <chrono>
#include <limits>
#include <optional>

namespace kiroku::query {
namespace {

constexpr int64_t kNsPerSec = 1'000'000'000;
constexpr int64_t kSecPerDay = 86'400;

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool done() const { return i_ == s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  bool Eat(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  // Exactly n digits.
  std::optional<int> Digits(int n) {
    int v = 0;
    for (int k = 0; k < n; ++k) {
      char c = peek();
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
      ++i_;
    }
    return v;
  }
  std::string_view rest() const { return s_.substr(i_); }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

Status Invalid(std::string_view text, std::string_view why = {}) {
  std::string msg = "'" + std::string(text) + "' is not a time";
  if (!why.empty()) msg += std::string(" (") + std::string(why) + ")";
  msg += "; use 2026-11-26T14:00:00Z, 2026-11-26T14:00:00+09:00, 2026-11-26, or 15m, 2h, 7d, now";
  return Status::InvalidArgument(std::move(msg));
}

// Seconds since the epoch to ns, or nullopt outside int64's range (years ~1678 to ~2261).
std::optional<int64_t> SecondsToNs(int64_t sec, int64_t frac_ns) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  if (sec > (kMax - frac_ns) / kNsPerSec || sec < kMin / kNsPerSec + 1) return std::nullopt;
  return sec * kNsPerSec + frac_ns;
}

StatusOr<TimeValue> ParseRelative(std::string_view text, int64_t now_ns) {
  std::string_view s = text;
  if (s == "now") return TimeValue{now_ns, 1};
  if (s.starts_with("now-")) s.remove_prefix(4);
  if (s.size() < 2) return Invalid(text);
  int64_t n = 0;
  for (char c : s.substr(0, s.size() - 1)) {
    if (c < '0' || c > '9') return Invalid(text);
    if (n > 1'000'000'000) return Invalid(text, "too far back");
    n = n * 10 + (c - '0');
  }
  int64_t unit;
  switch (s.back()) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = kSecPerDay;
      break;
    case 'w':
      unit = 7 * kSecPerDay;
      break;
    default:
      return Invalid(text, "units are s, m, h, d, w");
  }
  std::optional<int64_t> back = SecondsToNs(n * unit, 0);
  if (!back || now_ns < std::numeric_limits<int64_t>::min() + *back) {
    return Invalid(text, "too far back");
  }
  return TimeValue{now_ns - *back, 1};
}

}  // namespace

StatusOr<TimeValue> ParseTimeValue(std::string_view text, int64_t now_ns) {
  if (text.empty()) return Invalid(text);
  if (text.size() < 10 || text[4] != '-') return ParseRelative(text, now_ns);

  Reader r(text);
  std::optional<int> y = r.Digits(4);
  std::optional<int> mo, d;
  if (y && r.Eat('-')) mo = r.Digits(2);
  if (mo && r.Eat('-')) d = r.Digits(2);
  if (!d) return Invalid(text);
  using namespace std::chrono;
  year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return Invalid(text, "no such date");
  int64_t days = sys_days{ymd}.time_since_epoch().count();
  if (r.done()) {
    std::optional<int64_t> ns = SecondsToNs(days * kSecPerDay, 0);
    if (!ns) return Invalid(text, "out of range");
    return TimeValue{*ns, kSecPerDay * kNsPerSec};
  }

  if (!(r.Eat('T') || r.Eat('t') || r.Eat(' '))) return Invalid(text);
  std::optional<int> hh = r.Digits(2), mm, ss;
  if (hh && r.Eat(':')) mm = r.Digits(2);
  if (mm && r.Eat(':')) ss = r.Digits(2);
  if (!ss) return Invalid(text, "seconds are required");
  // 60 is RFC 3339's leap second; it lands on the next minute's first second.
  if (*hh > 23 || *mm > 59 || *ss > 60) return Invalid(text, "no such time of day");
  int64_t frac_ns = 0;
  int64_t precision = kNsPerSec;
  if (r.Eat('.') || r.Eat(',')) {
    int digits = 0;
    while (r.peek() >= '0' && r.peek() <= '9') {
      if (digits < 9) {
        frac_ns = frac_ns * 10 + (r.peek() - '0');
        precision /= 10;
      }
      ++digits;
      r.Eat(r.peek());
    }
    if (digits == 0) return Invalid(text);
    for (int k = digits; k < 9; ++k) frac_ns *= 10;
  }
  int64_t offset_sec = 0;
  if (r.Eat('Z') || r.Eat('z')) {
  } else if (r.peek() == '+' || r.peek() == '-') {
    int sign = r.peek() == '+' ? 1 : -1;
    r.Eat(r.peek());
    std::optional<int> oh = r.Digits(2), om;
    if (oh && r.Eat(':')) om = r.Digits(2);
    if (!om || *oh > 23 || *om > 59) return Invalid(text, "bad UTC offset");
    offset_sec = int64_t{sign} * (int64_t{*oh} * 3600 + int64_t{*om} * 60);
  } else if (r.done()) {
    return Invalid(text, "no zone: add Z for UTC or an offset such as +09:00");
  } else {
    return Invalid(text);
  }
  if (!r.done()) return Invalid(text);
  int64_t sec = days * kSecPerDay + int64_t{*hh} * 3600 + int64_t{*mm} * 60 + *ss - offset_sec;
  std::optional<int64_t> ns = SecondsToNs(sec, frac_ns);
  if (!ns) return Invalid(text, "out of range");
  return TimeValue{*ns, precision};
}

StatusOr<int64_t> ParseTimeArg(std::string_view text, int64_t now_ns) {
  StatusOr<TimeValue> v = ParseTimeValue(text, now_ns);
  if (!v.ok()) return v.status();
  return v->ns;
}

void AppendRfc3339(int64_t ns, int frac_digits, std::string* out) {
  // Floor division, so times before 1970 still print a fraction in [0, 1 s).
  int64_t sec = ns / kNsPerSec;
  int64_t frac = ns % kNsPerSec;
  if (frac < 0) {
    frac += kNsPerSec;
    --sec;
  }
  int64_t days = sec / kSecPerDay;
  int64_t sod = sec % kSecPerDay;
  if (sod < 0) {
    sod += kSecPerDay;
    --days;
  }
  // Hand-formatted rather than snprintf: this runs twice per line of JSON output, and snprintf
  // was the largest single cost there.
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  char buf[40];
  char* p = buf;
  auto put = [&p](int64_t v, int width) {
    for (int k = width - 1; k >= 0; --k) {
      p[k] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
    p += width;
  };
  put(static_cast<int>(ymd.year()), 4);
  *p++ = '-';
  put(static_cast<unsigned>(ymd.month()), 2);
  *p++ = '-';
  put(static_cast<unsigned>(ymd.day()), 2);
  *p++ = 'T';
  put(sod / 3600, 2);
  *p++ = ':';
  put(sod / 60 % 60, 2);
  *p++ = ':';
  put(sod % 60, 2);
  if (frac_digits > 0) {
    if (frac_digits > 9) frac_digits = 9;
    *p++ = '.';
    for (int k = frac_digits; k < 9; ++k) frac /= 10;
    put(frac, frac_digits);
  }
  *p++ = 'Z';
  out->append(buf, p - buf);
}

std::string FormatRfc3339(int64_t ns, int frac_digits) {
  std::string out;
  AppendRfc3339(ns, frac_digits, &out);
  return out;
}

}  // namespace kiroku::query
