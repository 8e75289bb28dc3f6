// `kiroku investigate ip|mail|user|host` and `kiroku timeline` (issue 5; docs/investigate.md):
// the investigators' questions of GUIDELINE.md G-II, answered from a data directory through the
// query engine (read-only; safe while the server runs).
//
// Exit codes: 0 done (also when nothing was found), 1 the data could not be read, 2 usage,
// query or time error.
#pragma once

#include <vector>

#include "cli/command.h"

namespace kiroku::cli {

// Registers `investigate` (with ip, mail, user, host) and `timeline` on `app`.
std::vector<Command> AddInvestigateCommands(CLI::App& app);

}  // namespace kiroku::cli
