#include "tools/sweep/sweep_results.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <map>
#include <thread>

#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/json.hpp"
#include "tools/sweep/point_record.hpp"

namespace npusim::cli {

std::string point_dir(const std::string& out_dir, const hw::SweepPoint& point) {
  return (std::filesystem::path(out_dir) / "points" / point.id).string();
}

namespace {

PointResult read_point(const hw::SweepPoint& p, const PointRecord& expected, const std::vector<std::string>& dirs) {
  PointResult r;
  r.point = p;
  for (const auto& dir : dirs) {
    const std::string folder = point_dir(dir, p);
    const std::string reason = check_point_result(folder, expected, r.report);
    if (reason.empty()) {
      r.done = true;
      r.failed = false;
      r.unusable.clear();
      break;
    }
    if (reason != "no result" && r.unusable.empty()) r.unusable = folder + ": " + reason;
    if (failure_recorded_for(folder, expected)) {
      r.failed = true;
      r.error = read_file(folder + "/error.txt");
      while (!r.error.empty() && r.error.back() == '\n') r.error.pop_back();
    }
  }
  return r;
}

}  // namespace

std::vector<PointResult> collect_results(const hw::SweepSpec& spec, const std::vector<hw::SweepPoint>& points,
                                         const std::vector<std::string>& dirs) {
  PointRecords records(spec);
  std::vector<PointRecord> expected;
  for (const auto& p : points) expected.push_back(records.expected(p));
  // Reading the results is most of what a sweep does after its last point: points are read side by side.
  std::vector<PointResult> results(points.size());
  std::vector<std::exception_ptr> errors(points.size());
  std::atomic<size_t> next{0};
  const auto read_points = [&] {
    for (size_t i = next++; i < points.size(); i = next++) {
      try {
        results[i] = read_point(points[i], expected[i], dirs);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> readers;
  const size_t reader_count = std::min<size_t>({std::max(1u, std::thread::hardware_concurrency()), 8, points.size() / 16 + 1});
  for (size_t t = 1; t < reader_count; ++t) readers.emplace_back(read_points);
  read_points();
  for (auto& reader : readers) reader.join();
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  return results;
}

}  // namespace npusim::cli
