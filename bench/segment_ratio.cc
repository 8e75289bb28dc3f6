// Sealed segment size and speed on a real-ish corpus (one syslog line per input line).
//
//   python3 bench/gen_normalize_corpus.py --kind mixed --count 300000 --seed 7 --out /tmp/c.log
//   build/bench/segment_ratio /tmp/c.log [--dir /tmp/segdir] [--segment-records 200000]
//   build/bench/segment_ratio --fuzz-seeds fuzz/corpus/sealed_segment_fuzz
//
// Records get a receive time 5 us apart, UDP peers from a small pool, and the header of the
// hot-path parser. Terms approximate index/terms.h: every run of 1..4 parts of every message
// token (lower-cased) under "message", plus host.name and process.name keywords. For zstd levels
// 1, 3 and 6 it prints bytes on disk per raw byte (data, dictionary, total), the same blocks as
// plain concatenated payloads for comparison, compression and decompression speed, and the
// cost of Open and Lookup.
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "common/fs.h"
#include "query/tokenizer.h"
#include "segment/sealed_segment.h"
#include "segment/segment_files.h"
#include "segment/segment_writer.h"
#include "segment/testing/segment_test_util.h"
#include "syslog/parser.h"
#include "syslog/zone_rules.h"

namespace {

using namespace kiroku;           // NOLINT
using namespace kiroku::segment;  // NOLINT
// CPU time of this thread: the machine is shared, so wall time would measure the neighbours.
struct Clock {
  using time_point = double;
  static double now() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
  }
};
double Seconds(double d) { return d; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = query::FoldAscii(c);
  return out;
}

void AddTerms(const RecordView& r, std::vector<std::string>* terms) {
  std::string_view msg = r.Field(r.header.msg);
  query::Tokenizer tok(msg);
  for (std::string_view t; tok.Next(&t);) {
    // Parts: the word runs of the token; every run of 1..4 consecutive parts is a key.
    std::vector<std::pair<size_t, size_t>> parts;
    for (size_t i = 0; i < t.size();) {
      if (!query::IsWordByte(t[i])) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < t.size() && query::IsWordByte(t[j])) ++j;
      parts.emplace_back(i, j);
      i = j;
    }
    for (size_t a = 0; a < parts.size(); ++a) {
      for (size_t b = a; b < parts.size() && b < a + 4; ++b) {
        terms->push_back(std::string("message\0", 8) +
                         Lower(t.substr(parts[a].first, parts[b].second - parts[a].first)));
      }
    }
  }
  if (!r.header.host.empty()) {
    terms->push_back(std::string("host.name\0", 10) + Lower(r.Field(r.header.host)));
  }
  if (!r.header.app.empty()) {
    terms->push_back(std::string("process.name\0", 13) + Lower(r.Field(r.header.app)));
  }
}

struct Corpus {
  std::vector<std::string> payloads;
  std::vector<std::vector<std::string>> terms;  // per record
  uint64_t raw_bytes = 0;
};

Corpus Load(const std::string& path) {
  Corpus c;
  std::ifstream in(path, std::ios::binary);
  syslog::ZoneRules zones;
  (void)zones.SetDefault("UTC");
  std::mt19937_64 rng(7);
  int64_t t = 1'795'000'000'000'000'000;
  std::string line;
  while (std::getline(in, line)) {
    RecordView r;
    t += 5000;
    r.receive_time_ns = t;
    r.transport = Transport::kUdp;
    r.peer.family = 4;
    r.peer.addr = {10, 0, 0, static_cast<uint8_t>(rng() % 40)};
    r.peer.port = 514;
    r.raw = line;
    r.original_length = static_cast<uint32_t>(line.size());
    r.header = syslog::ParseSyslog(line, t, zones, r.peer);
    if (r.header.parse_error) r.flags |= kFlagParseError;
    c.raw_bytes += line.size();
    c.payloads.push_back(testing::MakePayload(r, SeqNo{c.payloads.size() + 1}));
    std::vector<std::string> terms;
    AddTerms(r, &terms);
    c.terms.push_back(std::move(terms));
  }
  return c;
}

struct Result {
  WriterStats stats;
  double compress_s = 0;  // AddBlock total (encode + zstd), terms excluded as far as we can
  double finish_s = 0;    // dictionary and the rest
  double read_s = 0;      // ReadBlock of every block
  double open_ms = 0;
  double lookup_us = 0;
  uint64_t plain_bytes = 0;  // the same blocks as concatenated payloads, zstd at this level
  uint64_t sparse_mem = 0;
  uint64_t keys = 0;
};

