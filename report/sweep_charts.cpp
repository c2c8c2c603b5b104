#include "report/sweep_charts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "common/did_you_mean.hpp"
#include "common/error.hpp"
#include "hw/config/hw_config_io.hpp"
#include "hw/metrics/critical_path.hpp"
#include "report/svg_chart.hpp"

namespace npusim::cli {

const PublishedSpeedup kPaperVitBaseSpeedups[2] = {{3.0, 16.73, 12.87}, {20.0, 8.47, 3.87}};

namespace {

// The two engines the paper's speedup compares, as sweep points name them.
const std::string kDsp(hw::engine_name(hw::NonlinearEngine::dsp)), kLut(hw::engine_name(hw::NonlinearEngine::lut));
constexpr size_t kMaxBreakdownGroups = 12;  // more axis values are thinned: a chart stays about 1,300 px wide
constexpr size_t kMaxTickValues = 12;       // up to this many axis values, each gets its x tick
constexpr size_t kMaxHeatMapValues = 40;    // more values to a side: cells too small to read

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

bool same_value(const std::string& a, const std::string& b) {
  const auto x = numeric(a), y = numeric(b);
  return x && y ? std::fabs(*x - *y) <= 1e-9 * std::max(1.0, std::fabs(*y)) : a == b;
}

std::string format(const char* pattern, double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, v);
  return buffer;
}

// The paper NPU's value of a config path (the built-in defaults, which configs/paper_npu.yaml states).
std::optional<std::string> paper_value(const std::string& path) {
  const hw::ConfigField* field = hw::find_config_field(path);
  if (field == nullptr || !field->get) return std::nullopt;
  return field->get(hw::HwConfig{});
}

// The value an axis is held at in a chart that does not run along it: the paper NPU's when the axis has
// it, else the sweep's first.
size_t held_index(const hw::SweepSpec& spec, size_t a) {
  const auto& values = spec.axes[a].values;
  if (const auto paper = paper_value(spec.axes[a].path)) {
    for (size_t k = 0; k < values.size(); ++k) {
      if (same_value(values[k], *paper)) return k;
    }
  }
  return 0;
}

// "dsp.lanes at 16 (the paper NPU's value)", for the captions of charts that hold the axis.
std::string held_text(const hw::SweepSpec& spec, size_t a) {
  const size_t k = held_index(spec, a);
  const auto paper = paper_value(spec.axes[a].path);
  const bool is_paper = paper && same_value(spec.axes[a].values[k], *paper);
  return spec.axes[a].path + " at " + spec.axes[a].values[k] + (is_paper ? " (the paper NPU's value)" : " (the sweep's first value)");
}

// The value each axis other than `free_axes` is held at on a chart (nullopt: free, or every point of a
// zipped sweep, whose axes move together). Computed once per chart: a sweep may have 100,000 points.
using Slice = std::vector<std::optional<std::string>>;
Slice slice_of(const hw::SweepSpec& spec, const std::vector<size_t>& free_axes) {
  Slice slice(spec.axes.size());
  for (size_t a = 0; a < spec.axes.size() && !spec.zipped; ++a) {
    if (std::find(free_axes.begin(), free_axes.end(), a) == free_axes.end()) slice[a] = spec.axes[a].values[held_index(spec, a)];
  }
  return slice;
}

bool on_slice(const Slice& slice, const hw::SweepPoint& p) {
  for (size_t a = 0; a < slice.size(); ++a) {
    if (slice[a] && p.values[a] != *slice[a]) return false;
  }
  return true;
}

// The x axis of a chart: one axis of a cartesian sweep (the others held), or the axes of a zipped sweep
// together (their value combinations in order; an axis with one value is a setting, named apart).
struct ChartAxis {
  std::string path;                 // "dram.bandwidth_gbps", "mau.rows / mau.cols"
  std::vector<size_t> axes;         // into spec.axes
  std::vector<std::string> labels;  // one per position
  std::vector<double> x;            // numeric value, or the position on a categorical axis
  bool categorical = false, log = false;
  Slice slice;                                          // what the other axes are held at
  std::map<std::vector<std::string>, int> position;     // the values of `axes` -> position
};

bool distinct_values(const hw::SweepAxis& axis) {
  for (const auto& v : axis.values) {
    if (v != axis.values.front()) return true;
  }
  return false;
}

std::vector<ChartAxis> chart_axes(const hw::SweepSpec& spec) {
  std::vector<ChartAxis> result;
  if (spec.zipped && spec.axes.size() > 1) {
    ChartAxis c;
    std::vector<std::string> paths;
    for (size_t a = 0; a < spec.axes.size(); ++a) {
      if (!distinct_values(spec.axes[a])) continue;
      c.axes.push_back(a);
      paths.push_back(spec.axes[a].path);
    }
    if (c.axes.empty()) c.axes.push_back(0), paths.push_back(spec.axes[0].path);
    c.path = join_names(paths, " / ");
    c.categorical = true;
    for (size_t k = 0; k < spec.axes.front().values.size(); ++k) {
      std::vector<std::string> values;
      for (const size_t a : c.axes) values.push_back(spec.axes[a].values[k]);
      c.labels.push_back(join_names(values, " / "));
      c.x.push_back(static_cast<double>(k));
      c.position.emplace(values, static_cast<int>(k));
    }
    c.slice = slice_of(spec, c.axes);
    result.push_back(c);
    return result;
  }
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    ChartAxis c;
    c.path = spec.axes[a].path;
    c.axes = {a};
    c.labels = spec.axes[a].values;
    double lo = 1e300, hi = -1e300;
    for (const auto& label : c.labels) {
      const auto v = numeric(label);
      c.categorical = c.categorical || !v;
      if (v) c.x.push_back(*v), lo = std::min(lo, *v), hi = std::max(hi, *v);
    }
    if (c.categorical) {
      c.x.clear();
      for (size_t k = 0; k < c.labels.size(); ++k) c.x.push_back(static_cast<double>(k));
    }
    // Positive values over a wide span (bandwidths, lane counts): a log axis spreads the small ones.
    c.log = !c.categorical && lo > 0 && (is_geometric(c.labels) || hi >= 8 * lo);
    for (size_t k = 0; k < c.labels.size(); ++k) c.position.emplace(std::vector<std::string>{c.labels[k]}, static_cast<int>(k));
    c.slice = slice_of(spec, c.axes);
    result.push_back(c);
  }
  return result;
}

