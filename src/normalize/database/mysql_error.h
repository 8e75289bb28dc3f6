// Failed logins in the MySQL / MariaDB error log, from the file or from syslog (app "mysqld",
// "mariadbd"):
//
//   2026-11-26T14:37:42.123456Z 12 [Note] [MY-010926] [Server] Access denied for user
//       'bob'@'10.0.0.9' (using password: YES)
//   2026-11-26 14:37:42 12 [Warning] Access denied for user 'bob'@'10.0.0.9' (using password: NO)
//
// Only this message is read: the rest of the error log is server housekeeping.
//
//   Event e;
//   NormalizeMysqlError(in, config, &e);
#pragma once

#include <string_view>

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeMysqlError(const Input& in, const Config& config, Event* out);

// Reads "Access denied for user 'u'@'h' (using password: YES)" at the start of `text`;
// `normalizer` names the format it came from. Shared with the general log's Connect lines.
bool NormalizeMysqlAccessDenied(std::string_view text, std::string_view normalizer, Event* out);

}  // namespace kiroku::normalize
