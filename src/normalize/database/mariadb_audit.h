// The MariaDB Audit Plugin (server_audit), from its own file or from syslog (ident
// "mysql-server_auditing" by default):
//
//   file:   20261126 14:37:42,dbhost,alice,10.0.0.5,12,34,QUERY,sales,'SELECT 1',0
//   syslog: dbhost,alice,10.0.0.5,12,34,QUERY,sales,'SELECT 1',0
//
// Fields: timestamp, serverhost, username, host (host:port from MariaDB 12), connectionid,
// queryid, operation, database, object, retcode. A non-zero retcode is a failure.
//
//   Event e;
//   NormalizeMariadbAudit(in, config, &e);
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeMariadbAudit(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
