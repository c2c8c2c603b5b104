#include "report/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace npusim::cli {

namespace {

constexpr double kWidth = 900, kHeight = 520, kLeft = 90, kRight = 200, kTop = 50, kBottom = 70;
const char* const kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};

std::string escape(const std::string& s) { return escape_xml(s); }

}  // namespace

std::string escape_xml(const std::string& s) {
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

namespace {

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", v);
  return buffer;
}

}  // namespace

namespace {

// An axis's range in data units; a logarithmic one is positive.
struct Axis {
  double lo = 0.0, hi = 1.0;
  bool log = false;
  double fraction(double v) const {
    return log ? (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) : (v - lo) / (hi - lo);
  }
};

bool drawable(double v, bool log) { return std::isfinite(v) && (!log || v > 0); }

const char* colour_of(size_t k) { return kColours[k % (sizeof kColours / sizeof kColours[0])]; }
// Past the palette, dashes tell series of the same colour apart.
std::string dashes_of(size_t k) { return k < 8 ? "" : (k < 16 ? " stroke-dasharray=\"6,3\"" : " stroke-dasharray=\"2,2\""); }

// The x and y ranges that hold every drawable point and marker of `charts` (the settings of the first).
std::pair<Axis, Axis> axes_of(const std::vector<const LineChart*>& charts) {
  const LineChart& first = *charts.front();
  Axis x{1e300, -1e300, first.log_x && first.x_categories.empty()}, y{1e300, -1e300, first.log_y};
  const auto take = [&](double px, double py) {
    if (!drawable(px, x.log)) return;
    x.lo = std::min(x.lo, px), x.hi = std::max(x.hi, px);  // the x axis spans every point, drawn or not
    if (!drawable(py, y.log)) return;
    y.lo = std::min(y.lo, py), y.hi = std::max(y.hi, py);
  };
  for (const LineChart* c : charts) {
    for (const auto& s : c->series) {
      for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) take(s.x[i], s.y[i]);
    }
    for (const auto& m : c->markers) take(m.x, m.y);
  }
  if (!first.x_categories.empty()) {
    x.lo = -0.5, x.hi = static_cast<double>(first.x_categories.size()) - 0.5;
  } else if (x.lo > x.hi) {
    x = x.log ? Axis{1, 10, true} : Axis{0, 1, false};
  } else if (x.lo == x.hi) {
    x.lo = x.log ? x.lo / 2 : x.lo - 0.5, x.hi = x.log ? x.hi * 2 : x.hi + 0.5;
  }
  if (y.lo > y.hi) {
    y = y.log ? Axis{1, 10, true} : Axis{0, 1, false};
  } else if (y.log) {
    y.lo = std::pow(10.0, std::floor(std::log10(y.lo)));
    y.hi = std::pow(10.0, std::ceil(std::log10(y.hi)));
    if (y.hi <= y.lo) y.hi = y.lo * 10;
  } else {
    y.lo = std::min(0.0, y.lo);  // latencies and speedups read against zero
    y.hi = y.hi > y.lo ? y.hi + 0.05 * (y.hi - y.lo) : y.lo + 1;
  }
  return {x, y};
}

std::vector<std::pair<double, std::string>> ticks_of(const Axis& axis, const std::vector<std::string>& categories, bool decades) {
  std::vector<std::pair<double, std::string>> ticks;
  if (!categories.empty()) {
    for (size_t i = 0; i < categories.size(); ++i) ticks.emplace_back(static_cast<double>(i), categories[i]);
  } else if (axis.log && decades) {
    for (double k = std::round(std::log10(axis.lo)); k <= std::log10(axis.hi) + 1e-9; ++k) {
      ticks.emplace_back(std::pow(10.0, k), "1e" + number(k));
    }
  } else if (axis.log) {
    for (const double t : log_ticks(axis.lo, axis.hi)) ticks.emplace_back(t, number(t));
  } else {
    for (int t = 0; t <= 5; ++t) {
      const double v = axis.lo + (axis.hi - axis.lo) * t / 5.0;
      ticks.emplace_back(v, number(v));
    }
  }
  return ticks;
}

struct Frame {
  double left, top, width, height;
};

