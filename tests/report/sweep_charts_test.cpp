// Sweep charts and index.html from hand-made point results (no simulation): log-axis ticks, small
// multiples, one breakdown bar per point adding up to the total, the speedup chart's series and the
// paper's markers (present exactly when the sweep runs the paper NPU), the headline table.
#include "report/sweep_charts.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <array>
#include <cstdio>
#include <map>
#include <regex>
#include <set>

#include "report/svg_chart.hpp"
#include "report/sweep_index_html.hpp"

namespace npusim::cli {
namespace {

bool contains(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

size_t count(const std::string& text, const std::string& fragment) {
  size_t n = 0;
  for (size_t at = text.find(fragment); at != std::string::npos; at = text.find(fragment, at + 1)) ++n;
  return n;
}

const SweepChart* find_chart(const SweepCharts& charts, const std::string& file) {
  for (const auto& c : charts.charts) {
    if (c.file == file) return &c;
  }
  return nullptr;
}

// Invented but distinct latencies: DSP total = 10 + workload + 40 / bandwidth ms, LUT = 2 + 10 / bandwidth.
hw::RunReport made_report(const hw::SweepSpec& spec, const hw::SweepPoint& p, const std::string& config_name) {
  hw::RunReport r;
  r.config_name = config_name;
  r.workload = spec.workloads[static_cast<size_t>(p.workload)].label();
  const double bandwidth = std::stod(p.values.front());
  const double total_ms = p.engine == "dsp" ? 10 + p.workload + 40 / bandwidth : 2 + 10 / bandwidth;
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

TEST(SvgLogAxis, TicksFollowOneTwoFiveWithinThreeDecadesAndPowersBeyond) {
  const auto near = [](const std::vector<double>& got, const std::vector<double>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12 * want[i]) << i;
  };
  near(log_ticks(1, 32), {1, 2, 5, 10, 20});
  near(log_ticks(0.5, 25), {0.5, 1, 2, 5, 10, 20});
  near(log_ticks(1, 1e6), {1, 10, 100, 1e3, 1e4, 1e5, 1e6});
  near(log_ticks(3, 4), {3, 4});  // no 1-2-5 tick inside: the ends
  near(log_ticks(1e-20, 1e20), {1e-14, 1e-7, 1, 1e7, 1e14});  // every 7th power past a dozen decades
  EXPECT_TRUE(log_ticks(0, 10).empty());
}

TEST(SvgLogAxis, LogXPlacesTicksByTheirLogarithm) {
  LineChart chart;
  chart.log_x = true;
  chart.series.push_back({"s", {1, 10, 100}, {1, 2, 3}});
  const std::string svg = render_svg(chart);
  std::map<std::string, double> at;
  const std::regex tick("class=\"x-tick\" x1=\"([0-9.]+)\"[^>]*/><text[^>]*>([^<]+)</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), tick); it != std::sregex_iterator(); ++it) {
    at[(*it)[2]] = std::stod((*it)[1]);
  }
  ASSERT_TRUE(at.count("1") && at.count("10") && at.count("100") && at.count("2") && at.count("50")) << svg;
  EXPECT_NEAR(at["10"] - at["1"], at["100"] - at["10"], 1e-3);  // equal distance per decade
  EXPECT_NEAR((at["2"] - at["1"]) / (at["10"] - at["1"]), std::log10(2.0), 1e-4);
  EXPECT_TRUE(contains(svg, "(log scale)"));
}

TEST(SvgSmallMultiples, PanelsFillAGridOnSharedAxesWithOneLegend) {
  SmallMultiples grid;
  grid.columns = 3;
  for (int p = 0; p < 4; ++p) {
    LineChart panel;
    panel.title = "w" + std::to_string(p);
    panel.series.push_back({"dsp", {1, 2}, {1.0 + p, 2.0 + p}});
    panel.series.push_back({"lut", {1, 2}, {0.5, 1.0}});
    grid.panels.push_back(panel);
  }
  const std::string svg = render_svg(grid);
  EXPECT_EQ(count(svg, "class=\"panel\""), 4u);
  // Each panel's frame: the first rect after its group opens.
  const std::regex frame("class=\"panel\" data-name=\"(w[0-9])\">[\\s\\S]*?<rect x=\"([0-9.]+)\" y=\"([0-9.]+)\" width=\"([0-9.]+)\" height=\"([0-9.]+)\"");
  std::vector<std::array<double, 4>> frames;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), frame); it != std::sregex_iterator(); ++it) {
    frames.push_back({std::stod((*it)[2]), std::stod((*it)[3]), std::stod((*it)[4]), std::stod((*it)[5])});
  }
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_EQ(frames[0][1], frames[1][1]);  // first row
  EXPECT_EQ(frames[1][1], frames[2][1]);
  EXPECT_LT(frames[0][0], frames[1][0]);
  EXPECT_LT(frames[1][0], frames[2][0]);
  EXPECT_EQ(frames[3][0], frames[0][0]);  // second row, first column
  EXPECT_GT(frames[3][1], frames[0][1] + frames[0][3]);
  for (const auto& f : frames) {
    EXPECT_EQ(f[2], frames[0][2]);
    EXPECT_EQ(f[3], frames[0][3]);
  }
  // Shared y: the same value sits at the same height in every panel, so the "lut" lines (same data) match
  // relative to their frames.
  const std::regex lut("data-name=\"lut\"[^>]*points=\"[0-9.]+,([0-9.]+) ");
  std::vector<double> lut_y;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), lut); it != std::sregex_iterator(); ++it) lut_y.push_back(std::stod((*it)[1]));
  ASSERT_EQ(lut_y.size(), 4u);
  EXPECT_NEAR(lut_y[1] - frames[1][1], lut_y[0] - frames[0][1], 1e-6);
  EXPECT_NEAR(lut_y[3] - frames[3][1], lut_y[0] - frames[0][1], 1e-6);
  // One legend: each series name once outside the panels, in a <text> of its own.
  EXPECT_EQ(count(svg, ">dsp</text>"), 1u);
  EXPECT_EQ(count(svg, ">lut</text>"), 1u);
}

