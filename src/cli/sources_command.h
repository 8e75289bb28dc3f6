// kiroku sources — per source: counts, last seen, clock offset (issue 6)
#pragma once

#include <vector>

#include "cli/command.h"

namespace kiroku::cli {

// Registers the subcommand(s) on `app`.
std::vector<Command> AddSourcesCommands(CLI::App& app);

}  // namespace kiroku::cli
