#include "tools/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace npusim::cli {

namespace {

constexpr double kWidth = 900, kHeight = 520, kLeft = 90, kRight = 200, kTop = 50, kBottom = 70;
const char* const kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};

std::string escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", v);
  return buffer;
}

}  // namespace

std::string render_svg(const LineChart& chart) {
  double x_min = 1e300, x_max = -1e300, y_min = 1e300, y_max = -1e300;
  for (const auto& s : chart.series) {
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.y[i]) || (chart.log_y && s.y[i] <= 0)) continue;
      x_min = std::min(x_min, s.x[i]);
      x_max = std::max(x_max, s.x[i]);
      const double y = chart.log_y ? std::log10(s.y[i]) : s.y[i];
      y_min = std::min(y_min, y);
      y_max = std::max(y_max, y);
    }
  }
  if (x_min > x_max) x_min = 0, x_max = 1, y_min = 0, y_max = 1;
  if (x_max == x_min) x_max = x_min + 1;
  if (chart.log_y) {
    y_min = std::floor(y_min);
    y_max = std::ceil(y_max);
  }
  if (y_max == y_min) y_max = y_min + 1;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  const auto px = [&](double x) { return kLeft + (x - x_min) / (x_max - x_min) * plot_w; };
  const auto py = [&](double y) { return kTop + plot_h - (y - y_min) / (y_max - y_min) * plot_h; };

  std::ostringstream svg;
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
      << "\" viewBox=\"0 0 " << kWidth << " " << kHeight << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << kWidth / 2 << "\" y=\"28\" text-anchor=\"middle\" font-size=\"16\">" << escape(chart.title) << "</text>\n";
  // Axes and ticks.
  svg << "<g stroke=\"#333\" fill=\"none\"><rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << plot_w
      << "\" height=\"" << plot_h << "\"/></g>\n";
  for (int t = 0; t <= 5; ++t) {
    const double x = x_min + (x_max - x_min) * t / 5.0;
    svg << "<line x1=\"" << px(x) << "\" y1=\"" << kTop + plot_h << "\" x2=\"" << px(x) << "\" y2=\"" << kTop + plot_h + 5
        << "\" stroke=\"#333\"/><text x=\"" << px(x) << "\" y=\"" << kTop + plot_h + 20 << "\" text-anchor=\"middle\">"
        << number(x) << "</text>\n";
  }
  const int y_ticks = chart.log_y ? static_cast<int>(y_max - y_min) : 5;
  for (int t = 0; t <= y_ticks; ++t) {
    const double y = y_min + (y_max - y_min) * t / std::max(1, y_ticks);
    const std::string label = chart.log_y ? "1e" + number(y) : number(y);
    svg << "<line x1=\"" << kLeft - 5 << "\" y1=\"" << py(y) << "\" x2=\"" << kLeft + plot_w << "\" y2=\"" << py(y)
        << "\" stroke=\"#ddd\"/><text x=\"" << kLeft - 8 << "\" y=\"" << py(y) + 4 << "\" text-anchor=\"end\">" << label
        << "</text>\n";
  }
  svg << "<text x=\"" << kLeft + plot_w / 2 << "\" y=\"" << kHeight - 20 << "\" text-anchor=\"middle\">" << escape(chart.x_label)
      << "</text>\n<text transform=\"translate(22," << kTop + plot_h / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
      << escape(chart.y_label) << "</text>\n";
  // Series and legend.
  for (size_t k = 0; k < chart.series.size(); ++k) {
    const auto& s = chart.series[k];
    const char* colour = kColours[k % (sizeof kColours / sizeof kColours[0])];
    svg << "<polyline class=\"series\" data-name=\"" << escape(s.name) << "\" fill=\"none\" stroke=\"" << colour
        << "\" stroke-width=\"1.5\" points=\"";
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.y[i]) || (chart.log_y && s.y[i] <= 0)) continue;
      svg << px(s.x[i]) << "," << py(chart.log_y ? std::log10(s.y[i]) : s.y[i]) << " ";
    }
    svg << "\"/>\n";
    const double ly = kTop + 10 + 20.0 * static_cast<double>(k);
    svg << "<line x1=\"" << kWidth - kRight + 15 << "\" y1=\"" << ly << "\" x2=\"" << kWidth - kRight + 40 << "\" y2=\"" << ly
        << "\" stroke=\"" << colour << "\" stroke-width=\"3\"/><text x=\"" << kWidth - kRight + 46 << "\" y=\"" << ly + 4
        << "\">" << escape(s.name) << "</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace npusim::cli
