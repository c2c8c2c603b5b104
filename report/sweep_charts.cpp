#include "report/sweep_charts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

#include "hw/metrics/critical_path.hpp"
#include "hw/config/hw_config_io.hpp"
#include "report/svg_chart.hpp"

namespace npusim::cli {

const PublishedSpeedup kPaperVitBaseSpeedups[2] = {{3.0, 16.73, 12.87}, {20.0, 8.47, 3.87}};

namespace {

// The two engines the paper's speedup compares, as sweep points name them.
const std::string kDsp(hw::engine_name(hw::NonlinearEngine::dsp)), kLut(hw::engine_name(hw::NonlinearEngine::lut));

std::string safe_name(std::string s) {
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return s;
}

std::optional<double> numeric(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (*end != '\0' || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string text;
  for (const auto& p : parts) text += (text.empty() ? "" : separator) + p;
  return text;
}

// Points whose axis values other than `free_axes` sit at each axis's first value.
bool at_base(const hw::SweepSpec& spec, const hw::SweepPoint& p, const std::vector<size_t>& free_axes) {
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    if (std::find(free_axes.begin(), free_axes.end(), a) == free_axes.end() && p.values[a] != spec.axes[a].values.front()) {
      return false;
    }
  }
  return true;
}

// The x axis of a chart: one axis of a cartesian sweep (the others at their first values), or all axes
// of a zipped sweep together (their value combinations in order).
struct ChartAxis {
  std::string path;                 // "dram.bandwidth_gbps", "mau.rows / mau.cols"
  std::vector<size_t> axes;         // into spec.axes
  std::vector<std::string> labels;  // one per position
  std::vector<double> x;            // numeric value, or the position on a categorical axis
  bool categorical = false, log = false;
};

std::vector<ChartAxis> chart_axes(const hw::SweepSpec& spec) {
  std::vector<ChartAxis> result;
  const auto numeric_axis = [&](size_t a) {
    ChartAxis c;
    c.path = spec.axes[a].path;
    c.axes = {a};
    c.labels = spec.axes[a].values;
    for (size_t k = 0; k < c.labels.size(); ++k) {
      const auto v = numeric(c.labels[k]);
      c.categorical = c.categorical || !v;
      c.x.push_back(v ? *v : static_cast<double>(k));
    }
    if (c.categorical) {
      for (size_t k = 0; k < c.x.size(); ++k) c.x[k] = static_cast<double>(k);
    }
    c.log = !c.categorical && is_geometric(c.labels);
    return c;
  };
  if (spec.zipped && spec.axes.size() > 1) {
    ChartAxis c;
    for (size_t a = 0; a < spec.axes.size(); ++a) c.axes.push_back(a);
    std::vector<std::string> paths;
    for (const auto& axis : spec.axes) paths.push_back(axis.path);
    c.path = join(paths, " / ");
    c.categorical = true;
    for (size_t k = 0; k < spec.axes.front().values.size(); ++k) {
      std::vector<std::string> values;
      for (const auto& axis : spec.axes) values.push_back(axis.values[k]);
      c.labels.push_back(join(values, " / "));
      c.x.push_back(static_cast<double>(k));
    }
    result.push_back(c);
  } else {
    for (size_t a = 0; a < spec.axes.size(); ++a) result.push_back(numeric_axis(a));
  }
  return result;
}

// Where a point sits on the chart axis, or -1 when it is off the chart's slice.
int position_of(const hw::SweepSpec& spec, const ChartAxis& axis, const hw::SweepPoint& p) {
  if (axis.axes.size() == 1) {
    const size_t a = axis.axes.front();
    if (!at_base(spec, p, {a})) return -1;
    const auto& values = spec.axes[a].values;
    return static_cast<int>(std::find(values.begin(), values.end(), p.values[a]) - values.begin());
  }
  for (size_t k = 0; k < axis.labels.size(); ++k) {
    bool match = true;
    for (const size_t a : axis.axes) match = match && spec.axes[a].values[k] == p.values[a];
    if (match) return static_cast<int>(k);
  }
  return -1;
}

bool has_engine(const hw::SweepSpec& spec, const std::string& engine) {
  return std::find(spec.engines.begin(), spec.engines.end(), engine) != spec.engines.end();
}

// The slice of the bandwidth chart is the paper's NPU: base config named paper_npu, and every other
// axis at the paper NPU's value (the built-in defaults, which configs/paper_npu.yaml states).
bool covers_paper_npu(const hw::SweepSpec& spec, const std::vector<PointResult>& results, const ChartAxis& axis) {
  if (axis.axes.size() != 1) return false;
  const hw::HwConfig paper;
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    if (a == axis.axes.front()) continue;
    const hw::ConfigField* field = hw::find_config_field(spec.axes[a].path);
    if (field == nullptr || !field->get) return false;
    const std::string paper_value = field->get(paper);
    const auto x = numeric(spec.axes[a].values.front()), y = numeric(paper_value);
    if (x && y ? std::fabs(*x - *y) > 1e-9 * std::max(1.0, std::fabs(*y)) : spec.axes[a].values.front() != paper_value) return false;
  }
  bool any = false;
  for (const auto& r : results) {
    if (!r.done || position_of(spec, axis, r.point) < 0) continue;
    const std::string name = r.report.config_name.substr(0, r.report.config_name.find(' '));
    if (name != "paper_npu") return false;
    any = true;
  }
  return any;
}

SweepChart breakdown_chart(const hw::SweepSpec& spec, const std::vector<PointResult>& results, size_t w,
                           std::vector<std::string>& notes) {
  const std::string workload = spec.workloads[w].label();
  StackedBars bars;
  bars.title = "What the total is made of: " + workload;
  bars.y_label = "ms";
  bars.marker_name = "total latency";
  bars.side_name = "overlapped busy time";
  for (const hw::Category c : hw::kCriticalPriority) bars.segment_names.emplace_back(hw::category_name(c));
  bars.segment_names.emplace_back("idle");
  int missing = 0;
  for (const auto& r : results) {
    if (!r.done || r.point.workload != static_cast<int>(w)) continue;
    double attributed = r.report.critical_idle_ns;
    for (const double v : r.report.critical_ns) attributed += v;
    if (attributed <= 0 && r.report.total_ns > 0) {  // a result written before reports had a critical path
      ++missing;
      continue;
    }
    bars.bar_labels.push_back(r.point.values.empty() ? r.point.engine : r.point.engine + " " + join(r.point.values, "/"));
    std::vector<double> critical, overlapped;
    for (const hw::Category c : hw::kCriticalPriority) {
      const size_t i = static_cast<size_t>(c);
      critical.push_back(r.report.critical_ns[i] * 1e-6);
      overlapped.push_back(std::max(0.0, r.report.busy_ns[i] - r.report.critical_ns[i]) * 1e-6);
    }
    critical.push_back(r.report.critical_idle_ns * 1e-6);
    overlapped.push_back(0.0);
    bars.segments.push_back(critical);
    bars.side_segments.push_back(overlapped);
    bars.markers.push_back(r.report.total_ms());
  }
  if (missing > 0) {
    notes.push_back("breakdown of " + workload + ": " + std::to_string(missing) +
                    " point(s) left out, their result.json predates the critical-path breakdown (rerun them)");
  }
  std::vector<std::string> paths;
  for (const auto& axis : spec.axes) paths.push_back(axis.path);
  std::string caption = "One bar per point of " + workload + " (engine" + (paths.empty() ? "" : ", then " + join(paths, "/")) +
                        "). Each bar is the run's critical path: every instant of the run goes to the first busy category in "
                        "the order mau_compute, nonlinear_compute, decomposition, table_load, mau_dsp_communication, "
                        "weight_dma, activation_dma (else idle), so the stack adds up to the total latency (dashed line). "
                        "The narrow bar beside it is busy time that ran hidden under other work (overlapped), by category.";
  return {"breakdown_" + safe_name(workload) + ".svg", caption, render_svg(bars)};
}

SweepChart latency_chart(const hw::SweepSpec& spec, const std::vector<PointResult>& results, const ChartAxis& axis) {
  SmallMultiples grid;
  grid.title = "Total latency against " + axis.path;
  grid.x_label = axis.path;
  grid.y_label = "total latency (ms)";
  double lo = 1e300, hi = 0;
  for (size_t w = 0; w < spec.workloads.size(); ++w) {
    LineChart panel;
    panel.title = spec.workloads[w].label();
    panel.log_x = axis.log;
    if (axis.categorical) panel.x_categories = axis.labels;
    for (const auto& engine : spec.engines) {
      ChartSeries s{engine, {}, {}};
      for (const auto& r : results) {
        const int at = r.done && r.point.workload == static_cast<int>(w) && r.point.engine == engine ? position_of(spec, axis, r.point) : -1;
        if (at < 0) continue;
        s.x.push_back(axis.x[static_cast<size_t>(at)]);
        s.y.push_back(r.report.total_ms());
        if (r.report.total_ms() > 0) lo = std::min(lo, r.report.total_ms()), hi = std::max(hi, r.report.total_ms());
      }
      if (!s.x.empty()) panel.series.push_back(s);
    }
    if (!panel.series.empty()) grid.panels.push_back(panel);
  }
  // Workloads a hundred times apart would leave the small ones flat on a shared linear axis.
  const bool log_y = hi > 20 * lo;
  for (auto& p : grid.panels) p.log_y = log_y;
  std::string caption = "One panel per workload, one line per engine, on shared axes" + std::string(axis.log ? " (log x: the axis is geometric)" : "") +
                        (log_y ? " (log y: the workloads' latencies span more than 20x)" : "") + ".";
  if (axis.axes.size() == 1 && spec.axes.size() > 1) caption += " Other axes at their first values.";
  return {"latency_vs_" + safe_name(axis.path) + ".svg", caption, render_svg(grid)};
}

SweepChart speedup_line_chart(const hw::SweepSpec& spec, const std::vector<PointResult>& results, const ChartAxis& axis) {
  LineChart chart;
  chart.title = "Speedup of the LUT over the DSP against " + axis.path;
  chart.x_label = axis.path;
  chart.y_label = "speedup (DSP latency / LUT latency)";
  chart.log_x = axis.log;
  if (axis.categorical) chart.x_categories = axis.labels;
  for (size_t w = 0; w < spec.workloads.size(); ++w) {
    std::map<int, double> dsp, lut;
    for (const auto& r : results) {
      const int at = r.done && r.point.workload == static_cast<int>(w) ? position_of(spec, axis, r.point) : -1;
      if (at < 0) continue;
      if (r.point.engine == kDsp) dsp[at] = r.report.total_ms();
      if (r.point.engine == kLut) lut[at] = r.report.total_ms();
    }
    ChartSeries s{spec.workloads[w].label(), {}, {}};
    for (const auto& [at, dsp_ms] : dsp) {
      if (!lut.count(at) || !(lut[at] > 0)) continue;
      s.x.push_back(axis.x[static_cast<size_t>(at)]);
      s.y.push_back(dsp_ms / lut[at]);
    }
    if (!s.x.empty()) chart.series.push_back(s);
  }
  std::string caption = "DSP total latency over LUT total latency at the same point, one line per workload" +
                        std::string(axis.log ? " (log x: the axis is geometric)" : "") + ".";
  if (axis.axes.size() == 1 && spec.axes.size() > 1) caption += " Other axes at their first values.";
  bool vit_base = false;
  for (const auto& w : spec.workloads) vit_base = vit_base || w.label() == "vit_base";
  if (axis.path == "dram.bandwidth_gbps" && vit_base && covers_paper_npu(spec, results, axis)) {
    for (const auto& p : kPaperVitBaseSpeedups) {
      char name[96];
      std::snprintf(name, sizeof name, "paper ViT-Base %g GB/s: %.2fx", p.bandwidth_gbps, p.dsp_ms / p.lut_ms);
      chart.markers.push_back({name, p.bandwidth_gbps, p.dsp_ms / p.lut_ms});
    }
    caption += " Diamonds: the paper's published ViT-Base block (16.73 vs 12.87 ms at 3 GB/s, 8.47 vs 3.87 ms at 20 GB/s),"
               " shown because this sweep runs the paper NPU (paper_npu).";
  }
  return {"speedup_vs_" + safe_name(axis.path) + ".svg", caption, render_svg(chart)};
}

SweepChart speedup_heat_map(const hw::SweepSpec& spec, const std::vector<PointResult>& results, size_t w) {
  HeatMap map{"Speedup of the LUT over the DSP: " + spec.workloads[w].label(), spec.axes[0].path, spec.axes[1].path,
              spec.axes[0].values, spec.axes[1].values, {}};
  map.cells.assign(spec.axes[1].values.size(), std::vector<double>(spec.axes[0].values.size(), NAN));
  std::map<std::pair<size_t, size_t>, double> dsp, lut;
  for (const auto& r : results) {
    if (!r.done || r.point.workload != static_cast<int>(w) || !at_base(spec, r.point, {0, 1})) continue;
    const auto index = [&](size_t a) {
      const auto& v = spec.axes[a].values;
      return static_cast<size_t>(std::find(v.begin(), v.end(), r.point.values[a]) - v.begin());
    };
    if (r.point.engine == kDsp) dsp[{index(1), index(0)}] = r.report.total_ns;
    if (r.point.engine == kLut) lut[{index(1), index(0)}] = r.report.total_ns;
  }
  for (const auto& [cell, t] : dsp) {
    if (lut.count(cell) && lut[cell] > 0) map.cells[cell.first][cell.second] = t / lut[cell];
  }
  return {"speedup_" + safe_name(spec.workloads[w].label()) + ".svg",
          "DSP total latency over LUT total latency for " + spec.workloads[w].label() + " over " + spec.axes[0].path + " and " +
              spec.axes[1].path + (spec.axes.size() > 2 ? " (other axes at their first values)." : "."),
          render_svg(map)};
}

}  // namespace

