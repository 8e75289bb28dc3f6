#include "integrity/signing/head_store.h"

#include "integrity/signing/head_reader.h"

namespace kiroku::integrity::signing {

HeadStore::~HeadStore() = default;

StatusOr<std::unique_ptr<HeadStore>> HeadStore::Open(Fs& fs, const std::string& dir,
                                                     std::vector<std::string>* recovery_notes) {
  KIROKU_RETURN_IF_ERROR(fs.CreateDirs(dir));
  std::unique_ptr<HeadStore> store(new HeadStore(fs, dir));
  KIROKU_RETURN_IF_ERROR(store->Recover(recovery_notes));
  return store;
}

Status HeadStore::SaveCut(const std::string& name, const std::string& bytes, size_t offset,
                          std::vector<std::string>* notes) {
  std::string cut = "cut-" + name + "-" + std::to_string(offset) + ".bin";
  for (int n = 1; fs_.FileSize(JoinPath(dir_, cut)).ok(); ++n) {
    cut = "cut-" + name + "-" + std::to_string(offset) + ".bin." + std::to_string(n);
  }
  KIROKU_RETURN_IF_ERROR(fs_.WriteFileAtomic(JoinPath(dir_, cut), bytes.substr(offset)));
  if (notes != nullptr) {
    notes->push_back(name + ": cut " + std::to_string(bytes.size() - offset) + " bytes at offset " +
                     std::to_string(offset) + " to " + cut);
  }
  return Status::Ok();
}

// Only the newest file can have a torn tail: a file is complete once the next one exists.
Status HeadStore::Recover(std::vector<std::string>* notes) {
  auto epochs = ListHeadFiles(fs_, dir_);
  if (!epochs.ok()) return epochs.status();
  while (!epochs->empty()) {
    const Epoch newest = epochs->back();
    const std::string name = internal::HeadFileName(newest);
    const std::string path = JoinPath(dir_, name);
    auto bytes = fs_.ReadFile(path);
    if (!bytes.ok()) return bytes.status();
    ParsedHeadFile parsed = ParseHeadFile(*bytes, newest);
    if (!parsed.epoch) {
      // Not even its epoch record survived: the file was being created. Keep its bytes aside.
      if (!bytes->empty()) KIROKU_RETURN_IF_ERROR(SaveCut(name, *bytes, 0, notes));
      KIROKU_RETURN_IF_ERROR(fs_.Remove(path));
      KIROKU_RETURN_IF_ERROR(fs_.SyncDir(dir_));
      epochs->pop_back();
      continue;
    }
    auto file = fs_.OpenAppendable(path);
    if (!file.ok()) return file.status();
    if (parsed.valid_end < bytes->size()) {
      KIROKU_RETURN_IF_ERROR(SaveCut(name, *bytes, parsed.valid_end, notes));
      KIROKU_RETURN_IF_ERROR((*file)->Truncate(parsed.valid_end));
      KIROKU_RETURN_IF_ERROR((*file)->Sync());
    }
    file_ = std::move(*file);
    file_epoch_ = parsed.epoch;
    if (!parsed.heads.empty()) latest_ = parsed.heads.back();
    break;
  }
  // The latest head may be in an earlier file when the newest holds only its epoch record.
  for (size_t i = epochs->size(); !latest_ && i-- > 1;) {
    const Epoch e = (*epochs)[i - 1];
    auto bytes = fs_.ReadFile(JoinPath(dir_, internal::HeadFileName(e)));
    if (!bytes.ok()) return bytes.status();
    ParsedHeadFile parsed = ParseHeadFile(*bytes, e);
    if (!parsed.heads.empty()) latest_ = parsed.heads.back();
  }
  if (latest_) latest_hash_ = HeadHash(*latest_);
  return Status::Ok();
}

Status HeadStore::StartFile(const TreeHead& head) {
  if (file_) {
    KIROKU_RETURN_IF_ERROR(file_->Sync());
    KIROKU_RETURN_IF_ERROR(file_->Close());
    file_.reset();
  }
  internal::EpochRecord record{head.epoch, head.epoch_key, head.epoch_key_proof};
  const std::string path = JoinPath(dir_, internal::HeadFileName(head.epoch));
  auto file = fs_.OpenAppendable(path);
  if (!file.ok()) return file.status();
  // A leftover (recovery removed it, or it is empty) is started afresh.
  KIROKU_RETURN_IF_ERROR((*file)->Truncate(0));
  std::string bytes(internal::kHeadFileMagic, internal::kHeadFileMagicSize);
  bytes += internal::EncodeFrame(internal::EncodeEpochRecord(record));
  KIROKU_RETURN_IF_ERROR((*file)->Append(bytes));
  KIROKU_RETURN_IF_ERROR((*file)->Sync());
  KIROKU_RETURN_IF_ERROR(fs_.SyncDir(dir_));
  file_ = std::move(*file);
  file_epoch_ = record;
  return Status::Ok();
}

Status HeadStore::Append(const TreeHead& head) {
  if (!failed_.ok()) return failed_;
  if (head.previous_head_hash != latest_hash_) {
    return Status::InvalidArgument("head does not chain onto the latest stored head " +
                                   latest_hash_.Hex());
  }
  if (head.epoch_key_proof.size() > 255) {
    return Status::InvalidArgument("head key proof is too long");
  }
  if (file_epoch_ && head.epoch < file_epoch_->epoch) {
    return Status::InvalidArgument("head of epoch " + std::to_string(head.epoch.value) +
                                   " after heads of epoch " +
                                   std::to_string(file_epoch_->epoch.value));
  }
  if (!file_epoch_ || head.epoch != file_epoch_->epoch) {
    KIROKU_RETURN_IF_ERROR(StartFile(head));
  } else if (head.epoch_key != file_epoch_->epoch_key ||
             head.epoch_key_proof != file_epoch_->epoch_key_proof) {
    return Status::InvalidArgument("head carries another key or key proof than its epoch's file");
  }
  const uint64_t before = file_->Size();
  Status s = file_->Append(internal::EncodeFrame(internal::EncodeHeadRecord(head)));
  if (!s.ok()) {
    Status cut = file_->Truncate(before);
    if (!cut.ok())
      failed_ = Status::IoError("head store unusable after a failed write: " + cut.ToString() +
                                " (after " + s.ToString() + ")");
    return s;
  }
  latest_ = head;
  latest_hash_ = HeadHash(head);
  return Status::Ok();
}

Status HeadStore::Sync() {
  if (!failed_.ok()) return failed_;
  if (!file_) return Status::Ok();
  return file_->Sync();
}

}  // namespace kiroku::integrity::signing
