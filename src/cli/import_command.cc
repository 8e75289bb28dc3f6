#include "cli/import_command.h"

#include <iostream>
#include <memory>

namespace kiroku::cli {

std::vector<Command> AddImportCommands(CLI::App& app) {
  (void)app;
  return {};
}

}  // namespace kiroku::cli