// Where a point sits on the chart axis, or -1 when it is off the chart's slice.
int position_of(const ChartAxis& axis, const hw::SweepPoint& p) {
  if (!on_slice(axis.slice, p)) return -1;
  std::vector<std::string> key;
  for (const size_t a : axis.axes) key.push_back(p.values[a]);
  const auto it = axis.position.find(key);
  return it == axis.position.end() ? -1 : it->second;
}

// "other axes: dsp.lanes at 16 (the paper NPU's value)", or "" for a chart along every axis.
std::string held_caption(const hw::SweepSpec& spec, const std::vector<size_t>& free_axes) {
  std::vector<std::string> held;
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    if (std::find(free_axes.begin(), free_axes.end(), a) != free_axes.end()) continue;
    if (spec.zipped) {
      held.push_back(spec.axes[a].path + " at " + spec.axes[a].values.front());  // a setting: one value
    } else {
      held.push_back(held_text(spec, a));
    }
  }
  return held.empty() ? "" : " Held: " + join_names(held, ", ") + ".";
}

bool has_engine(const hw::SweepSpec& spec, const std::string& engine) {
  return std::find(spec.engines.begin(), spec.engines.end(), engine) != spec.engines.end();
}

bool runs_paper_npu(const hw::RunReport& r) { return r.config_name.substr(0, r.config_name.find(' ')) == "paper_npu"; }

// The slice of the bandwidth chart is the paper's NPU: base config named paper_npu, and every other
// axis at the paper NPU's value.
bool covers_paper_npu(const hw::SweepSpec& spec, const std::vector<PointResult>& results, const ChartAxis& axis) {
  if (axis.axes.size() != 1 || spec.zipped) return false;
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    if (a == axis.axes.front()) continue;
    const auto paper = paper_value(spec.axes[a].path);
    if (!paper || !same_value(spec.axes[a].values[held_index(spec, a)], *paper)) return false;
  }
  bool any = false;
  for (const auto& r : results) {
    if (!r.done || position_of(axis, r.point) < 0) continue;
    if (!runs_paper_npu(r.report)) return false;
    any = true;
  }
  return any;
}

