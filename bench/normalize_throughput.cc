// Normaliser throughput on one core: reads syslog lines (one per line) from FILE, parses the
// headers first (the sealer and search get records with parsed headers from the journal), then
// times Normalizer::Normalize over all records, REPS times, and prints records/s and MB/s.
// With --correlate it also runs the two correlation passes (Postfix queue ids, slapd conns).
//   build/bench/normalize_throughput FILE [--reps N] [--correlate] [--json]
#include <time.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "common/record.h"
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
    std::fprintf(stderr, "usage: %s FILE [--reps N] [--correlate] [--json]\n", argv[0]);
    return 2;
  }
  int reps = 3;
  bool correlate = false;
  bool json = false;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--correlate") == 0) correlate = true;
    if (std::strcmp(argv[i], "--json") == 0) json = true;
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
  uint64_t bytes = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    RecordView& r = records[i];
    r.seq = SeqNo{i + 1};
    r.receive_time_ns = now;
    r.transport = Transport::kTcp;
    r.peer.family = 4;
    r.peer.addr = {192, 0, 2, 10};
    r.raw = lines[i];
    r.original_length = static_cast<uint32_t>(lines[i].size());
    r.header = syslog::ParseSyslog(lines[i], now, zones, r.peer);
    bytes += lines[i].size();
  }
  normalize::Normalizer n;
  normalize::Event e;
  double best = 1e30;
  uint64_t recognised = 0;
  for (int rep = 0; rep < reps; ++rep) {
    recognised = 0;
    double t0 = ThreadCpuSeconds();
    std::unique_ptr<normalize::Correlator> c;
    if (correlate) {
      c = n.NewCorrelator();
      for (const RecordView& r : records) {
        if (!n.MayCorrelate(r)) continue;
        n.Normalize(r, &e);
        c->Observe(r, e);
      }
    }
    for (const RecordView& r : records) {
      recognised += n.Normalize(r, &e) ? 1 : 0;
      if (c) c->Enrich(r, &e);
    }
    best = std::min(best, ThreadCpuSeconds() - t0);
  }
  double rps = static_cast<double>(records.size()) / best;
  if (json) {
    std::printf(
        "{\"records\":%zu,\"recognised\":%llu,\"cpu_seconds\":%.4f,\"records_per_s\":%.0f,"
        "\"mb_per_s\":%.1f}\n",
        records.size(), static_cast<unsigned long long>(recognised), best, rps,
        static_cast<double>(bytes) / best / 1e6);
  } else {
    std::printf(
        "%zu records (%llu recognised), best of %d: %.3f s CPU, %.0f records/s, %.1f MB/s\n",
        records.size(), static_cast<unsigned long long>(recognised), reps, best, rps,
        static_cast<double>(bytes) / best / 1e6);
  }
  return 0;
}
