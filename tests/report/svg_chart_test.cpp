// The chart primitives (report/svg_chart.hpp) against independent computations: ticks at round values
// (1-2-5 steps, powers of two on power-of-two axes) with one precision per axis, log axes placed by
// their logarithm, small multiples on shared or per-panel y ranges, grouped bars, the heat map's colour
// scale and fixed precision, the Gantt chart's bars where their ops ran.
#include "report/svg_chart.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <map>
#include <regex>

#include "tests/report/chart_text.hpp"

namespace npusim::cli {
namespace {

using testing::all_of;
using testing::contains;
using testing::count;

// A 1-2-5 step: 1, 2 or 5 times a power of ten.
bool is_round_step(double step) {
  const double k = std::floor(std::log10(step) + 1e-9);
  const double m = step / std::pow(10.0, k);
  return std::fabs(m - 1) < 1e-9 || std::fabs(m - 2) < 1e-9 || std::fabs(m - 5) < 1e-9;
}

TEST(SvgTicks, LinearTicksAreRoundStepsCoveringTheRange) {
  // The axes: 0..34.85 ms (was 6.97, 13.94, ...) and speedups 0..8.148 (was 1.63, 3.259, ...).
  EXPECT_EQ(linear_ticks(0, 34.85), (std::vector<double>{0, 10, 20, 30, 40}));
  EXPECT_EQ(linear_ticks(0, 8.148), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  for (const auto& [lo, hi] : std::vector<std::pair<double, double>>{{0, 1.377}, {0.3, 0.31}, {-4, 17}, {0, 65536}, {2, 2}, {0, 1e-5}}) {
    const std::vector<double> t = linear_ticks(lo, hi, 6);
    ASSERT_GE(t.size(), 2u) << lo << " " << hi;
    EXPECT_LE(t.size(), 6u) << lo << " " << hi;
    EXPECT_LE(t.front(), lo + 1e-12 * std::fabs(lo)) << lo << " " << hi;
    EXPECT_GE(t.back(), hi - 1e-12 * std::fabs(hi)) << lo << " " << hi;
    const double step = t[1] - t[0];
    EXPECT_TRUE(is_round_step(step)) << step;
    for (size_t i = 1; i < t.size(); ++i) EXPECT_NEAR(t[i] - t[i - 1], step, 1e-9 * std::max(1.0, std::fabs(t[i]))) << i;
    for (const double v : t) EXPECT_NEAR(v / step, std::round(v / step), 1e-6) << v;  // multiples of the step
  }
}

TEST(SvgTicks, LabelsOfOneAxisShareOnePrecision) {
  EXPECT_EQ(tick_labels({0, 0.5, 1, 1.5}), (std::vector<std::string>{"0.0", "0.5", "1.0", "1.5"}));
  EXPECT_EQ(tick_labels({0, 10, 20}), (std::vector<std::string>{"0", "10", "20"}));
  EXPECT_EQ(tick_labels({0, 0.02, 0.04}), (std::vector<std::string>{"0.00", "0.02", "0.04"}));
}

TEST(SvgTicks, LogAndPowerOfTwoTicks) {
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
  near(power_of_two_ticks(2, 32), {2, 4, 8, 16, 32});
  near(power_of_two_ticks(3, 40), {4, 8, 16, 32});
  near(power_of_two_ticks(1, 1024, 6), {1, 4, 16, 64, 256, 1024});
}

// x tick positions by label.
std::map<std::string, double> x_ticks_of(const std::string& svg) {
  std::map<std::string, double> at;
  const std::regex tick("class=\"x-tick\" x1=\"([0-9.]+)\"[^>]*/><text[^>]*>([^<]+)</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), tick); it != std::sregex_iterator(); ++it) at[(*it)[2]] = std::stod((*it)[1]);
  return at;
}

TEST(SvgLineChart, LogXPlacesTicksByTheirLogarithmAndPowerOfTwoDataGetPowerOfTwoTicks) {
  LineChart chart;
  chart.log_x = true;
  chart.series.push_back({"s", {1, 10, 100}, {1, 2, 3}});
  std::map<std::string, double> at = x_ticks_of(render_svg(chart));
  ASSERT_TRUE(at.count("1") && at.count("10") && at.count("100") && at.count("2") && at.count("50"));
  EXPECT_NEAR(at["10"] - at["1"], at["100"] - at["10"], 1e-3);  // equal distance per decade
  EXPECT_NEAR((at["2"] - at["1"]) / (at["10"] - at["1"]), std::log10(2.0), 1e-4);

  // Lane counts 2..32 (the issue: ticks at 5, 10, 20 on such an axis).
  LineChart lanes;
  lanes.log_x = true;
  lanes.series.push_back({"s", {2, 4, 8, 16, 32}, {1, 2, 3, 4, 5}});
  at = x_ticks_of(render_svg(lanes));
  std::vector<std::string> labels;
  for (const auto& [label, x] : at) labels.push_back(label);
  EXPECT_EQ(labels, (std::vector<std::string>{"16", "2", "32", "4", "8"}));
}

TEST(SvgLineChart, TheReferenceLineSitsAtItsValue) {
  LineChart chart;
  chart.series.push_back({"w", {1, 2, 3}, {1.2, 1.8, 2.6}});
  chart.reference_y = 1.0;
  chart.reference_label = "1.0: LUT as fast as DSP";
  const std::string svg = render_svg(chart);
  // y ticks 0, 1, 2, 3: the line at 1.0 lies where the tick 1 is.
  const std::regex tick("class=\"y-tick\" x1=\"[0-9.]+\" y1=\"([0-9.]+)\"[^>]*/><text[^>]*>1</text>");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, tick)) << svg;
  const std::vector<std::string> line = all_of(svg, "class=\"reference\"><line x1=\"[0-9.]+\" y1=\"([0-9.]+)\"");
  ASSERT_EQ(line.size(), 1u);
  EXPECT_DOUBLE_EQ(std::stod(line[0]), std::stod(m[1]));
  EXPECT_TRUE(contains(svg, "1.0: LUT as fast as DSP"));
}

TEST(SvgSmallMultiples, PanelsFillAGridAndKeepTheirOwnYRangeWhenAsked) {
  SmallMultiples grid;
  grid.columns = 3;
  for (int p = 0; p < 4; ++p) {
    LineChart panel;
    panel.title = "w" + std::to_string(p);
    const double scale = std::pow(10.0, p);  // 1, 10, 100, 1000: shared, w0 would lie flat
    panel.series.push_back({"dsp", {1, 2}, {2 * scale, 1 * scale}});
    panel.series.push_back({"lut", {1, 2}, {1 * scale, 0.5 * scale}});
    grid.panels.push_back(panel);
  }
  const auto frames_of = [](const std::string& svg) {
    std::vector<std::array<double, 4>> frames;
    const std::regex frame("class=\"panel\" data-name=\"w[0-9]\">[\\s\\S]*?<rect x=\"([0-9.]+)\" y=\"([0-9.]+)\" width=\"([0-9.]+)\" height=\"([0-9.]+)\"");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), frame); it != std::sregex_iterator(); ++it) {
      frames.push_back({std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]), std::stod((*it)[4])});
    }
    return frames;
  };
  // The first point of each panel's "dsp" line, as a fraction of its frame's height from the bottom.
  const auto dsp_heights = [&](const std::string& svg) {
    const auto frames = frames_of(svg);
    const std::vector<std::string> ys = all_of(svg, "data-name=\"dsp\"[^>]*points=\"[0-9.]+,([0-9.]+) ");
    std::vector<double> h;
    for (size_t i = 0; i < ys.size() && i < frames.size(); ++i) h.push_back((frames[i][1] + frames[i][3] - std::stod(ys[i])) / frames[i][3]);
    return h;
  };
  grid.shared_y = true;
  const std::string shared = render_svg(grid);
  const auto frames = frames_of(shared);
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_EQ(frames[0][1], frames[2][1]);  // first row
  EXPECT_LT(frames[0][0], frames[1][0]);
  EXPECT_EQ(frames[3][0], frames[0][0]);  // second row, first column
  EXPECT_GT(frames[3][1], frames[0][1] + frames[0][3]);
  const std::vector<double> flat = dsp_heights(shared);
  ASSERT_EQ(flat.size(), 4u);
  EXPECT_LT(flat[0], 0.01);  // 2 on an axis to 2000
  EXPECT_EQ(count(shared, ">dsp</text>"), 1u);  // one legend

  grid.shared_y = false;
  const std::vector<double> own = dsp_heights(render_svg(grid));
  ASSERT_EQ(own.size(), 4u);
  for (const double h : own) EXPECT_NEAR(h, own[0], 1e-9);  // every panel scaled to its own values
  EXPECT_GT(own[0], 0.5);
}

