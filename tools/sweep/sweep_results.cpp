#include "tools/sweep/sweep_results.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <map>
#include <sstream>
#include <thread>

#include "models/error.hpp"
#include "models/io/atomic_file.hpp"
#include "models/io/json.hpp"
#include "tools/sweep/sweep_charts.hpp"
#include "tools/sweep/sweep_index_html.hpp"
#include "tools/sweep/point_record.hpp"

namespace npusim::cli {

namespace {

std::string fixed(double v) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.6f", v);
  return buffer;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (const char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c == '\n' ? ' ' : c);
  return q + "\"";
}

}  // namespace

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

std::string sweep_summary_csv(const hw::SweepSpec& spec, const std::vector<PointResult>& results) {
  std::ostringstream out;
  out << "point,workload,engine";
  for (const auto& axis : spec.axes) out << "," << axis.path;
  out << ",status,total_ms,nonlinear_ms,communication_ms,nonlinear_share,exposed_stall_ms";
  for (int c = 0; c < hw::kCategoryCount; ++c) out << "," << hw::category_name(static_cast<hw::Category>(c)) << "_ms";
  out << ",dram_bytes,macs,error";
  for (int c = 0; c < hw::kCategoryCount; ++c) out << ",critical_" << hw::category_name(static_cast<hw::Category>(c)) << "_ms";
  out << ",critical_idle_ms,overlapped_ms\n";
  for (const auto& r : results) {
    if (!r.done && !r.failed) continue;
    out << r.point.id << "," << csv_field(spec.workloads[static_cast<size_t>(r.point.workload)].label()) << "," << r.point.engine;
    for (const auto& v : r.point.values) out << "," << csv_field(v);
    if (r.done) {
      out << ",ok," << fixed(r.report.total_ms()) << "," << fixed(r.report.nonlinear_ns * 1e-6) << ","
          << fixed(r.report.communication_ns * 1e-6) << "," << fixed(r.report.nonlinear_share) << ","
          << fixed(r.report.exposed_stall_ns * 1e-6);
      for (const double v : r.report.busy_ns) out << "," << fixed(v * 1e-6);
      out << "," << r.report.dram_bytes << "," << r.report.macs << ",";
      for (const double v : r.report.critical_ns) out << "," << fixed(v * 1e-6);
      out << "," << fixed(r.report.critical_idle_ns * 1e-6) << "," << fixed(r.report.overlapped_ns * 1e-6) << "\n";
    } else {
      out << ",failed,,,,,";
      for (int c = 0; c < hw::kCategoryCount; ++c) out << ",";
      out << ",," << csv_field(r.error);
      for (int c = 0; c < hw::kCategoryCount + 2; ++c) out << ",";
      out << "\n";
    }
  }
  return out.str();
}

std::vector<std::string> write_sweep_outputs(const hw::SweepSpec& spec, const std::vector<PointResult>& results,
                                             const std::string& out_dir) {
  const std::filesystem::path dir(out_dir);
  ensure_writable_directory((dir / "plots").string());
  write_file_atomically((dir / "summary.csv").string(), sweep_summary_csv(spec, results));
  const SweepCharts charts = sweep_charts(spec, results);
  std::vector<std::string> plots;
  for (const auto& chart : charts.charts) {
    write_file_atomically((dir / "plots" / chart.file).string(), chart.svg);
    plots.push_back(chart.file);
  }
  write_file_atomically((dir / "index.html").string(), sweep_index_html(spec, results, charts));
  return plots;
}

}  // namespace npusim::cli