bool is_geometric(const std::vector<std::string>& values) {
  if (values.size() < 3) return false;
  std::vector<double> v;
  for (const auto& text : values) {
    const auto x = numeric(text);
    if (!x || *x <= 0) return false;
    v.push_back(*x);
  }
  const double ratio = v[1] / v[0];
  if (std::fabs(ratio - 1) < 1e-3) return false;
  for (size_t i = 2; i < v.size(); ++i) {
    if (std::fabs(v[i] / v[i - 1] - ratio) > 1e-6 * ratio) return false;
  }
  return true;
}

SweepCharts sweep_charts(const hw::SweepSpec& spec, const std::vector<PointResult>& results) {
  SweepCharts out;
  for (size_t w = 0; w < spec.workloads.size(); ++w) out.charts.push_back(breakdown_chart(spec, results, w, out.notes));
  const bool pair = has_engine(spec, kDsp) && has_engine(spec, kLut);
  for (const ChartAxis& axis : chart_axes(spec)) {
    if (axis.labels.size() < 2) {
      out.notes.push_back("no chart against " + axis.path + ": the sweep has one value (" + axis.labels.front() +
                          "); the breakdown charts show it");
      continue;
    }
    out.charts.push_back(latency_chart(spec, results, axis));
    if (pair) out.charts.push_back(speedup_line_chart(spec, results, axis));
  }
  if (!pair) out.notes.push_back("no speedup charts: the sweep does not run both the dsp and the lut engine");
  if (pair && !spec.zipped && spec.axes.size() >= 2) {
    for (size_t w = 0; w < spec.workloads.size(); ++w) out.charts.push_back(speedup_heat_map(spec, results, w));
  }
  return out;
}

