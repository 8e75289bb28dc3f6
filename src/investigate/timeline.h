// `kiroku timeline QUERY`: the matching events of every device in one time-ordered view, and
// the one-line summary of an event that the investigation reports reuse.
//
//   time                     host   type      action     summary
//   2026-11-26T14:37:42.000Z proxy1 proxy     tcp_miss   alice 10.0.0.5 GET http://c2.example/x 200
//
//   std::vector<EventRow> rows;  // from Context::Find
//   WriteTimelineTable(rows, std::cout);
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "investigate/context.h"

namespace kiroku::investigate {

// One line saying what happened, from the normalised fields (who, from where to where, what
// URL, which mail, which malware, which directory entry, the outcome); the message itself,
// cut to 160 bytes, when the record has no such fields.
std::string Summarize(const EventRow& row);

// The event as JSON: time, seq, host, observer.type, event.action, summary, and every
// normalised field under "fields" (lists as arrays). With the row's times (--time), after
// "time": kiroku.time.mode, kiroku.time.device, kiroku.time.corrected and
// kiroku.time.uncertainty_ms (where the source has an estimate), event.created, and
// kiroku.receive_unsynced when true.
nlohmann::ordered_json RowJson(const EventRow& row);

// Columns time, host, type, action, summary; a header line first. Nothing for no rows.
void WriteTimelineTable(const std::vector<EventRow>& rows, std::ostream& out,
                        const std::string& indent = "");
// One RowJson object per line.
void WriteTimelineJson(const std::vector<EventRow>& rows, std::ostream& out);

// dump() that never throws: bytes that are not UTF-8 become U+FFFD (the raw record, which is
// the evidence, is untouched; this is only a view of it).
std::string JsonText(const nlohmann::ordered_json& j, int indent = -1);

}  // namespace kiroku::investigate
