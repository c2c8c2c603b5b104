#include "tools/sweep/results_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/atomic_file.hpp"
#include "common/error.hpp"

namespace npusim::cli {

std::string results_file_path(const std::string& out_dir, const std::string& writer_name) {
  return (std::filesystem::path(out_dir) / "results" / (writer_name + ".jsonl")).string();
}

ResultsAppender::ResultsAppender(std::string path) : path_(std::move(path)) {
  ensure_writable_directory(std::filesystem::path(path_).parent_path().string());
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error("cannot open " + path_ + " for appending: " + std::strerror(errno));
  const off_t size = ::lseek(fd_, 0, SEEK_END);
  if (size > 0) {
    char last = '\n';
    const int reader = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    const bool read_last = reader >= 0 && ::pread(reader, &last, 1, size - 1) == 1;
    if (reader >= 0) ::close(reader);
    if (!read_last) throw Error("cannot read the end of " + path_ + ": " + std::strerror(errno));
    if (last != '\n' && ::write(fd_, "\n", 1) != 1) throw Error("cannot write to " + path_ + ": " + std::strerror(errno));
  }
}

ResultsAppender::~ResultsAppender() {
  if (fd_ >= 0) ::close(fd_);
}

void ResultsAppender::append(const PointRecord& record) const {
  const std::string line = record_line(record);
  ssize_t written = -1;
  do {
    written = ::write(fd_, line.data(), line.size());
  } while (written < 0 && errno == EINTR);
  if (written != static_cast<ssize_t>(line.size())) {
    // A short write leaves a line without its end: the next record must not continue it.
    if (written > 0) (void)!::write(fd_, "\n", 1);
    throw Error("cannot append the record of point " + record.point + " to " + path_ + ": " +
                (written < 0 ? std::strerror(errno) : "the disk is full"));
  }
}

RecordedResults read_results(const std::string& out_dir) {
  RecordedResults results;
  const std::filesystem::path folder = std::filesystem::path(out_dir) / "results";
  std::vector<std::string> files;
  std::error_code code;
  for (const auto& entry : std::filesystem::directory_iterator(folder, code)) {
    if (entry.path().extension() == ".jsonl") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    const std::string text = read_file(path);
    size_t line_number = 0;
    for (size_t start = 0; start < text.size();) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      ++line_number;
      if (end > start) {
        PointRecord record;
        const std::string where = path + ":" + std::to_string(line_number);
        const std::string problem = parse_record_line(text.substr(start, end - start), where, record);
        if (problem.empty()) {
          results.by_point[record.point].push_back(std::move(record));
        } else {
          results.skipped.push_back(where + ": " + problem);
        }
      }
      start = end + 1;
    }
  }
  return results;
}

}  // namespace npusim::cli
