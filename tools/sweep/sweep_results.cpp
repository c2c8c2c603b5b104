#include "tools/sweep/sweep_results.hpp"

#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>

#include "models/error.hpp"
#include "models/io/atomic_file.hpp"
#include "models/io/json.hpp"
#include "tools/svg_chart.hpp"
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

std::string safe_name(std::string s) {
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return s;
}

// Points whose axis values other than `free_axes` sit at each axis's first value.
bool at_base(const hw::SweepSpec& spec, const hw::SweepPoint& p, const std::vector<size_t>& free_axes) {
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    bool free = false;
    for (const size_t f : free_axes) free = free || f == a;
    if (!free && p.values[a] != spec.axes[a].values.front()) return false;
  }
  return true;
}

}  // namespace

std::string point_dir(const std::string& out_dir, const hw::SweepPoint& point) {
  return (std::filesystem::path(out_dir) / "points" / point.id).string();
}

std::vector<PointResult> collect_results(const hw::SweepSpec& spec, const std::vector<hw::SweepPoint>& points,
                                         const std::vector<std::string>& dirs) {
  std::vector<PointResult> results;
  PointRecords records(spec);
  for (const auto& p : points) {
    PointResult r;
    r.point = p;
    const PointRecord expected = records.expected(p);
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
    results.push_back(r);
  }
  return results;
}

std::string sweep_summary_csv(const hw::SweepSpec& spec, const std::vector<PointResult>& results) {
  std::ostringstream out;
  out << "point,workload,engine";
  for (const auto& axis : spec.axes) out << "," << axis.path;
  out << ",status,total_ms,nonlinear_ms,communication_ms,nonlinear_share,exposed_stall_ms";
  for (int c = 0; c < hw::kCategoryCount; ++c) out << "," << hw::category_name(static_cast<hw::Category>(c)) << "_ms";
  out << ",dram_bytes,macs,error\n";
  for (const auto& r : results) {
    if (!r.done && !r.failed) continue;
    out << r.point.id << "," << csv_field(spec.workloads[static_cast<size_t>(r.point.workload)].label()) << "," << r.point.engine;
    for (const auto& v : r.point.values) out << "," << csv_field(v);
    if (r.done) {
      out << ",ok," << fixed(r.report.total_ms()) << "," << fixed(r.report.nonlinear_ns * 1e-6) << ","
          << fixed(r.report.communication_ns * 1e-6) << "," << fixed(r.report.nonlinear_share) << ","
          << fixed(r.report.exposed_stall_ns * 1e-6);
      for (const double v : r.report.busy_ns) out << "," << fixed(v * 1e-6);
      out << "," << r.report.dram_bytes << "," << r.report.macs << ",\n";
    } else {
      out << ",failed,,,,,";
      for (int c = 0; c < hw::kCategoryCount; ++c) out << ",";
      out << ",," << csv_field(r.error) << "\n";
    }
  }
  return out.str();
}