// One chart's plot area: frame, grid and ticks, series (coloured by their place in `legend`), markers.
void draw_panel(std::ostream& svg, const LineChart& chart, const Frame& f, const Axis& x, const Axis& y,
                const std::vector<std::string>& legend, bool y_tick_labels) {
  const auto px = [&](double v) { return f.left + x.fraction(v) * f.width; };
  const auto py = [&](double v) { return f.top + f.height - y.fraction(v) * f.height; };
  svg << "<g stroke=\"#333\" fill=\"none\"><rect x=\"" << f.left << "\" y=\"" << f.top << "\" width=\"" << f.width
      << "\" height=\"" << f.height << "\"/></g>\n";
  for (const auto& [v, label] : ticks_of(x, chart.x_categories, false)) {
    svg << "<line class=\"x-tick\" x1=\"" << px(v) << "\" y1=\"" << f.top << "\" x2=\"" << px(v) << "\" y2=\"" << f.top + f.height + 5
        << "\" stroke=\"#eee\"/><text x=\"" << px(v) << "\" y=\"" << f.top + f.height + 18 << "\" text-anchor=\"middle\">"
        << escape(label) << "</text>\n";
  }
  for (const auto& [v, label] : ticks_of(y, {}, true)) {
    svg << "<line x1=\"" << f.left - 5 << "\" y1=\"" << py(v) << "\" x2=\"" << f.left + f.width << "\" y2=\"" << py(v)
        << "\" stroke=\"#ddd\"/>";
    if (y_tick_labels) svg << "<text x=\"" << f.left - 8 << "\" y=\"" << py(v) + 4 << "\" text-anchor=\"end\">" << label << "</text>";
    svg << "\n";
  }
  for (const auto& s : chart.series) {
    const size_t k = static_cast<size_t>(std::find(legend.begin(), legend.end(), s.name) - legend.begin());
    std::ostringstream points;
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (drawable(s.x[i], x.log) && drawable(s.y[i], y.log)) points << px(s.x[i]) << "," << py(s.y[i]) << " ";
    }
    svg << "<polyline class=\"series\" data-name=\"" << escape(s.name) << "\" fill=\"none\" stroke=\"" << colour_of(k)
        << "\" stroke-width=\"1.5\"" << dashes_of(k) << " points=\"" << points.str() << "\"/>\n";
  }
  for (const auto& m : chart.markers) {
    if (!drawable(m.x, x.log) || !drawable(m.y, y.log)) continue;
    const double cx = px(m.x), cy = py(m.y);
    svg << "<g class=\"marker\" data-name=\"" << escape(m.name) << "\"><path d=\"M" << cx << "," << cy - 7 << " L" << cx + 7 << ","
        << cy << " L" << cx << "," << cy + 7 << " L" << cx - 7 << "," << cy << " Z\" fill=\"black\"/><text x=\"" << cx + 9
        << "\" y=\"" << cy - 6 << "\" font-size=\"11\">" << escape(m.name) << "</text></g>\n";
  }
}

void draw_legend(std::ostream& svg, const std::vector<std::string>& names, bool has_markers, double x, double top) {
  for (size_t k = 0; k < names.size(); ++k) {
    const double ly = top + 10 + 20.0 * static_cast<double>(k);
    svg << "<line x1=\"" << x << "\" y1=\"" << ly << "\" x2=\"" << x + 25 << "\" y2=\"" << ly << "\" stroke=\"" << colour_of(k)
        << "\" stroke-width=\"3\"" << dashes_of(k) << "/><text x=\"" << x + 31 << "\" y=\"" << ly + 4 << "\">" << escape(names[k])
        << "</text>\n";
  }
  if (has_markers) {
    const double ly = top + 10 + 20.0 * static_cast<double>(names.size());
    svg << "<path d=\"M" << x + 12 << "," << ly - 6 << " L" << x + 18 << "," << ly << " L" << x + 12 << "," << ly + 6 << " L" << x + 6
        << "," << ly << " Z\" fill=\"black\"/><text x=\"" << x + 31 << "\" y=\"" << ly + 4 << "\">published</text>\n";
  }
}

std::vector<std::string> legend_of(const std::vector<const LineChart*>& charts) {
  std::vector<std::string> names;
  for (const LineChart* c : charts) {
    for (const auto& s : c->series) {
      if (std::find(names.begin(), names.end(), s.name) == names.end()) names.push_back(s.name);
    }
  }
  return names;
}

std::string open_svg(double width, double height, const std::string& title) {
  std::ostringstream svg;
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 "
      << width << " " << height << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text x=\"" << width / 2 << "\" y=\"28\" text-anchor=\"middle\" font-size=\"16\">" << escape(title) << "</text>\n";
  return svg.str();
}

}  // namespace

std::vector<double> log_ticks(double lo, double hi) {
  if (!(lo > 0) || !(hi >= lo) || !std::isfinite(hi)) return {};
  const double decades = std::log10(hi / lo);
  const std::vector<double> mantissas = decades <= 3 ? std::vector<double>{1, 2, 5} : std::vector<double>{1};
  const int every = decades > 12 ? static_cast<int>(std::ceil(decades / 6)) : 1;
  std::vector<double> ticks;
  for (int k = static_cast<int>(std::floor(std::log10(lo))); k <= static_cast<int>(std::ceil(std::log10(hi))); ++k) {
    if (k % every != 0) continue;
    for (const double m : mantissas) {
      const double v = m * std::pow(10.0, k);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push_back(v);
    }
  }
  if (ticks.size() < 2) ticks = lo == hi ? std::vector<double>{lo} : std::vector<double>{lo, hi};
  return ticks;
}