// ---- breakdowns

// Two results of the same simulation agree to the last bit.
bool same_result(const hw::RunReport& a, const hw::RunReport& b) {
  return a.total_ns == b.total_ns && a.critical_ns == b.critical_ns && a.critical_idle_ns == b.critical_idle_ns && a.busy_ns == b.busy_ns &&
         a.dram_bytes == b.dram_bytes && a.energy.total_uj() == b.energy.total_uj();
}

// The axes whose value changes an engine's result for a workload: an axis is left out when every two
// points that differ only in it gave the same result (LUT lanes do not change a DSP run).
std::vector<size_t> relevant_axes(const hw::SweepSpec& spec, const std::vector<PointResult>& results, int workload, const std::string& engine) {
  std::map<std::vector<std::string>, const hw::RunReport*> by_values;
  for (const auto& r : results) {
    if (r.done && r.point.workload == workload && r.point.engine == engine) by_values[r.point.values] = &r.report;
  }
  std::vector<size_t> relevant;
  if (spec.zipped) {
    bool differ = false;
    for (const auto& [values, report] : by_values) differ = differ || !same_result(*report, *by_values.begin()->second);
    for (size_t a = 0; a < spec.axes.size(); ++a) {
      if (differ && distinct_values(spec.axes[a])) relevant.push_back(a);
    }
    return relevant;
  }
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    // Points alike but for axis a, each against the first of them (the same result is transitive).
    std::map<std::vector<std::string>, const hw::RunReport*> first_alike;
    bool differ = false, compared = false;
    for (const auto& [values, report] : by_values) {
      std::vector<std::string> others = values;
      others[a].clear();
      const auto [it, first] = first_alike.emplace(others, report);
      if (first) continue;
      compared = true;
      differ = differ || !same_result(*report, *it->second);
    }
    if (differ || (!compared && spec.axes[a].values.size() > 1)) relevant.push_back(a);
  }
  return relevant;
}

// Every k-th of `count` positions, the first and the last included, at most `limit` of them.
std::vector<size_t> thinned(size_t count, size_t limit) {
  std::vector<size_t> keep;
  if (count == 0) return keep;
  const size_t every = count <= limit ? 1 : (count - 1 + limit - 2) / (limit - 1);
  for (size_t k = 0; k < count; k += every) keep.push_back(k);
  if (keep.back() != count - 1) keep.push_back(count - 1);
  return keep;
}

StackedBars::Bar breakdown_bar(const std::string& label, const hw::RunReport& r) {
  StackedBars::Bar bar;
  bar.label = label;
  for (const hw::Category c : hw::kCriticalPriority) {
    const size_t i = static_cast<size_t>(c);
    bar.segments.push_back(r.critical_ns[i] * 1e-6);
    bar.side_segments.push_back(std::max(0.0, r.busy_ns[i] - r.critical_ns[i]) * 1e-6);
  }
  bar.segments.push_back(r.critical_idle_ns * 1e-6);
  bar.side_segments.push_back(0.0);
  bar.marker = r.total_ms();
  return bar;
}

