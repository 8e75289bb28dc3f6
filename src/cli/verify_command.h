// `kiroku verify` (tamper evidence, offline): checks a data directory against the trust
// anchor and, optionally, a witness's heads. Exit 0 intact, 1 tampered, 2 could not check.
// The engine is verify/verifier.h; this file reads options, fetches a witness URL, prints
// the report and drops the result into DATA/audit-inbox/.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace kiroku::cli {

struct VerifyArgs {
  std::string data = "kiroku-data";
  std::string anchor;
  std::string witness;
  std::string format = "text";
  double slack_s = 10;
};

CLI::App* AddVerifyCommand(CLI::App& app, VerifyArgs* args);
int RunVerifyCommand(const VerifyArgs& args);

}  // namespace kiroku::cli
