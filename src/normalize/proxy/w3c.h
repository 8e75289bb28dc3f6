// The W3C extended log format as Blue Coat / Symantec ProxySG and Microsoft IIS write it:
// "#Software:", "#Version:", "#Fields:" directives, then blank-separated data lines whose values
// may be "quoted". The #Fields line names the columns of the lines after it; the W3C correlator
// (w3c_correlator.h) applies it. Without a header, a line with exactly the columns of ProxySG's
// default "main" format is read with that list.
//
//   #Fields: date time time-taken c-ip sc-status s-action sc-bytes cs-bytes cs-method ...
//   2026-11-26 14:37:42 523 10.0.0.5 200 TCP_MISS 5120 320 GET http www.example.com 80 / - ...
//
//   Event e;
//   NormalizeW3c(in, config, &e);                                  // "main" columns
//   ParseW3cLine(line, "date time c-ip cs-method", "", &config, &e);  // a header's columns
#pragma once

#include <optional>
#include <string_view>

#include "normalize/family.h"

namespace kiroku::normalize {

// A data line (starts "YYYY-MM-DD HH:MM:SS"), not a directive.
bool IsW3cDataLine(std::string_view message);

// The field list of a "#Fields:" directive, or nullopt when `message` is not one.
std::optional<std::string_view> W3cFieldsDirective(std::string_view message);
// The text of a "#Software:" directive, or nullopt.
std::optional<std::string_view> W3cSoftwareDirective(std::string_view message);

// Reads a data line with ProxySG's "main" column list; false unless the line has exactly its
// 25 columns with an address in c-ip and a status in sc-status.
bool NormalizeW3c(const Input& in, const Config& config, Event* out);

// Reads a data line with the columns `fields` (the text after "#Fields:"); `software` is the
// "#Software:" text in force, or empty. False (nothing added) when the column counts differ.
// network.direction needs the site's internal networks: it is only added when `config` is
// given (the correlator has none).
bool ParseW3cLine(std::string_view line, std::string_view fields, std::string_view software,
                  const Config* config, Event* out);

}  // namespace kiroku::normalize
