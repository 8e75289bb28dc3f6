// SegmentWriter and SealedSegment together: round trips, the term dictionary against a model,
// damage in every section, and crash safety of Finish().
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <set>

#include "common/testing/fault_fs.h"
#include "common/testing/temp_dir.h"
#include "segment/internal/format.h"
#include "segment/sealed_segment.h"
#include "segment/segment_files.h"
#include "segment/segment_writer.h"
#include "segment/testing/segment_test_util.h"
#include "store/internal/coding.h"

namespace kiroku::segment {
namespace {

using testing::MakePayload;
using testing::RandomPayloads;

std::vector<uint32_t> Values(const BlockSet& s) {
  std::vector<uint32_t> v;
  s.ForEach([&](uint32_t b) {
    v.push_back(b);
    return true;
  });
  return v;
}

SegmentMeta SampleMeta(SeqNo first, SeqNo last) {
  SegmentMeta m;
  m.first = first;
  m.last = last;
  m.min_timestamp_ns = -5;
  m.max_timestamp_ns = 1'790'000'000'000'000'000;
  m.min_received_ns = 17;
  m.max_received_ns = 1'790'000'000'123'000'000;
  m.sealed_at_ns = 1'790'000'001'000'000'000;
  m.leaves_root = std::string(32, '\xab');
  m.sources = {{"web01", "192.0.2.1", 10, 1, 2},
               {std::string("bin\0\xff", 5), "[2001:db8::1]", 3, 4, 5},
               {"", "", 1, 0, 0}};
  m.index_info = R"({"version":1})";
  return m;
}

// A segment written from payloads in blocks of `per_block` records; block b gets the terms
// terms[b] (when given).
class Built {
 public:
  Built(Fs& fs, std::string dir, SeqNo first, std::vector<std::string> payloads, size_t per_block,
        const std::vector<std::vector<std::string>>& terms = {},
        std::vector<std::string> extras = {})
      : payloads_(std::move(payloads)), extras_(std::move(extras)) {
    auto w = SegmentWriter::Create(fs, dir, first, {});
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    if (!w.ok()) return;
    for (size_t start = 0, b = 0; start < payloads_.size(); start += per_block, ++b) {
      BlockInput in;
      size_t end = std::min(payloads_.size(), start + per_block);
      for (size_t i = start; i < end; ++i) {
        in.payloads.emplace_back(payloads_[i]);
        if (!extras_.empty()) in.extras.emplace_back(extras_[i]);
      }
      if (b < terms.size()) in.terms = terms[b];
      in.min_timestamp_ns = static_cast<int64_t>(b) * 10;
      in.max_timestamp_ns = static_cast<int64_t>(b) * 10 + 5;
      in.min_received_ns = static_cast<int64_t>(b) * 100;
      in.max_received_ns = static_cast<int64_t>(b) * 100 + 50;
      Status s = (*w)->AddBlock(in);
      EXPECT_TRUE(s.ok()) << s.ToString();
      infos_.push_back(in);
    }
    meta_ = SampleMeta(first, SeqNo{first.value + payloads_.size() - 1});
    Status s = (*w)->Finish(meta_);
    EXPECT_TRUE(s.ok()) << s.ToString();
    stats_ = (*w)->stats();
    path_ = JoinPath(dir, SealedFileName(meta_.first, meta_.last));
  }
  const std::string& path() const { return path_; }
  const SegmentMeta& meta() const { return meta_; }
  const std::vector<std::string>& payloads() const { return payloads_; }
  const std::vector<std::string>& extras() const { return extras_; }
  const std::vector<BlockInput>& inputs() const { return infos_; }
  const WriterStats& stats() const { return stats_; }

