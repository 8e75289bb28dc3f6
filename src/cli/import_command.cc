#include "cli/import_command.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/data_dir_lock.h"
#include "cli/store_pipeline.h"
#include "common/clock.h"
#include "common/fs.h"
#include "common/metrics.h"
#include "importer/line_format.h"
#include "importer/line_reader.h"
#include "sealer/sealer.h"
#include "store/committer.h"
#include "syslog/zone_rules.h"

namespace kiroku::cli {

namespace {

constexpr int kExitUsage = 2;
constexpr size_t kDetectLines = 20;
constexpr size_t kBatchRecords = 8192;
constexpr size_t kBatchBytes = size_t{4} << 20;
constexpr int64_t kProgressEveryNs = 250'000'000;
// The import's own audit record (next to evidence/audit_log.h's MSGIDs): which files went in
// and which sequence numbers they got.
constexpr char kAuditImport[] = "import";

struct ImportArgs {
  std::string data = "./kiroku-data";
  std::string format = "auto";
  std::string timezone = "local";
  std::vector<std::string> files;
  size_t max_line = size_t{64} * 1024;
  std::string summary = "text";
  bool no_seal = false;
  bool no_progress = false;
  bool quiet = false;
};

struct Totals {
  uint64_t files = 0;
  uint64_t files_failed = 0;
  uint64_t lines = 0;
  uint64_t records = 0;
  uint64_t bytes = 0;
  uint64_t empty = 0;
  uint64_t parse_errors = 0;
  uint64_t truncated = 0;
  uint64_t no_device_time = 0;
};

// Batches submitted to the committer and not yet durable; the first write error.
class Outstanding {
 public:
  store::DurableCallback Callback() {
    {
      std::lock_guard lock(mu_);
      ++pending_;
    }
    return [this](const Status& s, SeqNo first, SeqNo last) {
      std::lock_guard lock(mu_);
      --pending_;
      if (!s.ok() && error_.ok()) error_ = s;
      if (s.ok()) {
        if (first_.value == 0 || first < first_) first_ = first;
        if (last_ < last) last_ = last;
      }
      cv_.notify_all();
    };
  }
  void NotifySpace() {
    std::lock_guard lock(mu_);
    space_ = true;
    cv_.notify_all();
  }
  // Bounded, in case the room came between the refusal and NotifyWhenSpace.
  void WaitSpace() {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(50), [&] { return space_; });
    space_ = false;
  }
  void Cancel() {
    std::lock_guard lock(mu_);
    --pending_;
  }
  void ArmSpace() {
    std::lock_guard lock(mu_);
    space_ = false;
  }
  void WaitAll() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return pending_ == 0; });
  }
  Status error() {
    std::lock_guard lock(mu_);
    return error_;
  }
  std::pair<SeqNo, SeqNo> range() {
    std::lock_guard lock(mu_);
    return {first_, last_};
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  size_t pending_ = 0;
  bool space_ = false;
  Status error_;
  SeqNo first_;
  SeqNo last_;
};

std::string Human(double v) {
  char buf[32];
  if (v >= 1e9) {
    std::snprintf(buf, sizeof(buf), "%.1fG", v / 1e9);
  } else if (v >= 1e6) {
    std::snprintf(buf, sizeof(buf), "%.1fM", v / 1e6);
  } else if (v >= 1e3) {
    std::snprintf(buf, sizeof(buf), "%.1fk", v / 1e3);
  } else {
    std::snprintf(buf, sizeof(buf), "%.0f", v);
  }
  return buf;
}

class Importer {
 public:
  Importer(const ImportArgs& args, const Clock& clock, const syslog::ZoneRules& zones,
           store::Committer& committer, importer::LineFormat format, bool progress)
      : args_(args),
        clock_(clock),
        zones_(zones),
        committer_(committer),
        format_(format),
        progress_(progress) {}

