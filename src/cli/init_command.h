// `kiroku init`: creates the server's forward-secure signing keys and trust anchor in
// DATA/keys/ (docs/operations.md, "Keys and the trust anchor") and prints the anchor's
// fingerprint, which the operator writes down, and the anchor file, which the operator copies
// somewhere the server cannot write.
//
//   kiroku init [--data DIR] [--epoch DURATION] [--horizon DURATION] [--anchor-out FILE]
//   kiroku init --rollover [--data DIR] [--horizon DURATION] [--anchor-out FILE]
//
// --rollover extends existing keys by another horizon before the current one ends: a new anchor
// signed by the old horizon's last epoch key (docs/formats/keys.md, "Rollover"). The server
// loads it at its next start.
//
// Exit codes: 0 created, 1 keys already exist (nothing is changed) or could not be written,
// 2 usage.
#pragma once

#include <CLI/CLI.hpp>
#include <iosfwd>
#include <string>

#include "common/clock.h"
#include "common/fs.h"

namespace kiroku::cli {

struct InitArgs {
  std::string data = "kiroku-data";
  std::string epoch = "1h";
  std::string horizon = "10y";
  std::string anchor_out;
  bool rollover = false;  // extend the existing keys' horizon instead of creating keys
};

CLI::App* AddInitCommand(CLI::App& app, InitArgs* args);
int RunInitCommand(const InitArgs& args, Fs& fs, const Clock& clock, std::ostream& out,
                   std::ostream& err);

}  // namespace kiroku::cli