 private:
  std::vector<std::string> payloads_;
  std::vector<std::string> extras_;
  std::vector<BlockInput> infos_;
  SegmentMeta meta_;
  WriterStats stats_;
  std::string path_;
};

void ExpectMetaEq(const SegmentMeta& a, const SegmentMeta& b) {
  EXPECT_EQ(a.first, b.first);
  EXPECT_EQ(a.last, b.last);
  EXPECT_EQ(a.min_timestamp_ns, b.min_timestamp_ns);
  EXPECT_EQ(a.max_timestamp_ns, b.max_timestamp_ns);
  EXPECT_EQ(a.min_received_ns, b.min_received_ns);
  EXPECT_EQ(a.max_received_ns, b.max_received_ns);
  EXPECT_EQ(a.sealed_at_ns, b.sealed_at_ns);
  EXPECT_EQ(a.leaves_root, b.leaves_root);
  EXPECT_EQ(a.index_info, b.index_info);
  ASSERT_EQ(a.sources.size(), b.sources.size());
  for (size_t i = 0; i < a.sources.size(); ++i) {
    EXPECT_EQ(a.sources[i].host, b.sources[i].host);
    EXPECT_EQ(a.sources[i].address, b.sources[i].address);
    EXPECT_EQ(a.sources[i].records, b.sources[i].records);
    EXPECT_EQ(a.sources[i].first_received_ns, b.sources[i].first_received_ns);
    EXPECT_EQ(a.sources[i].last_received_ns, b.sources[i].last_received_ns);
  }
}

class SegmentTest : public ::testing::Test {
 protected:
  kiroku::testing::TempDir tmp_;
  std::string dir_ = tmp_.path() + "/segments";
  Fs& fs_ = PosixFs::Default();
};

TEST_F(SegmentTest, RoundTripIsByteExact) {
  std::mt19937_64 rng(1);
  const SeqNo first{1000};
  std::vector<std::string> payloads = RandomPayloads(rng, first, 1000);
  std::vector<std::string> extras;
  for (size_t i = 0; i < payloads.size(); ++i) {
    extras.push_back(i % 3 == 0 ? "" : "extra" + std::string(i % 7, static_cast<char>(i)));
  }
  Built b(fs_, dir_, first, payloads, 97, {}, extras);
  auto seg = SealedSegment::Open(fs_, b.path());
  ASSERT_TRUE(seg.ok()) << seg.status().ToString();
  ExpectMetaEq((*seg)->meta(), b.meta());
  ASSERT_EQ((*seg)->block_count(), 11u);
  size_t next = 0;
  for (uint32_t i = 0; i < (*seg)->block_count(); ++i) {
    const BlockInfo& info = (*seg)->block(i);
    EXPECT_EQ(info.first.value, first.value + next);
    EXPECT_EQ(info.min_timestamp_ns, b.inputs()[i].min_timestamp_ns);
    EXPECT_EQ(info.max_timestamp_ns, b.inputs()[i].max_timestamp_ns);
    EXPECT_EQ(info.min_received_ns, b.inputs()[i].min_received_ns);
    EXPECT_EQ(info.max_received_ns, b.inputs()[i].max_received_ns);
    DecodedBlock d;
    Status s = (*seg)->ReadBlock(i, &d);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(d.payloads.size(), info.count);
    ASSERT_EQ(d.extras.size(), info.count);
    for (size_t k = 0; k < d.payloads.size(); ++k, ++next) {
      ASSERT_EQ(d.payloads[k], payloads[next]) << "record " << next;
      ASSERT_EQ(d.extras[k], extras[next]) << "record " << next;
      RecordView v;
      ASSERT_TRUE(store::DecodeRecord(d.payloads[k], &v).ok());
      EXPECT_EQ(v.seq.value, first.value + next);
    }
  }
  EXPECT_EQ(next, payloads.size());
}

// A search opens segments without their sources: everything else in meta() is the same, the
// sources are empty, and damage in them is still found (the CRC test below covers the bytes).
TEST_F(SegmentTest, OpenWithoutSourcesKeepsTheRestOfTheMeta) {
  std::mt19937_64 rng(11);
  const SeqNo first{1};
  Built b(fs_, dir_, first, RandomPayloads(rng, first, 300), 97);
  ASSERT_EQ(b.meta().sources.size(), 3u);
  auto seg = SealedSegment::Open(fs_, b.path(), OpenOptions{.load_sources = false});
  ASSERT_TRUE(seg.ok()) << seg.status().ToString();
  SegmentMeta want = b.meta();
  want.sources.clear();
  ExpectMetaEq((*seg)->meta(), want);
  EXPECT_EQ((*seg)->block_count(), 4u);
}

TEST_F(SegmentTest, NoExtrasGivesEmptyStrings) {
  std::mt19937_64 rng(2);
  Built b(fs_, dir_, SeqNo{1}, RandomPayloads(rng, SeqNo{1}, 50), 50);
  auto seg = SealedSegment::Open(fs_, b.path());
  ASSERT_TRUE(seg.ok());
  DecodedBlock d;
  ASSERT_TRUE((*seg)->ReadBlock(0, &d).ok());
  ASSERT_EQ(d.extras.size(), 50u);
  for (auto e : d.extras) EXPECT_TRUE(e.empty());
  EXPECT_EQ((*seg)->key_count(), 0u);
  BlockSet none;
  ASSERT_TRUE((*seg)->Lookup("anything", &none).ok());
  EXPECT_TRUE(none.Empty());
}

TEST_F(SegmentTest, MaxSizeRawAndEmptyRaw) {
  std::string big(store::journal::kMaxRawSize, 'x');
  for (size_t i = 0; i < big.size(); i += 4099) big[i] = static_cast<char>(i);
  RecordView r;
  r.raw = big;
  r.original_length = 1u << 30;
  r.flags = kFlagTruncated;
  r.peer.family = 6;
  r.peer.addr = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  r.header.msg = Span{0, static_cast<uint32_t>(big.size())};
  RecordView empty;
  std::vector<std::string> payloads = {MakePayload(r, SeqNo{7}), MakePayload(empty, SeqNo{8})};
  Built b(fs_, dir_, SeqNo{7}, payloads, 2);
  auto seg = SealedSegment::Open(fs_, b.path());
  ASSERT_TRUE(seg.ok());
  DecodedBlock d;
  ASSERT_TRUE((*seg)->ReadBlock(0, &d).ok());
  ASSERT_EQ(d.payloads.size(), 2u);
  EXPECT_TRUE(d.payloads[0] == payloads[0]);
  EXPECT_EQ(d.payloads[1], payloads[1]);
}

TEST_F(SegmentTest, BlockOf) {
  std::mt19937_64 rng(3);
  Built b(fs_, dir_, SeqNo{101}, RandomPayloads(rng, SeqNo{101}, 25), 10);
  auto seg = SealedSegment::Open(fs_, b.path());
  ASSERT_TRUE(seg.ok());
  EXPECT_FALSE((*seg)->BlockOf(SeqNo{100}).has_value());
  EXPECT_EQ((*seg)->BlockOf(SeqNo{101}), 0u);
  EXPECT_EQ((*seg)->BlockOf(SeqNo{110}), 0u);
  EXPECT_EQ((*seg)->BlockOf(SeqNo{111}), 1u);
  EXPECT_EQ((*seg)->BlockOf(SeqNo{120}), 1u);
  EXPECT_EQ((*seg)->BlockOf(SeqNo{121}), 2u);
  EXPECT_EQ((*seg)->BlockOf(SeqNo{125}), 2u);
  EXPECT_FALSE((*seg)->BlockOf(SeqNo{126}).has_value());
}

std::string RandomKey(std::mt19937_64& rng, const std::vector<std::string>& prefixes) {
  std::string k = prefixes[rng() % prefixes.size()];
  for (size_t n = rng() % 12; n > 0; --n) {
    k.push_back(rng() % 4 == 0 ? static_cast<char>(rng()) : static_cast<char>('a' + rng() % 6));
  }
  return k;
}

TEST_F(SegmentTest, LookupAndScanRangeMatchModel) {
  std::mt19937_64 rng(4);
  const std::vector<std::string> prefixes = {"",
                                             std::string("message\0", 8),
                                             std::string("source.ip\0", 10),
                                             std::string("host.name\0web", 13),
                                             "\xff\xff",
                                             std::string("\0", 1)};
  const uint32_t blocks = 40;
  std::map<std::string, std::set<uint32_t>> model;
  std::vector<std::vector<std::string>> terms(blocks);
  for (uint32_t b = 0; b < blocks; ++b) {
    for (int k = 0; k < 250; ++k) {
      std::string key = RandomKey(rng, prefixes);
      terms[b].push_back(key);
      if (k % 10 == 0) terms[b].push_back(key);  // duplicates are fine
      model[key].insert(b);
    }
    terms[b].push_back("common");
    model["common"].insert(b);
    if (b % 2 == 0) {
      terms[b].push_back("even");
      model["even"].insert(b);
    }
  }
  Built b(fs_, dir_, SeqNo{1}, RandomPayloads(rng, SeqNo{1}, blocks * 3), 3, terms);
  auto seg = SealedSegment::Open(fs_, b.path());
  ASSERT_TRUE(seg.ok()) << seg.status().ToString();
  EXPECT_EQ((*seg)->key_count(), model.size());
  EXPECT_GT(b.stats().dict_bytes, 0u);

  for (const auto& [key, want] : model) {
    BlockSet got;
    Status s = (*seg)->Lookup(key, &got);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_EQ(Values(got), std::vector<uint32_t>(want.begin(), want.end())) << key;
  }
  for (int i = 0; i < 500; ++i) {
    std::string key = RandomKey(rng, prefixes) + "zz";
    BlockSet got;
    ASSERT_TRUE((*seg)->Lookup(key, &got).ok());
    EXPECT_EQ(got.Empty(), model.find(key) == model.end());
  }
  for (int i = 0; i < 300; ++i) {
    std::string lo = RandomKey(rng, prefixes), hi = RandomKey(rng, prefixes);
    if (i % 3 == 0) hi = lo + "\xff";  // a prefix range
    std::vector<std::pair<std::string, std::vector<uint32_t>>> got, want;
    const size_t stop_after = i % 4 == 0 ? 5 : SIZE_MAX;
    Status s = (*seg)->ScanRange(lo, hi, [&](std::string_view key, const BlockSet& bs) {
      got.emplace_back(std::string(key), Values(bs));
      return got.size() < stop_after;
    });
    ASSERT_TRUE(s.ok()) << s.ToString();
    if (lo <= hi) {
      for (auto it = model.lower_bound(lo); it != model.end() && it->first <= hi; ++it) {
        if (want.size() == stop_after) break;
        want.emplace_back(it->first, std::vector<uint32_t>(it->second.begin(), it->second.end()));
      }
    }
    ASSERT_EQ(got, want) << "range " << i;
  }
}

// Flips one byte and checks that opening and reading everything reports Corruption.
Status OpenAndReadAll(Fs& fs, const std::string& path) {
  auto seg = SealedSegment::Open(fs, path);
  if (!seg.ok()) return seg.status();
  for (uint32_t i = 0; i < (*seg)->block_count(); ++i) {
    DecodedBlock d;
    KIROKU_RETURN_IF_ERROR((*seg)->ReadBlock(i, &d));
  }
  return (*seg)->ScanRange("", std::string(8, '\xff'),
                           [](std::string_view, const BlockSet&) { return true; });
}

void Patch(const std::string& path, uint64_t offset, char xor_with) {
  std::string bytes = *PosixFs::Default().ReadFile(path);
  bytes[offset] = static_cast<char>(bytes[offset] ^ xor_with);
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  ASSERT_TRUE(PosixFs::Default().WriteFileAtomic(path, bytes).ok());
}

TEST_F(SegmentTest, DamageInEverySectionIsCorruption) {
  std::mt19937_64 rng(5);
  std::vector<std::vector<std::string>> terms(4);
  for (auto& t : terms) {
    for (int k = 0; k < 3000; ++k) t.push_back("key" + std::to_string(rng() % 20000));
  }
  Built b(fs_, dir_, SeqNo{1}, RandomPayloads(rng, SeqNo{1}, 200), 50, terms);
  const std::string good = *fs_.ReadFile(b.path());
  ASSERT_TRUE(OpenAndReadAll(fs_, b.path()).ok());
  const char* f = good.data() + good.size() - internal::kFooterSize;
  using store::internal::DecodeFixed64;
  const uint64_t dict = DecodeFixed64(f + internal::kFooterDictOffset);
  const uint64_t table = DecodeFixed64(f + internal::kFooterTableOffset);
  const uint64_t sparse = DecodeFixed64(f + internal::kFooterSparseOffset);
  const uint64_t meta = DecodeFixed64(f + internal::kFooterMetaOffset);
  const uint64_t zdict_len = store::internal::DecodeFixed32(f + internal::kFooterZdictLen);
  ASSERT_GT(zdict_len, 0u);
  struct Where {
    const char* section;
    uint64_t offset;
    const char* says;
  };
  const Where places[] = {
      {"header", 3, "header"},
      {"header crc", internal::kHeaderCrcOffset, "header"},
      {"zstd dictionary", internal::kHeaderSize + 10, "zstd dictionary"},
      {"block 0", internal::kHeaderSize + zdict_len + 10, "block 0"},
      {"last block", dict - 3, "block 3"},
      {"dictionary", dict + 5, "dictionary block 0"},
      {"dictionary end", table - 2, "dictionary block"},
      {"block table", table + 9, "block table"},
      {"sparse index", sparse + 1, "sparse index"},
      {"meta", meta + 2, "meta"},
      {"footer", good.size() - internal::kFooterSize + 1, "footer"},
      {"footer magic", good.size() - 1, "footer"},
  };
  for (const Where& w : places) {
    Patch(b.path(), w.offset, 0x20);
    Status s = OpenAndReadAll(fs_, b.path());
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << w.section << ": " << s.ToString();
    EXPECT_NE(s.message().find(b.path()), std::string::npos) << s.message();
    EXPECT_NE(s.message().find(w.says), std::string::npos) << w.section << ": " << s.message();
    Patch(b.path(), w.offset, 0x20);  // undo
    ASSERT_TRUE(OpenAndReadAll(fs_, b.path()).ok());
  }
}

TEST_F(SegmentTest, EveryByteFlipIsDetected) {
  std::mt19937_64 rng(6);
  std::vector<std::vector<std::string>> terms = {{"a", "b", "c"}, {"b", "d"}};
  Built b(fs_, dir_, SeqNo{1}, RandomPayloads(rng, SeqNo{1}, 6, 40), 3, terms);
  const std::string good = *fs_.ReadFile(b.path());
  const std::string copy = tmp_.path() + "/copy.seg";
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ (1 << (i % 8)));
    std::ofstream(copy, std::ios::binary | std::ios::trunc) << bad;  // no fsync: fast
    Status s = OpenAndReadAll(fs_, copy);
    ASSERT_EQ(s.code(), Status::Code::kCorruption) << "byte " << i << ": " << s.ToString();
  }
}