TEST(SvgStackedBars, GroupsHoldTheirBarsSideBySideUnderTheirLabels) {
  StackedBars chart;
  chart.title = "t";
  chart.x_label = "dram.bandwidth_gbps";
  chart.segment_names = {"a", "b"};
  for (const char* value : {"1", "2", "4"}) {
    StackedBars::Group g;
    g.label = value;
    g.bars.push_back({"dsp", {1, 2}, {}, 3.0});
    g.bars.push_back({"lut", {1, 1}, {}, 2.0});
    chart.groups.push_back(g);
  }
  const std::string svg = render_svg(chart);
  const std::vector<std::string> bars = all_of(svg, "class=\"segment\" data-bar=\"([^\"]+)\" data-segment=\"a\"");
  EXPECT_EQ(bars, (std::vector<std::string>{"dsp 1", "lut 1", "dsp 2", "lut 2", "dsp 4", "lut 4"}));
  EXPECT_EQ(all_of(svg, "class=\"group-label\"[^>]*>([^<]+)<"), (std::vector<std::string>{"1", "2", "4"}));
  EXPECT_TRUE(contains(svg, ">dram.bandwidth_gbps</text>"));
  // Within a group the bars are closer than across groups.
  const std::vector<std::string> xs = all_of(svg, "class=\"segment\" data-bar=\"[^\"]+\" data-segment=\"a\" data-value=\"[^\"]+\" x=\"([0-9.]+)\"");
  ASSERT_EQ(xs.size(), 6u);
  EXPECT_LT(std::stod(xs[1]) - std::stod(xs[0]), std::stod(xs[2]) - std::stod(xs[1]));
}

