// kiroku investigate ip|mail|user|host and kiroku timeline (issue 5)
#pragma once

#include <vector>

#include "cli/command.h"

namespace kiroku::cli {

// Registers the subcommand(s) on `app`.
std::vector<Command> AddInvestigateCommands(CLI::App& app);

}  // namespace kiroku::cli
