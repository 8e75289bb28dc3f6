// Reads the rendered description of a Windows event as Snare forwards it: the event's message
// with its line breaks and tabs turned into runs of spaces, e.g.
//   "A user account was created.   Subject:   Security ID:  S-1-5-21-...   Account Name:  admin"
// A label ending in ':' directly followed by another label is a section ("Subject:",
// "New Account:", "Member:", ...); the same label means different things in different
// sections, so each (section, label) pair is translated to the EventData name NXLog would
// carry ("Subject" + "Account Name" → "SubjectUserName").
//
//   WinEvent w;
//   ParseSnareDescription(description, &w);
//   w.Get("TargetUserName");   // "bob"
#pragma once

#include <string_view>

#include "normalize/windows/internal/win_event.h"

namespace kiroku::normalize::internal {

void ParseSnareDescription(std::string_view text, WinEvent* w);

}  // namespace kiroku::normalize::internal
