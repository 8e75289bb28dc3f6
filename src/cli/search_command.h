// `kiroku search`: flags of DESIGN.md's contract, run against a data directory (read-only) or a
// running server's GET /api/search (--server URL), printing the same either way.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace kiroku::cli {

struct SearchArgs {
  std::string data = "kiroku-data";
  std::string server;
  std::string since;
  std::string until;
  std::string format = "table";
  bool count = false;
  long long limit = -1;
  std::string stats;   // "count by FIELD[,FIELD]"
  std::string fields;  // "a,b,c"
  bool explain = false;
  std::string time = "corrected";  // device, received or corrected (engine/time_mode.h)
  std::string query;
};

CLI::App* AddSearchCommand(CLI::App& app, SearchArgs* args);
// Exit codes: 0 done, 1 the data could not be read, 2 usage or query error.
int RunSearchCommand(const SearchArgs& args);

}  // namespace kiroku::cli
