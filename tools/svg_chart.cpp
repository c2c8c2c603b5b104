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
      x_min = std::min(x_min, s.x[i]);  // the x axis spans every point, drawn or not
      x_max = std::max(x_max, s.x[i]);
      if (!std::isfinite(s.y[i]) || (chart.log_y && s.y[i] <= 0)) continue;
      const double y = chart.log_y ? std::log10(s.y[i]) : s.y[i];
      y_min = std::min(y_min, y);
      y_max = std::max(y_max, y);
    }
  }
  if (x_min > x_max) x_min = 0, x_max = 1;
  if (y_min > y_max) y_min = 0, y_max = 1;
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
    // Past the palette, dashes tell series of the same colour apart.
    const std::string dashes = k < 8 ? "" : (k < 16 ? " stroke-dasharray=\"6,3\"" : " stroke-dasharray=\"2,2\"");
    svg << "<polyline class=\"series\" data-name=\"" << escape(s.name) << "\" fill=\"none\" stroke=\"" << colour
        << "\" stroke-width=\"1.5\"" << dashes << " points=\"";
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!std::isfinite(s.y[i]) || (chart.log_y && s.y[i] <= 0)) continue;
      svg << px(s.x[i]) << "," << py(chart.log_y ? std::log10(s.y[i]) : s.y[i]) << " ";
    }
    svg << "\"/>\n";
    const double ly = kTop + 10 + 20.0 * static_cast<double>(k);
    svg << "<line x1=\"" << kWidth - kRight + 15 << "\" y1=\"" << ly << "\" x2=\"" << kWidth - kRight + 40 << "\" y2=\"" << ly
        << "\" stroke=\"" << colour << "\" stroke-width=\"3\"" << dashes << "/><text x=\"" << kWidth - kRight + 46 << "\" y=\"" << ly + 4
        << "\">" << escape(s.name) << "</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace npusim::cli

