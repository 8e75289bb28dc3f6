// `kiroku rules test FILE SAMPLE...`: checks a user rules file (docs/rules.md) and shows what it
// makes of sample lines, before the file goes into the server's config. Each SAMPLE is a line
// as a sender puts it on the wire (with or without a syslog header); "-" reads lines from stdin.
//
// Exit codes: 0 every sample matched a rule, 1 some sample matched no rule, 2 the file has an
// error (printed with its line number) or usage error.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>
#include <vector>

namespace kiroku::cli {

struct RulesArgs {
  std::string file;
  std::vector<std::string> samples;
};

CLI::App* AddRulesCommand(CLI::App& app, RulesArgs* args, CLI::App** test);
int RunRulesTest(const RulesArgs& args, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace kiroku::cli
