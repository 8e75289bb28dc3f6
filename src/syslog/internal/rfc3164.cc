#include "syslog/internal/rfc3164.h"

#include "syslog/internal/cisco.h"
#include "syslog/internal/device_time.h"
#include "syslog/internal/scan.h"
#include "syslog/internal/timestamp.h"

namespace kiroku::syslog::internal {
namespace {

// One pass over the next space-delimited token, noting what the TAG rules look at.
struct Token {
  size_t begin;
  size_t end;
  size_t bracket;  // first '[', or end
  size_t colon;    // first ':', or end
};

Token ScanToken(std::string_view s, size_t pos) {
  Token t{pos, pos, 0, 0};
  size_t p = pos;
  size_t bracket = std::string_view::npos, colon = std::string_view::npos;
  for (; p < s.size() && s[p] != ' '; ++p) {
    if (s[p] == '[' && bracket == std::string_view::npos) {
      bracket = p;
    }
    if (s[p] == ':' && colon == std::string_view::npos) {
      colon = p;
    }
  }
  t.end = p;
  t.bracket = bracket == std::string_view::npos ? p : bracket;
  t.colon = colon == std::string_view::npos ? p : colon;
  return t;
}

// See LooksLikeTag; this is the same rule on a scanned token.
bool IsTag(std::string_view s, const Token& t) {
  if (t.end - t.begin < 2 || s[t.begin] == '[' || s[t.begin] == ':') {
    return false;
  }
  return s[t.end - 1] == ':' || t.bracket < t.end;
}

// TAG and MSG from s[pos..]. The TAG is "app[pid]:", "app:" or "app[pid]"; MSG starts after the
// ':' and one space, or after the first space when there is no ':'. A token starting with '%' is
// a Cisco-style mnemonic ("%ASA-6-302013:"): MSG starts at the '%' so the normaliser sees it all.
// A token of any other shape is not a TAG, and MSG is everything.
void ParseTagAndMsg(std::string_view s, const Token& t, SyslogHeader* h) {
  if (!IsTag(s, t) || s[t.begin] == '%') {
    h->msg = MsgSpan(s, t.begin);
    return;
  }
  size_t after;  // first byte after the TAG
  if (t.bracket < t.colon) {
    h->app = MakeSpan(t.begin, t.bracket);
    size_t close = t.bracket + 1;
    while (close < t.end && s[close] != ']') {
      ++close;
    }
    if (close == t.end) {
      after = t.end;  // "app[12 text": keep the app, give up on the pid
    } else {
      h->procid = MakeSpan(t.bracket + 1, close);
      after = close + 1;
    }
  } else {
    h->app = MakeSpan(t.begin, t.colon);
    after = t.colon;
  }
  if (At(s, after, ':')) {
    ++after;
  }
  if (At(s, after, ' ')) {
    ++after;
  }
  h->msg = MsgSpan(s, after);
}

}  // namespace

bool LooksLikeTag(std::string_view token) { return IsTag(token, ScanToken(token, 0)); }

bool ParseRfc3164(const ParseContext& ctx, size_t pos, SyslogHeader* h) {
  const std::string_view s = ctx.s;
  DeviceTimestamp ts;
  Lex lex = LexBsdTimestamp(s, &pos, &ts);
  if (lex == Lex::kOk && CiscoTailFollows(s, pos)) {
    return ParseCiscoTail(ctx, pos, ts, /*has_time=*/true, h);
  }
  if (lex == Lex::kAbsent) {
    lex = LexIsoTimestamp(s, &pos, &ts);
  }
  if (lex == Lex::kMalformed) {
    return false;
  }
  h->format = SyslogFormat::kRfc3164;
  if (lex == Lex::kAbsent) {
    ParseTagAndMsg(s, ScanToken(s, pos), h);
    return true;
  }
  if (pos < s.size() && s[pos] != ' ') {
    return false;
  }
  Token t = ScanToken(s, SkipSpaces(s, pos));
  if (t.end > t.begin && !IsTag(s, t) && s[t.begin] != '%') {
    h->host = MakeSpan(t.begin, t.end);
    pos = SkipSpaces(s, t.end);
    // ASA with "logging device-id hostname" writes "host : %ASA-...".
    if (At(s, pos, ':') && (pos + 1 == s.size() || s[pos + 1] == ' ')) {
      pos = SkipSpaces(s, pos + 1);
    }
    t = ScanToken(s, pos);
  }
  ParseTagAndMsg(s, t, h);
  const Zone zone = ts.has_offset ? nullptr : ctx.ZoneFor(h->host);
  h->device_time_ns = DeviceTimeNs(ts, zone, ctx.receive_time_ns);
  h->device_time_zone_known = ts.has_offset && ts.has_year && h->device_time_ns.has_value();
  return true;
}

}  // namespace kiroku::syslog::internal
