// Leaf hashes recomputed from the log's records: the LeafSource that TreeReader needs for the few
// leaves a proof touches, and the tail the tree builder replays at start-up.
//
// Leaf i is the record with sequence number i + 1. The records are read through
// segment::LogSource: from the sealed segments in the journal directory's sibling `segments`
// (DATA/segments for DATA/journal), and from the journal for what is not sealed yet. A call
// costs the records asked for plus at most one journal segment's prefix or one sealed block,
// never the whole log. A record missing from the range (a
// damaged frame the scan skipped) is kDataLoss naming its sequence number: the tree cannot be
// computed over a hole.
//
//   integrity::TreeReader reader(store, JournalLeafSource(fs, data + "/journal"));
//   std::vector<Hash> tail;
//   Status s = JournalLeafHashes(fs, journal_dir, 4096, 4200, &tail);   // leaves [4096, 4200)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/fs.h"
#include "common/status.h"
#include "integrity/hash.h"
#include "integrity/tree_reader.h"

namespace kiroku::evidence {

// Appends to *out the leaf hashes of leaves [begin, end).
Status JournalLeafHashes(Fs& fs, const std::string& journal_dir, uint64_t begin, uint64_t end,
                         std::vector<integrity::Hash>* out);

// A LeafSource over JournalLeafHashes. Keeps a reference to fs.
integrity::LeafSource JournalLeafSource(Fs& fs, std::string journal_dir);

}  // namespace kiroku::evidence
