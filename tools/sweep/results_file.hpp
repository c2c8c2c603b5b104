// A sweep's results, kept compactly: one append-only file of point records (tools/sweep/point_record.hpp)
// per process that writes them - OUT/results/all.jsonl for a whole sweep, OUT/results/shard-I-of-N.jsonl
// for a shard - so 10,000 points make one file, not 50,000, and shards on different machines never append
// to one file (appends over NFS from several clients interleave). A later record of a point supersedes
// nothing: readers pick, per point, a record that vouches for a result before one of a failure.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "tools/sweep/point_record.hpp"

namespace npusim::cli {

// The results file of a whole sweep ("all") or of shard I of N ("shard-I-of-N").
std::string results_file_path(const std::string& out_dir, const std::string& writer_name);

// Appends records to one results file, opened with O_APPEND: each record goes out in one write(), so
// the workers forked from the sweep, which share the descriptor, append whole lines side by side. A line
// that a kill cut short is finished with a newline when the file is opened, so the next record starts a
// line of its own (the torn one is skipped by readers: its digest does not match).
class ResultsAppender {
 public:
  explicit ResultsAppender(std::string path);
  ~ResultsAppender();
  ResultsAppender(const ResultsAppender&) = delete;
  ResultsAppender& operator=(const ResultsAppender&) = delete;
  // Throws npusim::Error naming the file when the record cannot be written whole.
  void append(const PointRecord& record) const;

 private:
  std::string path_;
  int fd_ = -1;
};

struct RecordedResults {
  std::unordered_map<std::string, std::vector<PointRecord>> by_point;  // in the order read
  std::vector<std::string> skipped;  // "FILE line N: why", for lines that are no record
};

// Every record in `out_dir`/results/*.jsonl (files in name order).
RecordedResults read_results(const std::string& out_dir);

}  // namespace npusim::cli
