#include "integrity/signing/clock_sync.h"

#include <sys/timex.h>

namespace kiroku::integrity::signing {

ClockSyncState AdjtimexClockSync::Read() const {
  struct timex tx {};
  tx.modes = 0;  // read only: never adjusts the clock
  const int rc = ::ntp_adjtime(&tx);
  ClockSyncState s;
  if (rc < 0) {
    s.est_error_us = -1;
    s.max_error_us = -1;
    return s;
  }
  s.status = tx.status;
  s.est_error_us = tx.esterror;
  s.max_error_us = tx.maxerror;
  s.synced = rc != TIME_ERROR && (tx.status & STA_UNSYNC) == 0;
  return s;
}

}  // namespace kiroku::integrity::signing
