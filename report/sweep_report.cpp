#include "report/sweep_report.hpp"

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "common/atomic_file.hpp"
#include "report/sweep_charts.hpp"
#include "report/sweep_index_html.hpp"

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