TEST_F(SegmentTest, TruncatedFileIsCorruption) {
  std::mt19937_64 rng(7);
  Built b(fs_, dir_, SeqNo{1}, RandomPayloads(rng, SeqNo{1}, 40), 10, {{"x"}, {"y"}});
  const std::string good = *fs_.ReadFile(b.path());
  const std::string copy = tmp_.path() + "/copy.seg";
  for (size_t cut : {size_t{0}, size_t{10}, size_t{40}, good.size() / 2, good.size() - 1}) {
    ASSERT_TRUE(fs_.WriteFileAtomic(copy, good.substr(0, cut)).ok());
    auto seg = SealedSegment::Open(fs_, copy);
    ASSERT_FALSE(seg.ok());
    EXPECT_EQ(seg.status().code(), Status::Code::kCorruption) << cut;
  }
  auto gone = SealedSegment::Open(fs_, tmp_.path() + "/nothing.seg");
  EXPECT_EQ(gone.status().code(), Status::Code::kNotFound);
}

TEST_F(SegmentTest, TempIsNeverListedAndFinishMakesReadOnly) {
  std::mt19937_64 rng(8);
  auto payloads = RandomPayloads(rng, SeqNo{1}, 10);
  auto w = SegmentWriter::Create(fs_, dir_, SeqNo{1}, {});
  ASSERT_TRUE(w.ok());
  BlockInput in;
  for (const auto& p : payloads) in.payloads.emplace_back(p);
  ASSERT_TRUE((*w)->AddBlock(in).ok());
  auto names = fs_.ListDir(dir_);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, std::vector<std::string>{"sealing-00000000000000000001.tmp"});
  EXPECT_TRUE(ListSealed(fs_, dir_)->empty());
  ASSERT_TRUE((*w)->Finish(SampleMeta(SeqNo{1}, SeqNo{10})).ok());
  names = fs_.ListDir(dir_);
  EXPECT_EQ(*names, std::vector<std::string>{SealedFileName(SeqNo{1}, SeqNo{10})});
  auto list = ListSealed(fs_, dir_);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(*fs_.FileMode((*list)[0].path), 0444u);
  w->reset();  // destroying a finished writer leaves the file alone
  EXPECT_EQ(ListSealed(fs_, dir_)->size(), 1u);
}

