// The contract between the dispatcher (normalize/all) and the device families (one folder per
// family under normalize/). A family function looks at one record and, when the record is in one
// of its formats, fills the Event and returns true; otherwise it leaves the Event untouched and
// returns false. Functions are pure: the same record and config always give the same fields,
// so a newer kiroku can re-derive the fields of old records.
//
// Rules every family follows:
// - Recognise cheaply first (app name, a fixed prefix, a marker) and bail out early: the
//   dispatcher tries families in turn at hundreds of thousands of records per second.
// - A line that looks like a format but is not one yields no fields (return false) or only the
//   fields that were read for certain; never a guessed value in a typed field.
// - Always set observer.type, observer.vendor/product where known, event.category,
//   event.action, kiroku.normalizer (the format's short name, e.g. "netfilter").
//
//   bool NormalizeNetfilter(const Input& in, const Config& config, Event* out);
#pragma once

#include <memory>
#include <string_view>

#include "common/record.h"
#include "normalize/config.h"
#include "normalize/event.h"

namespace kiroku::normalize {

// The parts of a record the families look at, cut once by the dispatcher.
struct Input {
  const RecordView& record;
  std::string_view host;     // host.name (syslog HOSTNAME), may be empty
  std::string_view app;      // process.name (APP-NAME or TAG), may be empty
  std::string_view message;  // the message after the syslog header (the whole line if none)

  static Input From(const RecordView& r) {
    return Input{r, r.Field(r.header.host), r.Field(r.header.app), r.Field(r.header.msg)};
  }
};

using NormalizeFn = bool (*)(const Input& in, const Config& config, Event* out);

// Formats whose lines only make sense together (Postfix lines of one queue id, slapd lines of
// one connection, W3C lines after their #Fields header) get a Correlator. Records are fed in
// sequence order: first every record to Observe (pass 1), then each record to Enrich (pass 2),
// which adds what the other lines of its transaction said (the sender and Message-ID to a
// delivery line, the bind DN to a MOD line, the result to the operation).
class Correlator {
 public:
  virtual ~Correlator() = default;
  // `e` is the record's own normalised fields.
  virtual void Observe(const RecordView& r, const Event& e) = 0;
  virtual void Enrich(const RecordView& r, Event* e) const = 0;
};

}  // namespace kiroku::normalize