Result WriteAndRead(const Corpus& c, const std::string& dir, int level, size_t segment_records,
                    size_t block_records, bool with_terms) {
  Result res;
  Fs& fs = PosixFs::Default();
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  for (size_t seg_start = 0; seg_start < c.payloads.size(); seg_start += segment_records) {
    const size_t seg_end = std::min(c.payloads.size(), seg_start + segment_records);
    SegmentWriterOptions opts;
    opts.zstd_level = level;
    auto w = SegmentWriter::Create(fs, dir, SeqNo{seg_start + 1}, opts);
    if (!w.ok()) {
      std::cerr << w.status().ToString() << "\n";
      std::exit(1);
    }
    std::string plain, z;
    for (size_t b = seg_start; b < seg_end; b += block_records) {
      BlockInput in;
      const size_t e = std::min(seg_end, b + block_records);
      plain.clear();
      for (size_t i = b; i < e; ++i) {
        in.payloads.emplace_back(c.payloads[i]);
        if (with_terms) {
          for (const auto& t : c.terms[i]) in.terms.push_back(t);
        }
        plain.append(c.payloads[i]);
      }
      z.resize(ZSTD_compressBound(plain.size()));
      res.plain_bytes +=
          ZSTD_compressCCtx(cctx, z.data(), z.size(), plain.data(), plain.size(), level);
      auto t0 = Clock::now();
      Status s = (*w)->AddBlock(in);
      res.compress_s += Seconds(Clock::now() - t0);
      if (!s.ok()) {
        std::cerr << s.ToString() << "\n";
        std::exit(1);
      }
    }
    SegmentMeta m;
    m.first = SeqNo{seg_start + 1};
    m.last = SeqNo{seg_end};
    m.leaves_root = std::string(32, 'r');
    auto t0 = Clock::now();
    Status s = (*w)->Finish(m);
    res.finish_s += Seconds(Clock::now() - t0);
    if (!s.ok()) {
      std::cerr << s.ToString() << "\n";
      std::exit(1);
    }
    WriterStats st = (*w)->stats();
    res.stats.block_bytes += st.block_bytes;
    res.stats.block_body_bytes += st.block_body_bytes;
    res.stats.keys += st.keys;
    res.stats.dict_bytes += st.dict_bytes;
    res.stats.posting_bytes += st.posting_bytes;
    res.stats.sparse_body_bytes += st.sparse_body_bytes;
    res.stats.file_bytes += st.file_bytes;

    const std::string path = JoinPath(dir, SealedFileName(m.first, m.last));
    t0 = Clock::now();
    auto seg = SealedSegment::Open(fs, path);
    res.open_ms += Seconds(Clock::now() - t0) * 1e3;
    if (!seg.ok()) {
      std::cerr << seg.status().ToString() << "\n";
      std::exit(1);
    }
    res.sparse_mem += (*seg)->sparse_index_bytes();
    t0 = Clock::now();
    DecodedBlock d;
    for (uint32_t i = 0; i < (*seg)->block_count(); ++i) {
      s = (*seg)->ReadBlock(i, &d);
      if (!s.ok()) std::exit(1);
    }
    res.read_s += Seconds(Clock::now() - t0);
    std::mt19937_64 rng(1);
    const int lookups = with_terms ? 2000 : 0;
    t0 = Clock::now();
    for (int i = 0; i < lookups; ++i) {
      const auto& terms = c.terms[seg_start + rng() % (seg_end - seg_start)];
      if (terms.empty()) continue;
      BlockSet bs;
      s = (*seg)->Lookup(terms[rng() % terms.size()], &bs);
      if (!s.ok() || bs.Empty()) std::exit(2);
    }
    if (lookups > 0) res.lookup_us += Seconds(Clock::now() - t0) * 1e6 / lookups;
    (void)fs.SetFileMode(path, 0644);
    (void)fs.Remove(path);
  }
  ZSTD_freeCCtx(cctx);
  return res;
}

