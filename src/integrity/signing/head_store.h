// HeadStore: the server's append-only record of the signed tree heads it issued, in
// DATA/heads/, one file per epoch (internal/head_file.h, docs/formats/heads.md).
//
// Each file starts with the epoch's key and key proof, stored once; a head then costs 184
// bytes on disk (8 frame + 176 record). Open recovers the newest file after a crash: a torn
// or damaged tail is saved to a cut file (cut-<file>-<offset>.bin) and truncated away, as the
// journal does, so recovery never destroys bytes. Append refuses a head that does not chain
// onto the latest one. Not thread-safe: the head issuer owns it.
//
//   auto store = HeadStore::Open(fs, "data/heads");
//   StatusOr<TreeHead> head = signer.Sign(size, root, (*store)->latest_hash());
//   KIROKU_RETURN_IF_ERROR((*store)->Append(*head));
//   KIROKU_RETURN_IF_ERROR((*store)->Sync());
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/fs.h"
#include "common/status.h"
#include "integrity/hash.h"
#include "integrity/signing/internal/head_file.h"
#include "integrity/signing/tree_head.h"

namespace kiroku::integrity::signing {

class HeadStore {
 public:
  // Creates `dir` if missing. `recovery_notes`, when given, receives one line per cut.
  static StatusOr<std::unique_ptr<HeadStore>> Open(
      Fs& fs, const std::string& dir, std::vector<std::string>* recovery_notes = nullptr);
  ~HeadStore();
  HeadStore(const HeadStore&) = delete;
  HeadStore& operator=(const HeadStore&) = delete;

  // Writes `head` after the latest one, starting the epoch's file (synced, with its directory
  // entry) when the epoch changes. kInvalidArgument if it does not chain (previous_head_hash
  // != latest_hash()), goes back an epoch, or carries another key than earlier heads of its
  // epoch. A failed write is cut back; if even that fails, every later call returns the error.
  Status Append(const TreeHead& head);
  // fdatasync of the current file: appended heads survive a crash once this returns ok.
  Status Sync();

  const std::optional<TreeHead>& latest() const { return latest_; }
  // HeadHash(*latest()), or all zero when the store is empty (the first head's predecessor).
  const Hash& latest_hash() const { return latest_hash_; }

 private:
  HeadStore(Fs& fs, std::string dir) : fs_(fs), dir_(std::move(dir)) {}
  Status Recover(std::vector<std::string>* notes);
  Status StartFile(const TreeHead& head);
  Status SaveCut(const std::string& name, const std::string& bytes, size_t offset,
                 std::vector<std::string>* notes);

  Fs& fs_;
  const std::string dir_;
  std::unique_ptr<WritableFile> file_;  // the newest epoch's file, when there is one
  std::optional<internal::EpochRecord> file_epoch_;
  std::optional<TreeHead> latest_;
  Hash latest_hash_;
  Status failed_;
};

}  // namespace kiroku::integrity::signing
