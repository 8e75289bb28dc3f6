#include "cli/sources_command.h"

#include <httplib.h>

#include <iostream>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/fs.h"
#include "timewatch/clock_watch.h"
#include "timewatch/report_format.h"

namespace kiroku::cli {

namespace {
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

struct SourcesArgs {
  std::string data = "kiroku-data";
  std::string server;
  std::string format = "table";
  bool time_servers = false;
};

// The snapshot text: DATA/timewatch/sources.json, or a running server's GET /api/sources.
int ReadSnapshot(const SourcesArgs& args, std::string* text) {
  if (!args.server.empty()) {
    httplib::Client client(args.server);
    client.set_read_timeout(60, 0);
    auto res = client.Get("/api/sources");
    if (!res) {
      std::cerr << "kiroku sources: cannot reach " << args.server << ": "
                << httplib::to_string(res.error()) << "\n";
      return kExitFailed;
    }
    if (res->status != 200) {
      std::cerr << "kiroku sources: server answered " << res->status << ": " << res->body;
      return kExitFailed;
    }
    *text = res->body;
    return kExitOk;
  }
  const std::string path = JoinPath(JoinPath(args.data, "timewatch"), timewatch::kSnapshotFile);
  StatusOr<std::string> t = PosixFs::Default().ReadFile(path);
  if (!t.ok()) {
    if (t.status().code() == Status::Code::kNotFound) {
      std::cerr << "kiroku sources: no clock watch data in " << args.data << " (the server writes "
                << path << " while it runs)\n";
      return kExitFailed;
    }
    std::cerr << "kiroku sources: " << t.status().ToString() << "\n";
    return kExitFailed;
  }
  *text = std::move(*t);
  return kExitOk;
}

int RunSources(const SourcesArgs& args) {
  std::string text;
  if (int rc = ReadSnapshot(args, &text); rc != kExitOk) return rc;
  auto view = timewatch::ViewFromSnapshot(text, RealClock::Instance().NowNs());
  if (!view.ok()) {
    std::cerr << "kiroku sources: " << view.status().message() << "\n";
    return kExitFailed;
  }
  if (args.format == "json") {
    if (args.time_servers) {
      timewatch::WriteTimeServersJson(*view, std::cout);
    } else {
      timewatch::WriteSourcesJson(*view, std::cout);
    }
  } else {
    timewatch::WriteSourcesTable(*view, std::cout);
  }
  std::cout.flush();
  return kExitOk;
}
}  // namespace

std::vector<Command> AddSourcesCommands(CLI::App& app) {
  auto args = std::make_shared<SourcesArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sources",
      "Per source: messages, first/last seen, clock offset and drift, last time sync, status "
      "(read-only; safe while the server runs)");
  cmd->add_option("--data", args->data, "Data directory")->capture_default_str();
  cmd->add_option("--server", args->server, "Ask a running server instead (http://HOST:PORT)");
  cmd->add_option("--format", args->format, "table or json (one object per source per line)")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  cmd->add_flag("--time-servers", args->time_servers,
                "With --format json: one line per time server in use instead");
  (void)kExitUsage;
  return {Command{cmd, [args] { return RunSources(*args); }}};
}

}  // namespace kiroku::cli
