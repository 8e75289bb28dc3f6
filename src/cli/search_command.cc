#include "cli/search_command.h"

#include <httplib.h>

#include <iostream>
#include <sstream>

#include "common/clock.h"
#include "common/fs.h"
#include "query/search.h"

namespace kiroku::cli {

namespace {
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// --server URL: the same search, answered by a running server's /api/search.
int SearchRemote(const SearchArgs& args) {
  httplib::Client client(args.server);
  client.set_read_timeout(300, 0);
  httplib::Params params{{"q", args.query}, {"format", args.format}};
  if (!args.since.empty()) params.emplace("since", args.since);
  if (!args.until.empty()) params.emplace("until", args.until);
  if (args.count) params.emplace("count", "true");
  if (args.limit >= 0) params.emplace("limit", std::to_string(args.limit));
  auto res = client.Get("/api/search", params, httplib::Headers{});
  if (!res) {
    std::cerr << "kiroku search: cannot reach " << args.server << ": "
              << httplib::to_string(res.error()) << "\n";
    return kExitFailed;
  }
  if (res->status == 400) {
    std::cerr << "kiroku search: " << res->body;
    return kExitUsage;
  }
  if (res->status != 200) {
    std::cerr << "kiroku search: server answered " << res->status << ": " << res->body;
    return kExitFailed;
  }
  std::cout << res->body;
  return kExitOk;
}
}  // namespace

CLI::App* AddSearchCommand(CLI::App& app, SearchArgs* args) {
  CLI::App* cmd =
      app.add_subcommand("search", "Find records (read-only; safe while the server runs)");
  cmd->add_option("--data", args->data, "Data directory")->capture_default_str();
  cmd->add_option("--server", args->server, "Ask a running server instead (http://HOST:PORT)");
  cmd->add_option("--since", args->since, "From this time (RFC 3339, a date, or 15m/2h/7d ago)");
  cmd->add_option("--until", args->until, "Before this time (same forms)");
  cmd->add_option("--format", args->format, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  cmd->add_flag("--count", args->count, "Print only the number of matching records");
  cmd->add_option("--limit", args->limit,
                  "At most N records (default: 100 for table, all for json/csv; 0 = all)");
  cmd->add_option("QUERY", args->query, "Query (docs/query.md); empty matches everything");
  return cmd;
}

int RunSearchCommand(const SearchArgs& args) {
  if (!args.server.empty()) return SearchRemote(args);
  query::SearchRequest req;
  req.data_dir = args.data;
  req.query = args.query;
  req.since = args.since;
  req.until = args.until;
  req.format = *query::OutputFormatFromName(args.format);
  req.count = args.count;
  if (args.limit >= 0) req.limit = static_cast<uint64_t>(args.limit);
  std::ios::sync_with_stdio(false);
  Status s = query::Search(req, PosixFs::Default(), RealClock::Instance(), std::cout, std::cerr);
  std::cout.flush();
  if (s.ok()) return kExitOk;
  std::cerr << "kiroku search: " << s.message() << "\n";
  return s.code() == Status::Code::kInvalidArgument ? kExitUsage : kExitFailed;
}

}  // namespace kiroku::cli
