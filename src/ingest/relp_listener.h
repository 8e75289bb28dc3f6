// RelpListener: RELP (the protocol of rsyslog's omrelp) through librelp.
//
// librelp runs its own event loop on a thread of its own and calls us once per message; it sends
// "200 OK" as soon as that call returns and ignores what it returns. So the call returns only
// once the record is durable in the journal: an acknowledged message is never lost. The price is
// that librelp handles one message at a time across all RELP sessions, so RELP throughput is one
// journal commit per message (docs/decisions/relp.md has the numbers and the way out).
//
//   RelpListener relp(ctx, {.address = "127.0.0.1:2514"});
//   Status s = relp.Start();   // runs until Stop()
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "ingest/ingest_context.h"

namespace kiroku::ingest {

struct RelpListenerOptions {
  std::string address;
};

class RelpListener {
 public:
  RelpListener(IngestContext& ctx, RelpListenerOptions options);
  ~RelpListener();
  RelpListener(const RelpListener&) = delete;
  RelpListener& operator=(const RelpListener&) = delete;

  Status Start();
  std::string bound() const;
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kiroku::ingest
