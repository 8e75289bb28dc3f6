// How `kiroku sources` prints a SourcesView: JSON (one object per source per line, the keys of
// docs/clock.md) or a table for people, followed by the fleet's time servers and the server's
// own clock state.
//
//   WriteSourcesJson(view, std::cout);
//   WriteSourcesTable(view, std::cout);
#pragma once

#include <ostream>

#include "timewatch/clock_watch.h"

namespace kiroku::timewatch {

void WriteSourcesJson(const SourcesView& view, std::ostream& out);
void WriteSourcesTable(const SourcesView& view, std::ostream& out);
// One line per time server: {"time_server": "...", "sources": n}.
void WriteTimeServersJson(const SourcesView& view, std::ostream& out);

}  // namespace kiroku::timewatch
