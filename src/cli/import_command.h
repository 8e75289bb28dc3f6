// kiroku import FILE... — backfill existing log files (issue 5)
#pragma once

#include <vector>

#include "cli/command.h"

namespace kiroku::cli {

// Registers the subcommand(s) on `app`.
std::vector<Command> AddImportCommands(CLI::App& app);

}  // namespace kiroku::cli
