#include "report/sweep_report.hpp"

#include <cstdio>
#include <filesystem>
#include <sstream>

#include "common/atomic_file.hpp"
#include "report/run_figures.hpp"
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

}  // namespace

GenerationFigures generation_figures(const hw::GenerationResult& result) {
  GenerationFigures f;
  f.ttft_ns = result.ttft_ns();
  f.tpot_mean_ns = result.tpot_mean_ns();
  f.tpot_first_ns = result.tpot_first_ns();
  f.tpot_last_ns = result.tpot_last_ns();
  f.decode_tokens_per_s = result.decode_tokens_per_s();
  f.energy_per_token_uj = result.energy_per_token_uj();
  return f;
}

// The run summary's names (report/run_figures.hpp): the total, its critical path, busy times, traffic and
// energy with its parts; then a generation's headline figures (empty for a point that is no generation).
// A failed point has its error and empty figures.
std::string sweep_summary_csv(const hw::SweepSpec& spec, const std::vector<PointResult>& results) {
  std::vector<std::string> columns = {"total_ms"};
  for (int c = 0; c < hw::kCategoryCount; ++c) columns.push_back("critical_" + std::string(hw::category_name(static_cast<hw::Category>(c))) + "_ms");
  columns.insert(columns.end(), {"critical_idle_ms", "nonlinear_ms", "communication_ms", "activation_traffic_ms", "nonlinear_share", "overlapped_ms"});
  for (int c = 0; c < hw::kCategoryCount; ++c) columns.push_back("busy_" + std::string(hw::category_name(static_cast<hw::Category>(c))) + "_ms");
  columns.insert(columns.end(), {"dram_bytes", "macs", "energy_uj"});
  for (const hw::EnergyPart& part : hw::energy_parts()) columns.push_back(part.column);
  const std::vector<std::string> generation_columns = {"ttft_ms", "tpot_mean_ms", "tpot_first_ms", "tpot_last_ms", "decode_tokens_per_s",
                                                       "energy_per_token_mj"};
  columns.insert(columns.end(), generation_columns.begin(), generation_columns.end());
  const auto values_of = [&](const hw::RunReport& r, const std::optional<GenerationFigures>& g) {
    std::vector<std::string> v = {fixed(r.total_ms())};
    for (const double ns : r.critical_ns) v.push_back(fixed(ns * 1e-6));
    for (const double x : {r.critical_idle_ns * 1e-6, r.nonlinear_ns * 1e-6, r.communication_ns * 1e-6, r.activation_traffic_ns * 1e-6, r.nonlinear_share, r.overlapped_ns * 1e-6}) {
      v.push_back(fixed(x));
    }
    for (const double ns : r.busy_ns) v.push_back(fixed(ns * 1e-6));
    v.push_back(std::to_string(r.dram_bytes));
    v.push_back(std::to_string(r.macs));
    // A result.json written before energy was reported has none: empty cells, not zeros.
    v.push_back(r.has_energy ? fixed(r.energy.total_uj()) : "");
    for (const hw::EnergyPart& part : hw::energy_parts()) v.push_back(r.has_energy ? fixed(r.energy.*part.uj) : "");
    if (!g) {
      v.resize(v.size() + generation_columns.size());
      return v;
    }
    for (const double x : {g->ttft_ns * 1e-6, g->tpot_mean_ns * 1e-6, g->tpot_first_ns * 1e-6, g->tpot_last_ns * 1e-6, g->decode_tokens_per_s,
                           g->energy_per_token_uj * 1e-3}) {
      v.push_back(fixed(x));
    }
    return v;
  };

  std::ostringstream out;
  out << "point,workload,engine";
  for (const auto& axis : spec.axes) out << "," << csv_field(axis.path);
  out << ",status";
  for (const auto& c : columns) out << "," << c;
  out << ",error\n";
  for (const auto& r : results) {
    if (!r.done && !r.failed) continue;
    out << r.point.id << "," << csv_field(spec.workloads[static_cast<size_t>(r.point.workload)].label()) << "," << r.point.engine;
    for (const auto& v : r.point.values) out << "," << csv_field(v);
    out << (r.done ? ",ok" : ",failed");
    const std::vector<std::string> values = r.done ? values_of(r.report, r.generation) : std::vector<std::string>(columns.size());
    for (const auto& v : values) out << "," << v;
    out << "," << (r.done ? "" : csv_field(r.error)) << "\n";
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
