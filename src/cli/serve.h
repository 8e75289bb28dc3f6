// `kiroku serve`: the composition root. Opens the journal, starts the listeners, the RELP engine
// and the HTTP endpoints, and runs until SIGINT/SIGTERM, then drains and exits 0.
#pragma once

#include "cli/serve_config.h"

namespace kiroku::cli {

// Returns the process exit code: 0 after a clean shutdown, 1 when start-up failed at run time
// (a port in use, the data directory unwritable).
int RunServe(const ServeConfig& config);

}  // namespace kiroku::cli
