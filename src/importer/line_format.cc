#include "importer/line_format.h"

#include <chrono>
#include <map>

#include "syslog/parser.h"

namespace kiroku::importer {

namespace {

constexpr int64_t kNanos = 1'000'000'000;
constexpr std::string_view kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Digits s[pos, pos+n) as a number; -1 if any is not a digit or s is too short.
int64_t Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int MonthIndex(std::string_view s) {  // 1..12, 0 if none
  for (int i = 0; i < 12; ++i) {
    if (s == kMonths[i]) return i + 1;
  }
  return 0;
}

std::optional<int64_t> CivilToNs(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi,
                                 int64_t s) {
  using namespace std::chrono;
  if (y < 1678 || y > 2261 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) {
    return std::nullopt;
  }
  year_month_day ymd{year(static_cast<int>(y)), month(static_cast<unsigned>(mo)),
                     day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  int64_t days = sys_days(ymd).time_since_epoch().count();
  return ((days * 24 + h) * 60 + mi) * 60 * kNanos + s * kNanos;
}

// The whole line as the message, nothing else: what a line that does not parse becomes.
SyslogHeader WholeLine(std::string_view line, bool parse_error) {
  SyslogHeader h;
  h.parse_error = parse_error;
  h.msg = Span{0, static_cast<uint32_t>(line.size())};
  return h;
}

bool LooksSquid(std::string_view l) {
  size_t i = 0;
  while (i < l.size() && IsDigit(l[i])) ++i;
  if (i < 9 || i > 11 || i + 4 > l.size() || l[i] != '.') return false;
  if (Digits(l, i + 1, 3) < 0) return false;
  i += 4;
  if (i >= l.size() || l[i] != ' ') return false;
  while (i < l.size() && l[i] == ' ') ++i;
  return i < l.size() && IsDigit(l[i]);
}

bool LooksClf(std::string_view l) {
  // host ident user [dd/Mon/yyyy:hh:mm:ss zone] "...
  size_t sp = 0;
  size_t i = 0;
  for (; i < l.size() && sp < 3; ++i) {
    if (l[i] == ' ') ++sp;
  }
  if (sp != 3 || i + 21 > l.size() || l[i] != '[') return false;
  return l[i + 3] == '/' && MonthIndex(l.substr(i + 4, 3)) != 0 && l[i + 7] == '/' &&
         l[i + 12] == ':';
}

bool LooksW3c(std::string_view l) {
  return l.starts_with("#Fields:") || l.starts_with("#Software:") || l.starts_with("#Version:");
}

bool LooksSyslog(std::string_view l) {
  if (l.size() >= 2 && l[0] == '<' && IsDigit(l[1])) return true;
  if (l.size() >= 4 && l[3] == ' ' && MonthIndex(l.substr(0, 3)) != 0) return true;
  return l.size() >= 11 && Digits(l, 0, 4) >= 0 && l[4] == '-' && l[7] == '-' &&
         (l[10] == 'T' || l[10] == ' ');
}

}  // namespace

std::string_view LineFormatName(LineFormat f) {
  switch (f) {
    case LineFormat::kAuto:
      return "auto";
    case LineFormat::kSyslog:
      return "syslog";
    case LineFormat::kSquid:
      return "squid";
    case LineFormat::kClf:
      return "clf";
    case LineFormat::kW3c:
      return "w3c";
    case LineFormat::kRaw:
      return "raw";
  }
  return "raw";
}

std::optional<LineFormat> LineFormatFromName(std::string_view name) {
  for (LineFormat f : {LineFormat::kAuto, LineFormat::kSyslog, LineFormat::kSquid, LineFormat::kClf,
                       LineFormat::kW3c, LineFormat::kRaw}) {
    if (name == LineFormatName(f)) return f;
  }
  if (name == "rsyslog" || name == "syslog-ng" || name == "postfix" || name == "maillog") {
    return LineFormat::kSyslog;
  }
  if (name == "combined" || name == "common" || name == "apache" || name == "nginx") {
    return LineFormat::kClf;
  }
  if (name == "iis") return LineFormat::kW3c;
  return std::nullopt;
}

LineFormat DetectFormat(const std::vector<std::string_view>& first_lines) {
  std::map<LineFormat, int> votes;
  for (std::string_view l : first_lines) {
    if (l.empty()) continue;
    if (LooksW3c(l)) return LineFormat::kW3c;
    if (LooksSquid(l)) {
      ++votes[LineFormat::kSquid];
    } else if (LooksClf(l)) {
      ++votes[LineFormat::kClf];
    } else if (LooksSyslog(l)) {
      ++votes[LineFormat::kSyslog];
    }
  }
  LineFormat best = LineFormat::kSyslog;
  int best_votes = 0;
  for (auto [f, n] : votes) {
    if (n > best_votes) {
      best = f;
      best_votes = n;
    }
  }
  return best;
}

LineParser::LineParser(LineFormat format, const syslog::ZoneRules& zones, int64_t reference_time_ns)
    : format_(format), zones_(zones), reference_time_ns_(reference_time_ns) {}

SyslogHeader LineParser::Parse(std::string_view line) {
  switch (format_) {
    case LineFormat::kSquid:
      return ParseSquid(line);
    case LineFormat::kClf:
      return ParseClf(line);
    case LineFormat::kW3c:
      return ParseW3c(line);
    case LineFormat::kRaw:
      return WholeLine(line, false);
    case LineFormat::kAuto:
    case LineFormat::kSyslog:
      break;
  }
  return ParseSyslogLine(line);
}

SyslogHeader LineParser::ParseSyslogLine(std::string_view line) {
  static const PeerAddress kNoPeer{};
  if (!line.empty() && line[0] == '<') {
    return syslog::ParseSyslog(line, reference_time_ns_, zones_, kNoPeer);
  }
  // A file line has no PRI: parse it behind a stand-in one, then take the PRI away again.
  constexpr std::string_view kPri = "<13>";
  scratch_.assign(kPri);
  scratch_.append(line);
  SyslogHeader h = syslog::ParseSyslog(scratch_, reference_time_ns_, zones_, kNoPeer);
  if (h.parse_error || h.format == SyslogFormat::kUnknown || !h.device_time_ns) {
    return WholeLine(line, true);
  }
  const uint32_t shift = kPri.size();
  for (Span* s : {&h.host, &h.app, &h.procid, &h.msgid, &h.structured_data, &h.msg}) {
    if (s->len == 0) {
      *s = Span{};
    } else {
      s->off -= shift;
    }
  }
  h.facility = -1;
  h.severity = -1;
  return h;
}

SyslogHeader LineParser::ParseSquid(std::string_view line) {
  SyslogHeader h = WholeLine(line, true);
  size_t i = 0;
  int64_t sec = 0;
  while (i < line.size() && IsDigit(line[i]) && i < 12) sec = sec * 10 + (line[i++] - '0');
  if (i == 0 || i >= 12) return h;
  int64_t frac_ns = 0;
  if (i < line.size() && line[i] == '.') {
    ++i;
    int64_t scale = kNanos / 10;
    while (i < line.size() && IsDigit(line[i])) {
      frac_ns += (line[i++] - '0') * scale;
      scale /= 10;
    }
  }
  if (i >= line.size() || line[i] != ' ') return h;
  h.parse_error = false;
  h.device_time_ns = sec * kNanos + frac_ns;
  h.device_time_zone_known = true;
  return h;
}

SyslogHeader LineParser::ParseClf(std::string_view line) {
  SyslogHeader h = WholeLine(line, true);
  size_t b = line.find('[');
  if (b == std::string_view::npos) return h;
  std::string_view t = line.substr(b + 1);  // 10/Oct/2026:13:55:36 +0900]
  if (t.size() < 26 || t[2] != '/' || t[6] != '/' || t[11] != ':' || t[20] != ' ') return h;
  int64_t d = Digits(t, 0, 2);
  int mo = MonthIndex(t.substr(3, 3));
  int64_t y = Digits(t, 7, 4);
  int64_t hh = Digits(t, 12, 2);
  int64_t mm = Digits(t, 15, 2);
  int64_t ss = Digits(t, 18, 2);
  int64_t off = Digits(t, 22, 4);
  if (d < 0 || mo == 0 || y < 0 || hh < 0 || mm < 0 || ss < 0 || off < 0 ||
      (t[21] != '+' && t[21] != '-')) {
    return h;
  }
  std::optional<int64_t> ns = CivilToNs(y, mo, d, hh, mm, ss);
  if (!ns) return h;
  int64_t off_ns = ((off / 100) * 3600 + (off % 100) * 60) * kNanos;
  h.parse_error = false;
  h.device_time_ns = t[21] == '+' ? *ns - off_ns : *ns + off_ns;
  h.device_time_zone_known = true;
  return h;
}

SyslogHeader LineParser::ParseW3c(std::string_view line) {
  if (!line.empty() && line[0] == '#') {
    if (line.starts_with("#Fields:")) {
      w3c_date_ = w3c_time_ = -1;
      std::string_view rest = line.substr(8);
      int idx = 0;
      size_t i = 0;
      while (i < rest.size()) {
        while (i < rest.size() && rest[i] == ' ') ++i;
        size_t j = i;
        while (j < rest.size() && rest[j] != ' ') ++j;
        if (j > i) {
          std::string_view name = rest.substr(i, j - i);
          if (name == "date") w3c_date_ = idx;
          if (name == "time") w3c_time_ = idx;
          ++idx;
        }
        i = j;
      }
    }
    return WholeLine(line, false);  // directives are records too (the correlator reads them)
  }
  SyslogHeader h = WholeLine(line, true);
  if (w3c_date_ < 0 || w3c_time_ < 0) return h;
  std::string_view date;
  std::string_view time;
  int idx = 0;
  size_t i = 0;
  while (i < line.size() && (date.empty() || time.empty())) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (j > i) {
      if (idx == w3c_date_) date = line.substr(i, j - i);
      if (idx == w3c_time_) time = line.substr(i, j - i);
      ++idx;
    }
    i = j;
  }
  if (date.size() != 10 || time.size() < 8 || date[4] != '-' || date[7] != '-' || time[2] != ':' ||
      time[5] != ':') {
    return h;
  }
  std::optional<int64_t> ns = CivilToNs(Digits(date, 0, 4), Digits(date, 5, 2), Digits(date, 8, 2),
                                        Digits(time, 0, 2), Digits(time, 3, 2), Digits(time, 6, 2));
  if (!ns || Digits(date, 0, 4) < 0 || Digits(time, 0, 2) < 0 || Digits(time, 3, 2) < 0 ||
      Digits(time, 6, 2) < 0 || Digits(date, 5, 2) < 0 || Digits(date, 8, 2) < 0) {
    return h;
  }
  h.parse_error = false;
  h.device_time_ns = *ns;
  h.device_time_zone_known = true;
  return h;
}

}  // namespace kiroku::importer
