#include "query/format_table.h"

#include <algorithm>
#include <cstdio>

#include "query/fields.h"
#include "query/internal/utf8.h"
#include "query/time_arg.h"

namespace kiroku::query {
namespace {

constexpr char kHex[] = "0123456789abcdef";

bool IsBidiControl(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

// The usual wcwidth() ranges for double-width characters (CJK, Hangul, full-width forms).
bool IsWide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
         (cp >= 0x20000 && cp <= 0x3FFFD);
}

void AppendPadded(const std::string& s, size_t width, std::string* out) {
  out->append(s);
  size_t w = DisplayWidth(s);
  out->append(w < width ? width - w : 0, ' ');
}

}  // namespace

void AppendTerminalSafe(std::string_view s, std::string* out) {
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0x20 && b < 0x7F && b != '\\') {
      out->push_back(static_cast<char>(b));
      ++i;
      continue;
    }
    if (b < 0x80) {
      switch (b) {
        case '\\':
          out->append("\\\\");
          break;
        case '\n':
          out->append("\\n");
          break;
        case '\r':
          out->append("\\r");
          break;
        case '\t':
          out->append("\\t");
          break;
        default:
          out->append("\\x");
          out->push_back(kHex[b >> 4]);
          out->push_back(kHex[b & 15]);
      }
      ++i;
      continue;
    }
    internal::Utf8Char c = internal::DecodeUtf8(s, i);
    if (!c.valid) {
      for (size_t k = 0; k < c.length; ++k) {
        auto x = static_cast<unsigned char>(s[i + k]);
        out->append("\\x");
        out->push_back(kHex[x >> 4]);
        out->push_back(kHex[x & 15]);
      }
    } else if ((c.code_point >= 0x80 && c.code_point <= 0x9F) || IsBidiControl(c.code_point)) {
      char buf[12];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c.code_point));
      out->append(buf);
    } else {
      out->append(s.data() + i, c.length);
    }
    i += c.length;
  }
}

size_t DisplayWidth(std::string_view s) {
  size_t w = 0;
  size_t i = 0;
  while (i < s.size()) {
    internal::Utf8Char c = internal::DecodeUtf8(s, i);
    w += IsWide(c.code_point) ? 2 : 1;
    i += c.length;
  }
  return w;
}

void TableFormatter::Write(const RecordView& r, const normalize::Event* /*event*/,
                           const RecordTimes* times) {
  const SyslogHeader& h = r.header;
  Row row;
  row.time = FormatRfc3339(times ? times->shown_ns : TimestampNs(r), 3);
  if (h.host.empty()) {
    row.host = "-";
  } else {
    AppendTerminalSafe(r.Field(h.host), &row.host);
  }
  if (h.app.empty()) {
    row.app = "-";
  } else {
    AppendTerminalSafe(r.Field(h.app), &row.app);
  }
  if (!h.procid.empty()) {
    row.app.push_back('[');
    AppendTerminalSafe(r.Field(h.procid), &row.app);
    row.app.push_back(']');
  }
  AppendTerminalSafe(r.Field(h.msg), &row.message);
  rows_.push_back(std::move(row));
  if (rows_.size() >= kBlockRows) FlushBlock();
}

void TableFormatter::FlushBlock() {
  if (rows_.empty()) return;
  size_t host_w = 4, app_w = 3;  // at least the headers' widths
  for (const Row& row : rows_) {
    host_w = std::max(host_w, std::min(DisplayWidth(row.host), kMaxAlignWidth));
    app_w = std::max(app_w, std::min(DisplayWidth(row.app), kMaxAlignWidth));
  }
  std::string out;
  constexpr size_t kTimeWidth = 24;  // 2026-11-26T14:29:59.500Z
  if (!header_written_) {
    AppendPadded("TIME", kTimeWidth + 2, &out);
    AppendPadded("HOST", host_w + 2, &out);
    AppendPadded("APP", app_w + 2, &out);
    out.append("MESSAGE\n");
    header_written_ = true;
  }
  for (const Row& row : rows_) {
    AppendPadded(row.time, kTimeWidth + 2, &out);
    AppendPadded(row.host, host_w + 2, &out);
    if (row.message.empty()) {
      out.append(row.app);  // no trailing blanks
    } else {
      AppendPadded(row.app, app_w + 2, &out);
      out.append(row.message);
    }
    out.push_back('\n');
  }
  rows_.clear();
  out_.write(out.data(), static_cast<std::streamsize>(out.size()));
}

void TableFormatter::Finish() {
  FlushBlock();
  out_.flush();
}

}  // namespace kiroku::query