TEST_F(SegmentTest, AbandonAndDestructorRemoveTheTemporary) {
  std::mt19937_64 rng(9);
  auto payloads = RandomPayloads(rng, SeqNo{1}, 5);
  BlockInput in;
  for (const auto& p : payloads) in.payloads.emplace_back(p);
  {
    auto w = SegmentWriter::Create(fs_, dir_, SeqNo{1}, {});
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->AddBlock(in).ok());
    (*w)->Abandon();
    EXPECT_TRUE(fs_.ListDir(dir_)->empty());
    EXPECT_FALSE((*w)->Finish(SampleMeta(SeqNo{1}, SeqNo{5})).ok());
    EXPECT_TRUE(fs_.ListDir(dir_)->empty());
  }
  {
    auto w = SegmentWriter::Create(fs_, dir_, SeqNo{1}, {});
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->AddBlock(in).ok());
  }
  EXPECT_TRUE(fs_.ListDir(dir_)->empty());
}

TEST_F(SegmentTest, StaleTemporaryIsReplaced) {
  ASSERT_TRUE(fs_.CreateDirs(dir_).ok());
  ASSERT_TRUE(fs_.WriteFileAtomic(JoinPath(dir_, SealingTempName(SeqNo{1})), "junk").ok());
  std::mt19937_64 rng(10);
  Built b(fs_, dir_, SeqNo{1}, RandomPayloads(rng, SeqNo{1}, 5), 5);
  EXPECT_TRUE(OpenAndReadAll(fs_, b.path()).ok());
  EXPECT_EQ(fs_.ListDir(dir_)->size(), 1u);
}

