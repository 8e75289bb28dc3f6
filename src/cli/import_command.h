// kiroku import [--data DIR] [--format auto|syslog|squid|clf|w3c|raw] [--timezone TZ] FILE...
//
// Backfills existing log files (plain, .gz, .zst; `-` is stdin) into a data directory: every
// line becomes a record with transport `import`, receive time now and the device time from the
// line (importer/line_format.h), appended through the same journal, Merkle tree, signed heads
// and self-audit as `kiroku serve` (cli/store_pipeline.h), then sealed. The data directory
// must not be in use by a running server (its lock says so: exit 2). docs/import.md.
//
//   kiroku import --data /srv/kiroku /var/log/syslog.1 /var/log/syslog.2.gz squid/access.log.zst
//
// Exit: 0 all imported; 1 some file unreadable (the others are imported) or the journal
// failed; 2 usage, or the data directory locked by a running server.
#pragma once

#include <vector>

#include "cli/command.h"

namespace kiroku::cli {

// Registers the subcommand(s) on `app`.
std::vector<Command> AddImportCommands(CLI::App& app);

}  // namespace kiroku::cli
