// AuditLog: the server's own actions as records in the log it keeps, so they are sealed into
// the same Merkle tree as everything received and cannot be dropped without a trace.
//
// Each event becomes one RFC 5424 message from host `kiroku`, app `kiroku`, transport
// internal, facility 13 (log audit), with a MSGID per action and the details as structured
// data in the SD-ID kiroku@32473:
//
//   <109>1 2026-01-02T03:04:05.123456Z kiroku kiroku 4242 start [kiroku@32473 version="0.1.0"
//   config_digest="5f0f..." anchor="kiroku-anchor:1f0c-..." journal_records="1200"] kiroku started
//
// It is submitted through the committer like any received record. Write() queues and returns
// (for the head issuer and witness threads); WriteNow() returns once the record is durable
// (start and stop). The audit thread also polls DATA/audit-inbox/ every second for reports that
// `kiroku verify` drops there (docs/operations.md, "Self-audit"), turns each into a `verify`
// record and deletes the file. MSGIDs are the constants below; users' searches depend on them.
//
//   AuditLog audit(fs, clock, committer, data + "/audit-inbox");
//   audit.Start();
//   audit.Write({.msgid = kAuditEpochChange, .params = {{"from", "4"}, {"to", "5"}}});
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/fs.h"
#include "common/status.h"
#include "store/committer.h"
#include "syslog/zone_rules.h"

namespace kiroku::evidence {

inline constexpr char kAuditStart[] = "start";
inline constexpr char kAuditStop[] = "stop";
inline constexpr char kAuditConfigChange[] = "config-change";
inline constexpr char kAuditEpochChange[] = "epoch-change";
inline constexpr char kAuditWitnessFailure[] = "witness-failure";
inline constexpr char kAuditWitnessRecovery[] = "witness-recovery";
inline constexpr char kAuditVerify[] = "verify";

inline constexpr char kAuditHost[] = "kiroku";
inline constexpr char kAuditSdId[] = "kiroku@32473";
inline constexpr int kAuditFacility = 13;  // log audit
inline constexpr int kSeverityError = 3;
inline constexpr int kSeverityWarning = 4;
inline constexpr int kSeverityNotice = 5;

struct AuditEvent {
  std::string msgid;
  int severity = kSeverityNotice;
  std::vector<std::pair<std::string, std::string>> params;  // SD-PARAMs, in this order
  std::string message;
};

// Where components that do not own the audit log send their events (AuditLog::Write).
using AuditSink = std::function<void(AuditEvent)>;

// The RFC 5424 text of an event at time_ns from process `pid`.
std::string FormatAuditRecord(const AuditEvent& event, int64_t time_ns, int pid);

// The `verify` event for one audit-inbox report (JSON: time, result, exit_code, detail, and
// optionally command); kInvalidArgument saying what is wrong otherwise.
StatusOr<AuditEvent> VerifyReportEvent(std::string_view json);

class AuditLog {
 public:
  // inbox_dir is created by Start.
  AuditLog(Fs& fs, const Clock& clock, store::Committer& committer, std::string inbox_dir);
  ~AuditLog();  // Stop()s
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Starts the thread that writes queued events and polls the inbox.
  Status Start();
  // Queues an event; thread-safe, never blocks on the journal.
  void Write(AuditEvent event);
  // Writes an event (and anything queued before it) and returns once it is durable.
  Status WriteNow(AuditEvent event);
  // Turns every report in the inbox into a record and deletes it; returns how many. The thread
  // does this every second; public for tests.
  StatusOr<int> PollInbox();
  // Writes what is queued and stops the thread. Idempotent.
  void Stop();

 private:
  Status Submit(const std::vector<AuditEvent>& events);
  void Run();

  Fs& fs_;
  const Clock& clock_;
  store::Committer& committer_;
  const std::string inbox_dir_;
  syslog::ZoneRules zones_;
  const int pid_;

  std::mutex submit_mu_;  // one submitter at a time keeps events in order
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<AuditEvent> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace kiroku::evidence
