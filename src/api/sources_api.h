// GET /api/sources: the clock watch's current snapshot (docs/formats/timewatch.md), the same
// JSON the server keeps in DATA/timewatch/sources.json, for `kiroku sources --server URL`.
// The api module does not depend on the clock watch: the server hands in a function that
// returns the snapshot.
//
//   RegisterSourcesApi(http, [&watch] { return watch.SnapshotJson(); });
#pragma once

#include <functional>
#include <string>

#include "api/http_server.h"

namespace kiroku::api {

void RegisterSourcesApi(HttpServer& http, std::function<std::string()> snapshot);

}  // namespace kiroku::api
