#include "evidence/tree_builder.h"

#include <endian.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstring>

#include "evidence/journal_leaves.h"
#include "integrity/leaf.h"
#include "store/journal_format.h"
#include "store/record_codec.h"

namespace kiroku::evidence {

namespace j = store::journal;

StatusOr<std::unique_ptr<TreeBuilder>> TreeBuilder::Open(Fs& fs, std::string merkle_dir,
                                                         std::string journal_dir,
                                                         integrity::TileRecovery* recovery) {
  integrity::TileRecovery rec;
  auto tiles = integrity::TileStore::Open(fs, std::move(merkle_dir), &rec);
  if (!tiles.ok()) return tiles.status();
  if (recovery) *recovery = rec;
  return std::unique_ptr<TreeBuilder>(
      new TreeBuilder(fs, std::move(journal_dir), std::move(*tiles)));
}

TreeBuilder::~TreeBuilder() { Stop(); }

store::CommittedObserver TreeBuilder::Observer() {
  return [this](SeqNo first, std::vector<std::string>&& frames) {
    {
      std::lock_guard lock(queue_mu_);
      queue_.push_back(Group{first.value, std::move(frames)});
    }
    queue_cv_.notify_one();
  };
}

Status TreeBuilder::Start(uint64_t journal_records, TreeStartReport* report) {
  TreeStartReport r;
  r.tile_coverage = tiles_->Coverage();
  r.journal_records = journal_records;
  if (journal_records < r.tile_coverage) {
    return Status::DataLoss(
        "the journal holds " + std::to_string(journal_records) +
        " records but the Merkle tiles cover " + std::to_string(r.tile_coverage) +
        ": records were removed from the journal after they were hashed (truncation?). "
        "Refusing to start; the tiles are left as they are as evidence. Run `kiroku verify`");
  }
  r.restore_base = tiles_->RestoreBase(journal_records);
  std::vector<integrity::Hash> tail;
  tail.reserve(journal_records - r.restore_base);
  KIROKU_RETURN_IF_ERROR(
      JournalLeafHashes(fs_, journal_dir_, r.restore_base, journal_records, &tail));
  r.leaves_recomputed = tail.size();
  {
    std::lock_guard lock(mu_);
    auto f = tiles_->RestoreFrontier(journal_records, tail);
    if (!f.ok()) return f.status();
    frontier_ = std::move(*f);
  }
  if (report) *report = r;
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void TreeBuilder::Run() {
  for (;;) {
    Group g;
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything is processed
      g = std::move(queue_.front());
      queue_.pop_front();
    }
    std::lock_guard lock(mu_);
    if (!error_.ok()) continue;  // keep draining; the tree no longer grows
    if (Status s = AppendGroup(g); !s.ok()) {
      error_ = s;
      spdlog::error(
          "merkle tree: {}; the tree stops growing at {} leaves and no further heads "
          "cover new records until the server is restarted",
          s.ToString(), frontier_.size());
    }
    grew_.notify_all();
  }
}

Status TreeBuilder::AppendGroup(const Group& g) {
  if (g.first != frontier_.size() + 1) {
    return Status::Corruption("committed group starts at seq " + std::to_string(g.first) +
                              " but the tree expects seq " + std::to_string(frontier_.size() + 1));
  }
  const integrity::Frontier::SubtreeCallback sink = tiles_->Sink();
  for (const std::string& buf : g.frames) {
    size_t pos = 0;
    while (pos < buf.size()) {
      if (buf.size() - pos < j::kFrameHeaderSize) {
        return Status::Corruption("committed frame buffer ends inside a frame header");
      }
      uint32_t len = 0;
      std::memcpy(&len, buf.data() + pos + j::kFrameLengthOffset, sizeof len);
      len = le32toh(len);
      if (buf.size() - pos - j::kFrameHeaderSize < len) {
        return Status::Corruption("committed frame longer than its buffer");
      }
      std::string_view payload(buf.data() + pos + j::kFrameHeaderSize, len);
      RecordView r;
      KIROKU_RETURN_IF_ERROR(store::DecodeRecord(payload, &r));
      if (r.seq.value != frontier_.size() + 1) {
        return Status::Corruption("committed record has seq " + std::to_string(r.seq.value) +
                                  ", expected " + std::to_string(frontier_.size() + 1));
      }
      frontier_.Append(integrity::LeafHashOf(r, &scratch_), sink);
      if (hook_) hook_(r);
      pos += j::kFrameHeaderSize + len;
    }
  }
  return tiles_->status();
}

TreeSnapshot TreeBuilder::Snapshot() const {
  std::lock_guard lock(mu_);
  return TreeSnapshot{frontier_.size(), frontier_.Root()};
}

uint64_t TreeBuilder::size() const {
  std::lock_guard lock(mu_);
  return frontier_.size();
}

StatusOr<TreeSnapshot> TreeBuilder::SyncedSnapshot() {
  std::lock_guard lock(mu_);
  KIROKU_RETURN_IF_ERROR(tiles_->Sync());
  return TreeSnapshot{frontier_.size(), frontier_.Root()};
}

bool TreeBuilder::WaitForSize(uint64_t n, int64_t timeout_ns) const {
  std::unique_lock lock(mu_);
  return grew_.wait_for(lock, std::chrono::nanoseconds(timeout_ns), [&] {
    return frontier_.size() >= n || !error_.ok();
  }) && frontier_.size() >= n;
}

Status TreeBuilder::status() const {
  std::lock_guard lock(mu_);
  return error_;
}

void TreeBuilder::Stop() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace kiroku::evidence
