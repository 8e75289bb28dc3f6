// kiroku_verify_gen: writes a large, valid data directory quickly, for bench/verify_speed.sh.
//
// Keys (a short horizon), journal segments of 64 MiB with N records of SIZE raw bytes each,
// the tiles, and a signed head every 100,000 records and at the end, all with the real
// libraries and the real clock; what `kiroku serve` would have written, minus the network.
//
//   kiroku_verify_gen DATA RECORDS SIZE
#include <cstdlib>
#include <iostream>
#include <string>

#include "common/clock.h"
#include "common/fs.h"
#include "integrity/frontier.h"
#include "integrity/leaf.h"
#include "integrity/signing/clock_sync.h"
#include "integrity/signing/head_signer.h"
#include "integrity/signing/head_store.h"
#include "integrity/signing/key_state.h"
#include "integrity/tile_store.h"
#include "store/journal_files.h"
#include "store/record_codec.h"
#include "store/segment_header.h"

namespace {
using namespace kiroku;
namespace sig = integrity::signing;

int Fail(const std::string& what, const Status& s) {
  std::cerr << "kiroku_verify_gen: " << what << ": " << s.ToString() << "\n";
  return 1;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: kiroku_verify_gen DATA RECORDS SIZE\n";
    return 2;
  }
  const std::string data = argv[1];
  const uint64_t n = std::strtoull(argv[2], nullptr, 10);
  const size_t size = std::strtoull(argv[3], nullptr, 10);
  PosixFs& fs = PosixFs::Default();
  const Clock& clock = RealClock::Instance();
  sig::KeyInitParams params;
  params.horizon_epochs = 48;
  auto keys = sig::KeyState::Init(fs, data + "/keys", params, clock);
  if (!keys.ok()) return Fail("keys", keys.status());
  if (Status s = fs.CreateDirs(data + "/journal"); !s.ok()) return Fail("journal", s);
  auto tiles = integrity::TileStore::Open(fs, data + "/merkle");
  if (!tiles.ok()) return Fail("tiles", tiles.status());
  auto heads = sig::HeadStore::Open(fs, data + "/heads");
  if (!heads.ok()) return Fail("heads", heads.status());
  sig::AdjtimexClockSync sync;
  sig::HeadSigner signer(**keys, clock, sync);
  integrity::Frontier frontier;
  auto sink = (*tiles)->Sink();

  std::string raw = "<13>1 2026-01-01T00:00:00Z bench app 1 - - ";
  while (raw.size() < size) raw += "lorem ipsum dolor sit amet ";
  raw.resize(size);
  std::unique_ptr<WritableFile> seg;
  std::string buf, frame, scratch;
  auto flush = [&]() -> Status {
    if (!seg || buf.empty()) return Status::Ok();
    Status s = seg->Append(buf);
    buf.clear();
    return s;
  };
  for (uint64_t seq = 1; seq <= n; ++seq) {
    if (!seg || seg->Size() + buf.size() >= (64u << 20)) {
      if (Status s = flush(); !s.ok()) return Fail("segment", s);
      if (seg) (void)seg->Close();
      auto f = fs.OpenAppendable(store::SegmentPath(data + "/journal", SeqNo{seq}));
      if (!f.ok()) return Fail("segment", f.status());
      seg = std::move(*f);
      buf = store::EncodeSegmentHeader({SeqNo{seq}, clock.NowNs()});
    }
    RecordView r;
    r.receive_time_ns = clock.NowNs();
    r.transport = Transport::kTcp;
    r.peer.family = 4;
    r.peer.addr = {10, 0, static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq)};
    r.peer.port = 514;
    raw[raw.size() - 1] = static_cast<char>('a' + seq % 26);
    r.raw = raw;
    r.original_length = static_cast<uint32_t>(raw.size());
    frame.clear();
    store::AppendFrame(r, &frame);
    store::SealFrames(frame.data(), frame.size(), SeqNo{seq});
    buf += frame;
    r.seq = SeqNo{seq};
    frontier.Append(integrity::LeafHashOf(r, &scratch), sink);
    if (buf.size() >= (4u << 20)) {
      if (Status s = flush(); !s.ok()) return Fail("segment", s);
    }
    if (seq % 100000 == 0 || seq == n) {
      if (Status s = flush(); !s.ok()) return Fail("segment", s);
      if (Status s = (*tiles)->Sync(); !s.ok()) return Fail("tiles", s);
      auto head = signer.Sign(seq, frontier.Root(), (*heads)->latest_hash());
      if (!head.ok()) return Fail("sign", head.status());
      if (Status s = (*heads)->Append(*head); !s.ok()) return Fail("heads", s);
    }
  }
  if (seg) (void)seg->Close();
  if (Status s = (*heads)->Sync(); !s.ok()) return Fail("heads", s);
  std::cout << "wrote " << n << " records of " << size << " bytes\n";
  return 0;
}