  // False when the file could not be read (wholly or in part).
  bool ImportFile(const std::string& path) {
    auto reader = importer::LineReader::Open(path, args_.max_line);
    if (!reader.ok()) {
      std::cerr << "kiroku import: " << reader.status().message() << "\n";
      return false;
    }
    importer::LineReader& r = **reader;
    current_ = &r;
    current_name_ = path == "-" ? "stdin" : path;
    const int64_t reference = r.mtime_ns() != 0 ? r.mtime_ns() : clock_.NowNs();
    // The format from the first lines (kept, since the reader's views do not last).
    std::vector<std::string> head;
    std::vector<uint64_t> head_lengths;
    importer::LineReader::Line line;
    importer::LineFormat format = format_;
    if (format == importer::LineFormat::kAuto) {
      while (head.size() < kDetectLines && r.Next(&line)) {
        head.emplace_back(line.text);
        head_lengths.push_back(line.original_length);
      }
      std::vector<std::string_view> views(head.begin(), head.end());
      format = importer::DetectFormat(views);
    }
    importer::LineParser parser(format, zones_, reference);
    const uint64_t records_before = totals_.records;
    for (size_t i = 0; i < head.size(); ++i) AddLine(parser, head[i], head_lengths[i]);
    while (r.Next(&line)) AddLine(parser, line.text, line.original_length);
    totals_.bytes += r.bytes();
    current_ = nullptr;
    if (!args_.quiet && !progress_line_.empty()) ClearProgress();
    if (!args_.quiet) {
      std::cerr << "kiroku import: " << current_name_ << ": "
                << importer::CompressionName(r.compression()) << ", "
                << importer::LineFormatName(format) << ", " << totals_.records - records_before
                << " records\n";
    }
    if (!r.status().ok()) {
      std::cerr << "kiroku import: " << r.status().message() << "\n";
      return false;
    }
    return true;
  }

  void Flush() {
    if (batch_.empty()) return;
    for (;;) {
      outstanding_.ArmSpace();
      if (committer_.TrySubmit(batch_, outstanding_.Callback())) return;
      outstanding_.Cancel();  // refused: the callback will never run
      committer_.NotifyWhenSpace([this] { outstanding_.NotifySpace(); });
      outstanding_.WaitSpace();
    }
  }

  void Finish() {
    Flush();
    outstanding_.WaitAll();
    if (progress_line_.size()) ClearProgress();
  }

  Totals& totals() { return totals_; }
  Outstanding& outstanding() { return outstanding_; }

 private:
  void AddLine(importer::LineParser& parser, std::string_view text, uint64_t original_length) {
    ++totals_.lines;
    bool blank = true;
    for (char c : text) {
      if (c != ' ' && c != '\t') {
        blank = false;
        break;
      }
    }
    if (blank && original_length == text.size()) {
      ++totals_.empty;
      return;
    }
    if (batch_.empty()) batch_time_ns_ = clock_.NowNs();
    RecordView v;
    v.receive_time_ns = batch_time_ns_;
    v.transport = Transport::kImport;
    v.raw = text;
    v.original_length =
        original_length > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(original_length);
    v.header = parser.Parse(text);
    if (original_length > text.size()) {
      v.flags |= kFlagTruncated;
      ++totals_.truncated;
    }
    if (v.header.parse_error) {
      v.flags |= kFlagParseError;
      ++totals_.parse_errors;
    }
    if (!v.header.device_time_ns) ++totals_.no_device_time;
    batch_.Add(v);
    ++totals_.records;
    if (batch_.count() >= kBatchRecords || batch_.bytes() >= kBatchBytes) {
      Flush();
      if (progress_) MaybeProgress();
    }
  }

  void MaybeProgress() {
    const int64_t now = clock_.MonotonicNs();
    if (start_ns_ == 0) start_ns_ = now;
    if (now - last_progress_ns_ < kProgressEveryNs) return;
    last_progress_ns_ = now;
    const double secs = static_cast<double>(now - start_ns_) / 1e9;
    std::string pct;
    if (current_ && current_->file_size() > 0) {
      pct = std::to_string(current_->file_bytes_read() * 100 / current_->file_size()) + "% ";
    }
    char buf[256];
    std::snprintf(buf, sizeof(buf), "\rimporting %.60s %s %s records, %s records/s   ",
                  current_name_.c_str(), pct.c_str(),
                  Human(static_cast<double>(totals_.records)).c_str(),
                  Human(secs > 0 ? static_cast<double>(totals_.records) / secs : 0).c_str());
    progress_line_ = buf;
    std::cerr << progress_line_ << std::flush;
  }

