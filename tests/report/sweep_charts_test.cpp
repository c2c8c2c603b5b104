// Sweep charts and index.html from hand-made point results (no simulation): breakdowns of distinct
// results grouped by axis value (DSP and LUT side by side, long sweeps thinned) adding up to the total,
// latency and energy small multiples, the speedup chart's series, 1.0 line and the paper's markers
// (present exactly when the sweep runs the paper NPU), captions naming what is held, the headline table.
#include "report/sweep_charts.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <array>
#include <cstdio>
#include <map>
#include <regex>

#include "tests/report/chart_text.hpp"
#include <set>

#include "report/svg_chart.hpp"
#include "report/sweep_index_html.hpp"

namespace npusim::cli {
namespace {

using testing::all_of;
using testing::contains;
using testing::count;

const SweepChart* find_chart(const SweepCharts& charts, const std::string& file) {
  for (const auto& c : charts.charts) {
    if (c.file == file) return &c;
  }
  return nullptr;
}

// The value of axis `path` at point p, or `otherwise` when the sweep has no such axis.
double axis_value(const hw::SweepSpec& spec, const hw::SweepPoint& p, const std::string& path, double otherwise) {
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    if (spec.axes[a].path == path) return std::stod(p.values[a]);
  }
  return otherwise;
}

// Invented but distinct latencies: DSP total = 10 + workload + 40 / bandwidth (+ 160 / DSP lanes) ms,
// LUT = 2 + 10 / bandwidth (+ 8 / LUT lanes): each engine depends on its own lanes only. Energy: 100 uJ
// plus 1 uJ per ms (DSP), 80 uJ plus 1 uJ per ms (LUT).
hw::RunReport made_report(const hw::SweepSpec& spec, const hw::SweepPoint& p, const std::string& config_name) {
  hw::RunReport r;
  r.config_name = config_name;
  r.workload = spec.workloads[static_cast<size_t>(p.workload)].label();
  const double bandwidth = axis_value(spec, p, "dram.bandwidth_gbps", 3);
  const double dsp_lanes = axis_value(spec, p, "dsp.lanes", 0), lut_lanes = axis_value(spec, p, "lut_unit.lanes", 0);
  const double total_ms = p.engine == "dsp" ? 10 + p.workload + 40 / bandwidth + (dsp_lanes > 0 ? 160 / dsp_lanes : 0)
                                            : 2 + 10 / bandwidth + (lut_lanes > 0 ? 8 / lut_lanes : 0);
  r.total_ns = total_ms * 1e6;
  r.nonlinear_ns = (p.engine == "dsp" ? 0.5 : 0.05) * r.total_ns;
  r.nonlinear_share = r.nonlinear_ns / r.total_ns;
  // Critical path: 30 % MAU, 20 % non-linear, 50 % weight DMA; busy adds 25 % hidden weight DMA.
  r.critical_ns[static_cast<size_t>(hw::Category::mau_compute)] = 0.3 * r.total_ns;
  r.critical_ns[static_cast<size_t>(hw::Category::nonlinear_compute)] = 0.2 * r.total_ns;
  r.critical_ns[static_cast<size_t>(hw::Category::weight_dma)] = 0.5 * r.total_ns;
  r.busy_ns = r.critical_ns;
  r.busy_ns[static_cast<size_t>(hw::Category::weight_dma)] += 0.25 * r.total_ns;
  r.overlapped_ns = 0.25 * r.total_ns;
  r.energy.dram_uj = (p.engine == "dsp" ? 100 : 80) + total_ms;
  r.has_energy = true;
  return r;
}

std::vector<PointResult> made_results(const hw::SweepSpec& spec, const std::string& config_name = "paper_npu") {
  std::vector<PointResult> results;
  for (const auto& p : spec.points()) {
    PointResult r;
    r.point = p;
    r.done = true;
    r.report = made_report(spec, p, config_name);
    results.push_back(r);
  }
  return results;
}

// The "x,y " pairs of a series' polyline.
std::string series_points(const std::string& svg, const std::string& name) {
  const std::regex line("class=\"series\" data-name=\"" + name + "\"[^>]*points=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(svg, m, line) ? std::string(m[1]) : std::string("(no series " + name + ")");
}

hw::SweepSpec spec_of(const std::string& body) { return hw::parse_sweep_spec("format: npusim-sweep\nversion: 1\n" + body, "spec.yaml"); }

const char* const kBandwidthSpec =
    "workloads:\n  - {model: vit_base}\n  - {model: deit_tiny}\nengines: [dsp, lut]\n"
    "axes:\n  - {path: dram.bandwidth_gbps, range: {from: 1, to: 32, factor: 2}}\n";

TEST(SweepCharts, GeometricAxesAreDetected) {
  EXPECT_TRUE(is_geometric({"1", "2", "4", "8", "16", "32"}));
  EXPECT_TRUE(is_geometric({"0.5", "1.5", "4.5"}));
  EXPECT_FALSE(is_geometric({"1", "2", "3", "4"}));
  EXPECT_FALSE(is_geometric({"2", "4"}));  // two values make no progression
  EXPECT_FALSE(is_geometric({"1", "2", "x"}));
  EXPECT_FALSE(is_geometric({"0", "1", "2"}));
}

// Each "data-bar" stack of segments, summed.
std::map<std::string, double> stacks_of(const std::string& svg) {
  std::map<std::string, double> stack;
  const std::regex segment("class=\"segment\" data-bar=\"([^\"]+)\" data-segment=\"[^\"]+\" data-value=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), segment); it != std::sregex_iterator(); ++it) stack[(*it)[1]] += std::stod((*it)[2]);
  return stack;
}

TEST(SweepCharts, BreakdownGroupsEachAxisValueWithDspAndLutSideBySideAddingUpToTheTotal) {
  const hw::SweepSpec spec = spec_of(kBandwidthSpec);
  const auto results = made_results(spec);
  const SweepCharts charts = sweep_charts(spec, results);
  const SweepChart* chart = find_chart(charts, "breakdown_vit_base.svg");
  ASSERT_NE(chart, nullptr);
  const std::map<std::string, double> stack = stacks_of(chart->svg);
  EXPECT_EQ(stack.size(), 2u * 6u);  // dsp and lut at 1, 2, 4, 8, 16, 32 GB/s
  for (const auto& r : results) {
    if (r.point.workload != 0) continue;
    const std::string bar = r.point.engine + " " + r.point.values.front();
    ASSERT_TRUE(stack.count(bar)) << bar;
    EXPECT_NEAR(stack.at(bar), r.report.total_ms(), 1e-3 * r.report.total_ms()) << bar;
  }
  // In axis order, the two engines of one value next to each other; the axis named under the groups.
  const std::vector<std::string> order = all_of(chart->svg, "class=\"segment\" data-bar=\"([^\"]+)\" data-segment=\"mau_compute\"");
  EXPECT_EQ(order, (std::vector<std::string>{"dsp 1", "lut 1", "dsp 2", "lut 2", "dsp 4", "lut 4", "dsp 8", "lut 8", "dsp 16", "lut 16",
                                              "dsp 32", "lut 32"}));
  EXPECT_TRUE(contains(chart->svg, "class=\"x-label\"")) << "the axis is named";
  EXPECT_TRUE(contains(chart->svg, ">dram.bandwidth_gbps</text>"));
  EXPECT_TRUE(contains(chart->svg, ">overlapped</text>"));
  EXPECT_TRUE(contains(chart->svg, ">idle</text>"));
  // The hidden weight DMA stands beside each bar: a quarter of the total.
  const std::regex side("class=\"side-segment\" data-bar=\"dsp 1\" data-segment=\"weight_dma\" data-value=\"([^\"]+)\"");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(chart->svg, m, side));
  EXPECT_NEAR(std::stod(m[1]), 0.25 * (10 + 40.0), 1e-3);
}

// Issue 25: the lanes sweep drew 40 bars for 9 distinct results (LUT lanes do not change a DSP run).
TEST(SweepCharts, BreakdownDrawsEachDistinctResultOnce) {
  const hw::SweepSpec spec = spec_of("workloads:\n  - {model: vit_base}\nengines: [dsp, lut]\naxes:\n"
                                     "  - {path: lut_unit.lanes, values: [2, 4, 8, 16, 32]}\n  - {path: dsp.lanes, values: [8, 16, 32, 64]}\n");
  const auto results = made_results(spec);
  const SweepCharts charts = sweep_charts(spec, results);
  const SweepChart* chart = find_chart(charts, "breakdown_vit_base.svg");
  ASSERT_NE(chart, nullptr);
  const std::vector<std::string> bars = all_of(chart->svg, "class=\"segment\" data-bar=\"([^\"]+)\" data-segment=\"mau_compute\"");
  EXPECT_EQ(bars, (std::vector<std::string>{"dsp 8", "dsp 16", "dsp 32", "dsp 64", "lut 2", "lut 4", "lut 8", "lut 16", "lut 32"}));
  EXPECT_TRUE(contains(chart->caption, "40 points gave 9 distinct results")) << chart->caption;
  EXPECT_TRUE(contains(chart->svg, "dsp against dsp.lanes; lut against lut_unit.lanes"));
  const std::map<std::string, double> stack = stacks_of(chart->svg);
  EXPECT_NEAR(stack.at("dsp 64"), 10 + 40 / 3.0 + 160 / 64.0, 1e-3);
  EXPECT_NEAR(stack.at("lut 2"), 2 + 10 / 3.0 + 8 / 2.0, 1e-3);
}

// Issue 25: a 100-point sweep gave a 6,160-px chart with its title off screen.
TEST(SweepCharts, ALongSweepIsThinnedToAReadableWidthAndSaysSo) {
  const hw::SweepSpec spec =
      spec_of("workloads:\n  - {model: vit_base}\nengines: [dsp, lut]\naxes:\n  - {path: dram.bandwidth_gbps, range: {from: 0.5, to: 25, step: 0.5}}\n");
  const SweepCharts charts = sweep_charts(spec, made_results(spec));
  const SweepChart* chart = find_chart(charts, "breakdown_vit_base.svg");
  ASSERT_NE(chart, nullptr);
  const double width = std::stod(all_of(chart->svg, "<svg [^>]*width=\"([0-9.]+)\"").at(0));
  EXPECT_LT(width, 1600);
  EXPECT_LT(std::stod(all_of(chart->svg, "class=\"title\" x=\"([0-9.]+)\"").at(0)), width);
  const std::vector<std::string> groups = all_of(chart->svg, "class=\"group-label\"[^>]*>([^<]+)<");
  EXPECT_LE(groups.size(), 12u);
  EXPECT_EQ(groups.front(), "0.5");
  EXPECT_EQ(groups.back(), "25");
  EXPECT_TRUE(contains(chart->caption, std::to_string(groups.size()) + " of 50 values shown")) << chart->caption;
}

TEST(SweepCharts, LatencyAndEnergyAreSmallMultiplesOnALogAxisForAWideSweep) {
  const hw::SweepSpec spec = spec_of(kBandwidthSpec);
  const SweepCharts charts = sweep_charts(spec, made_results(spec));
  for (const char* file : {"latency_vs_dram_bandwidth_gbps.svg", "energy_vs_dram_bandwidth_gbps.svg"}) {
    const SweepChart* chart = find_chart(charts, file);
    ASSERT_NE(chart, nullptr) << file;
    EXPECT_EQ(count(chart->svg, "class=\"panel\""), 2u);
    EXPECT_TRUE(contains(chart->svg, "class=\"panel\" data-name=\"deit_tiny\""));
    EXPECT_EQ(count(chart->svg, "class=\"series\" data-name=\"dsp\""), 2u);
    EXPECT_TRUE(contains(chart->svg, "(log scale)"));
    // Ticks at the sweep's own values: powers of two here.
    std::vector<std::string> ticks = all_of(chart->svg, "class=\"x-tick\"[^>]*/><text[^>]*>([^<]+)<");
    ticks.resize(6);
    EXPECT_EQ(ticks, (std::vector<std::string>{"1", "2", "4", "8", "16", "32"})) << file;
  }
  // Energy in mJ: deit_tiny's DSP at 1 GB/s is 100 + (11 + 40) uJ.
  const std::string energy = find_chart(charts, "energy_vs_dram_bandwidth_gbps.svg")->svg;
  EXPECT_TRUE(contains(energy, "energy (mJ)"));
  EXPECT_TRUE(find_chart(charts, "latency_vs_dram_bandwidth_gbps.svg")->beside_next);
}

TEST(SweepCharts, SpeedupChartHasALinePerWorkloadTheOneLineAndThePaperPointsOnlyOnThePaperNpu) {
  const hw::SweepSpec spec = spec_of(kBandwidthSpec);
  const SweepCharts charts = sweep_charts(spec, made_results(spec));
  const SweepChart* chart = find_chart(charts, "speedup_vs_dram_bandwidth_gbps.svg");
  ASSERT_NE(chart, nullptr);
  EXPECT_EQ(count(chart->svg, "class=\"series\""), 2u);
  for (const char* w : {"vit_base", "deit_tiny"}) EXPECT_TRUE(contains(chart->svg, std::string("class=\"series\" data-name=\"") + w + "\"")) << w;
  const std::string points = series_points(chart->svg, "vit_base");
  EXPECT_EQ(std::count(points.begin(), points.end(), ','), 6);
  EXPECT_EQ(count(chart->svg, "class=\"reference\""), 1u);
  // The paper's published block: 16.73 / 12.87 and 8.47 / 3.87.
  EXPECT_TRUE(contains(chart->svg, "class=\"marker\" data-name=\"paper ViT-Base 3 GB/s: 1.30x\"")) << chart->svg;
  EXPECT_TRUE(contains(chart->svg, "class=\"marker\" data-name=\"paper ViT-Base 20 GB/s: 2.19x\""));

  // Another NPU, or the paper NPU with another axis away from its value, or no ViT-Base: no markers.
  const auto markers_of = [](const hw::SweepSpec& s, const std::string& config) {
    const SweepCharts all = sweep_charts(s, made_results(s, config));  // kept alive: c points into it
    const SweepChart* c = find_chart(all, "speedup_vs_dram_bandwidth_gbps.svg");
    return c == nullptr ? size_t{99} : count(c->svg, "class=\"marker\"");
  };
  EXPECT_EQ(markers_of(spec, "my_npu"), 0u);
  EXPECT_EQ(markers_of(spec, "paper_npu dram.bandwidth_gbps=6"), 2u);  // a label naming overrides
  const std::string lanes = "  - {path: lut_unit.lanes, values: [";
  EXPECT_EQ(markers_of(spec_of(std::string(kBandwidthSpec) + lanes + "4, 16]}\n"), "paper_npu"), 0u);
  EXPECT_EQ(markers_of(spec_of(std::string(kBandwidthSpec) + lanes + "4, 8]}\n"), "paper_npu"), 2u);  // 8: the paper's, held there
  EXPECT_EQ(markers_of(spec_of("workloads:\n  - {model: deit_tiny}\nengines: [dsp, lut]\n"
                               "axes:\n  - {path: dram.bandwidth_gbps, values: [1, 3, 20]}\n"),
                       "paper_npu"),
            0u);
}

// Issue 25: captions said "other axes at their first values" without naming them.
TEST(SweepCharts, CaptionsNameTheValueEachOtherAxisIsHeldAt) {
  const hw::SweepSpec spec = spec_of("workloads:\n  - {model: vit_base}\nengines: [dsp, lut]\naxes:\n"
                                     "  - {path: lut_unit.lanes, values: [2, 4, 8, 16, 32]}\n  - {path: dsp.lanes, values: [8, 16, 32, 64]}\n");
  const SweepCharts charts = sweep_charts(spec, made_results(spec));
  const SweepChart* along_lut = find_chart(charts, "latency_vs_lut_unit_lanes.svg");
  ASSERT_NE(along_lut, nullptr);
  EXPECT_TRUE(contains(along_lut->caption, "Held: dsp.lanes at 16 (the paper NPU's value).")) << along_lut->caption;
  // The DSP line along LUT lanes is the point at 16 DSP lanes: 10 + 40/3 + 10 ms.
  const std::string dsp = series_points(along_lut->svg, "dsp");
  EXPECT_NE(dsp, "(no series dsp)");
  const SweepChart* heat = find_chart(charts, "speedup_vit_base.svg");
  ASSERT_NE(heat, nullptr);
  EXPECT_EQ(count(heat->svg, "class=\"cell\""), 20u);
  // Past 40 values to a side the cells could not be read: no heat map, a note instead.
  const hw::SweepSpec wide = spec_of("workloads:\n  - {model: vit_base}\nengines: [dsp, lut]\naxes:\n"
                                     "  - {path: dram.bandwidth_gbps, range: {from: 1, to: 41, step: 1}}\n  - {path: dsp.lanes, values: [8, 16]}\n");
  const SweepCharts wide_charts = sweep_charts(wide, made_results(wide));
  EXPECT_EQ(find_chart(wide_charts, "speedup_vit_base.svg"), nullptr);
  EXPECT_TRUE(std::any_of(wide_charts.notes.begin(), wide_charts.notes.end(),
                          [](const std::string& n) { return contains(n, "no speedup heat maps") && contains(n, "more than 40 values"); }));
  const hw::SweepSpec no_paper = spec_of("workloads:\n  - {model: vit_base}\nengines: [dsp, lut]\naxes:\n"
                                         "  - {path: lut_unit.lanes, values: [2, 4]}\n  - {path: dsp.lanes, values: [8, 32]}\n");
  const SweepCharts no_paper_charts = sweep_charts(no_paper, made_results(no_paper));  // alive while `first` points into it
  const SweepChart* first = find_chart(no_paper_charts, "latency_vs_lut_unit_lanes.svg");
  ASSERT_NE(first, nullptr);
  EXPECT_TRUE(contains(first->caption, "Held: dsp.lanes at 8 (the sweep's first value).")) << first->caption;
}

TEST(SweepCharts, OneValueAxesGiveANoteAndZippedAxesACategoricalChart) {
  const hw::SweepSpec one = spec_of("workloads:\n  - {model: vit_base}\nengines: [dsp, lut]\naxes:\n  - {path: dram.bandwidth_gbps, values: [3]}\n");
  const SweepCharts charts = sweep_charts(one, made_results(one));
  EXPECT_EQ(find_chart(charts, "latency_vs_dram_bandwidth_gbps.svg"), nullptr);
  EXPECT_EQ(find_chart(charts, "speedup_vs_dram_bandwidth_gbps.svg"), nullptr);
  ASSERT_EQ(charts.notes.size(), 1u);
  EXPECT_TRUE(contains(charts.notes[0], "dram.bandwidth_gbps")) << charts.notes[0];
  EXPECT_TRUE(contains(sweep_index_html(one, made_results(one), charts), charts.notes[0]));

  const hw::SweepSpec zipped = spec_of("workloads:\n  - {model: vit_base}\nengines: [dsp, lut]\ncombine: zipped\naxes:\n"
                                       "  - {path: dram.bandwidth_gbps, values: [1, 2, 4]}\n  - {path: mau.rows, values: [16, 32, 64]}\n");
  const SweepCharts z = sweep_charts(zipped, made_results(zipped));
  const SweepChart* chart = find_chart(z, "speedup_vs_dram_bandwidth_gbps___mau_rows.svg");
  ASSERT_NE(chart, nullptr);
  for (const char* label : {">1 / 16<", ">2 / 32<", ">4 / 64<"}) EXPECT_TRUE(contains(chart->svg, label)) << label;
  const std::string points = series_points(chart->svg, "vit_base");
  EXPECT_EQ(std::count(points.begin(), points.end(), ','), 3);  // every zipped point, not just the first
  EXPECT_NE(find_chart(z, "latency_vs_dram_bandwidth_gbps___mau_rows.svg"), nullptr);
  // The array changes: the SRAM buffers the sweep holds are named.
  ASSERT_FALSE(z.notes.empty());
  EXPECT_TRUE(contains(z.notes[0], "holds the SRAM buffers fixed at weight 256 KiB, activation 768 KiB, accumulator 64 KiB")) << z.notes[0];
  EXPECT_TRUE(contains(z.notes[0], "sram.scale_with_array: no"));
}

TEST(SweepHeadlines, ThePaperNpusPointAndTheBestWithEveryAxisNamed) {
  const hw::SweepSpec spec = spec_of("workloads:\n  - {model: vit_base}\nengines: [dsp, lut]\naxes:\n"
                                     "  - {path: dram.bandwidth_gbps, values: [1, 3, 6]}\n  - {path: lut_unit.lanes, values: [4, 8, 16]}\n");
  const auto headlines = sweep_headlines(spec, made_results(spec));
  ASSERT_EQ(headlines.size(), 1u);
  const SweepHeadline& h = headlines[0];
  ASSERT_TRUE(h.paper.found);
  EXPECT_EQ(h.paper.at, "dram.bandwidth_gbps=3, lut_unit.lanes=8");
  // DSP 10 + 40/3, LUT 2 + 10/3 + 8/8 ms at the paper's point.
  EXPECT_NEAR(h.paper.speedup, (10 + 40 / 3.0) / (2 + 10 / 3.0 + 1), 1e-12);
  EXPECT_NEAR(h.paper.dsp_uj, 100 + 10 + 40 / 3.0, 1e-9);
  EXPECT_NEAR(h.paper.lut_uj, 80 + 2 + 10 / 3.0 + 1, 1e-9);
  EXPECT_FALSE(h.paper.at_edge);
  // Best: over b in {1, 3, 6} and l in {4, 8, 16} of (10 + 40/b) / (2 + 10/b + 8/l).
  double best = 0;
  std::string at;
  for (const double b : {1.0, 3.0, 6.0}) {
    for (const double l : {4.0, 8.0, 16.0}) {
      const double s = (10 + 40 / b) / (2 + 10 / b + 8 / l);
      if (s > best) best = s, at = "dram.bandwidth_gbps=" + std::to_string(static_cast<int>(b)) + ", lut_unit.lanes=" + std::to_string(static_cast<int>(l));
    }
  }
  EXPECT_NEAR(h.best.speedup, best, 1e-12);
  EXPECT_EQ(h.best.at, at);
  EXPECT_TRUE(h.best.at_edge);
  // Not the paper NPU: no paper point.
  EXPECT_FALSE(sweep_headlines(spec, made_results(spec, "my_npu"))[0].paper.found);
}

TEST(SweepIndexHtml, HeadlineTableShowsThePaperPointTheBestWhereAndEnergy) {
  const hw::SweepSpec spec = spec_of("workloads:\n  - {model: vit_base}\n  - {model: deit_tiny}\nengines: [dsp, lut]\n"
                                     "axes:\n  - {path: dram.bandwidth_gbps, values: [1, 2, 3, 4, 8, 16, 20, 32]}\n");
  const auto results = made_results(spec);
  const std::string html = sweep_index_html(spec, results, sweep_charts(spec, results));
  EXPECT_TRUE(contains(html, "<style>"));
  EXPECT_FALSE(contains(html, "http://")) << "no network";
  EXPECT_FALSE(contains(html, "https://"));
  EXPECT_LT(html.find("class=\"headline\""), html.find("<img"));
  EXPECT_TRUE(contains(html, "at the paper NPU's operating point"));
  EXPECT_TRUE(contains(html, "The paper NPU's operating point: dram.bandwidth_gbps=3 on the paper's base config."));
  // Independently: speedup(b) = (10 + w + 40/b) / (2 + 10/b); at 3 GB/s and at the best b.
  const auto speedup = [](double w, double b) { return (10 + w + 40 / b) / (2 + 10 / b); };
  double best_vit = 0, best_b = 0;
  for (const double b : {1.0, 2.0, 3.0, 4.0, 8.0, 16.0, 20.0, 32.0}) {
    if (speedup(0, b) > best_vit) best_vit = speedup(0, b), best_b = b;
  }
  char cell[160];
  std::snprintf(cell, sizeof cell, "<td class=\"name\">vit_base</td><td class=\"best\">%.2fx</td>", speedup(0, 3));
  EXPECT_TRUE(contains(html, cell)) << html;
  std::snprintf(cell, sizeof cell, "<td class=\"best\">%.2fx</td><td class=\"name\">dram.bandwidth_gbps=%g", best_vit, best_b);
  EXPECT_TRUE(contains(html, cell)) << html;
  // The LUT's energy over the DSP's at 3 GB/s: (80 + 2 + 10/3) / (100 + 10 + 40/3).
  std::snprintf(cell, sizeof cell, "%.2fx</td>", (82 + 10 / 3.0) / (110 + 40 / 3.0));
  EXPECT_TRUE(contains(html, cell)) << cell;
  EXPECT_TRUE(contains(html, "<td>50.0 % / 5.0 %</td>"));
  for (const auto& c : sweep_charts(spec, results).charts) {
    EXPECT_TRUE(contains(html, "src=\"plots/" + c.file + "\"")) << c.file;
    EXPECT_TRUE(contains(html, "<a href=\"plots/" + c.file + "\">")) << c.file << ": opens at full size";
  }
  EXPECT_TRUE(contains(html, "<a href=\"plots/\">plots/</a>")) << "the page says where its charts live";
}

// Generation points: TPOT grows with the bandwidth axis here (invented: 1 + b ms for the DSP, 0.5 + b ms
// for the LUT) while the total falls with it, so a chart of the total could not pass for the TPOT chart.
// TTFT: 300 - b ms. The last point is no generation.
std::vector<PointResult> made_generations(const hw::SweepSpec& spec) {
  std::vector<PointResult> results = made_results(spec);
  for (auto& r : results) {
    const double b = axis_value(spec, r.point, "dram.bandwidth_gbps", 3);
    GenerationFigures g;
    g.tpot_mean_ns = ((r.point.engine == "dsp" ? 1.0 : 0.5) + b) * 1e6;
    g.tpot_first_ns = g.tpot_mean_ns - 1e5, g.tpot_last_ns = g.tpot_mean_ns + 1e5;
    g.ttft_ns = (300 - b) * 1e6;
    g.decode_tokens_per_s = 1e9 / g.tpot_mean_ns;
    g.energy_per_token_uj = 2500 + b;
    r.generation = g;
  }
  results.back().generation.reset();
  return results;
}

// The y pixel of each point of a series' polyline, in x order (a larger value is drawn higher: a smaller y).
std::vector<double> series_heights(const std::string& svg, const std::string& name) {
  std::vector<double> y;
  for (const auto& pair : all_of(series_points(svg, name), "[-0-9.]+,([-0-9.]+)")) y.push_back(std::stod(pair));
  return y;
}

TEST(SweepCharts, AGenerationSweepPlotsTpotAndTtftAgainstEachAxis) {
  const hw::SweepSpec spec = spec_of("workloads:\n  - {model: vit_base}\nengines: [dsp, lut]\n"
                                     "axes:\n  - {path: dram.bandwidth_gbps, values: [1, 2, 4, 8]}\n");
  const SweepCharts charts = sweep_charts(spec, made_generations(spec));
  const SweepChart* tpot = find_chart(charts, "tpot_vs_dram_bandwidth_gbps.svg");
  const SweepChart* ttft = find_chart(charts, "ttft_vs_dram_bandwidth_gbps.svg");
  ASSERT_NE(tpot, nullptr);
  ASSERT_NE(ttft, nullptr);
  EXPECT_TRUE(tpot->beside_next);
  EXPECT_TRUE(contains(tpot->svg, "mean time per output token (ms)"));
  EXPECT_TRUE(contains(tpot->caption, "summary.csv has the first and the last step's")) << tpot->caption;
  // Before the whole-generation charts, which say what their total is.
  const auto at = [&](const std::string& file) { return find_chart(charts, file) - charts.charts.data(); };
  EXPECT_LT(at("ttft_vs_dram_bandwidth_gbps.svg"), at("latency_vs_dram_bandwidth_gbps.svg"));
  EXPECT_TRUE(contains(find_chart(charts, "latency_vs_dram_bandwidth_gbps.svg")->caption, "the whole generation: TTFT and every decode step"));
  // TPOT rises along the axis, TTFT and the total fall; the LUT at 8 GB/s has no generation and is not drawn.
  const std::vector<double> dsp = series_heights(tpot->svg, "dsp"), lut = series_heights(tpot->svg, "lut");
  ASSERT_EQ(dsp.size(), 4u);
  ASSERT_EQ(lut.size(), 3u);
  for (size_t i = 1; i < dsp.size(); ++i) EXPECT_LT(dsp[i], dsp[i - 1]) << i;
  const std::vector<double> first_token = series_heights(ttft->svg, "dsp");
  ASSERT_EQ(first_token.size(), 4u);
  for (size_t i = 1; i < first_token.size(); ++i) EXPECT_GT(first_token[i], first_token[i - 1]) << i;
  // No generation, no such charts.
  const SweepCharts plain = sweep_charts(spec, made_results(spec));
  EXPECT_EQ(find_chart(plain, "tpot_vs_dram_bandwidth_gbps.svg"), nullptr);
  EXPECT_EQ(find_chart(plain, "ttft_vs_dram_bandwidth_gbps.svg"), nullptr);
  EXPECT_FALSE(contains(find_chart(plain, "latency_vs_dram_bandwidth_gbps.svg")->caption, "generation"));
}

TEST(SweepIndexHtml, AGenerationSweepShowsEachPointsTtftAndTpot) {
  const hw::SweepSpec spec = spec_of("workloads:\n  - {model: vit_base}\nengines: [dsp, lut]\n"
                                     "axes:\n  - {path: dram.bandwidth_gbps, values: [1, 2, 4, 8]}\n  - {path: lut_unit.lanes, values: [8]}\n");
  const auto results = made_generations(spec);
  const std::string html = sweep_index_html(spec, results, sweep_charts(spec, results));
  ASSERT_TRUE(contains(html, "<h2>Generation: time to first token and per output token</h2>"));
  // The DSP at 2 GB/s: TTFT 298 ms, TPOT 3 ms (first 2.9, last 3.1), 1000 / 3 tokens/s, 2.502 mJ per token. One
  // workload and one lanes value: no column for them, named under the table.
  EXPECT_TRUE(contains(html, "<tr><td class=\"name\">dsp</td><td class=\"name\">2</td><td>298.000</td><td>3.000</td><td>2.900 / 3.100</td>"
                             "<td>333.333</td><td>2.502</td></tr>")) << html;
  EXPECT_TRUE(contains(html, "Every point: vit_base, lut_unit.lanes=8."));
  // The lowest mean TPOT (the LUT at 1 GB/s: 1.5 ms) in bold; 7 generation rows (the LUT at 8 GB/s is none).
  EXPECT_TRUE(contains(html, "<td class=\"best\">1.500</td>")) << html;
  const size_t table = html.find("table class=\"headline generation\"");
  ASSERT_NE(table, std::string::npos);
  EXPECT_EQ(count(html.substr(table, html.find("</table>", table) - table), "<tr><td"), 7u);
  EXPECT_LT(table, html.find("<img"));
  // No generation: no such section.
  EXPECT_FALSE(contains(sweep_index_html(spec, made_results(spec), sweep_charts(spec, made_results(spec))), "Generation:"));
}

}  // namespace
}  // namespace npusim::cli
