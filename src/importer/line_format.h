// LineFormat and LineParser: what a line of an imported log file is, and its header.
//
// `kiroku import` stores each line as the raw bytes of one record (transport import), with the
// header a listener would have parsed, so search and the sealer treat it like received syslog:
//
//   syslog  every layout the syslog parser knows (syslog/parser.h), with or without <PRI>:
//           rsyslog's RSYSLOG_TraditionalFileFormat "Oct 27 10:00:00 host tag: msg" and
//           RSYSLOG_FileFormat "2026-10-27T10:00:00.123456+09:00 host tag: msg", syslog-ng's
//           files, RFC 5424 and BSD lines with <PRI> (a Postfix maillog is a syslog file).
//           A year-less timestamp takes its year from the reference time (the file's mtime),
//           as the parser's year inference does with the receive time.
//   squid   Squid's native access.log: device time from the epoch field.
//   clf     Apache/nginx common and combined log format: time from "[10/Oct/2026:13:55:36 +0900]".
//   w3c     W3C extended (IIS, proxies): "#Fields:" names the date and time columns (UTC).
//   raw     the line as it is, no header, no device time.
//
// A syslog line with no timestamp, or a squid/clf/w3c line whose time does not parse, gets
// parse_error (msg spans the whole line): it is imported all the same, and counted.
//
//   LineParser p(LineFormat::kSyslog, zones, file_mtime_ns);
//   SyslogHeader h = p.Parse("Oct 27 10:00:00 fw1 kernel: DROP ...");
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/record.h"
#include "syslog/zone_rules.h"

namespace kiroku::importer {

enum class LineFormat { kAuto, kSyslog, kSquid, kClf, kW3c, kRaw };

std::string_view LineFormatName(LineFormat f);  // "auto", "syslog", "squid", "clf", "w3c", "raw"
std::optional<LineFormat> LineFormatFromName(std::string_view name);

// The format of a file from its first lines (empty lines ignored): the one most of them match;
// syslog when none matches (each line then becomes a parse error it is counted as).
LineFormat DetectFormat(const std::vector<std::string_view>& first_lines);

class LineParser {
 public:
  // REQUIRES: format != kAuto. `reference_time_ns` stands in for the receive time in year
  // inference; `zones` must outlive the parser.
  LineParser(LineFormat format, const syslog::ZoneRules& zones, int64_t reference_time_ns);

  // Spans index `line`. Not thread-safe (keeps the W3C #Fields state and a scratch buffer).
  SyslogHeader Parse(std::string_view line);

 private:
  SyslogHeader ParseSyslogLine(std::string_view line);
  SyslogHeader ParseSquid(std::string_view line);
  SyslogHeader ParseClf(std::string_view line);
  SyslogHeader ParseW3c(std::string_view line);

  LineFormat format_;
  const syslog::ZoneRules& zones_;
  int64_t reference_time_ns_;
  std::string scratch_;
  int w3c_date_ = -1;  // column index of "date", "time" in the current #Fields
  int w3c_time_ = -1;
};

}  // namespace kiroku::importer
