#include "cli/main.h"

#include <cstdio>

namespace kiroku::cli {
int Main(int argc, char** argv) {
  std::fprintf(stderr, "kiroku: not wired yet\n");
  return 2;
}
}  // namespace kiroku::cli
