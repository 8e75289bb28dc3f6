// The mail correlator behind NewMailCorrelator() (mail.h): joins the lines of one message by
// (host, queue id), so that a search for an attachment name or a sender finds every line of
// the mail, including the delivery lines that do not name them.
//
//   MailCorrelator c;
//   for (auto& [r, e] : records) c.Observe(r, e);
//   for (auto& [r, e] : records) c.Enrich(r, &e);
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "normalize/family.h"

namespace kiroku::normalize {

class MailCorrelator : public Correlator {
 public:
  void Observe(const RecordView& r, const Event& e) override;
  void Enrich(const RecordView& r, Event* e) const override;

 private:
  struct Message {
    std::string from;
    std::string message_id;
    std::string subject;
    std::string client_ip;
    std::string user;
    std::vector<std::string> attachments;
    std::vector<std::string> recipients;
  };
  static std::string Key(const RecordView& r, std::string_view queue_id);

  std::unordered_map<std::string, Message> messages_;
};

}  // namespace kiroku::normalize
