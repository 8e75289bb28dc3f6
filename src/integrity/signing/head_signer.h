// HeadSigner: makes signed tree heads with the forward-secure key of the current epoch.
//
// It reads the clock, works out the epoch, ratchets the key state to it (so the previous
// epoch's key is erased before anything is signed in the new one), reads the clock's sync
// state, and signs. Time never goes backwards in the heads it issues: a clock stepped back
// gets the previous head's timestamp, within the same epoch, rather than a signature for an
// epoch whose key is gone. Not thread-safe; the head issuer thread owns it.
//
//   HeadSigner signer(keys, clock, sync);
//   StatusOr<TreeHead> head = signer.Sign(tree_size, root, store.latest_hash());
#pragma once

#include <cstdint>
#include <optional>

#include "common/clock.h"
#include "common/status.h"
#include "integrity/hash.h"
#include "integrity/signing/clock_sync.h"
#include "integrity/signing/key_state.h"
#include "integrity/signing/tree_head.h"

namespace kiroku::integrity::signing {

class HeadSigner {
 public:
  HeadSigner(KeyState& keys, const Clock& clock, const ClockSyncSource& sync)
      : keys_(keys), clock_(clock), sync_(sync) {}
  HeadSigner(const HeadSigner&) = delete;
  HeadSigner& operator=(const HeadSigner&) = delete;

  // Errors: the clock is before the schedule's start or past the key horizon
  // (kInvalidArgument), or the key state could not be ratcheted (kIoError).
  StatusOr<TreeHead> Sign(uint64_t tree_size, const Hash& root_hash,
                          const Hash& previous_head_hash);

 private:
  KeyState& keys_;
  const Clock& clock_;
  const ClockSyncSource& sync_;
  int64_t last_timestamp_ns_ = INT64_MIN;
};

}  // namespace kiroku::integrity::signing
