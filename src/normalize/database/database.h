// The database and file-server family (G-II.6).
//
// Formats, tried cheapest recognition first:
//   - Samba full_audit (samba_audit.h): app smbd_audit / smbd
//   - MariaDB Audit Plugin (mariadb_audit.h)
//   - MySQL / MariaDB general query log (mysql_general.h)
//   - PostgreSQL server log (postgres.h)
//   - MySQL / MariaDB error log, failed logins (mysql_error.h)
// Database records get observer.type database and event.category database (+ authentication
// for logins and logouts); Samba records observer.type fileserver and event.category file.
// docs/schema/database.md maps each format's tokens to fields.
//
//   Event e;
//   if (NormalizeDatabase(Input::From(record), config, &e)) { ... }
#pragma once

#include "normalize/database/mariadb_audit.h"
#include "normalize/database/mysql_error.h"
#include "normalize/database/mysql_general.h"
#include "normalize/database/postgres.h"
#include "normalize/database/samba_audit.h"
#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeDatabase(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
