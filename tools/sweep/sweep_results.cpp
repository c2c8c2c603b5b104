#include "tools/sweep/sweep_results.hpp"

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/sha256.hpp"
#include "tools/sweep/point_record.hpp"
#include "tools/sweep/results_file.hpp"
#include "tools/sweep/sweep_folder.hpp"

namespace npusim::cli {

namespace {

// "" when the point folder holds the result.json its record names.
std::string point_folder_problem(const std::string& folder, const PointRecord& record) {
  if (record.result_json_sha256.empty()) return "it has no point folder (it was computed without --keep-points)";
  std::string content;
  try {
    content = read_file(folder + "/result.json");
  } catch (const Error&) {
    return "its point folder has no result.json";
  }
  if (sha256_hex(content) != record.result_json_sha256) return "its result.json is torn or was changed after its run";
  return "";
}

// Fills `r` from the records of one folder; true when they hold a result for the point.
bool take_records(const std::vector<PointRecord>& records, const PointRecord& expected, const std::string& dir,
                  const CollectOptions& options, PointResult& r) {
  for (const PointRecord& record : records) {
    std::string problem = record_mismatch(record, expected);
    if (problem.empty() && record.ok && options.need_point_folders) problem = point_folder_problem(point_dir(dir, record.point), record);
    if (!problem.empty()) {
      if (r.unusable.empty()) r.unusable = dir + ": " + problem;
      continue;
    }
    if (record.ok) {
      r.done = true;
      r.failed = false;
      r.report = record.report;
      r.generation = record.generation;
      r.unusable.clear();
      return true;
    }
    r.failed = true;
    r.error = record.error;
  }
  return false;
}

}  // namespace

std::vector<PointResult> collect_results(const hw::SweepSpec& spec, const std::vector<hw::SweepPoint>& points,
                                         const std::vector<std::string>& dirs, const CollectOptions& options,
                                         std::vector<std::string>* skipped) {
  std::vector<RecordedResults> recorded;
  for (const auto& dir : dirs) {
    recorded.push_back(read_results(dir));
    if (skipped) skipped->insert(skipped->end(), recorded.back().skipped.begin(), recorded.back().skipped.end());
  }
  PointRecords records(spec);
  std::vector<PointResult> results(points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    PointResult& r = results[i];
    r.point = points[i];
    const PointRecord expected = records.expected(points[i]);
    for (size_t d = 0; d < dirs.size(); ++d) {
      const auto it = recorded[d].by_point.find(points[i].id);
      if (it != recorded[d].by_point.end() && take_records(it->second, expected, dirs[d], options, r)) break;
    }
  }
  return results;
}

}  // namespace npusim::cli