TEST(SvgHeatMap, CellsHaveOnePrecisionAndAColourScaleDivergingAtTheCentre) {
  HeatMap map;
  map.title = "speedup";
  map.x_values = {"2", "4"};
  map.y_values = {"8", "64"};
  map.cells = {{1.672, 1.7}, {0.9904, 1.0}};
  map.decimals = 2;
  map.center = 1.0;
  const std::string svg = render_svg(map);
  EXPECT_EQ(all_of(svg, "class=\"cell-value\"[^>]*>([^<]+)<"), (std::vector<std::string>{"1.67", "1.70", "0.99", "1.00"}));
  EXPECT_TRUE(contains(svg, "class=\"colour-scale\""));
  EXPECT_EQ(all_of(svg, "class=\"scale-label\"[^>]*>([^<]+)<"), (std::vector<std::string>{"0.30", "1.70", "1.00"}));
  const std::vector<std::string> fills = all_of(svg, "class=\"cell\"[^>]*fill=\"(#[0-9a-f]+)\"");
  ASSERT_EQ(fills.size(), 4u);
  const auto rgb = [](const std::string& c) {
    return std::array<int, 3>{std::stoi(c.substr(1, 2), nullptr, 16), std::stoi(c.substr(3, 2), nullptr, 16), std::stoi(c.substr(5, 2), nullptr, 16)};
  };
  EXPECT_EQ(fills[3], "#ffffff");                 // 1.00: the centre
  EXPECT_GT(rgb(fills[1])[2], rgb(fills[1])[0]);  // above: blue
  EXPECT_GT(rgb(fills[2])[0], rgb(fills[2])[2]);  // below: red
}

TEST(SvgGantt, EachRowSpansItsStartToItsEnd) {
  Gantt chart;
  chart.title = "run";
  chart.rows = {{"a", 0.0, 2.0, "mau"}, {"b", 1.0, 5.0, "dsp"}, {"c", 5.0, 6.0, "mau"}};
  const std::string svg = render_svg(chart);
  const std::regex op("class=\"op\" data-op=\"([a-z])\"[^>]*x=\"([0-9.]+)\" y=\"[0-9.]+\" width=\"([0-9.]+)\"[^>]*fill=\"(#[0-9a-f]+)\"");
  std::map<std::string, std::array<double, 2>> box;
  std::map<std::string, std::string> fill;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), op); it != std::sregex_iterator(); ++it) {
    box[(*it)[1]] = {std::stod((*it)[2]), std::stod((*it)[3])};
    fill[(*it)[1]] = (*it)[4];
  }
  ASSERT_EQ(box.size(), 3u);
  const double per_ms = box["b"][1] / 4.0;  // b lasts 4 ms
  EXPECT_NEAR(box["a"][1], 2 * per_ms, 1e-2);  // coordinates have six digits
  EXPECT_NEAR(box["b"][0] - box["a"][0], 1 * per_ms, 1e-2);
  EXPECT_NEAR(box["c"][0] - box["a"][0], 5 * per_ms, 1e-2);
  EXPECT_EQ(fill["a"], fill["c"]);  // one colour per kind
  EXPECT_NE(fill["a"], fill["b"]);
}

}  // namespace
}  // namespace npusim::cli
