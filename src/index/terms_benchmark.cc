// Term collection cost on one core, as the sealer pays it: reads syslog lines from FILE, parses
// their headers and normalises them (not timed), then times AppendRecordTerms over every record
// in blocks of 1024 with TermCollector::Take() per block, REPS times, and prints ns per record,
// keys offered per record, and distinct keys (and their bytes) per block.
//   python3 bench/gen_normalize_corpus.py --kind mixed --count 200000 --seed 42 --out /tmp/m.log
//   build/bench/index_terms_benchmark /tmp/m.log [--reps N] [--no-events]
#include <time.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "common/record.h"
#include "index/terms.h"
#include "normalize/all/normalizer.h"
#include "syslog/parser.h"
#include "syslog/zone_rules.h"

namespace {

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace kiroku;
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [--reps N] [--no-events]\n", argv[0]);
    return 2;
  }
  int reps = 3;
  bool with_events = true;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--no-events") == 0) with_events = false;
  }
  std::ifstream in(argv[1]);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  if (lines.empty()) {
    std::fprintf(stderr, "no lines in %s\n", argv[1]);
    return 1;
  }
  syslog::ZoneRules zones;
  const int64_t now = 1'795'703'862'000'000'000;
  std::vector<RecordView> records(lines.size());
  std::vector<normalize::Event> events(lines.size());
  normalize::Normalizer n;
  uint64_t bytes = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    RecordView& r = records[i];
    r.seq = SeqNo{i + 1};
    r.receive_time_ns = now;
    r.transport = Transport::kTcp;
    r.peer.family = 4;
    r.peer.addr = {192, 0, 2, static_cast<uint8_t>(i % 16)};
    r.peer.port = 514;
    r.raw = lines[i];
    r.original_length = static_cast<uint32_t>(lines[i].size());
    r.header = syslog::ParseSyslog(lines[i], now, zones, r.peer);
    n.Normalize(r, &events[i]);
    bytes += lines[i].size();
  }
  constexpr size_t kBlock = 1024;
  double best = 1e30, best_take = 0;
  uint64_t distinct = 0, key_bytes = 0, blocks = 0;
  index::TermCollector terms;
  std::vector<std::string> keys;  // reused, as the sealer can
  for (int rep = 0; rep < reps; ++rep) {
    distinct = key_bytes = blocks = 0;
    double take = 0;
    double t0 = ThreadCpuSeconds();
    for (size_t i = 0; i < records.size(); ++i) {
      index::AppendRecordTerms(records[i], with_events ? &events[i] : nullptr, &terms);
      if ((i + 1) % kBlock == 0 || i + 1 == records.size()) {
        double t1 = ThreadCpuSeconds();
        terms.TakeInto(&keys);
        distinct += keys.size();
        for (const std::string& k : keys) key_bytes += k.size();
        take += ThreadCpuSeconds() - t1;
        ++blocks;
      }
    }
    double t = ThreadCpuSeconds() - t0;
    if (t < best) best = t, best_take = take;
  }
  // Distinct keys of one record, on a sample, outside the timing.
  uint64_t offered = 0;
  const size_t sample = std::min<size_t>(records.size(), 20000);
  index::TermCollector one;
  for (size_t i = 0; i < sample; ++i) {
    index::AppendRecordTerms(records[i], &events[i], &one);
    offered += one.size();
    one.Clear();
  }
  const double nr = static_cast<double>(records.size());
  std::printf(
      "%zu records (%.1f MB), best of %d: %.3f s CPU, %.0f ns/record (Take: %.0f), "
      "%.0f records/s; "
      "%.1f keys/record, %.0f distinct keys/block (%.0f KiB of keys/block)\n",
      records.size(), static_cast<double>(bytes) / 1e6, reps, best, best * 1e9 / nr,
      best_take * 1e9 / nr, nr / best, static_cast<double>(offered) / static_cast<double>(sample),
      static_cast<double>(distinct) / static_cast<double>(blocks),
      static_cast<double>(key_bytes) / static_cast<double>(blocks) / 1024);
  return 0;
}
