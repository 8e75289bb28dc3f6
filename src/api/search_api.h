// GET /api/search: `kiroku search` over HTTP (docs/api.md). The answer streams (chunked) as
// the engine finds it, in the same bytes as the CLI prints for the same flags:
//
//   GET /api/search?q=host.name:fw01&since=2h&limit=100          NDJSON, one record a line
//   GET /api/search?q=...&stats=count+by+destination.ip           NDJSON rows {"...":..,"count":n}
//   GET /api/search?q=...&fields=host.name,source.ip&format=csv   the chosen columns
//   GET /api/search?q=...&count=true                              "42\n"
//   GET /api/search?q=...&time=device                             --time (default: corrected)
//
// A bad request is HTTP 400 with {"error":"..."} before anything streams; a data directory
// that cannot be read is 500 with the same shape.
//
//   RegisterSearchApi(http, "kiroku-data");
#pragma once

#include <string>

#include "api/http_server.h"
#include "common/clock.h"
#include "common/fs.h"

namespace kiroku::api {

// The handler alone (for tests without a socket).
HttpStreamResponse HandleSearch(const HttpRequest& request, const std::string& data_dir, Fs& fs,
                                const Clock& clock);

void RegisterSearchApi(HttpServer& http, const std::string& data_dir);

}  // namespace kiroku::api
