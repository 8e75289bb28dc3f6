// The query planner's index step: which blocks of a sealed segment can hold a match for a
// query (a superset; the engine then decodes those blocks and runs query::Matches on every
// record, so the index never decides a match on its own).
//
//   time bounds -> segments (meta) -> index terms (this file) -> blocks -> exact match
//
// AND intersects, OR unites, NOT and anything the index cannot answer give every block; time
// ranges on @timestamp / event.created prune blocks by their bounds, kiroku.seq ranges by the
// block table. docs/decisions/index.md lists what falls back to reading every block.
//
//   if (!SegmentMayMatch(query, segment->meta())) continue;
//   StatusOr<segment::BlockSet> blocks = CandidateBlocks(query, *segment);
#pragma once

#include <string_view>

#include "common/status.h"
#include "query/ast.h"
#include "segment/block_set.h"
#include "segment/sealed_segment.h"

namespace kiroku::index {

struct PlanOptions {
  // IndexInfo() of the normaliser settings the engine normalises with. When set and the
  // segment was indexed under other settings (another hash), terms on normalised fields are
  // not trusted (the fields the engine computes may differ from the indexed ones) and give
  // every block. Empty: trust them.
  std::string_view current_index_info;
};

StatusOr<segment::BlockSet> CandidateBlocks(const query::Node& query,
                                            const segment::SealedSegment& segment,
                                            const PlanOptions& options);
StatusOr<segment::BlockSet> CandidateBlocks(const query::Node& query,
                                            const segment::SealedSegment& segment);

// Whether the segment (from its metadata alone) can hold a match: false when the query's time
// (@timestamp, event.created) or kiroku.seq constraints miss the segment's bounds.
bool SegmentMayMatch(const query::Node& query, const segment::SegmentMeta& meta);

}  // namespace kiroku::index