TEST_F(SegmentTest, InvalidInputIsRejected) {
  std::mt19937_64 rng(11);
  auto payloads = RandomPayloads(rng, SeqNo{5}, 10);
  auto w = SegmentWriter::Create(fs_, dir_, SeqNo{5}, {});
  ASSERT_TRUE(w.ok());
  BlockInput empty;
  EXPECT_EQ((*w)->AddBlock(empty).code(), Status::Code::kInvalidArgument);
  BlockInput gap;
  gap.payloads = {payloads[0], payloads[2]};
  EXPECT_EQ((*w)->AddBlock(gap).code(), Status::Code::kInvalidArgument);
  BlockInput wrong_start;
  wrong_start.payloads = {payloads[1]};
  EXPECT_EQ((*w)->AddBlock(wrong_start).code(), Status::Code::kInvalidArgument);
  BlockInput garbage;
  std::string bad = payloads[0];
  bad[0] = 9;  // record type
  garbage.payloads = {bad};
  EXPECT_EQ((*w)->AddBlock(garbage).code(), Status::Code::kInvalidArgument);
  BlockInput extras;
  extras.payloads = {payloads[0], payloads[1]};
  extras.extras = {"one"};
  EXPECT_EQ((*w)->AddBlock(extras).code(), Status::Code::kInvalidArgument);
  BlockInput good;
  good.payloads = {payloads[0], payloads[1]};
  ASSERT_TRUE((*w)->AddBlock(good).ok());
  EXPECT_EQ((*w)->Finish(SampleMeta(SeqNo{5}, SeqNo{7})).code(), Status::Code::kInvalidArgument);
  ASSERT_TRUE((*w)->Finish(SampleMeta(SeqNo{5}, SeqNo{6})).ok());
}

