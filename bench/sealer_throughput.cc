// Throughput of the sealer on one core: a corpus of syslog lines (one per line, e.g. from
// bench/gen_normalize_corpus.py --kind mixed) is written to a journal (sync off, 64 MiB
// segments), then sealer::SealAll seals it all: read, normalise, correlate, index, hash,
// compress, write, fsync. Prints records/s of the sealing alone and the bytes before and after.
//
//   python3 bench/gen_normalize_corpus.py --kind mixed --count 200000 --out /tmp/mixed.log
//   build-rel/bench/sealer_throughput /tmp/mixed.log [DIR]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "common/testing/temp_dir.h"
#include "sealer/sealer.h"
#include "store/committer.h"
#include "syslog/parser.h"
#include "syslog/zone_rules.h"

using namespace kiroku;

namespace {

uint64_t DirBytes(const std::string& dir) {
  uint64_t total = 0;
  auto names = PosixFs::Default().ListDir(dir);
  if (!names.ok()) return 0;
  for (const std::string& n : *names) {
    auto s = PosixFs::Default().FileSize(JoinPath(dir, n));
    if (s.ok()) total += *s;
  }
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS [DIR]\n", argv[0]);
    return 2;
  }
  if (argc > 2) setenv("TMPDIR", argv[2], 1);
  std::vector<std::string> lines;
  {
    std::ifstream in(argv[1]);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
  }
  kiroku::testing::TempDir dir;
  Metrics metrics;
  const Clock& clock = RealClock::Instance();
  syslog::ZoneRules zones;
  uint64_t raw_bytes = 0;
  {
    store::CommitterOptions o;
    o.journal_dir = dir.path() + "/journal";
    o.sync = false;
    auto c = store::Committer::Open(PosixFs::Default(), clock, metrics, o);
    if (!c.ok()) {
      std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
      return 1;
    }
    int64_t now = clock.NowNs();
    store::RecordBatch batch;
    for (size_t i = 0; i < lines.size(); ++i) {
      RecordView r;
      r.raw = lines[i];
      r.receive_time_ns = now + static_cast<int64_t>(i) * 1000;
      r.transport = Transport::kUdp;
      r.peer.family = 4;
      r.peer.addr = {10, 0, static_cast<uint8_t>(i % 7), static_cast<uint8_t>(i % 31)};
      r.peer.port = 514;
      r.original_length = static_cast<uint32_t>(lines[i].size());
      r.header = syslog::ParseSyslog(r.raw, r.receive_time_ns, zones, r.peer);
      raw_bytes += lines[i].size();
      batch.Add(r);
      if (batch.count() == 256 || i + 1 == lines.size()) {
        Status s = (*c)->SubmitAndWait(batch);
        if (!s.ok()) {
          std::fprintf(stderr, "%s\n", s.ToString().c_str());
          return 1;
        }
      }
    }
    (*c)->Stop();
  }
  const uint64_t journal_bytes = DirBytes(dir.path() + "/journal");
  sealer::SealerOptions so;
  so.data_dir = dir.path();
  const int64_t t0 = clock.MonotonicNs();
  Status s = sealer::SealAll(PosixFs::Default(), clock, so);
  const double secs = static_cast<double>(clock.MonotonicNs() - t0) / 1e9;
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 1;
  }
  const uint64_t sealed_bytes = DirBytes(dir.path() + "/segments");
  std::printf(
      "sealed %zu records in %.2f s: %.0f records/s, %.1f MB/s of raw; raw %.1f MB, journal "
      "%.1f MB, sealed %.1f MB (%.3f of raw)\n",
      lines.size(), secs, static_cast<double>(lines.size()) / secs,
      static_cast<double>(raw_bytes) / secs / 1e6, static_cast<double>(raw_bytes) / 1e6,
      static_cast<double>(journal_bytes) / 1e6, static_cast<double>(sealed_bytes) / 1e6,
      static_cast<double>(sealed_bytes) / static_cast<double>(raw_bytes));
  return 0;
}
