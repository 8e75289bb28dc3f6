#include "verify/report_format.h"

#include <nlohmann/json.hpp>
#include <sstream>

namespace kiroku::verify {

namespace {

std::string Where(const Finding& f) {
  std::string out;
  if (f.seqs) out += " seq " + f.seqs->ToString();
  if (f.epoch) {
    out += " epoch " + std::to_string(*f.epoch);
    if (f.later_epoch) out += "->" + std::to_string(*f.later_epoch);
  }
  if (!f.file.empty()) out += " file " + f.file;
  return out;
}

}  // namespace

std::string Summary(const Report& report) {
  if (!report.error().empty()) return "error: " + report.error();
  const VerifyStats& s = report.stats();
  if (!report.Tampered()) {
    return "intact: " + std::to_string(s.records) + " records, " +
           std::to_string(s.heads_verified) + " signed heads, signed up to seq " +
           std::to_string(s.signed_size);
  }
  std::string out = "tampered:";
  int n = 0;
  for (const Finding& f : report.findings()) {
    if (SeverityOf(f.kind) != Severity::kTampered) continue;
    if (n++ == 8) {
      out += " ...";
      break;
    }
    out += (n > 1 ? "; " : " ") + std::string(KindName(f.kind));
    if (f.seqs) out += " " + f.seqs->ToString();
  }
  return out;
}

void WriteHumanReport(const Report& report, std::ostream& out) {
  const VerifyStats& s = report.stats();
  if (report.error().empty()) {
    out << "anchor " << s.anchor_fingerprint << "\n";
    out << "journal: " << s.records << " records in " << s.segments << " segments ("
        << s.journal_bytes << " bytes";
    if (s.sealed_segments > 0) out << "; " << s.sealed_segments << " of the segments sealed";
    out << "), in order up to seq " << s.journal_size << "\n";
    out << "heads: " << s.heads << " read, " << s.heads_verified << " verified; signed up to seq "
        << s.signed_size << "\n";
    if (s.witness_heads > 0) out << "witness: " << s.witness_heads << " heads verified\n";
  }
  int tampered = 0, warnings = 0;
  for (const Finding& f : report.findings()) {
    Severity sev = SeverityOf(f.kind);
    if (sev == Severity::kTampered) ++tampered;
    if (sev == Severity::kWarning) ++warnings;
    const char* tag = sev == Severity::kTampered  ? "TAMPERED"
                      : sev == Severity::kWarning ? "WARNING"
                                                  : "info";
    out << tag << ": " << KindName(f.kind) << ":" << Where(f) << ": " << f.detail << "\n";
  }
  if (!report.error().empty()) {
    out << "VERDICT: COULD NOT CHECK: " << report.error() << "\n";
  } else if (tampered > 0) {
    out << "VERDICT: TAMPERED (" << tampered << (tampered == 1 ? " problem" : " problems") << ")\n";
  } else {
    out << "VERDICT: INTACT"
        << (warnings > 0
                ? " (with " + std::to_string(warnings) + " warning" + (warnings == 1 ? ")" : "s)")
                : std::string())
        << "\n";
  }
}

void WriteJsonReport(const Report& report, std::ostream& out) {
  const VerifyStats& s = report.stats();
  nlohmann::ordered_json j;
  j["type"] = "kiroku-verify-report";
  j["result"] = std::string(report.Result());
  j["exit_code"] = report.ExitCode();
  if (!report.error().empty()) j["error"] = report.error();
  j["anchor_fingerprint"] = s.anchor_fingerprint;
  j["stats"] = {{"records", s.records},
                {"journal_bytes", s.journal_bytes},
                {"raw_bytes", s.raw_bytes},
                {"segments", s.segments},
                {"sealed_segments", s.sealed_segments},
                {"journal_size", s.journal_size},
                {"heads", s.heads},
                {"heads_verified", s.heads_verified},
                {"signed_size", s.signed_size},
                {"witness_heads", s.witness_heads},
                {"tile_groups_checked", s.tile_groups_checked},
                {"seconds", s.seconds}};
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const Finding& f : report.findings()) {
    nlohmann::ordered_json o;
    o["kind"] = std::string(KindName(f.kind));
    o["severity"] = std::string(SeverityName(SeverityOf(f.kind)));
    if (f.seqs) {
      o["first_seq"] = f.seqs->first;
      o["last_seq"] = f.seqs->last;
    }
    if (!f.file.empty()) o["file"] = f.file;
    if (f.epoch) o["epoch"] = *f.epoch;
    if (f.later_epoch) o["later_epoch"] = *f.later_epoch;
    o["detail"] = f.detail;
    findings.push_back(std::move(o));
  }
  j["findings"] = std::move(findings);
  out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace kiroku::verify