class SegmentFaultTest : public ::testing::TestWithParam<kiroku::testing::FaultFs::Op> {};

TEST_P(SegmentFaultTest, FailedStepLeavesNoSealedFile) {
  kiroku::testing::TempDir tmp;
  const std::string dir = tmp.path() + "/segments";
  kiroku::testing::FaultFs fs;
  std::mt19937_64 rng(12);
  auto payloads = RandomPayloads(rng, SeqNo{1}, 20);
  auto w = SegmentWriter::Create(fs, dir, SeqNo{1}, {});
  ASSERT_TRUE(w.ok());
  BlockInput in;
  for (const auto& p : payloads) in.payloads.emplace_back(p);
  in.terms = {"a", "b"};
  ASSERT_TRUE((*w)->AddBlock(in).ok());
  fs.Fail(GetParam(), 1, EIO);
  Status s = (*w)->Finish(SampleMeta(SeqNo{1}, SeqNo{20}));
  EXPECT_EQ(s.code(), Status::Code::kIoError) << s.ToString();
  fs.Heal();
  EXPECT_TRUE(ListSealed(fs, dir)->empty());
  EXPECT_FALSE((*w)->Finish(SampleMeta(SeqNo{1}, SeqNo{20})).ok());  // the error sticks
  w->reset();
  EXPECT_TRUE(fs.ListDir(dir)->empty());
}

INSTANTIATE_TEST_SUITE_P(Steps, SegmentFaultTest,
                         ::testing::Values(kiroku::testing::FaultFs::Op::kAppend,
                                           kiroku::testing::FaultFs::Op::kSync,
                                           kiroku::testing::FaultFs::Op::kRename,
                                           kiroku::testing::FaultFs::Op::kSyncDir));

}  // namespace
}  // namespace kiroku::segment
