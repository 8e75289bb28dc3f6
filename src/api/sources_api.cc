#include "api/sources_api.h"

namespace kiroku::api {

void RegisterSourcesApi(HttpServer& http, std::function<std::string()> snapshot) {
  http.Get("/api/sources", [snapshot = std::move(snapshot)](const HttpRequest&) {
    return HttpResponse{200, "application/json", snapshot() + "\n"};
  });
}

}  // namespace kiroku::api