namespace npusim::cli {

namespace {

std::string svg_header(double width, double height, const std::string& title) {
  std::ostringstream svg;
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 "
      << width << " " << height << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << width / 2 << "\" y=\"28\" text-anchor=\"middle\" font-size=\"16\">" << escape(title) << "</text>\n";
  return svg.str();
}

}  // namespace

std::string render_svg(const StackedBars& chart) {
  const double width = std::max(820.0, 140.0 + 70.0 * static_cast<double>(chart.bar_labels.size()) + 220.0), height = 520;
  const double left = 90, bottom = 110, top = 50, plot_h = height - top - bottom;
  double largest = 0;
  for (size_t b = 0; b < chart.segments.size(); ++b) {
    double sum = 0;
    for (const double v : chart.segments[b]) sum += std::max(0.0, v);
    largest = std::max(largest, sum);
    if (b < chart.markers.size()) largest = std::max(largest, chart.markers[b]);
  }
  if (largest <= 0) largest = 1;
  const auto py = [&](double v) { return top + plot_h - v / largest * plot_h; };
  std::ostringstream svg;
  svg << svg_header(width, height, chart.title);
  for (int t = 0; t <= 5; ++t) {
    const double v = largest * t / 5.0;
    svg << "<line x1=\"" << left << "\" y1=\"" << py(v) << "\" x2=\"" << width - 220 << "\" y2=\"" << py(v)
        << "\" stroke=\"#ddd\"/><text x=\"" << left - 8 << "\" y=\"" << py(v) + 4 << "\" text-anchor=\"end\">" << number(v)
        << "</text>\n";
  }
  svg << "<text transform=\"translate(22," << top + plot_h / 2 << ") rotate(-90)\" text-anchor=\"middle\">" << escape(chart.y_label) << "</text>\n";
  for (size_t b = 0; b < chart.bar_labels.size(); ++b) {
    const double x = left + 20 + 70.0 * static_cast<double>(b);
    double base = 0;
    for (size_t s = 0; s < chart.segment_names.size() && b < chart.segments.size(); ++s) {
      const double v = s < chart.segments[b].size() ? std::max(0.0, chart.segments[b][s]) : 0.0;
      svg << "<rect class=\"segment\" data-bar=\"" << escape(chart.bar_labels[b]) << "\" data-segment=\"" << escape(chart.segment_names[s])
          << "\" x=\"" << x << "\" y=\"" << py(base + v) << "\" width=\"40\" height=\"" << py(base) - py(base + v) << "\" fill=\""
          << kColours[s % (sizeof kColours / sizeof kColours[0])] << "\"/>\n";
      base += v;
    }
    if (b < chart.markers.size()) {
      svg << "<line class=\"marker\" x1=\"" << x - 6 << "\" y1=\"" << py(chart.markers[b]) << "\" x2=\"" << x + 46 << "\" y2=\""
          << py(chart.markers[b]) << "\" stroke=\"black\" stroke-width=\"2\" stroke-dasharray=\"4,2\"/>\n";
    }
    svg << "<text transform=\"translate(" << x + 20 << "," << top + plot_h + 12 << ") rotate(40)\">" << escape(chart.bar_labels[b]) << "</text>\n";
  }
  for (size_t s = 0; s < chart.segment_names.size(); ++s) {
    const double y = top + 10 + 20.0 * static_cast<double>(s);
    svg << "<rect x=\"" << width - 205 << "\" y=\"" << y - 9 << "\" width=\"14\" height=\"12\" fill=\""
        << kColours[s % (sizeof kColours / sizeof kColours[0])] << "\"/><text x=\"" << width - 185 << "\" y=\"" << y + 2 << "\">"
        << escape(chart.segment_names[s]) << "</text>\n";
  }
  if (!chart.markers.empty()) {
    const double y = top + 10 + 20.0 * static_cast<double>(chart.segment_names.size());
    svg << "<line x1=\"" << width - 205 << "\" y1=\"" << y - 3 << "\" x2=\"" << width - 191 << "\" y2=\"" << y - 3
        << "\" stroke=\"black\" stroke-width=\"2\" stroke-dasharray=\"4,2\"/><text x=\"" << width - 185 << "\" y=\"" << y + 2 << "\">"
        << escape(chart.marker_name) << "</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

std::string render_svg(const HeatMap& chart) {
  const double cell = 70, left = 140, top = 60;
  const double width = left + cell * static_cast<double>(chart.x_values.size()) + 40;
  const double height = top + cell * static_cast<double>(chart.y_values.size()) + 80;
  double lo = 1e300, hi = -1e300;
  for (const auto& row : chart.cells) {
    for (const double v : row) {
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  }
  if (!(hi > lo)) hi = lo + 1;
  std::ostringstream svg;
  svg << svg_header(std::max(width, 400.0), height, chart.title);
  for (size_t y = 0; y < chart.y_values.size(); ++y) {
    for (size_t x = 0; x < chart.x_values.size(); ++x) {
      const double v = y < chart.cells.size() && x < chart.cells[y].size() ? chart.cells[y][x] : NAN;
      const double t = std::isfinite(v) ? (v - lo) / (hi - lo) : 0;
      char colour[16];
      std::snprintf(colour, sizeof colour, "#%02x%02x%02x", static_cast<int>(255 - 200 * t), static_cast<int>(255 - 120 * t), 255);
      const double px = left + cell * static_cast<double>(x), py = top + cell * static_cast<double>(y);
      svg << "<rect class=\"cell\" x=\"" << px << "\" y=\"" << py << "\" width=\"" << cell << "\" height=\"" << cell << "\" fill=\""
          << colour << "\" stroke=\"white\"/><text x=\"" << px + cell / 2 << "\" y=\"" << py + cell / 2 + 4
          << "\" text-anchor=\"middle\">" << (std::isfinite(v) ? number(v) : "-") << "</text>\n";
    }
    svg << "<text x=\"" << left - 8 << "\" y=\"" << top + cell * static_cast<double>(y) + cell / 2 + 4 << "\" text-anchor=\"end\">"
        << escape(chart.y_values[y]) << "</text>\n";
  }
  for (size_t x = 0; x < chart.x_values.size(); ++x) {
    svg << "<text x=\"" << left + cell * static_cast<double>(x) + cell / 2 << "\" y=\"" << top + cell * static_cast<double>(chart.y_values.size()) + 18
        << "\" text-anchor=\"middle\">" << escape(chart.x_values[x]) << "</text>\n";
  }
  svg << "<text x=\"" << left + cell * static_cast<double>(chart.x_values.size()) / 2 << "\" y=\"" << height - 20
      << "\" text-anchor=\"middle\">" << escape(chart.x_label) << "</text>\n<text transform=\"translate(20," << top + cell * static_cast<double>(chart.y_values.size()) / 2
      << ") rotate(-90)\" text-anchor=\"middle\">" << escape(chart.y_label) << "</text>\n</svg>\n";
  return svg.str();
}

}  // namespace npusim::cli
