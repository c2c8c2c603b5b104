// Standalone SVG charts that open in a browser: line charts of several series over one x axis, with
// axes, ticks, a legend, and a logarithmic y axis where errors span decades.
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
};

std::string render_svg(const LineChart& chart);

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
