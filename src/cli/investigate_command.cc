#include "cli/investigate_command.h"

#include <iostream>
#include <memory>

namespace kiroku::cli {

std::vector<Command> AddInvestigateCommands(CLI::App& app) {
  (void)app;
  return {};
}

}  // namespace kiroku::cli
