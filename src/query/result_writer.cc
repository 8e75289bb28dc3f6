#include "query/result_writer.h"

namespace kiroku::query {

ResultWriter::ResultWriter(const SearchRequest& request, std::ostream& out)
    : out_(out),
      count_only_(request.count),
      limit_(request.count ? 0 : request.limit.value_or(DefaultLimit(request.format))),
      formatter_(request.count ? nullptr : MakeFormatter(request.format, out)) {}

bool ResultWriter::Add(const RecordView& record, const normalize::Event* event) {
  if (limit_ != 0 && matched_ == limit_) {
    limited_ = true;
    return false;
  }
  ++matched_;
  if (formatter_) formatter_->Write(record, event);
  return true;
}

void ResultWriter::Finish() {
  if (count_only_) {
    out_ << matched_ << '\n';
    out_.flush();
  } else {
    formatter_->Finish();
  }
}

}  // namespace kiroku::query