TEST(SweepCharts, GeometricAxesAreDetected) {
  EXPECT_TRUE(is_geometric({"1", "2", "4", "8", "16", "32"}));
  EXPECT_TRUE(is_geometric({"0.5", "1.5", "4.5"}));
  EXPECT_FALSE(is_geometric({"1", "2", "3", "4"}));
  EXPECT_FALSE(is_geometric({"2", "4"}));  // two values make no progression
  EXPECT_FALSE(is_geometric({"1", "2", "x"}));
  EXPECT_FALSE(is_geometric({"0", "1", "2"}));
}

TEST(SweepCharts, BreakdownHasOneBarPerPointAddingUpToItsTotal) {
  const hw::SweepSpec spec = spec_of(kBandwidthSpec);
  const auto results = made_results(spec);
  const SweepCharts charts = sweep_charts(spec, results);
  const SweepChart* chart = find_chart(charts, "breakdown_vit_base.svg");
  ASSERT_NE(chart, nullptr);
  std::map<std::string, double> stack;
  const std::regex segment("class=\"segment\" data-bar=\"([^\"]+)\" data-segment=\"[^\"]+\" data-value=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(chart->svg.begin(), chart->svg.end(), segment); it != std::sregex_iterator(); ++it) {
    stack[(*it)[1]] += std::stod((*it)[2]);
  }
  EXPECT_EQ(stack.size(), 2u * 6u);  // dsp and lut at 1, 2, 4, 8, 16, 32 GB/s
  for (const auto& r : results) {
    if (r.point.workload != 0) continue;
    const std::string bar = r.point.engine + " " + r.point.values.front();
    ASSERT_TRUE(stack.count(bar)) << bar;
    EXPECT_NEAR(stack[bar], r.report.total_ms(), 1e-3 * r.report.total_ms()) << bar;
  }
  // The hidden weight DMA stands beside each bar: a quarter of the total.
  const std::regex side("class=\"side-segment\" data-bar=\"dsp 1\" data-segment=\"weight_dma\" data-value=\"([^\"]+)\"");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(chart->svg, m, side));
  EXPECT_NEAR(std::stod(m[1]), 0.25 * (10 + 40.0), 1e-3);
}

