#include "cli/sources_command.h"

#include <iostream>
#include <memory>

namespace kiroku::cli {

std::vector<Command> AddSourcesCommands(CLI::App& app) {
  (void)app;
  return {};
}

}  // namespace kiroku::cli
