// ClamAV scanner lines: clamd (syslog tag "clamd", or its LogFile with LogTime stamps) and
// clamscan / clamdscan output and --log files. A detection "/path: Name FOUND" (with the
// optional "(md5:size)" of ExtendedDetectionInfo) gives threat.software.name, file.path and
// file.name; the lines of clamscan's "SCAN SUMMARY" block are each a scan-summary record.
// Bare lines (no syslog header) are only taken when their shape is ClamAV's own.
//
//   NormalizeClamav(in, config, &event);
//   // "/home/alice/invoice.pdf.exe: Win.Trojan.Agent-123456 FOUND" → malware-detected
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeClamav(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
