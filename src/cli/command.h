// How a subcommand plugs into main.cc: Add*Command registers its options on `app` and returns
// the subcommand and the function that runs it once parsed (returning the exit code).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace kiroku::cli {

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

}  // namespace kiroku::cli