std::string render_svg(const LineChart& chart) {
  const auto [x, y] = axes_of({&chart});
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  std::ostringstream svg;
  svg << open_svg(kWidth, kHeight, chart.title);
  const std::vector<std::string> legend = legend_of({&chart});
  draw_panel(svg, chart, {kLeft, kTop, plot_w, plot_h}, x, y, legend, true);
  svg << "<text x=\"" << kLeft + plot_w / 2 << "\" y=\"" << kHeight - 20 << "\" text-anchor=\"middle\">" << escape(chart.x_label)
      << (x.log ? " (log scale)" : "") << "</text>\n<text transform=\"translate(22," << kTop + plot_h / 2
      << ") rotate(-90)\" text-anchor=\"middle\">" << escape(chart.y_label) << "</text>\n";
  draw_legend(svg, legend, !chart.markers.empty(), kWidth - kRight + 15, kTop);
  svg << "</svg>\n";
  return svg.str();
}

std::string render_svg(const SmallMultiples& chart) {
  std::vector<const LineChart*> panels;
  for (const auto& p : chart.panels) panels.push_back(&p);
  if (panels.empty()) return open_svg(400, 80, chart.title) + "</svg>\n";
  const auto [x, y] = axes_of(panels);
  const std::vector<std::string> legend = legend_of(panels);
  bool has_markers = false;
  for (const LineChart* p : panels) has_markers = has_markers || !p->markers.empty();
  const size_t columns = std::min(panels.size(), static_cast<size_t>(std::max(1, chart.columns)));
  const size_t rows = (panels.size() + columns - 1) / columns;
  constexpr double panel_w = 250, panel_h = 170, gap_x = 30, gap_y = 60, left = 80, top = 70, legend_w = 190;
  const double width = left + static_cast<double>(columns) * (panel_w + gap_x) + legend_w;
  const double height = top + static_cast<double>(rows) * (panel_h + gap_y) + 30;
  std::ostringstream svg;
  svg << open_svg(width, height, chart.title);
  for (size_t i = 0; i < panels.size(); ++i) {
    const size_t row = i / columns, column = i % columns;
    const Frame f{left + static_cast<double>(column) * (panel_w + gap_x), top + static_cast<double>(row) * (panel_h + gap_y), panel_w, panel_h};
    svg << "<g class=\"panel\" data-name=\"" << escape(panels[i]->title) << "\">\n<text x=\"" << f.left + panel_w / 2 << "\" y=\""
        << f.top - 8 << "\" text-anchor=\"middle\" font-weight=\"bold\">" << escape(panels[i]->title) << "</text>\n";
    draw_panel(svg, *panels[i], f, x, y, legend, column == 0);
    svg << "</g>\n";
  }
  const double grid_w = static_cast<double>(columns) * (panel_w + gap_x) - gap_x;
  svg << "<text x=\"" << left + grid_w / 2 << "\" y=\"" << height - 10 << "\" text-anchor=\"middle\">" << escape(chart.x_label)
      << (x.log ? " (log scale)" : "") << "</text>\n<text transform=\"translate(22," << top + (height - top) / 2
      << ") rotate(-90)\" text-anchor=\"middle\">" << escape(chart.y_label) << "</text>\n";
  draw_legend(svg, legend, has_markers, left + grid_w + 20, top);
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace npusim::cli

namespace npusim::cli {

namespace {

// A lighter shade of a palette colour (the side bars' segments).
std::string lighter(const char* colour) {
  unsigned r = 0, g = 0, b = 0;
  std::sscanf(colour, "#%02x%02x%02x", &r, &g, &b);
  char out[32];
  std::snprintf(out, sizeof out, "#%02x%02x%02x", (r + 2 * 255) / 3, (g + 2 * 255) / 3, (b + 2 * 255) / 3);
  return out;
}

}  // namespace

std::string render_svg(const StackedBars& chart) {
  const bool side = !chart.side_segments.empty();
  const double pitch = side ? 58 : 70, bar_w = side ? 30 : 40, side_w = 12;
  const double width = std::max(820.0, 140.0 + pitch * static_cast<double>(chart.bar_labels.size()) + 220.0), height = 540;
  const double left = 90, bottom = 130, top = 50, plot_h = height - top - bottom;
  double largest = 0;
  const auto sum_of = [](const std::vector<std::vector<double>>& bars, size_t b) {
    double sum = 0;
    if (b < bars.size()) {
      for (const double v : bars[b]) sum += std::max(0.0, v);
    }
    return sum;
  };
  for (size_t b = 0; b < chart.bar_labels.size(); ++b) {
    largest = std::max({largest, sum_of(chart.segments, b), sum_of(chart.side_segments, b)});
    if (b < chart.markers.size()) largest = std::max(largest, chart.markers[b]);
  }
  if (largest <= 0) largest = 1;
  const auto py = [&](double v) { return top + plot_h - v / largest * plot_h; };
  std::ostringstream svg;
  svg << open_svg(width, height, chart.title);
  for (int t = 0; t <= 5; ++t) {
    const double v = largest * t / 5.0;
    svg << "<line x1=\"" << left << "\" y1=\"" << py(v) << "\" x2=\"" << width - 220 << "\" y2=\"" << py(v)
        << "\" stroke=\"#ddd\"/><text x=\"" << left - 8 << "\" y=\"" << py(v) + 4 << "\" text-anchor=\"end\">" << number(v)
        << "</text>\n";
  }
  svg << "<text transform=\"translate(22," << top + plot_h / 2 << ") rotate(-90)\" text-anchor=\"middle\">" << escape(chart.y_label) << "</text>\n";
  const auto stack = [&](const std::vector<std::vector<double>>& bars, size_t b, double x, double w, const char* css, bool light) {
    double base = 0;
    for (size_t s = 0; s < chart.segment_names.size() && b < bars.size(); ++s) {
      const double v = s < bars[b].size() ? std::max(0.0, bars[b][s]) : 0.0;
      const char* colour = kColours[s % (sizeof kColours / sizeof kColours[0])];
      svg << "<rect class=\"" << css << "\" data-bar=\"" << escape(chart.bar_labels[b]) << "\" data-segment=\"" << escape(chart.segment_names[s])
          << "\" data-value=\"" << number(v) << "\" x=\"" << x << "\" y=\"" << py(base + v) << "\" width=\"" << w << "\" height=\""
          << py(base) - py(base + v) << "\" fill=\"" << (light ? lighter(colour) : std::string(colour)) << "\"/>\n";
      base += v;
    }
  };
  for (size_t b = 0; b < chart.bar_labels.size(); ++b) {
    const double x = left + 20 + pitch * static_cast<double>(b);
    stack(chart.segments, b, x, bar_w, "segment", false);
    if (side) stack(chart.side_segments, b, x + bar_w + 2, side_w, "side-segment", true);
    if (b < chart.markers.size()) {
      svg << "<line class=\"marker\" x1=\"" << x - 6 << "\" y1=\"" << py(chart.markers[b]) << "\" x2=\"" << x + bar_w + 6 << "\" y2=\""
          << py(chart.markers[b]) << "\" stroke=\"black\" stroke-width=\"2\" stroke-dasharray=\"4,2\"/>\n";
    }
    svg << "<text transform=\"translate(" << x + bar_w / 2 << "," << top + plot_h + 12 << ") rotate(40)\">" << escape(chart.bar_labels[b]) << "</text>\n";
  }
  double legend_y = top + 10;
  for (size_t s = 0; s < chart.segment_names.size(); ++s, legend_y += 20) {
    svg << "<rect x=\"" << width - 205 << "\" y=\"" << legend_y - 9 << "\" width=\"14\" height=\"12\" fill=\""
        << kColours[s % (sizeof kColours / sizeof kColours[0])] << "\"/><text x=\"" << width - 185 << "\" y=\"" << legend_y + 2 << "\">"
        << escape(chart.segment_names[s]) << "</text>\n";
  }
  if (side) {
    svg << "<rect x=\"" << width - 205 << "\" y=\"" << legend_y - 9 << "\" width=\"6\" height=\"12\" fill=\"" << lighter(kColours[0])
        << "\"/><rect x=\"" << width - 199 << "\" y=\"" << legend_y - 9 << "\" width=\"6\" height=\"12\" fill=\"" << lighter(kColours[1])
        << "\"/><text x=\"" << width - 185 << "\" y=\"" << legend_y + 2 << "\">" << escape(chart.side_name) << "</text>\n";
    legend_y += 20;
  }
  if (!chart.markers.empty()) {
    svg << "<line x1=\"" << width - 205 << "\" y1=\"" << legend_y - 3 << "\" x2=\"" << width - 191 << "\" y2=\"" << legend_y - 3
        << "\" stroke=\"black\" stroke-width=\"2\" stroke-dasharray=\"4,2\"/><text x=\"" << width - 185 << "\" y=\"" << legend_y + 2 << "\">"
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
  svg << open_svg(std::max(width, 400.0), height, chart.title);
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
