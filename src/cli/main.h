// The kiroku command line: dispatches to init, serve, search, ... (see DESIGN.md's contract).
#pragma once

namespace kiroku::cli {
int Main(int argc, char** argv);
}  // namespace kiroku::cli
