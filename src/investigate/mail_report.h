// `kiroku investigate mail --message-id ID | --attachment NAME | --sender ADDR` (G-II.4): the
// mails found, each with its events (time, host, action, status), recipients and their
// delivery status, attachments; then the other mails from the same senders and with the same
// attachment names.
//
// A mail is one MTA's handling of one message: the lines of one queue id on one host, as the
// mail correlator joins them (a message relayed through two MTAs is two mails with the same
// Message-ID). A recipient's status is the last delivery status logged for it (deferred, then
// sent: sent); rejected recipients are listed with status rejected.
//
//   MailQuery q{.message_id = "20261126.abc@example.net"};
//   StatusOr<MailReport> r = InvestigateMail(ctx, q);
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "common/status.h"
#include "investigate/context.h"

namespace kiroku::investigate {

struct MailQuery {              // exactly one is set
  std::string message_id = {};  // with or without <>
  std::string attachment = {};
  std::string sender = {};
};

struct Recipient {
  std::string address;
  std::string status;  // sent, deferred, bounced, rejected, ...; "" when none was logged
  std::string reason;  // the text logged with the last status
};

struct MailEventLine {
  int64_t time_ns = 0;
  std::string host;
  std::string action;
  std::string status;  // delivery status, else outcome
  std::string detail;  // recipients of a delivery line and the reason
};

struct Mail {
  std::string host;
  std::string queue_id;  // "" for lines without one (NOQUEUE rejects)
  std::string message_id;
  std::string from;
  std::string subject;
  std::string client_ip;
  std::string client_user;
  int64_t first_ns = 0;
  int64_t last_ns = 0;
  std::vector<Recipient> recipients;  // first seen first
  std::vector<std::string> attachments;
  std::vector<MailEventLine> events;
};

struct MailReport {
  std::string selector;  // "message-id", "attachment" or "sender"
  std::string value;
  std::vector<Mail> mails;
  std::vector<Mail> same_sender;      // other mails from a sender of `mails`
  std::vector<Mail> same_attachment;  // other mails with an attachment name of `mails`
};

// InvalidArgument unless exactly one selector is set.
StatusOr<MailReport> InvestigateMail(const Context& ctx, const MailQuery& query);

void WriteMailText(const MailReport& report, std::ostream& out);
nlohmann::ordered_json MailJson(const MailReport& report);

// Groups mail records (time-ordered) into mails by (host, queue id), in order of first line.
std::vector<Mail> GroupMails(const std::vector<EventRow>& rows);

}  // namespace kiroku::investigate