SweepChart breakdown_chart(const hw::SweepSpec& spec, const std::vector<PointResult>& results, size_t w, std::vector<std::string>& notes) {
  const std::string workload = spec.workloads[w].label();
  const int wi = static_cast<int>(w);
  StackedBars bars;
  bars.title = "What the total is made of: " + workload;
  bars.y_label = "time (ms)";
  bars.marker_name = "total latency";
  bars.side_name = "overlapped";
  for (const hw::Category c : hw::kCriticalPriority) bars.segment_names.emplace_back(hw::category_name(c));
  bars.segment_names.emplace_back("idle");

  // The results that can be drawn: done, with a critical path (results written before it have none).
  int missing = 0;
  std::vector<const PointResult*> usable;
  for (const auto& r : results) {
    if (!r.done || r.point.workload != wi) continue;
    double attributed = r.report.critical_idle_ns;
    for (const double v : r.report.critical_ns) attributed += v;
    if (attributed <= 0 && r.report.total_ns > 0) {
      ++missing;
      continue;
    }
    usable.push_back(&r);
  }
  if (missing > 0) {
    notes.push_back("breakdown of " + workload + ": " + std::to_string(missing) +
                    " point(s) left out, their result.json predates the critical-path breakdown (rerun them)");
  }
  std::vector<std::string> engines;
  std::map<std::string, std::vector<size_t>> relevant;
  for (const auto& e : spec.engines) {
    engines.push_back(e);
    relevant[e] = relevant_axes(spec, results, wi, e);
  }
  // The axes every engine depends on group the bars; an engine's own further axes (its lanes) tell its
  // bars within a group apart.
  std::vector<size_t> common;
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    const bool everywhere = std::all_of(engines.begin(), engines.end(), [&](const std::string& e) {
      return std::find(relevant[e].begin(), relevant[e].end(), a) != relevant[e].end();
    });
    if (everywhere) common.push_back(a);
  }
  const auto values_of = [&](const PointResult& r, const std::vector<size_t>& axes, bool own) {
    std::vector<std::string> values;
    for (const size_t a : axes) {
      const bool shared = std::find(common.begin(), common.end(), a) != common.end();
      if (own != shared) values.push_back(r.point.values[a]);
    }
    return values;
  };
  const auto paths_of = [&](const std::vector<size_t>& axes, bool own) {
    std::vector<std::string> paths;
    for (const size_t a : axes) {
      if (own != (std::find(common.begin(), common.end(), a) != common.end())) paths.push_back(spec.axes[a].path);
    }
    return join_names(paths, " / ");
  };
  bool own_axes = false;
  for (const auto& e : engines) own_axes = own_axes || relevant[e].size() > common.size();
  // Without a shared axis, each engine's results form a group of their own.
  const bool by_engine = common.empty() && own_axes;

  // Distinct results: one per engine and combination of the values that change it, in point order.
  struct Entry {
    std::string engine;
    std::vector<std::string> key;  // the values of the engine's relevant axes
    const PointResult* result;
  };
  std::vector<Entry> entries;
  std::set<std::pair<std::string, std::vector<std::string>>> seen;
  for (const PointResult* r : usable) {
    std::vector<std::string> full;
    for (const size_t a : relevant[r->point.engine]) full.push_back(r->point.values[a]);
    if (seen.insert({r->point.engine, full}).second) entries.push_back({r->point.engine, full, r});
  }
  std::vector<std::pair<std::string, std::vector<const Entry*>>> groups;  // label, bars
  std::map<std::string, size_t> group_index;
  const auto group_for = [&](const std::string& label) -> std::vector<const Entry*>& {
    const auto [it, added] = group_index.emplace(label, groups.size());
    if (added) groups.push_back({label, {}});
    return groups[it->second].second;
  };
  for (const auto& engine : engines) {
    for (const auto& e : entries) {
      if (e.engine == engine) group_for(by_engine ? engine : join_names(values_of(*e.result, common, false), " / ")).push_back(&e);
    }
  }
  if (!by_engine) {  // groups in the order of the sweep's values, not the engines'
    std::vector<std::pair<std::string, std::vector<const Entry*>>> ordered;
    std::set<std::string> placed;
    for (const auto& e : entries) {
      const std::string label = join_names(values_of(*e.result, common, false), " / ");
      if (placed.insert(label).second) ordered.push_back(groups[group_index.at(label)]);
    }
    groups = ordered;
  }
  std::vector<std::string> own_parts;
  for (const auto& e : engines) {
    const std::string own = paths_of(relevant[e], true);
    if (!own.empty()) own_parts.push_back(e + " against " + own);
  }
  bars.x_label = by_engine ? join_names(own_parts, "; ") : (common.empty() ? std::string("base config") : paths_of(common, false)) +
                                                         (own_parts.empty() ? "" : " (bars: " + join_names(own_parts, "; ") + ")");
  std::string caption = by_engine ? "One group per engine, one bar per distinct result: " + join_names(own_parts, ", ") +
                                        " (the other axes do not change that engine's runs)"
                                  : "One group per " + (common.empty() ? std::string("run") : paths_of(common, false) + " value") +
                                        ", the engines' bars side by side" + (own_parts.empty() ? "" : " (" + join_names(own_parts, ", ") + ")");
  const size_t total_groups = groups.size();
  const std::vector<size_t> keep = thinned(total_groups, kMaxBreakdownGroups);
  for (const size_t k : keep) {
    StackedBars::Group g;
    g.label = groups[k].first;
    for (const Entry* e : groups[k].second) {
      const std::vector<std::string> own = values_of(*e->result, relevant[e->engine], true);
      StackedBars::Bar bar = breakdown_bar(by_engine ? join_names(own, " / ") : e->engine + (own.empty() ? "" : " " + join_names(own, "/")), e->result->report);
      bar.name = e->engine + (e->key.empty() ? "" : " " + join_names(e->key, "/"));
      g.bars.push_back(bar);
    }
    g.new_block = by_engine && !bars.groups.empty();
    bars.groups.push_back(g);
  }
  std::vector<std::string> priority;
  for (const hw::Category c : hw::kCriticalPriority) priority.emplace_back(hw::category_name(c));
  caption += ". Each bar is the run's critical path: every instant of the run goes to the first busy category in the order " +
             join_names(priority, ", ") + " (else idle), so the stack adds up to the total latency (dashed line). The narrow bar beside "
             "it is busy time that ran hidden under other work (overlapped), by category.";
  if (keep.size() < total_groups) {
    caption += " " + std::to_string(keep.size()) + " of " + std::to_string(total_groups) +
               " values shown (evenly spaced, the first and the last); summary.csv holds every point.";
  }
  if (usable.size() > entries.size()) {
    caption += " " + std::to_string(usable.size()) + " points gave " + std::to_string(entries.size()) + " distinct results; each is drawn once.";
  }
  std::vector<size_t> free_axes;
  for (const auto& e : engines) free_axes.insert(free_axes.end(), relevant[e].begin(), relevant[e].end());
  caption += held_caption(spec, free_axes);
  return {"breakdown_" + safe_name(workload) + ".svg", caption, render_svg(bars)};
}

