#include "report/sweep_report.hpp"

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "report/sweep_charts.hpp"
#include "report/sweep_index_html.hpp"

namespace npusim::cli {

namespace {

std::string fixed(double v) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.6f", v);
  return buffer;
}

// RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled; line breaks
// become spaces, so every row stays one line.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (const char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c == '\n' || c == '\r' ? ' ' : c);
  return q + "\"";
}

void add_row(std::ostringstream& out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << fields[i];
  out << "\n";
}

}  // namespace

std::string sweep_summary_csv(const hw::SweepSpec& spec, const std::vector<PointResult>& results) {
  std::vector<std::string> header = {"point", "workload", "engine"};
  for (const auto& axis : spec.axes) header.push_back(csv_field(axis.path));
  header.insert(header.end(), {"status", "total_ms", "nonlinear_ms", "communication_ms", "nonlinear_share", "exposed_stall_ms"});
  for (int c = 0; c < hw::kCategoryCount; ++c) header.push_back(std::string(hw::category_name(static_cast<hw::Category>(c))) + "_ms");
  header.insert(header.end(), {"dram_bytes", "macs", "error"});
  for (int c = 0; c < hw::kCategoryCount; ++c) header.push_back("critical_" + std::string(hw::category_name(static_cast<hw::Category>(c))) + "_ms");
  header.insert(header.end(), {"critical_idle_ms", "overlapped_ms"});
  std::ostringstream out;
  add_row(out, header);
  for (const auto& r : results) {
    if (!r.done && !r.failed) continue;
    std::vector<std::string> row = {r.point.id, csv_field(spec.workloads[static_cast<size_t>(r.point.workload)].label()), r.point.engine};
    for (const auto& v : r.point.values) row.push_back(csv_field(v));
    const size_t status_column = row.size();
    if (r.done) {
      const hw::RunReport& report = r.report;
      row.insert(row.end(), {"ok", fixed(report.total_ms()), fixed(report.nonlinear_ns * 1e-6), fixed(report.communication_ns * 1e-6),
                             fixed(report.nonlinear_share), fixed(report.exposed_stall_ns * 1e-6)});
      for (const double v : report.busy_ns) row.push_back(fixed(v * 1e-6));
      row.insert(row.end(), {std::to_string(report.dram_bytes), std::to_string(report.macs), ""});
      for (const double v : report.critical_ns) row.push_back(fixed(v * 1e-6));
      row.insert(row.end(), {fixed(report.critical_idle_ns * 1e-6), fixed(report.overlapped_ns * 1e-6)});
    } else {
      // A failed point: its status and its error, every number empty.
      row.resize(header.size());
      row[status_column] = "failed";
      row[status_column + 6 + hw::kCategoryCount + 2] = csv_field(r.error);
    }
    if (row.size() != header.size()) throw Error("summary.csv: a row of point " + r.point.id + " does not match the header");
    add_row(out, row);
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
