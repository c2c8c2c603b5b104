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