std::vector<std::string> write_sweep_outputs(const hw::SweepSpec& spec, const std::vector<PointResult>& results,
                                             const std::string& out_dir) {
  const std::filesystem::path dir(out_dir);
  ensure_writable_directory((dir / "plots").string());
  write_file_atomically((dir / "summary.csv").string(), sweep_summary_csv(spec, results));
  std::vector<std::string> plots;

  // The paper's block-latency figure, one per workload: a bar per engine, busy time per category,
  // total latency marked (the other axes at their first values).
  for (size_t w = 0; w < spec.workloads.size(); ++w) {
    StackedBars bars{"Latency breakdown: " + spec.workloads[w].label() + " (busy time per category; dashed: total latency)", "ms",
                     {}, {}, {}, {}, "total latency"};
    for (int c = 0; c < hw::kCategoryCount; ++c) bars.segment_names.emplace_back(hw::category_name(static_cast<hw::Category>(c)));
    for (const auto& r : results) {
      if (!r.done || r.point.workload != static_cast<int>(w) || !at_base(spec, r.point, {})) continue;
      bars.bar_labels.push_back(r.point.engine);
      std::vector<double> segments;
      for (const double v : r.report.busy_ns) segments.push_back(v * 1e-6);
      bars.segments.push_back(segments);
      bars.markers.push_back(r.report.total_ms());
    }
    const std::string name = "breakdown_" + safe_name(spec.workloads[w].label()) + ".svg";
    write_file_atomically((dir / "plots" / name).string(), render_svg(bars));
    plots.push_back(name);
  }

  // Latency against each axis, one line per workload and engine, the other axes at their first values.
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    LineChart chart{"Total latency against " + spec.axes[a].path, spec.axes[a].path, "total latency (ms)", true, {}};
    std::map<std::string, size_t> series_of;
    for (const auto& r : results) {
      if (!r.done || !at_base(spec, r.point, {a})) continue;
      char* end = nullptr;
      const double x = std::strtod(r.point.values[a].c_str(), &end);
      if (*end != '\0') continue;  // a non-numeric axis has no line chart
      const std::string name = spec.workloads[static_cast<size_t>(r.point.workload)].label() + " " + r.point.engine;
      if (!series_of.count(name)) {
        series_of[name] = chart.series.size();
        chart.series.push_back({name, {}, {}});
      }
      chart.series[series_of[name]].x.push_back(x);
      chart.series[series_of[name]].y.push_back(r.report.total_ms());
    }
    if (chart.series.empty()) continue;
    const std::string name = "latency_vs_" + safe_name(spec.axes[a].path) + ".svg";
    write_file_atomically((dir / "plots" / name).string(), render_svg(chart));
    plots.push_back(name);
  }

  // DSP / LUT speedup over the first two axes, per workload.
  bool has_dsp = false, has_lut = false;
  for (const auto& e : spec.engines) has_dsp = has_dsp || e == "dsp", has_lut = has_lut || e == "lut";
  if (spec.axes.size() >= 2 && has_dsp && has_lut) {
    for (size_t w = 0; w < spec.workloads.size(); ++w) {
      HeatMap map{"Speedup of the LUT over the DSP: " + spec.workloads[w].label(), spec.axes[0].path, spec.axes[1].path,
                  spec.axes[0].values, spec.axes[1].values, {}};
      map.cells.assign(spec.axes[1].values.size(), std::vector<double>(spec.axes[0].values.size(), NAN));
      std::map<std::pair<size_t, size_t>, double> dsp, lut;
      for (const auto& r : results) {
        if (!r.done || r.point.workload != static_cast<int>(w) || !at_base(spec, r.point, {0, 1})) continue;
        const size_t x = static_cast<size_t>(std::find(spec.axes[0].values.begin(), spec.axes[0].values.end(), r.point.values[0]) - spec.axes[0].values.begin());
        const size_t y = static_cast<size_t>(std::find(spec.axes[1].values.begin(), spec.axes[1].values.end(), r.point.values[1]) - spec.axes[1].values.begin());
        if (r.point.engine == "dsp") dsp[{y, x}] = r.report.total_ns;
        if (r.point.engine == "lut") lut[{y, x}] = r.report.total_ns;
      }
      for (const auto& [cell, t] : dsp) {
        if (lut.count(cell) && lut[cell] > 0) map.cells[cell.first][cell.second] = t / lut[cell];
      }
      const std::string name = "speedup_" + safe_name(spec.workloads[w].label()) + ".svg";
      write_file_atomically((dir / "plots" / name).string(), render_svg(map));
      plots.push_back(name);
    }
  }

  std::ostringstream html;
  int done = 0, failed = 0;
  for (const auto& r : results) done += r.done ? 1 : 0, failed += r.failed ? 1 : 0;
  html << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>npusim sweep</title></head><body>\n"
       << "<h1>npusim sweep</h1>\n<p>spec: " << spec.source << "; " << done << " points done, " << failed << " failed. "
       << "<a href=\"summary.csv\">summary.csv</a> (one row per point).</p>\n";
  for (const auto& p : plots) html << "<h2>" << p << "</h2>\n<img src=\"plots/" << p << "\" alt=\"" << p << "\">\n";
  html << "</body></html>\n";
  write_file_atomically((dir / "index.html").string(), html.str());
  return plots;
}

}  // namespace npusim::cli
