// The MySQL / MariaDB general query log (general_log_file):
//
//   2026-11-26T14:37:42.123456Z	   12 Connect	alice@10.0.0.5 on sales using TCP/IP
//   2026-11-26T14:37:42.130000Z	   12 Query	SELECT 1
//   261126 14:37:42	   12 Query	SELECT 1        (MySQL < 5.7, MariaDB)
//   		   12 Quit	                          (MariaDB: same second as the line before)
//
// A statement that spans several lines continues on lines with no structure at all; those are
// not recognised (only the first line's db.statement is kept).
//
//   Event e;
//   NormalizeMysqlGeneral(in, config, &e);
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeMysqlGeneral(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
