// Linux netfilter LOG / NFLOG-to-syslog lines (iptables, nftables `log prefix`, ufw): the kernel
// writes `<prefix>IN=<if> OUT=<if> [MAC=..] SRC=.. DST=.. .. PROTO=.. [SPT=.. DPT=..]`, possibly
// after the kernel's own `[12345.678901] ` timestamp. The prefix is whatever the rule's author
// chose; the config's prefix rules turn it into event.action/outcome.
//
//   NormalizeNetfilter(Input::From(record), config, &event);  // true for a LOG line
#pragma once

#include "normalize/family.h"

namespace kiroku::normalize {

bool NormalizeNetfilter(const Input& in, const Config& config, Event* out);

}  // namespace kiroku::normalize