// ---- lines along an axis

std::vector<double> ticks_of(const ChartAxis& axis) {
  if (axis.categorical || axis.x.size() > kMaxTickValues) return {};
  return axis.x;
}

// What a line chart along an axis plots: `file`_vs_<axis>.svg, its title, y label and the sentence its
// caption starts with ("" for none); the value of a point (nullopt: not drawn).
struct Metric {
  std::string file, title, y_label, about;
  std::function<std::optional<double>(const PointResult&)> value;
};

// A metric against an axis: a panel per workload, a line per engine.
SweepChart metric_chart(const hw::SweepSpec& spec, const std::vector<PointResult>& results, const ChartAxis& axis, const Metric& metric) {
  SmallMultiples grid;
  grid.title = metric.title + " against " + axis.path;
  grid.x_label = axis.path;
  grid.y_label = metric.y_label;
  double highest = 0;
  std::vector<double> panel_highest;
  for (size_t w = 0; w < spec.workloads.size(); ++w) {
    LineChart panel;
    panel.title = spec.workloads[w].label();
    panel.log_x = axis.log;
    panel.x_ticks = ticks_of(axis);
    if (axis.categorical) panel.x_categories = axis.labels;
    for (const auto& engine : spec.engines) {
      ChartSeries s{engine, {}, {}};
      for (const auto& r : results) {
        const int at = r.done && r.point.workload == static_cast<int>(w) && r.point.engine == engine ? position_of(axis, r.point) : -1;
        const std::optional<double> v = at >= 0 ? metric.value(r) : std::nullopt;
        if (!v) continue;
        s.x.push_back(axis.x[static_cast<size_t>(at)]);
        s.y.push_back(*v);
      }
      if (!s.x.empty()) panel.series.push_back(s);
    }
    if (panel.series.empty()) continue;
    double top = 0;
    for (const auto& s : panel.series) {
      for (const double v : s.y) top = std::max(top, v);
    }
    panel_highest.push_back(top);
    highest = std::max(highest, top);
    grid.panels.push_back(panel);
  }
  // A panel whose values would fill less than 40 % of a shared axis is flattened: each panel its own range.
  grid.shared_y = std::all_of(panel_highest.begin(), panel_highest.end(), [&](double top) { return top >= 0.4 * highest; });
  std::string caption = metric.about + "One panel per workload, one line per engine" + std::string(axis.log ? "; log x: the axis spans a wide range" : "") +
                        (grid.shared_y ? "; the panels share their y axis." : "; each panel has its own y range (on one shared axis some would lie flat), read its tick labels.");
  caption += held_caption(spec, axis.axes);
  return {metric.file + "_vs_" + safe_name(axis.path) + ".svg", caption, render_svg(grid)};
}