std::vector<SweepHeadline> sweep_headlines(const hw::SweepSpec& spec, const std::vector<PointResult>& results) {
  std::vector<SweepHeadline> rows;
  for (size_t w = 0; w < spec.workloads.size(); ++w) {
    SweepHeadline h;
    h.workload = spec.workloads[w].label();
    std::map<std::vector<std::string>, const PointResult*> dsp;
    for (const auto& r : results) {
      if (r.done && r.point.workload == static_cast<int>(w) && r.point.engine == kDsp) dsp[r.point.values] = &r;
    }
    for (const auto& lut : results) {
      if (!lut.done || lut.point.workload != static_cast<int>(w) || lut.point.engine != kLut) continue;
      const auto it = dsp.find(lut.point.values);
      if (it == dsp.end() || !(lut.report.total_ns > 0)) continue;
      const double speedup = it->second->report.total_ns / lut.report.total_ns;
      if (h.found && speedup <= h.speedup) continue;
      h.found = true;
      h.speedup = speedup;
      h.dsp_ms = it->second->report.total_ms();
      h.lut_ms = lut.report.total_ms();
      h.dsp_nonlinear_share = it->second->report.nonlinear_share;
      h.lut_nonlinear_share = lut.report.nonlinear_share;
      std::vector<std::string> at;
      for (size_t a = 0; a < spec.axes.size(); ++a) at.push_back(spec.axes[a].path + "=" + lut.point.values[a]);
      h.at = at.empty() ? "base config" : join(at, ", ");
    }
    rows.push_back(h);
  }
  return rows;
}

}  // namespace npusim::cli
