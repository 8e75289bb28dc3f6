// The query planner's index step: which blocks of a sealed segment can hold a match for a
// query (a superset; the engine then decodes those blocks and runs query::Matches on every
// record, so the index never decides a match on its own).
//
//   time bounds -> segments (meta) -> index terms (this file) -> blocks -> exact match
//
// AND intersects, OR unites, NOT and anything the index cannot answer give every block; time
// ranges on @timestamp / event.created prune blocks by their bounds.
//
//   StatusOr<segment::BlockSet> blocks = CandidateBlocks(query, *segment);
#pragma once

#include "common/status.h"
#include "query/ast.h"
#include "segment/block_set.h"
#include "segment/sealed_segment.h"

namespace kiroku::index {

StatusOr<segment::BlockSet> CandidateBlocks(const query::Node& query,
                                            const segment::SealedSegment& segment);

// Whether the segment (from its metadata alone) can hold a match: false when a top-level time
// range misses its bounds.
bool SegmentMayMatch(const query::Node& query, const segment::SegmentMeta& meta);

}  // namespace kiroku::index
