// PostgreSQL server log lines, from the stderr/logging_collector file or from syslog (app
// "postgres", message "[3-1] <prefix>LOG:  ..."), with the common log_line_prefix settings:
//
//   '%m [%p] %q%u@%d '                           (Debian/Ubuntu default)
//   '%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h '   (pgBadger's suggestion)
//   '%m [%p] %u@%d %a %h '
//
// The prefix gives user.name, db.name and source.ip when it has one of these shapes; a prefix
// of any other shape is not read (only the message after "LEVEL:  " is). Messages read:
// connection received/authorized, authentication failures, pg_hba rejections, statement and
// duration lines, pgaudit AUDIT lines, disconnection.
//
//   Event e;
//   NormalizePostgres(in, config, &e);
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizePostgres(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
