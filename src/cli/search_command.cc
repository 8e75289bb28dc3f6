#include "cli/search_command.h"

#include <httplib.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/fs.h"
#include "engine/search.h"

namespace kiroku::cli {

namespace {
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// The message of a {"error":"..."} body, or the body itself.
std::string ErrorText(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_string()) {
    return j["error"].get<std::string>();
  }
  return body;
}

// --server URL: the same search, answered by a running server's /api/search and streamed to
// stdout as it arrives.
int SearchRemote(const SearchArgs& args) {
  httplib::Client client(args.server);
  client.set_read_timeout(300, 0);
  httplib::Params params{{"q", args.query}, {"format", args.format}};
  if (!args.since.empty()) params.emplace("since", args.since);
  if (!args.until.empty()) params.emplace("until", args.until);
  if (args.count) params.emplace("count", "true");
  if (args.limit >= 0) params.emplace("limit", std::to_string(args.limit));
  if (!args.stats.empty()) params.emplace("stats", args.stats);
  if (!args.fields.empty()) params.emplace("fields", args.fields);
  params.emplace("time", args.time);
  int status = 0;
  std::string error_body;
  auto res = client.Get(
      "/api/search", params, httplib::Headers{},
      [&](const httplib::Response& r) {
        status = r.status;
        return true;
      },
      [&](const char* data, size_t n) {
        if (status == 200) {
          std::cout.write(data, static_cast<std::streamsize>(n));
          return static_cast<bool>(std::cout);
        }
        error_body.append(data, n);
        return true;
      });
  std::cout.flush();
  if (!res) {
    std::cerr << "kiroku search: cannot reach " << args.server << ": "
              << httplib::to_string(res.error()) << "\n";
    return kExitFailed;
  }
  if (res->status == 400) {
    std::cerr << "kiroku search: " << ErrorText(error_body) << "\n";
    return kExitUsage;
  }
  if (res->status != 200) {
    std::cerr << "kiroku search: server answered " << res->status << ": " << ErrorText(error_body)
              << "\n";
    return kExitFailed;
  }
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
                  "At most N records (default: 100 for table, all for json/csv; 0 = all); "
                  "with --stats the top N rows (default 10)");
  cmd->add_option("--stats", args->stats,
                  "'count by FIELD[,FIELD]': the most frequent values of the matches");
  cmd->add_option("--fields", args->fields, "Only these fields (a,b,c), as columns or JSON keys");
  cmd->add_option("--time", args->time,
                  "Time shown, ordered by and windowed: device, received, or corrected (device "
                  "time minus the source's clock offset where the clock watch has one)")
      ->check(CLI::IsMember({"device", "received", "corrected"}))
      ->capture_default_str();
  cmd->add_flag("--explain", args->explain,
                "Print to stderr what the engine read (segments, blocks, records)");
  cmd->add_option("QUERY", args->query, "Query (docs/query.md); empty matches everything");
  return cmd;
}

int RunSearchCommand(const SearchArgs& args) {
  if (!args.server.empty()) return SearchRemote(args);
  engine::SearchSpec spec;
  query::SearchRequest& req = spec.request;
  req.data_dir = args.data;
  req.query = args.query;
  req.since = args.since;
  req.until = args.until;
  req.format = *query::OutputFormatFromName(args.format);
  req.count = args.count;
  if (args.limit >= 0) req.limit = static_cast<uint64_t>(args.limit);
  spec.stats = args.stats;
  spec.fields = args.fields;
  spec.explain = args.explain;
  spec.time = *engine::TimeModeFromName(args.time);
  std::ios::sync_with_stdio(false);
  Status s = engine::Search(spec, PosixFs::Default(), RealClock::Instance(), std::cout, std::cerr);
  std::cout.flush();
  if (s.ok()) return kExitOk;
  std::cerr << "kiroku search: " << s.message() << "\n";
  return s.code() == Status::Code::kInvalidArgument ? kExitUsage : kExitFailed;
}

}  // namespace kiroku::cli
