// Correlated fields kept with a sealed record. Normalising a record is deterministic in its raw
// bytes (and the normaliser settings), so the engine re-normalises records it reads instead of
// storing their fields. What correlation added from *other* records (the sender of a mail on
// its delivery line, the bind DN on an LDAP operation) cannot be recomputed from one record, so
// the sealer stores exactly those values as the record's `extra` in its block.
//
//   std::string extra = EncodeEnrichment(plain, correlated);   // sealer
//   Status s = ApplyEnrichment(extra, &event);                  // engine, after normalising
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "normalize/event.h"

namespace kiroku::index {

// The values `correlated` has that `plain` lacks; "" when none.
std::string EncodeEnrichment(const normalize::Event& plain, const normalize::Event& correlated);
// Adds the encoded values to `event`. Corruption when `extra` is malformed.
Status ApplyEnrichment(std::string_view extra, normalize::Event* event);

}  // namespace kiroku::index
