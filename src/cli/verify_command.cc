#include "cli/verify_command.h"

#include <httplib.h>
#include <unistd.h>

#include <iostream>

#include "common/clock.h"
#include "common/fs.h"
#include "integrity/signing/trust_anchor.h"
#include "verify/anchor_chain.h"
#include "verify/audit_inbox.h"
#include "verify/report_format.h"
#include "verify/verifier.h"

namespace kiroku::cli {
namespace {

bool IsUrl(const std::string& s) {
  return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0;
}

// GET of a witness's heads: URL as given, or, given only scheme://host:port, the standard
// path /witness/<anchor fingerprint hex>/heads.
StatusOr<std::string> FetchWitness(const std::string& url, const std::string& anchor_path) {
  size_t scheme_end = url.find("://") + 3;
  size_t path_start = url.find('/', scheme_end);
  std::string base = url.substr(0, path_start);
  std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (path == "/") {
    auto text = PosixFs::Default().ReadFile(anchor_path);
    if (!text.ok()) return text.status();
    auto a = integrity::signing::TrustAnchorFromJson(*text);
    if (!a.ok()) return a.status();
    path = "/witness/" + integrity::signing::Fingerprint(*a).Hex() + "/heads";
  }
  httplib::Client client(base);
  client.set_read_timeout(60, 0);
  auto res = client.Get(path);
  if (!res)
    return Status::Unavailable("cannot reach " + url + ": " + httplib::to_string(res.error()));
  if (res->status != 200) {
    return Status::Unavailable(url + " answered " + std::to_string(res->status));
  }
  return res->body;
}

}  // namespace

CLI::App* AddVerifyCommand(CLI::App& app, VerifyArgs* args) {
  CLI::App* cmd = app.add_subcommand(
      "verify", "Check the data directory for tampering (read-only; safe while the server runs)");
  cmd->add_option("--data", args->data, "Data directory")->capture_default_str();
  cmd->add_option("--anchor", args->anchor,
                  "Trust anchor file: the copy kept away from the server [default: the one in "
                  "DATA/keys, with a warning]");
  cmd->add_option("--witness", args->witness,
                  "Heads a witness saw: its JSON-lines file, or another kiroku's URL");
  cmd->add_option("--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--slack", args->slack_s,
                  "Seconds a record may wait for its first signed head across an epoch boundary")
      ->capture_default_str();
  return cmd;
}

int RunVerifyCommand(const VerifyArgs& args) {
  const Clock& clock = RealClock::Instance();
  PosixFs& fs = PosixFs::Default();
  verify::VerifyOptions opt;
  opt.data_dir = args.data;
  opt.anchor_path = args.anchor;
  opt.slack_ns = static_cast<int64_t>(args.slack_s * 1e9);
  if (!args.witness.empty()) {
    opt.witness_name = args.witness;
    StatusOr<std::string> text =
        IsUrl(args.witness)
            ? FetchWitness(args.witness, args.anchor.empty() ? verify::DataDirAnchorPath(
                                                                   fs, JoinPath(args.data, "keys"))
                                                             : args.anchor)
            : fs.ReadFile(args.witness);
    if (!text.ok()) {
      std::cerr << "kiroku verify: cannot read the witness " << args.witness << ": "
                << text.status().message() << "\n";
      return 2;
    }
    opt.witness_jsonl = std::move(*text);
  }
  const bool tty = isatty(STDERR_FILENO) == 1;
  int64_t last_progress = 0;
  const int64_t start = clock.MonotonicNs();
  if (tty) {
    opt.progress = [&](uint64_t done, uint64_t total) {
      int64_t now = clock.MonotonicNs();
      if (now - last_progress < 200'000'000) return;
      last_progress = now;
      double secs = static_cast<double>(now - start) / 1e9;
      std::cerr << "\rverify: " << done / 1000000 << " of " << total / 1000000 << " MB ("
                << static_cast<uint64_t>(static_cast<double>(done) / 1e6 / (secs > 0 ? secs : 1))
                << " MB/s)   " << std::flush;
    };
  }
  verify::Report report = verify::Verify(fs, opt);
  report.stats().seconds = static_cast<double>(clock.MonotonicNs() - start) / 1e9;
  if (tty && last_progress != 0) std::cerr << "\r" << std::string(60, ' ') << "\r";
  if (args.format == "json") {
    verify::WriteJsonReport(report, std::cout);
  } else {
    verify::WriteHumanReport(report, std::cout);
  }
  std::cout.flush();
  // Skipped silently when the data directory is not writable (or not there).
  if (fs.ListDir(JoinPath(args.data, "journal")).ok()) {
    verify::DropAuditResult(fs, clock, args.data, "verify", std::string(report.Result()),
                            report.ExitCode(), verify::Summary(report));
  }
  return report.ExitCode();
}

}  // namespace kiroku::cli