  void ClearProgress() {
    std::cerr << "\r" << std::string(progress_line_.size(), ' ') << "\r" << std::flush;
    progress_line_.clear();
  }

  const ImportArgs& args_;
  const Clock& clock_;
  const syslog::ZoneRules& zones_;
  store::Committer& committer_;
  importer::LineFormat format_;
  bool progress_;
  store::RecordBatch batch_;
  int64_t batch_time_ns_ = 0;
  Totals totals_;
  Outstanding outstanding_;
  importer::LineReader* current_ = nullptr;
  std::string current_name_;
  int64_t start_ns_ = 0;
  int64_t last_progress_ns_ = 0;
  std::string progress_line_;
};

void SetUpImportLog() {
  auto logger = spdlog::get("kiroku-import");
  if (!logger) logger = spdlog::stderr_logger_mt("kiroku-import");
  logger->set_pattern("kiroku import: %l: %v");
  logger->set_level(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

int RunImport(const ImportArgs& args) {
  const Clock& clock = RealClock::Instance();
  PosixFs fs;
  Metrics metrics;
  auto format = importer::LineFormatFromName(args.format);
  if (!format) {
    std::cerr << "kiroku import: --format " << args.format
              << ": expected auto, syslog, squid, clf, w3c or raw\n";
    return kExitUsage;
  }
  if (args.summary != "text" && args.summary != "json") {
    std::cerr << "kiroku import: --summary: expected text or json\n";
    return kExitUsage;
  }
  syslog::ZoneRules zones;
  if (Status s = zones.SetDefault(args.timezone); !s.ok()) {
    std::cerr << "kiroku import: --timezone: " << s.message() << "\n";
    return kExitUsage;
  }
  size_t stdin_count = 0;
  for (const std::string& f : args.files) stdin_count += f == "-";
  if (stdin_count > 1) {
    std::cerr << "kiroku import: `-` (stdin) may be given once\n";
    return kExitUsage;
  }
  SetUpImportLog();

  if (Status s = fs.CreateDirs(args.data); !s.ok()) {
    std::cerr << "kiroku import: cannot create data directory " << args.data << ": " << s.ToString()
              << "\n";
    return 1;
  }
  auto lock = DataDirLock::Acquire(args.data);
  if (!lock.ok()) {
    std::cerr << "kiroku import: " << lock.status().message() << "\n";
    return lock.status().code() == Status::Code::kUnavailable ? kExitUsage : 1;
  }

  StorePipelineOptions popts;
  popts.data = args.data;
  popts.batch_max_bytes = size_t{16} << 20;
  popts.queue_max_bytes = size_t{64} << 20;
  popts.start_params = {{"command", "import"}};
  int open_rc = 1;
  auto opened = StorePipeline::Open(fs, clock, metrics, popts, std::move(*lock), &open_rc);
  if (!opened.ok()) return open_rc;
  StorePipeline& pipeline = **opened;

  const bool progress = !args.no_progress && !args.quiet && isatty(STDERR_FILENO) != 0;
  Importer imp(args, clock, zones, pipeline.committer(), *format, progress);
  const int64_t start = clock.MonotonicNs();
  for (const std::string& f : args.files) {
    if (imp.ImportFile(f)) {
      ++imp.totals().files;
    } else {
      ++imp.totals().files_failed;
    }
  }
  imp.Finish();
  const int64_t imported = clock.MonotonicNs();
  Status write_error = imp.outstanding().error();
  auto [first, last] = imp.outstanding().range();
  const Totals& t = imp.totals();
  if (write_error.ok()) {
    Status s = pipeline.audit().WriteNow(
        {kAuditImport,
         5,
         {{"files", std::to_string(t.files)},
          {"files_failed", std::to_string(t.files_failed)},
          {"records", std::to_string(t.records)},
          {"first_seq", first.value ? std::to_string(first.value) : "none"},
          {"last_seq", last.value ? std::to_string(last.value) : "none"},
          {"parse_errors", std::to_string(t.parse_errors)},
          {"truncated", std::to_string(t.truncated)}},
         "kiroku import"});
    if (!s.ok()) write_error = s;
  }
  pipeline.Shutdown();

  Status seal_status;
  int64_t sealed_ns = 0;
  if (!args.no_seal && write_error.ok()) {
    const int64_t seal_start = clock.MonotonicNs();
    sealer::SealerOptions sopts;
    sopts.data_dir = args.data;
    seal_status = sealer::SealAll(fs, clock, sopts);
    sealed_ns = clock.MonotonicNs() - seal_start;
    if (!seal_status.ok()) {
      std::cerr << "kiroku import: sealing: " << seal_status.ToString()
                << " (the records are in the journal; the server seals them when it runs)\n";
    }
  }
  opened->reset();  // releases the lock

  const double secs = static_cast<double>(imported - start) / 1e9;
  const double rate = secs > 0 ? static_cast<double>(t.records) / secs : 0;
  if (args.summary == "json") {
    nlohmann::json j = {{"files", t.files},
                        {"files_failed", t.files_failed},
                        {"lines", t.lines},
                        {"records", t.records},
                        {"bytes", t.bytes},
                        {"empty_lines", t.empty},
                        {"parse_errors", t.parse_errors},
                        {"truncated", t.truncated},
                        {"no_device_time", t.no_device_time},
                        {"first_seq", first.value},
                        {"last_seq", last.value},
                        {"seconds", secs},
                        {"records_per_second", rate},
                        {"sealed", !args.no_seal && write_error.ok() && seal_status.ok()},
                        {"seal_seconds", static_cast<double>(sealed_ns) / 1e9}};
    std::cout << j.dump() << "\n";
  } else {
    std::printf(
        "imported %llu file%s (%llu unreadable): %llu lines, %llu records, %llu bytes; "
        "%llu empty lines skipped, %llu parse errors, %llu truncated; %.2f s, %.0f records/s",
        static_cast<unsigned long long>(t.files), t.files == 1 ? "" : "s",
        static_cast<unsigned long long>(t.files_failed), static_cast<unsigned long long>(t.lines),
        static_cast<unsigned long long>(t.records), static_cast<unsigned long long>(t.bytes),
        static_cast<unsigned long long>(t.empty), static_cast<unsigned long long>(t.parse_errors),
        static_cast<unsigned long long>(t.truncated), secs, rate);
    if (!args.no_seal && write_error.ok() && seal_status.ok()) {
      std::printf("; sealed in %.2f s", static_cast<double>(sealed_ns) / 1e9);
    }
    std::printf("\n");
    std::fflush(stdout);
  }
  if (!write_error.ok()) {
    std::cerr << "kiroku import: the journal failed: " << write_error.ToString() << "\n";
    return 1;
  }
  return t.files_failed > 0 || !seal_status.ok() ? 1 : 0;
}

}  // namespace

std::vector<Command> AddImportCommands(CLI::App& app) {
  auto args = std::make_shared<ImportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Backfill existing log files (plain, .gz, .zst; - for stdin) into the data directory");
  cmd->add_option("--data", args->data, "Data directory")->capture_default_str();
  cmd->add_option(
         "--format", args->format,
         "Line format: auto (per file, from its first lines), syslog, squid, clf, w3c, raw")
      ->capture_default_str();
  cmd->add_option("--timezone", args->timezone,
                  "Zone of timestamps that carry none (IANA name, UTC, local)")
      ->capture_default_str();
  cmd->add_option("--max-line-size", args->max_line,
                  "Longer lines are kept cut to this many bytes and flagged truncated")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{16} << 20));
  cmd->add_option("--summary", args->summary, "Summary at the end: text or json")
      ->capture_default_str();
  cmd->add_flag("--no-seal", args->no_seal,
                "Leave the records in the journal (the server seals them when it runs)");
  cmd->add_flag("--no-progress", args->no_progress, "No progress line on stderr");
  cmd->add_flag("--quiet,-q", args->quiet, "Only the summary and errors");
  cmd->add_option("files", args->files, "Files to import (- for stdin)")->required();
  return {Command{cmd, [args] { return RunImport(*args); }}};
}

}  // namespace kiroku::cli