SweepChart speedup_line_chart(const hw::SweepSpec& spec, const std::vector<PointResult>& results, const ChartAxis& axis) {
  LineChart chart;
  chart.title = "Speedup of the LUT over the DSP against " + axis.path;
  chart.x_label = axis.path;
  chart.y_label = "speedup (DSP latency / LUT latency)";
  chart.log_x = axis.log;
  chart.x_ticks = ticks_of(axis);
  chart.reference_y = 1.0;
  chart.reference_label = "1.0: LUT as fast as DSP";
  if (axis.categorical) chart.x_categories = axis.labels;
  for (size_t w = 0; w < spec.workloads.size(); ++w) {
    std::map<int, double> dsp, lut;
    for (const auto& r : results) {
      const int at = r.done && r.point.workload == static_cast<int>(w) ? position_of(axis, r.point) : -1;
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
  std::string caption = "DSP total latency over LUT total latency at the same point, one line per workload; above the dashed 1.0 line "
                        "the LUT is faster" + std::string(axis.log ? "; log x: the axis spans a wide range." : ".");
  caption += held_caption(spec, axis.axes);
  bool vit_base = false;
  for (const auto& w : spec.workloads) vit_base = vit_base || w.label() == "vit_base";
  if (axis.path == "dram.bandwidth_gbps" && vit_base && covers_paper_npu(spec, results, axis)) {
    for (const auto& p : kPaperVitBaseSpeedups) {
      chart.markers.push_back({format("paper ViT-Base %g GB/s: ", p.bandwidth_gbps) + format("%.2fx", p.dsp_ms / p.lut_ms),
                               p.bandwidth_gbps, p.dsp_ms / p.lut_ms});
    }
    caption += " Diamonds: the paper's published ViT-Base block (16.73 vs 12.87 ms at 3 GB/s, 8.47 vs 3.87 ms at 20 GB/s),"
               " shown because this sweep runs the paper NPU (paper_npu).";
  }
  return {"speedup_vs_" + safe_name(axis.path) + ".svg", caption, render_svg(chart)};
}

SweepChart speedup_heat_map(const hw::SweepSpec& spec, const std::vector<PointResult>& results, size_t w) {
  HeatMap map;
  map.title = "Speedup of the LUT over the DSP: " + spec.workloads[w].label();
  map.x_label = spec.axes[0].path;
  map.y_label = spec.axes[1].path;
  map.x_values = spec.axes[0].values;
  map.y_values = spec.axes[1].values;
  map.decimals = 2;
  map.center = 1.0;
  map.value_label = "DSP / LUT latency";
  map.cells.assign(spec.axes[1].values.size(), std::vector<double>(spec.axes[0].values.size(), NAN));
  std::map<std::pair<size_t, size_t>, double> dsp, lut;
  const Slice slice = slice_of(spec, {0, 1});
  std::map<std::string, size_t> index_of[2];
  for (size_t a = 0; a < 2; ++a) {
    for (size_t k = 0; k < spec.axes[a].values.size(); ++k) index_of[a].emplace(spec.axes[a].values[k], k);
  }
  for (const auto& r : results) {
    if (!r.done || r.point.workload != static_cast<int>(w) || !on_slice(slice, r.point)) continue;
    const auto index = [&](size_t a) { return index_of[a].at(r.point.values[a]); };
    if (r.point.engine == kDsp) dsp[{index(1), index(0)}] = r.report.total_ns;
    if (r.point.engine == kLut) lut[{index(1), index(0)}] = r.report.total_ns;
  }
  for (const auto& [cell, t] : dsp) {
    if (lut.count(cell) && lut[cell] > 0) map.cells[cell.first][cell.second] = t / lut[cell];
  }
  return {"speedup_" + safe_name(spec.workloads[w].label()) + ".svg",
          "DSP total latency over LUT total latency for " + spec.workloads[w].label() + " over " + spec.axes[0].path + " and " +
              spec.axes[1].path + ", two decimals; blue where the LUT is faster, red where the DSP is, white at 1.0." +
              held_caption(spec, {0, 1}),
          render_svg(map)};
}

// ---- headlines

// A numeric axis's smallest and largest value (its edges), or nullopt for a categorical or one-value axis.
std::vector<std::optional<std::pair<double, double>>> axis_edges(const hw::SweepSpec& spec) {
  std::vector<std::optional<std::pair<double, double>>> edges;
  for (const auto& axis : spec.axes) {
    const bool numeric_axis = std::all_of(axis.values.begin(), axis.values.end(), [](const std::string& v) { return numeric(v).has_value(); });
    if (!numeric_axis || !distinct_values(axis)) {
      edges.emplace_back();
      continue;
    }
    double lo = 1e300, hi = -1e300;
    for (const auto& v : axis.values) lo = std::min(lo, *numeric(v)), hi = std::max(hi, *numeric(v));
    edges.emplace_back(std::make_pair(lo, hi));
  }
  return edges;
}

HeadlinePoint headline_point(const hw::SweepSpec& spec, const std::vector<std::optional<std::pair<double, double>>>& edges,
                             const PointResult& dsp, const PointResult& lut) {
  HeadlinePoint h;
  h.found = true;
  h.speedup = dsp.report.total_ns / lut.report.total_ns;
  h.dsp_ms = dsp.report.total_ms();
  h.lut_ms = lut.report.total_ms();
  h.dsp_nonlinear_share = dsp.report.nonlinear_share;
  h.lut_nonlinear_share = lut.report.nonlinear_share;
  h.has_energy = dsp.report.has_energy && lut.report.has_energy;
  h.dsp_uj = dsp.report.energy.total_uj();
  h.lut_uj = lut.report.energy.total_uj();
  std::vector<std::string> at;
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    at.push_back(spec.axes[a].path + "=" + lut.point.values[a]);
    if (!edges[a]) continue;
    const double v = *numeric(lut.point.values[a]);
    h.at_edge = h.at_edge || v == edges[a]->first || v == edges[a]->second;
  }
  h.at = at.empty() ? "base config" : join_names(at, ", ");
  return h;
}

// The paper NPU's point: every axis at the paper's value (for a zipped sweep, the combination that has
// them all), on the paper's base config.
bool is_paper_point(const hw::SweepSpec& spec, const PointResult& r) {
  if (!runs_paper_npu(r.report)) return false;
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    const auto paper = paper_value(spec.axes[a].path);
    if (!paper || !same_value(r.point.values[a], *paper)) return false;
  }
  return true;
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
  const std::string held = held_fixed_note(spec);
  if (!held.empty()) out.notes.push_back(held);
  const bool pair = has_engine(spec, kDsp) && has_engine(spec, kLut);
  bool any_energy = false, any_generation = false;
  for (const auto& r : results) any_energy = any_energy || (r.done && r.report.has_energy), any_generation = any_generation || (r.done && r.generation);
  // Side by side when both are narrow (up to two panels), else one above the other.
  const bool narrow = spec.workloads.size() <= 2;
  const Metric tpot{"tpot", "Mean TPOT", "mean time per output token (ms)",
                    "Mean time per output token of each generation point's decode steps (one per new token after the first; "
                    "summary.csv has the first and the last step's too). ",
                    [](const PointResult& r) -> std::optional<double> {
                      return r.generation ? std::optional<double>(r.generation->tpot_mean_ns * 1e-6) : std::nullopt;
                    }};
  const Metric ttft{"ttft", "TTFT", "time to first token (ms)",
                    "Time to first token of each generation point: the prompt's pass and the first token's head. ",
                    [](const PointResult& r) -> std::optional<double> {
                      return r.generation ? std::optional<double>(r.generation->ttft_ns * 1e-6) : std::nullopt;
                    }};
  const Metric latency{"latency", "Total latency", "total latency (ms)",
                       any_generation ? "A generation point's total is the whole generation: TTFT and every decode step. " : "",
                       [](const PointResult& r) -> std::optional<double> { return r.report.total_ms(); }};
  const Metric energy{"energy", "Energy", "energy (mJ)", "", [](const PointResult& r) -> std::optional<double> {
                        return r.report.has_energy ? std::optional<double>(r.report.energy.total_uj() * 1e-3) : std::nullopt;
                      }};
  for (const ChartAxis& axis : chart_axes(spec)) {
    if (axis.labels.size() < 2) {
      out.notes.push_back("no chart against " + axis.path + ": the sweep has one value (" + axis.labels.front() +
                          "); the breakdown charts show it");
      continue;
    }
    if (any_generation) {
      SweepChart tpot_chart = metric_chart(spec, results, axis, tpot);
      tpot_chart.beside_next = narrow;
      out.charts.push_back(tpot_chart);
      out.charts.push_back(metric_chart(spec, results, axis, ttft));
    }
    SweepChart latency_chart = metric_chart(spec, results, axis, latency);
    latency_chart.beside_next = any_energy && narrow;
    out.charts.push_back(latency_chart);
    if (any_energy) out.charts.push_back(metric_chart(spec, results, axis, energy));
    if (pair) out.charts.push_back(speedup_line_chart(spec, results, axis));
  }
  if (!pair) out.notes.push_back("no speedup charts: the sweep does not run both the dsp and the lut engine");
  if (pair && !spec.zipped && spec.axes.size() >= 2) {
    if (spec.axes[0].values.size() > kMaxHeatMapValues || spec.axes[1].values.size() > kMaxHeatMapValues) {
      out.notes.push_back("no speedup heat maps: " + spec.axes[0].path + " and " + spec.axes[1].path + " have more than " +
                          std::to_string(kMaxHeatMapValues) + " values to a side; the speedup charts along each axis show them");
    } else {
      for (size_t w = 0; w < spec.workloads.size(); ++w) out.charts.push_back(speedup_heat_map(spec, results, w));
    }
  }
  for (size_t w = 0; w < spec.workloads.size(); ++w) out.charts.push_back(breakdown_chart(spec, results, w, out.notes));
  return out;
}

