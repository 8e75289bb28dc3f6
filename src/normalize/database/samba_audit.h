// Samba's full_audit VFS module, through syslog (ident "smbd_audit"; "smbd" on some builds):
//
//   smbd_audit: alice|10.0.0.5|pc01|share|openat|ok|r|docs/report.docx   (prefix %u|%I|%m|%S)
//   smbd_audit: alice|10.0.0.5|unlinkat|fail (Permission denied)|docs/old.txt   (%u|%I)
//
// PREFIX|OPERATION|RESULT|ARGS...: the result is "ok" or "fail (reason)". file.path is the last
// argument as logged (the new name for a rename); connect/disconnect name the share.
//
//   Event e;
//   NormalizeSambaAudit(in, config, &e);
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeSambaAudit(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
