// kiroku_verify_forge: the attack `kiroku verify` must catch, for tests/test_tamper.py only.
//
// It plays the thief who took the server: with the data directory's own secret key (ratcheted
// EPOCHS_AHEAD epochs past the current one, as a thief who keeps the server for a while
// would hold it), it rewrites every record from FROM_SEQ on, rebuilds the journal and the
// tiles so that they are self-consistent, drops the heads that covered the old records and
// signs one new head over everything with the later epoch's key and a timestamp in that
// epoch. Nothing is wrong with the result except that records were first signed epochs
// after they arrived.
//
//   kiroku_verify_forge DATA FROM_SEQ EPOCHS_AHEAD
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/fs.h"
#include "integrity/frontier.h"
#include "integrity/leaf.h"
#include "integrity/signing/clock_sync.h"
#include "integrity/signing/head_reader.h"
#include "integrity/signing/head_signer.h"
#include "integrity/signing/head_store.h"
#include "integrity/signing/key_state.h"
#include "integrity/tile_store.h"
#include "store/journal_files.h"
#include "store/journal_reader.h"
#include "store/record_codec.h"
#include "store/segment_header.h"

namespace {

using namespace kiroku;
namespace sig = integrity::signing;

int Fail(const std::string& what, const Status& s) {
  std::cerr << "kiroku_verify_forge: " << what << ": " << s.ToString() << "\n";
  return 1;
}

void RemoveAll(Fs& fs, const std::string& dir) {
  auto names = fs.ListDir(dir);
  if (!names.ok()) return;
  for (const std::string& n : *names) (void)fs.Remove(JoinPath(dir, n));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: kiroku_verify_forge DATA FROM_SEQ EPOCHS_AHEAD\n";
    return 2;
  }
  const std::string data = argv[1];
  const uint64_t from = std::strtoull(argv[2], nullptr, 10);
  const uint64_t ahead = std::strtoull(argv[3], nullptr, 10);
  PosixFs& fs = PosixFs::Default();

  std::vector<sig::TreeHead> heads;
  Status s = sig::ForEachHead(fs, data + "/heads", [&](const sig::TreeHead& h) {
    heads.push_back(h);
    return Status::Ok();
  });
  if (!s.ok()) return Fail("heads", s);

  // The journal, rewritten from `from` on.
  std::string frames;
  std::vector<integrity::Hash> leaves;
  std::string scratch;
  store::ScanStats stats;
  s = store::ScanJournal(
      fs, data + "/journal", {},
      [&](const RecordView& r) {
        RecordView v = r;
        std::string raw;
        if (r.seq.value >= from) {
          raw = "<13>1 - forged app - - - rewritten by the thief " + std::to_string(r.seq.value);
          v.raw = raw;
          v.original_length = static_cast<uint32_t>(raw.size());
          v.flags = 0;
          v.header = {};
        }
        std::string frame;
        store::AppendFrame(v, &frame);
        store::SealFrames(frame.data(), frame.size(), r.seq);
        frames += frame;
        leaves.push_back(integrity::LeafHashOf(v, &scratch));
        return true;
      },
      &stats);
  if (!s.ok()) return Fail("journal", s);
  RemoveAll(fs, data + "/journal");
  {
    auto f = fs.OpenAppendable(store::SegmentPath(data + "/journal", SeqNo{1}));
    if (!f.ok()) return Fail("segment", f.status());
    s = (*f)->Append(store::EncodeSegmentHeader({SeqNo{1}, RealClock::Instance().NowNs()}) +
                     frames);
    if (s.ok()) s = (*f)->Sync();
    if (!s.ok()) return Fail("segment", s);
  }

  // Tiles and root, self-consistent with the new journal.
  RemoveAll(fs, data + "/merkle");
  auto tiles = integrity::TileStore::Open(fs, data + "/merkle");
  if (!tiles.ok()) return Fail("tiles", tiles.status());
  integrity::Frontier frontier;
  for (const integrity::Hash& h : leaves) frontier.Append(h, (*tiles)->Sink());
  if (Status t = (*tiles)->Sync(); !t.ok()) return Fail("tiles", t);

  // Heads: the ones before the rewrite stay, one new head with the later key.
  RemoveAll(fs, data + "/heads");
  auto store = sig::HeadStore::Open(fs, data + "/heads");
  if (!store.ok()) return Fail("heads", store.status());
  for (const sig::TreeHead& h : heads) {
    if (h.tree_size >= from) break;
    if (Status a = (*store)->Append(h); !a.ok()) return Fail("heads", a);
  }
  auto keys = sig::KeyState::Open(fs, data + "/keys");
  if (!keys.ok()) return Fail("keys", keys.status());
  const sig::Epoch later{(*keys)->epoch().value + ahead};
  FakeClock clock((*keys)->schedule().StartNs(later) + 1'000'000'000);
  sig::FakeClockSync sync(sig::ClockSyncState{true, 0, 0, 0});
  sig::HeadSigner signer(**keys, clock, sync);
  auto head = signer.Sign(frontier.size(), frontier.Root(), (*store)->latest_hash());
  if (!head.ok()) return Fail("sign", head.status());
  if (Status a = (*store)->Append(*head); !a.ok()) return Fail("heads", a);
  if (Status a = (*store)->Sync(); !a.ok()) return Fail("heads", a);
  std::cout << "rewrote records " << from << ".." << frontier.size() << ", signed in epoch "
            << later.value << "\n";
  return 0;
}