std::vector<SweepHeadline> sweep_headlines(const hw::SweepSpec& spec, const std::vector<PointResult>& results) {
  std::vector<SweepHeadline> rows;
  const auto edges = axis_edges(spec);
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
      const HeadlinePoint point = headline_point(spec, edges, *it->second, lut);
      if (is_paper_point(spec, lut)) h.paper = point;
      if (!h.best.found || point.speedup > h.best.speedup) h.best = point;
    }
    rows.push_back(h);
  }
  return rows;
}

std::string held_fixed_note(const hw::SweepSpec& spec) {
  bool array = false;
  std::optional<std::string> scale;
  for (const auto& axis : spec.axes) {
    array = array || ((axis.path == "mau.rows" || axis.path == "mau.cols") && distinct_values(axis));
    if (axis.path == "sram.scale_with_array") scale = distinct_values(axis) ? "varies" : axis.values.front();
  }
  if (!array) return "";
  hw::HwConfig base;
  if (!spec.base_config.empty()) {
    try {
      base = hw::load_hw_config(spec.base_config);
    } catch (const Error&) {
      return "";  // the spec's own checks report a base config that cannot be read
    }
  }
  const std::string sizes = "weight " + std::to_string(base.sram.weight_kib) + " KiB, activation " + std::to_string(base.sram.activation_kib) +
                            " KiB, accumulator " + std::to_string(base.sram.accumulator_kib) + " KiB";
  if (scale == std::string("varies")) return "This sweep changes the MAC array size with sram.scale_with_array both on and off: see each point's values.";
  const bool scaled = scale ? (*scale == "yes") : base.sram.scale_with_array;
  if (scaled) {
    return "This sweep changes the MAC array size, and the SRAM buffers grow with it (sram.scale_with_array: yes): " + sizes +
           " at 32 x 64, times rows x cols / 2048 elsewhere.";
  }
  return "This sweep changes the MAC array size and holds the SRAM buffers fixed at " + sizes +
         " (sram.scale_with_array: no): a bigger array streams its larger tiles through the same buffers, so it can be slower. "
         "configs/sweeps/array_size_scaled_sram.yaml grows them with the array.";
}

}  // namespace npusim::cli
