// Standalone SVG charts that open in a browser: line charts of several series over one x axis, with
// axes, ticks, a legend, a logarithmic y axis where errors span decades and a logarithmic x axis for
// geometric sweeps; small multiples (one panel per group, shared axes); stacked bars; heat maps.
#pragma once

#include <string>
#include <vector>

namespace npusim::cli {

struct ChartSeries {
  std::string name;
  std::vector<double> x;
  std::vector<double> y;
};

struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  bool log_y = false;  // values <= 0 are left out of a logarithmic chart
  std::vector<ChartSeries> series;
  bool log_x = false;  // ticks from log_ticks over the data's range; x <= 0 is left out
  // Non-empty: a categorical x axis, x values are indices into these labels (e.g. zipped sweep axes).
  std::vector<std::string> x_categories{};
  // Single points drawn as labelled markers over the series (e.g. published figures).
  struct Marker {
    std::string name;
    double x = 0.0, y = 0.0;
  };
  std::vector<Marker> markers{};
};

std::string render_svg(const LineChart& chart);

// Text made safe inside XML / HTML elements and attribute values.
std::string escape_xml(const std::string& text);

// Tick values of a logarithmic axis over [lo, hi] (lo > 0): 1-2-5 steps within each decade up to three
// decades, powers of ten beyond (every n-th power past a dozen); the two ends when fewer than two ticks
// fall inside.
std::vector<double> log_ticks(double lo, double hi);

// Panels in a grid, one per chart, all on the same x and y ranges (each panel's title names its group);
// one legend for series of the same name across panels.
struct SmallMultiples {
  std::string title;
  std::string x_label, y_label;
  std::vector<LineChart> panels;  // their log_x, log_y and x_categories come from the first panel
  int columns = 3;
};
std::string render_svg(const SmallMultiples& chart);

}  // namespace npusim::cli

namespace npusim::cli {

// Bars of stacked segments, one bar per label, a marker per bar (e.g. the total latency).
struct StackedBars {
  std::string title;
  std::string y_label;
  std::vector<std::string> bar_labels;
  std::vector<std::string> segment_names;
  std::vector<std::vector<double>> segments;  // [bar][segment]
  std::vector<double> markers;                // one per bar, or empty
  std::string marker_name;
  // Optional narrow bar beside each bar, stacked over the same segment names in lighter colours
  // (e.g. the busy time each category spent hidden under others).
  std::vector<std::vector<double>> side_segments{};  // [bar][segment], or empty
  std::string side_name{};
};
std::string render_svg(const StackedBars& chart);

// A grid of values coloured from low to high, each cell labelled with its value.
struct HeatMap {
  std::string title;
  std::string x_label, y_label;
  std::vector<std::string> x_values, y_values;
  std::vector<std::vector<double>> cells;  // [y][x]
};
std::string render_svg(const HeatMap& chart);

}  // namespace npusim::cli
