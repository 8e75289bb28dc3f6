// RecordBatch (declared in committer.h): frames encoded on the producer's thread, so the
// writer thread only stamps sequence numbers and CRCs.
#include "store/committer.h"
#include "store/record_codec.h"

namespace kiroku::store {

void RecordBatch::Add(const RecordView& r) {
  AppendFrame(r, &buf_);
  ++count_;
}

}  // namespace kiroku::store
