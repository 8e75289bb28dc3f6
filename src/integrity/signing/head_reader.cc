#include "integrity/signing/head_reader.h"

#include <algorithm>

namespace kiroku::integrity::signing {

ParsedHeadFile ParseHeadFile(std::string_view bytes, Epoch expected) {
  ParsedHeadFile out;
  if (bytes.size() < internal::kHeadFileMagicSize ||
      bytes.substr(0, internal::kHeadFileMagicSize) !=
          std::string_view(internal::kHeadFileMagic, internal::kHeadFileMagicSize)) {
    out.problem = "missing or bad magic";
    return out;
  }
  size_t offset = internal::kHeadFileMagicSize;
  size_t frame_size = 0;
  auto first = internal::DecodeFrame(bytes, offset, &frame_size);
  if (!first) {
    out.problem = "no valid epoch record";
    return out;
  }
  auto record = internal::DecodeEpochRecord(*first);
  if (!record.ok() || record->epoch != expected) {
    out.problem =
        record.ok() ? "epoch record does not match the file name" : record.status().message();
    return out;
  }
  out.epoch = *record;
  offset += frame_size;
  out.valid_end = offset;
  while (offset < bytes.size()) {
    auto payload = internal::DecodeFrame(bytes, offset, &frame_size);
    if (!payload) {
      out.problem = "invalid or incomplete frame";
      return out;
    }
    auto head = internal::DecodeHeadRecord(*payload, *out.epoch);
    if (!head.ok()) {
      out.problem = head.status().message();
      return out;
    }
    out.heads.push_back(std::move(*head));
    offset += frame_size;
    out.valid_end = offset;
  }
  return out;
}

StatusOr<std::vector<Epoch>> ListHeadFiles(Fs& fs, const std::string& dir) {
  auto names = fs.ListDir(dir);
  if (!names.ok()) {
    if (names.status().code() == Status::Code::kNotFound) return std::vector<Epoch>{};
    return names.status();
  }
  std::vector<Epoch> epochs;
  for (const std::string& name : *names) {
    if (auto e = internal::ParseHeadFileName(name)) epochs.push_back(*e);
  }
  std::sort(epochs.begin(), epochs.end());
  return epochs;
}

Status ForEachHead(Fs& fs, const std::string& dir, const std::function<Status(const TreeHead&)>& fn,
                   HeadScanStats* stats) {
  HeadScanStats local;
  if (stats == nullptr) stats = &local;
  auto epochs = ListHeadFiles(fs, dir);
  if (!epochs.ok()) return epochs.status();
  for (Epoch e : *epochs) {
    const std::string name = internal::HeadFileName(e);
    auto bytes = fs.ReadFile(JoinPath(dir, name));
    if (!bytes.ok()) {
      if (bytes.status().code() == Status::Code::kNotFound) continue;
      return bytes.status();
    }
    ++stats->files;
    ParsedHeadFile file = ParseHeadFile(*bytes, e);
    if (!file.problem.empty()) {
      const size_t skipped = bytes->size() - file.valid_end;
      stats->bytes_skipped += skipped;
      stats->problems.push_back(name + ": offset " + std::to_string(file.valid_end) + ": " +
                                file.problem + "; skipped " + std::to_string(skipped) + " bytes");
    }
    for (const TreeHead& h : file.heads) {
      ++stats->heads;
      KIROKU_RETURN_IF_ERROR(fn(h));
    }
  }
  return Status::Ok();
}

}  // namespace kiroku::integrity::signing
