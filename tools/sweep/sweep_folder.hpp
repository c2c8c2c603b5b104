// The sweep output folder: what is where, and who may write it. Every file a sweep writes besides its
// results records (tools/sweep/results_file.hpp) and its summary, plots and index
// (report/sweep_report.hpp) is named here:
//
//   npusim_output.json     the folder's manifest (common/output_folder.hpp): kind "sweep"
//   OUT/sweep.json         the spec's path and SHA-256 (a resume with another spec says so)
//   OUT/results/*.jsonl    the point records
//   OUT/results/*.lock     held by the shard that appends to the results file of that name
//   OUT/points/<id>/       with --keep-points: result.json, stdout.txt, stderr.txt or error.txt
#pragma once

#include <string>
#include <vector>

#include "common/output_folder.hpp"

namespace npusim::cli {

// A lock on an output folder (flock on the folder itself, so no file of the folder's result is a lock
// that clearing it would unlink; released when the process and the workers it forked have ended, a
// kill included). A whole sweep or a merge holds it alone; shards of one sweep share it, each also
// holding its own results file's lock (shards of different sizes N may share a folder). Throws
// npusim::Error naming the folder when another sweep holds what this one needs.
class SweepLock {
 public:
  enum class Kind { whole, shard };
  // Creates OUT if needed and locks it.
  SweepLock(const std::string& out_dir, Kind kind);
  // A shard: OUT/results/<writer_name>.lock too (after the folder is prepared, so that it is recorded).
  void hold_writer(const std::string& writer_name);
  ~SweepLock();
  SweepLock(const SweepLock&) = delete;
  SweepLock& operator=(const SweepLock&) = delete;

 private:
  std::string out_dir_;
  int folder_fd_ = -1;
  int writer_fd_ = -1;
};

// True when OUT holds results of a sweep (records, or point folders of an older npusim).
bool holds_sweep_results(const std::string& out_dir);

// OUT/sweep.json: the spec's path and SHA-256; recorded_spec_sha256 reads it back ("" when absent).
void write_sweep_record(const std::string& out_dir, const std::string& spec_path, const std::string& spec_sha256);
std::string recorded_spec_sha256(const std::string& out_dir);

// OutputFolder::prepare of OUT as a sweep's folder (kind "sweep"), the shards of one sweep taking turns
// (a blocking flock on the folder OUT/results): a manifest another shard is writing is no "file npusim
// did not write". Shards leave the manifest incomplete - their folder is whole once merged - so that a
// shard starting later takes the files of the others for npusim's.
OutputFolder prepare_sweep_folder(const std::string& out_dir, const std::string& command, const OutputFolderOptions& options);

// "plots/NAME" for every file in OUT/plots: an earlier sweep's charts, removed before this one draws its
// own (a chart of an axis the spec no longer has must not linger).
std::vector<std::string> plot_files(const std::string& out_dir);

// OUT/points/<id>.
std::string point_dir(const std::string& out_dir, const std::string& point_id);

// Removes a point folder's result, logs and leftovers of an interrupted run, before it runs again.
void clear_point(const std::string& point_dir);

// A point's logs are written as .part files and appear whole, once its run has ended.
void publish_logs(const std::string& point_dir);

}  // namespace npusim::cli