TEST(SweepCharts, LatencyIsSmallMultiplesOnALogAxisForAGeometricSweep) {
  const hw::SweepSpec spec = spec_of(kBandwidthSpec);
  const SweepCharts charts = sweep_charts(spec, made_results(spec));
  const SweepChart* chart = find_chart(charts, "latency_vs_dram_bandwidth_gbps.svg");
  ASSERT_NE(chart, nullptr);
  EXPECT_EQ(count(chart->svg, "class=\"panel\""), 2u);
  EXPECT_TRUE(contains(chart->svg, "class=\"panel\" data-name=\"deit_tiny\""));
  EXPECT_EQ(count(chart->svg, "class=\"series\" data-name=\"dsp\""), 2u);
  EXPECT_TRUE(contains(chart->svg, "(log scale)"));
}

TEST(SweepCharts, SpeedupChartHasALinePerWorkloadAndThePaperPointsOnlyOnThePaperNpu) {
  const hw::SweepSpec spec = spec_of(kBandwidthSpec);
  const SweepCharts charts = sweep_charts(spec, made_results(spec));
  const SweepChart* chart = find_chart(charts, "speedup_vs_dram_bandwidth_gbps.svg");
  ASSERT_NE(chart, nullptr);
  EXPECT_EQ(count(chart->svg, "class=\"series\""), 2u);
  for (const char* w : {"vit_base", "deit_tiny"}) EXPECT_TRUE(contains(chart->svg, std::string("class=\"series\" data-name=\"") + w + "\"")) << w;
  // Six points per line.
  const std::string points = series_points(chart->svg, "vit_base");
  EXPECT_EQ(std::count(points.begin(), points.end(), ','), 6);
  // SPEC 4: 16.73 / 12.87 and 8.47 / 3.87.
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
  EXPECT_EQ(markers_of(spec_of(std::string(kBandwidthSpec) + lanes + "4, 8]}\n"), "paper_npu"), 0u);
  EXPECT_EQ(markers_of(spec_of(std::string(kBandwidthSpec) + lanes + "8, 4]}\n"), "paper_npu"), 2u);  // 8: the paper's
  EXPECT_EQ(markers_of(spec_of("workloads:\n  - {model: deit_tiny}\nengines: [dsp, lut]\n"
                               "axes:\n  - {path: dram.bandwidth_gbps, values: [1, 3, 20]}\n"),
                       "paper_npu"),
            0u);
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
}

TEST(SweepIndexHtml, HeadlineTableShowsTheBestSpeedupWhereAndTheNonLinearShare) {
  const hw::SweepSpec spec = spec_of(kBandwidthSpec);
  const auto results = made_results(spec);
  const std::string html = sweep_index_html(spec, results, sweep_charts(spec, results));
  EXPECT_TRUE(contains(html, "<style>"));
  EXPECT_FALSE(contains(html, "http://")) << "self-contained";
  EXPECT_FALSE(contains(html, "https://"));
  EXPECT_LT(html.find("class=\"headline\""), html.find("<img"));
  // Independently: speedup(b) = (10 + w + 40/b) / (2 + 10/b) over b = 1, 2, ..., 32 (made_report).
  double best_vit = 0, best_deit = 0, best_vit_b = 0;
  for (double b = 1; b <= 32; b *= 2) {
    const double vit = (10 + 40 / b) / (2 + 10 / b), deit = (11 + 40 / b) / (2 + 10 / b);
    if (vit > best_vit) best_vit = vit, best_vit_b = b;
    best_deit = std::max(best_deit, deit);
  }
  char cell[64];
  std::snprintf(cell, sizeof cell, "%.2fx", best_vit);
  EXPECT_TRUE(contains(html, std::string("<td class=\"name\">vit_base</td><td class=\"best\">") + cell)) << html;
  std::snprintf(cell, sizeof cell, "dram.bandwidth_gbps=%g", best_vit_b);
  EXPECT_TRUE(contains(html, cell));
  std::snprintf(cell, sizeof cell, "<td class=\"best\">%.2fx", best_deit);
  EXPECT_TRUE(contains(html, cell));
  // Non-linear shares there: 50 % on the DSP and 5 % on the LUT (made_report).
  EXPECT_TRUE(contains(html, "<td>50.0 %</td><td>5.0 %</td>"));
  for (const auto& c : sweep_charts(spec, results).charts) EXPECT_TRUE(contains(html, "src=\"plots/" + c.file + "\"")) << c.file;
}

}  // namespace
}  // namespace npusim::cli
