#include "integrity/signing/head_signer.h"

#include <algorithm>

namespace kiroku::integrity::signing {

StatusOr<TreeHead> HeadSigner::Sign(uint64_t tree_size, const Hash& root_hash,
                                    const Hash& previous_head_hash) {
  const EpochSchedule& schedule = keys_.schedule();
  // A clock stepped back must not ask for an erased key: hold at the latest time used, and
  // never earlier than the window of the epoch the keys are at.
  int64_t now = std::max({clock_.NowNs(), last_timestamp_ns_, schedule.StartNs(keys_.epoch())});
  std::optional<Epoch> epoch = schedule.EpochAt(now);
  if (!epoch) return Status::InvalidArgument("the clock is before the key schedule's start");
  KIROKU_RETURN_IF_ERROR(keys_.AdvanceTo(*epoch));
  auto proof = keys_.KeyProof();
  if (!proof.ok()) return proof.status();

  TreeHead head;
  head.tree_size = tree_size;
  head.root_hash = root_hash;
  head.timestamp_ns = now;
  head.epoch = *epoch;
  head.previous_head_hash = previous_head_hash;
  head.clock = sync_.Read();
  head.epoch_key = keys_.public_key();
  head.epoch_key_proof = std::move(*proof);
  head.signature = keys_.Sign(HeadSigningInput(head));
  last_timestamp_ns_ = now;
  return head;
}

}  // namespace kiroku::integrity::signing
