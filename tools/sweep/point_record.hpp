// What vouches for a sweep point's result: `points/<id>/point.json`, written by the sweep after the
// point's run succeeded, records the run's arguments (the engine, the workload and every axis value),
// the SHA-256 of the files the run read (base config, trace) and the SHA-256 of the result.json it
// produced. A result is used only when its record matches the point as the current spec defines it and
// the result is byte for byte the one recorded: a changed spec, a changed input file, a torn, truncated
// or foreign result.json, or a result without its record (a run killed between the two) is recomputed
// by `sweep --resume` and left out by `sweep-merge`, each with its reason.
//
// `OUT/sweep.json` records the spec's path and SHA-256, so a resume with another spec says so.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "report/run_report.hpp"
#include "hw/config/sweep_spec.hpp"

namespace npusim::cli {

struct PointRecord {
  std::vector<std::string> run_args;               // the point's `npusim run` arguments, outputs excluded
  std::map<std::string, std::string> input_sha256;  // path -> digest of every file the run reads
  std::string result_sha256;                        // of result.json ("" for a failed run)
};

// The records the current spec expects, with each input file read and digested once.
class PointRecords {
 public:
  explicit PointRecords(const hw::SweepSpec& spec) : spec_(spec) {}
  PointRecord expected(const hw::SweepPoint& point);

 private:
  const hw::SweepSpec& spec_;
  std::map<std::string, std::string> digests_;
};

std::string point_record_json(const PointRecord& record);

// Reads `point_dir`'s point.json and result.json: "" when they hold a result for `expected` (then
// `report` is filled), else why not ("no result", "result.json is torn or was changed after its run",
// "computed for other axis values or engine", "base config ... changed since", ...).
std::string check_point_result(const std::string& point_dir, const PointRecord& expected, hw::RunReport& report);

// True when `point_dir` holds an error.txt whose point.json (with an empty result digest) matches
// `expected`: a failure of this point, not of a point a former spec defined.
bool failure_recorded_for(const std::string& point_dir, const PointRecord& expected);

// Removes a point's result, record and leftovers of an interrupted run, before it runs again.
void clear_point(const std::string& point_dir);

// OUT/sweep.json: the spec's path and SHA-256.
void write_sweep_record(const std::string& out_dir, const std::string& spec_path, const std::string& spec_sha256);
// The SHA-256 OUT/sweep.json records, or "" when there is none (or it cannot be read).
std::string recorded_spec_sha256(const std::string& out_dir);

}  // namespace npusim::cli