int WriteSeeds(const std::string& dir) {
  Fs& fs = PosixFs::Default();
  (void)fs.CreateDirs(dir);
  const std::string tmp = "/tmp/kiroku-segment-seeds";
  for (int seed = 0; seed < 4; ++seed) {
    std::mt19937_64 rng(seed);
    size_t n = 2 + seed * 2;
    auto payloads = testing::RandomPayloads(rng, SeqNo{1}, n, 60);
    auto w = SegmentWriter::Create(fs, tmp, SeqNo{1}, {});
    if (!w.ok()) return 1;
    for (size_t b = 0; b < n; b += 2) {
      BlockInput in;
      in.payloads = {payloads[b], payloads[b + 1]};
      if (seed % 2 == 1) in.extras = {"", "x"};
      for (int k = 0; k < 3 + seed * 5; ++k) {
        in.terms.push_back(std::string("message\0", 8) + std::to_string(rng() % 50));
      }
      if (!(*w)->AddBlock(in).ok()) return 1;
    }
    SegmentMeta m;
    m.first = SeqNo{1};
    m.last = SeqNo{n};
    m.sources = {{"h", "10.0.0.1", n, 0, 0}};
    if (!(*w)->Finish(m).ok()) return 1;
    const std::string path = JoinPath(tmp, SealedFileName(m.first, m.last));
    std::string bytes = *fs.ReadFile(path);
    (void)fs.SetFileMode(path, 0644);
    (void)fs.Remove(path);
    for (char opt : {'\0', '\1'}) {
      std::ofstream(dir + "/seed-" + std::to_string(seed) + (opt ? "-nocrc" : ""), std::ios::binary)
          << opt << bytes;
    }
    std::cout << "seed " << seed << ": " << bytes.size() + 1 << " bytes\n";
  }
  (void)::rmdir(tmp.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus_path, dir = "/tmp/kiroku-segment-ratio";
  size_t segment_records = 200000, block_records = 1024;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--fuzz-seeds" && i + 1 < argc) return WriteSeeds(argv[++i]);
    if (a == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else if (a == "--segment-records" && i + 1 < argc) {
      segment_records = std::stoul(argv[++i]);
    } else if (a == "--block-records" && i + 1 < argc) {
      block_records = std::stoul(argv[++i]);
    } else {
      corpus_path = a;
    }
  }
  if (corpus_path.empty()) {
    std::cerr << "usage: segment_ratio CORPUS [--dir D] [--segment-records N] "
                 "[--block-records N] | --fuzz-seeds DIR\n";
    return 2;
  }
  auto t0 = Clock::now();
  Corpus c = Load(corpus_path);
  uint64_t term_count = 0;
  for (const auto& t : c.terms) term_count += t.size();
  std::printf("corpus: %zu records, %.1f MB raw, %.1f terms/record (load+parse %.1f s)\n",
              c.payloads.size(), c.raw_bytes / 1e6, double(term_count) / c.payloads.size(),
              Seconds(Clock::now() - t0));
  const double raw = static_cast<double>(c.raw_bytes);
  const size_t segments = (c.payloads.size() + segment_records - 1) / segment_records;
  std::printf("data only (no terms), blocks of %zu records, segments of %zu:\n", block_records,
              segment_records);
  std::printf("%-5s %10s %10s %10s %12s %12s %12s\n", "level", "data/raw", "plain/raw", "file/raw",
              "comp MB/s", "comp krec/s", "decomp MB/s");
  for (int level : {1, 2, 3, 4, 5, 6}) {
    Result r = WriteAndRead(c, dir, level, segment_records, block_records, false);
    std::printf("%-5d %10.4f %10.4f %10.4f %12.1f %12.0f %12.1f\n", level,
                r.stats.block_bytes / raw, r.plain_bytes / raw, r.stats.file_bytes / raw,
                raw / 1e6 / r.compress_s, c.payloads.size() / 1e3 / r.compress_s,
                raw / 1e6 / r.read_s);
  }
  Result r = WriteAndRead(c, dir, 3, segment_records, block_records, true);
  std::printf("with terms, level 3: file/raw %.4f (data %.4f, dictionary %.4f)\n",
              r.stats.file_bytes / raw, r.stats.block_bytes / raw, r.stats.dict_bytes / raw);
  std::printf(
      "  %lu distinct keys in %zu segments, %.2f dictionary bytes per key on disk, "
      "postings %.1f MB before zstd\n",
      static_cast<unsigned long>(r.stats.keys), segments, double(r.stats.dict_bytes) / r.stats.keys,
      r.stats.posting_bytes / 1e6);
  std::printf(
      "  sparse index %.1f KB on disk (before zstd), %.1f KB in memory after Open; "
      "%.2f bytes in memory per key\n",
      r.stats.sparse_body_bytes / 1e3, r.sparse_mem / 1e3, double(r.sparse_mem) / r.stats.keys);
  std::printf(
      "  AddBlock with terms %.0f krec/s, Finish %.2f s per segment, Open %.2f ms per "
      "segment, Lookup %.1f us\n",
      c.payloads.size() / 1e3 / r.compress_s, r.finish_s / segments, r.open_ms / segments,
      r.lookup_us / segments);
  return 0;
}
