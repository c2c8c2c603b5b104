#include "report/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace npusim::cli {

namespace {

constexpr double kWidth = 900, kHeight = 520, kLeft = 90, kRight = 200, kTop = 50, kBottom = 70;
const char* const kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};
constexpr size_t kColourCount = sizeof kColours / sizeof kColours[0];
constexpr double kMinTickGapPx = 8;  // space between two x tick labels, beyond their text

std::string escape(const std::string& s) { return escape_xml(s); }

std::string printf_text(const char* pattern, double v) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, pattern, v);
  return buffer;
}

std::string fixed_text(double v, int decimals) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, std::fabs(v) < 0.5 * std::pow(10.0, -decimals) ? 0.0 : v);
  return buffer;
}

// A tick on a logarithmic axis: 0.5, 20, 1000; powers of ten far from 1 as 1e-6, 1e5.
std::string log_tick_label(double v) {
  const double k = std::round(std::log10(v));
  if ((k < -3 || k > 4) && std::fabs(v / std::pow(10.0, k) - 1) < 1e-9) return "1e" + printf_text("%.0f", k);
  return printf_text("%g", v);
}

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

std::vector<double> linear_ticks(double lo, double hi, int max_ticks) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {};
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) {
    const double pad = lo == 0 ? 1.0 : std::fabs(lo) * 0.5;
    lo -= pad, hi += pad;
  }
  max_ticks = std::max(2, max_ticks);
  const double rough = (hi - lo) / (max_ticks - 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
  double step = magnitude;
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * magnitude;
    if (std::ceil(hi / step - 1e-9) - std::floor(lo / step + 1e-9) + 1 <= max_ticks) break;
  }
  std::vector<double> ticks;
  for (double k = std::floor(lo / step + 1e-9); k <= std::ceil(hi / step - 1e-9) + 1e-9; ++k) ticks.push_back(k * step);
  return ticks;
}

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

std::vector<double> power_of_two_ticks(double lo, double hi, int max_ticks) {
  if (!(lo > 0) || !(hi >= lo) || !std::isfinite(hi)) return {};
  const int first = static_cast<int>(std::ceil(std::log2(lo) - 1e-9)), last = static_cast<int>(std::floor(std::log2(hi) + 1e-9));
  const int span = last - first, room = std::max(1, max_ticks - 1);
  const int every = std::max(1, (span + room - 1) / room);
  std::vector<double> ticks;
  for (int k = first; k <= last; k += every) ticks.push_back(std::ldexp(1.0, k));
  return ticks;
}

std::vector<std::string> tick_labels(const std::vector<double>& ticks) {
  int decimals = 0;
  for (; decimals < 6; ++decimals) {
    bool exact = true;
    for (const double t : ticks) exact = exact && std::fabs(t - std::stod(fixed_text(t, decimals))) <= 1e-9 * std::max(1.0, std::fabs(t));
    if (exact) break;
  }
  std::vector<std::string> labels;
  for (const double t : ticks) labels.push_back(fixed_text(t, decimals));
  return labels;
}

namespace {

// An axis's range in data units (a logarithmic one is positive) and its ticks with their labels.
struct Axis {
  double lo = 0.0, hi = 1.0;
  bool log = false;
  std::vector<std::pair<double, std::string>> ticks;
  double fraction(double v) const {
    return log ? (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) : (v - lo) / (hi - lo);
  }
};

bool drawable(double v, bool log) { return std::isfinite(v) && (!log || v > 0); }
bool is_power_of_two(double v) { return v > 0 && std::fabs(std::log2(v) - std::round(std::log2(v))) < 1e-9; }

const char* colour_of(size_t k) { return kColours[k % kColourCount]; }
// Past the palette, dashes tell series of the same colour apart.
std::string dashes_of(size_t k) { return k < 8 ? "" : (k < 16 ? " stroke-dasharray=\"6,3\"" : " stroke-dasharray=\"2,2\""); }

// A linear axis from round tick to round tick, from zero when `from_zero` (latencies and speedups are
// read against zero).
Axis linear_axis(double lo, double hi, bool from_zero, int max_ticks = 6) {
  if (lo > hi) lo = 0, hi = 1;
  if (from_zero) lo = std::min(0.0, lo), hi = std::max(0.0, hi);
  const std::vector<double> ticks = linear_ticks(lo, hi, max_ticks);
  const std::vector<std::string> labels = tick_labels(ticks);
  Axis a{ticks.front(), ticks.back(), false, {}};
  for (size_t i = 0; i < ticks.size(); ++i) a.ticks.emplace_back(ticks[i], labels[i]);
  return a;
}

// A logarithmic axis: for the y axis whole decades, for the x axis the data's own range; ticks at the
// given values, at powers of two when every value is one, else at 1-2-5 steps.
Axis log_axis(double lo, double hi, bool whole_decades, const std::vector<double>& values, const std::vector<double>& given_ticks) {
  if (!(lo > 0) || lo > hi) lo = 1, hi = 10;
  if (whole_decades) {
    lo = std::pow(10.0, std::floor(std::log10(lo) + 1e-12));
    hi = std::pow(10.0, std::ceil(std::log10(hi) - 1e-12));
  }
  if (hi <= lo) lo /= 2, hi *= 2;
  Axis a{lo, hi, true, {}};
  std::vector<double> ticks = given_ticks;
  if (ticks.empty()) {
    const bool powers_of_two = !values.empty() && std::all_of(values.begin(), values.end(), is_power_of_two);
    ticks = powers_of_two ? power_of_two_ticks(lo, hi) : log_ticks(lo, hi);
  }
  for (const double t : ticks) {
    if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) a.ticks.emplace_back(t, log_tick_label(t));
  }
  return a;
}

// The data range of `charts`: every drawable point, marker and reference line.
struct Range {
  double x_lo = 1e300, x_hi = -1e300, y_lo = 1e300, y_hi = -1e300;
  std::vector<double> x_values;
};
Range range_of(const std::vector<const LineChart*>& charts, bool log_x, bool log_y) {
  Range r;
  const auto take = [&](double px, double py) {
    if (!drawable(px, log_x)) return;
    r.x_lo = std::min(r.x_lo, px), r.x_hi = std::max(r.x_hi, px);  // the x axis spans every point, drawn or not
    r.x_values.push_back(px);
    if (!drawable(py, log_y)) return;
    r.y_lo = std::min(r.y_lo, py), r.y_hi = std::max(r.y_hi, py);
  };
  for (const LineChart* c : charts) {
    for (const auto& s : c->series) {
      for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) take(s.x[i], s.y[i]);
    }
    for (const auto& m : c->markers) take(m.x, m.y);
    if (c->reference_y && drawable(*c->reference_y, log_y)) r.y_lo = std::min(r.y_lo, *c->reference_y), r.y_hi = std::max(r.y_hi, *c->reference_y);
  }
  return r;
}

Axis x_axis_of(const LineChart& first, const Range& r) {
  if (!first.x_categories.empty()) {
    Axis a{-0.5, static_cast<double>(first.x_categories.size()) - 0.5, false, {}};
    for (size_t i = 0; i < first.x_categories.size(); ++i) a.ticks.emplace_back(static_cast<double>(i), first.x_categories[i]);
    return a;
  }
  const bool log = first.log_x;
  double lo = r.x_lo, hi = r.x_hi;
  if (lo > hi) lo = log ? 1 : 0, hi = log ? 10 : 1;
  if (lo == hi) lo = log ? lo / 2 : lo - 0.5, hi = log ? hi * 2 : hi + 0.5;
  if (log) return log_axis(lo, hi, false, r.x_values, first.x_ticks);
  if (first.x_ticks.empty()) return linear_axis(lo, hi, false, 8);
  Axis a{lo, hi, false, {}};
  const std::vector<std::string> labels = tick_labels(first.x_ticks);
  for (size_t i = 0; i < first.x_ticks.size(); ++i) a.ticks.emplace_back(first.x_ticks[i], labels[i]);
  return a;
}

Axis y_axis_of(const LineChart& first, const Range& r) {
  if (first.log_y) return log_axis(r.y_lo, r.y_hi, true, {}, {});
  return linear_axis(r.y_lo, r.y_hi, true);
}

struct Frame {
  double left, top, width, height;
};

// One chart's plot area: frame, grid and ticks, reference line, series (coloured by their place in
// `legend`), markers.
void draw_panel(std::ostream& svg, const LineChart& chart, const Frame& f, const Axis& x, const Axis& y,
                const std::vector<std::string>& legend, bool y_tick_labels) {
  const auto px = [&](double v) { return f.left + x.fraction(v) * f.width; };
  const auto py = [&](double v) { return f.top + f.height - y.fraction(v) * f.height; };
  svg << "<g stroke=\"#333\" fill=\"none\"><rect x=\"" << f.left << "\" y=\"" << f.top << "\" width=\"" << f.width
      << "\" height=\"" << f.height << "\"/></g>\n";
  double last_label_x = -1e9;
  size_t last_label_size = 0;
  const bool categorical = !chart.x_categories.empty();  // smaller text, so every category keeps its label
  const double char_px = categorical ? 3.0 : 3.5;        // half a character's width
  for (const auto& [v, label] : x.ticks) {
    const double at = px(v);
    // A dense axis: the ticks whose labels have room.
    if (at - last_label_x < char_px * static_cast<double>(last_label_size + label.size()) + kMinTickGapPx) continue;
    last_label_x = at;
    last_label_size = label.size();
    svg << "<line class=\"x-tick\" x1=\"" << at << "\" y1=\"" << f.top << "\" x2=\"" << at << "\" y2=\"" << f.top + f.height + 5
        << "\" stroke=\"#eee\"/><text x=\"" << at << "\" y=\"" << f.top + f.height + 18 << "\" text-anchor=\"middle\""
        << (categorical ? " font-size=\"10\"" : "") << ">" << escape(label) << "</text>\n";
  }
  for (const auto& [v, label] : y.ticks) {
    svg << "<line class=\"y-tick\" x1=\"" << f.left - 5 << "\" y1=\"" << py(v) << "\" x2=\"" << f.left + f.width << "\" y2=\"" << py(v)
        << "\" stroke=\"#ddd\"/>";
    if (y_tick_labels) svg << "<text x=\"" << f.left - 8 << "\" y=\"" << py(v) + 4 << "\" text-anchor=\"end\">" << escape(label) << "</text>";
    svg << "\n";
  }
  if (chart.reference_y && drawable(*chart.reference_y, y.log)) {
    const double at = py(*chart.reference_y);
    // The label goes to the end of the line that the series leave clearer.
    double clear_left = 1e9, clear_right = 1e9;
    for (const auto& s : chart.series) {
      for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
        if (!drawable(s.x[i], x.log) || !drawable(s.y[i], y.log)) continue;
        const double along = x.fraction(s.x[i]), gap = std::fabs(py(s.y[i]) - at);
        if (along < 0.35) clear_left = std::min(clear_left, gap);
        if (along > 0.65) clear_right = std::min(clear_right, gap);
      }
    }
    const bool right = clear_right >= clear_left;
    svg << "<g class=\"reference\"><line x1=\"" << f.left << "\" y1=\"" << at << "\" x2=\"" << f.left + f.width << "\" y2=\"" << at
        << "\" stroke=\"#555\" stroke-width=\"1.2\" stroke-dasharray=\"6,4\"/><text x=\"" << (right ? f.left + f.width - 4 : f.left + 4)
        << "\" y=\"" << at - 5 << "\" text-anchor=\"" << (right ? "end" : "start") << "\" fill=\"#555\" font-size=\"11\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">" << escape(chart.reference_label) << "</text></g>\n";
  }
  for (const auto& s : chart.series) {
    const size_t k = static_cast<size_t>(std::find(legend.begin(), legend.end(), s.name) - legend.begin());
    std::ostringstream points;
    size_t drawn = 0;
    for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
      if (!drawable(s.x[i], x.log) || !drawable(s.y[i], y.log)) continue;
      points << px(s.x[i]) << "," << py(s.y[i]) << " ";
      ++drawn;
    }
    svg << "<polyline class=\"series\" data-name=\"" << escape(s.name) << "\" fill=\"none\" stroke=\"" << colour_of(k)
        << "\" stroke-width=\"1.8\"" << dashes_of(k) << " points=\"" << points.str() << "\"/>\n";
    // Points of a short series are marked, so a value between ticks can be read where it was measured.
    if (drawn <= 16) {
      for (size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
        if (!drawable(s.x[i], x.log) || !drawable(s.y[i], y.log)) continue;
        svg << "<circle cx=\"" << px(s.x[i]) << "\" cy=\"" << py(s.y[i]) << "\" r=\"2.6\" fill=\"" << colour_of(k) << "\"/>";
      }
      svg << "\n";
    }
  }
  for (const auto& m : chart.markers) {
    if (!drawable(m.x, x.log) || !drawable(m.y, y.log)) continue;
    const double cx = px(m.x), cy = py(m.y);
    svg << "<g class=\"marker\" data-name=\"" << escape(m.name) << "\"><path d=\"M" << cx << "," << cy - 7 << " L" << cx + 7 << ","
        << cy << " L" << cx << "," << cy + 7 << " L" << cx - 7 << "," << cy << " Z\" fill=\"black\"/><text x=\"" << cx + 9
        << "\" y=\"" << cy - 6 << "\" font-size=\"11\" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\">" << escape(m.name) << "</text></g>\n";
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

// The document and its title; the width grows to hold a long title.
std::string open_svg(double& width, double height, const std::string& title) {
  width = std::max(width, 7.5 * static_cast<double>(title.size()) + 40);
  std::ostringstream svg;
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 "
      << width << " " << height << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      << "<text class=\"title\" x=\"" << width / 2 << "\" y=\"28\" text-anchor=\"middle\" font-size=\"16\">" << escape(title) << "</text>\n";
  return svg.str();
}

std::string y_label_text(double x, double y, const std::string& label) {
  std::ostringstream svg;
  svg << "<text transform=\"translate(" << x << "," << y << ") rotate(-90)\" text-anchor=\"middle\">" << escape(label) << "</text>\n";
  return svg.str();
}

}  // namespace

std::string render_svg(const LineChart& chart) {
  const Range r = range_of({&chart}, chart.log_x && chart.x_categories.empty(), chart.log_y);
  const Axis x = x_axis_of(chart, r), y = y_axis_of(chart, r);
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  double width = kWidth;
  std::ostringstream svg;
  svg << open_svg(width, kHeight, chart.title);
  const std::vector<std::string> legend = legend_of({&chart});
  draw_panel(svg, chart, {kLeft, kTop, plot_w, plot_h}, x, y, legend, true);
  svg << "<text x=\"" << kLeft + plot_w / 2 << "\" y=\"" << kHeight - 20 << "\" text-anchor=\"middle\">" << escape(chart.x_label)
      << (x.log ? " (log scale)" : "") << "</text>\n"
      << y_label_text(22, kTop + plot_h / 2, chart.y_label + (y.log ? " (log scale)" : ""));
  draw_legend(svg, legend, !chart.markers.empty(), kLeft + plot_w + 15, kTop);
  svg << "</svg>\n";
  return svg.str();
}

std::string render_svg(const SmallMultiples& chart) {
  std::vector<const LineChart*> panels;
  for (const auto& p : chart.panels) panels.push_back(&p);
  double width = 400;
  if (panels.empty()) return open_svg(width, 80, chart.title) + "</svg>\n";
  const LineChart& first = *panels.front();
  const bool log_x = first.log_x && first.x_categories.empty();
  const Range all = range_of(panels, log_x, first.log_y);
  const Axis x = x_axis_of(first, all);
  const std::vector<std::string> legend = legend_of(panels);
  bool has_markers = false;
  for (const LineChart* p : panels) has_markers = has_markers || !p->markers.empty();
  const size_t columns = std::min(panels.size(), static_cast<size_t>(std::max(1, chart.columns)));
  const size_t rows = (panels.size() + columns - 1) / columns;
  const double gap_x = chart.shared_y ? 30 : 62;  // room for each panel's own tick labels
  constexpr double panel_w = 250, panel_h = 170, gap_y = 60, left = 80, top = 70, legend_w = 190;
  width = left + static_cast<double>(columns) * (panel_w + gap_x) + legend_w;
  const double height = top + static_cast<double>(rows) * (panel_h + gap_y) + 30;
  std::ostringstream svg;
  svg << open_svg(width, height, chart.title);
  for (size_t i = 0; i < panels.size(); ++i) {
    const size_t row = i / columns, column = i % columns;
    const Frame f{left + static_cast<double>(column) * (panel_w + gap_x), top + static_cast<double>(row) * (panel_h + gap_y), panel_w, panel_h};
    const Axis y = y_axis_of(first, chart.shared_y ? all : range_of({panels[i]}, log_x, first.log_y));
    svg << "<g class=\"panel\" data-name=\"" << escape(panels[i]->title) << "\">\n<text x=\"" << f.left + panel_w / 2 << "\" y=\""
        << f.top - 8 << "\" text-anchor=\"middle\" font-weight=\"bold\">" << escape(panels[i]->title) << "</text>\n";
    draw_panel(svg, *panels[i], f, x, y, legend, !chart.shared_y || column == 0);
    svg << "</g>\n";
  }
  const double grid_w = static_cast<double>(columns) * (panel_w + gap_x) - gap_x;
  svg << "<text x=\"" << left + grid_w / 2 << "\" y=\"" << height - 10 << "\" text-anchor=\"middle\">" << escape(chart.x_label)
      << (x.log ? " (log scale)" : "") << "</text>\n"
      << y_label_text(22, top + (height - top) / 2, chart.y_label + (first.log_y ? " (log scale)" : ""));
  draw_legend(svg, legend, has_markers, left + grid_w + 20, top);
  svg << "</svg>\n";
  return svg.str();
}

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
  bool side = false;
  for (const auto& g : chart.groups) {
    for (const auto& b : g.bars) side = side || !b.side_segments.empty();
  }
  constexpr double bar_w = 26, side_w = 9, bar_gap = 4, group_gap = 26, left = 80, top = 60, plot_h = 330, legend_w = 250;
  const double bar_pitch = bar_w + (side ? side_w + 2 : 0) + bar_gap;
  double plot_w = 20;
  for (const auto& g : chart.groups) plot_w += static_cast<double>(g.bars.size()) * bar_pitch - bar_gap + group_gap + (g.new_block ? group_gap : 0);
  plot_w = std::max(plot_w, 360.0);
  double width = left + plot_w + legend_w;
  const double height = top + plot_h + 95;
  double largest = 0;
  const auto sum_of = [](const std::vector<double>& parts) {
    double sum = 0;
    for (const double v : parts) sum += std::max(0.0, v);
    return sum;
  };
  for (const auto& g : chart.groups) {
    for (const auto& b : g.bars) largest = std::max({largest, sum_of(b.segments), sum_of(b.side_segments), b.marker.value_or(0.0)});
  }
  const Axis y = linear_axis(0, largest > 0 ? largest : 1, true);
  const auto py = [&](double v) { return top + plot_h - y.fraction(v) * plot_h; };
  std::ostringstream svg;
  svg << open_svg(width, height, chart.title);
  for (const auto& [v, label] : y.ticks) {
    svg << "<line class=\"y-tick\" x1=\"" << left - 5 << "\" y1=\"" << py(v) << "\" x2=\"" << left + plot_w << "\" y2=\"" << py(v)
        << "\" stroke=\"#ddd\"/><text x=\"" << left - 8 << "\" y=\"" << py(v) + 4 << "\" text-anchor=\"end\">" << escape(label) << "</text>\n";
  }
  svg << y_label_text(22, top + plot_h / 2, chart.y_label);
  const auto stack = [&](const std::string& bar, const std::vector<double>& parts, double x, double w, const char* css, bool light) {
    double base = 0;
    for (size_t s = 0; s < chart.segment_names.size() && s < parts.size(); ++s) {
      const double v = std::max(0.0, parts[s]);
      const char* colour = colour_of(s);
      svg << "<rect class=\"" << css << "\" data-bar=\"" << escape(bar) << "\" data-segment=\"" << escape(chart.segment_names[s])
          << "\" data-value=\"" << printf_text("%.6g", v) << "\" x=\"" << x << "\" y=\"" << py(base + v) << "\" width=\"" << w
          << "\" height=\"" << py(base) - py(base + v) << "\" fill=\"" << (light ? lighter(colour) : std::string(colour)) << "\"/>\n";
      base += v;
    }
  };
  double x = left + 20;
  for (const auto& g : chart.groups) {
    if (g.new_block) {
      svg << "<line class=\"block\" x1=\"" << x - group_gap / 2 << "\" y1=\"" << top << "\" x2=\"" << x - group_gap / 2 << "\" y2=\""
          << top + plot_h + 36 << "\" stroke=\"#999\" stroke-dasharray=\"3,3\"/>\n";
      x += group_gap;
    }
    const double group_left = x;
    for (const auto& b : g.bars) {
      const std::string name = !b.name.empty() ? b.name : g.label.empty() ? b.label : b.label + " " + g.label;
      stack(name, b.segments, x, bar_w, "segment", false);
      if (!b.side_segments.empty()) stack(name, b.side_segments, x + bar_w + 2, side_w, "side-segment", true);
      if (b.marker) {
        svg << "<line class=\"marker\" data-bar=\"" << escape(name) << "\" x1=\"" << x - 4 << "\" y1=\"" << py(*b.marker) << "\" x2=\""
            << x + bar_w + 4 << "\" y2=\"" << py(*b.marker) << "\" stroke=\"black\" stroke-width=\"2\" stroke-dasharray=\"4,2\"/>\n";
      }
      svg << "<text class=\"bar-label\" x=\"" << x + bar_w / 2 << "\" y=\"" << top + plot_h + 14 << "\" text-anchor=\"middle\" font-size=\"10\">"
          << escape(b.label) << "</text>\n";
      x += bar_pitch;
    }
    const double group_right = x - bar_gap;
    svg << "<text class=\"group-label\" x=\"" << (group_left + group_right) / 2 << "\" y=\"" << top + plot_h + 32
        << "\" text-anchor=\"middle\" font-weight=\"bold\">" << escape(g.label) << "</text>\n";
    x += group_gap;
  }
  svg << "<line x1=\"" << left << "\" y1=\"" << top + plot_h << "\" x2=\"" << left + plot_w << "\" y2=\"" << top + plot_h
      << "\" stroke=\"#333\"/>\n<text class=\"x-label\" x=\"" << left + plot_w / 2 << "\" y=\"" << top + plot_h + 58
      << "\" text-anchor=\"middle\">" << escape(chart.x_label) << "</text>\n";
  const double lx = left + plot_w + 20;
  double legend_y = top + 10;
  for (size_t s = 0; s < chart.segment_names.size(); ++s, legend_y += 20) {
    svg << "<rect x=\"" << lx << "\" y=\"" << legend_y - 9 << "\" width=\"14\" height=\"12\" fill=\"" << colour_of(s) << "\"/><text x=\""
        << lx + 20 << "\" y=\"" << legend_y + 2 << "\">" << escape(chart.segment_names[s]) << "</text>\n";
  }
  if (side) {
    svg << "<rect x=\"" << lx << "\" y=\"" << legend_y - 9 << "\" width=\"6\" height=\"12\" fill=\"" << lighter(kColours[0])
        << "\"/><rect x=\"" << lx + 6 << "\" y=\"" << legend_y - 9 << "\" width=\"6\" height=\"12\" fill=\"" << lighter(kColours[1])
        << "\"/><text x=\"" << lx + 20 << "\" y=\"" << legend_y + 2 << "\">" << escape(chart.side_name) << "</text>\n";
    legend_y += 20;
  }
  if (!chart.marker_name.empty()) {
    svg << "<line x1=\"" << lx << "\" y1=\"" << legend_y - 3 << "\" x2=\"" << lx + 14 << "\" y2=\"" << legend_y - 3
        << "\" stroke=\"black\" stroke-width=\"2\" stroke-dasharray=\"4,2\"/><text x=\"" << lx + 20 << "\" y=\"" << legend_y + 2 << "\">"
        << escape(chart.marker_name) << "</text>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

namespace {

// The heat map's colour of t in [-1, 1] (diverging: red below the centre, blue above) or [0, 1].
std::string heat_colour(double t) {
  t = std::clamp(t, -1.0, 1.0);
  const auto mix = [](double from, double to, double f) { return static_cast<int>(std::lround(from + (to - from) * f)); };
  char colour[16];
  if (t >= 0) {
    std::snprintf(colour, sizeof colour, "#%02x%02x%02x", mix(255, 33, t), mix(255, 102, t), mix(255, 172, t));
  } else {
    std::snprintf(colour, sizeof colour, "#%02x%02x%02x", mix(255, 178, -t), mix(255, 24, -t), mix(255, 43, -t));
  }
  return colour;
}

}  // namespace

std::string render_svg(const HeatMap& chart) {
  const size_t nx = chart.x_values.size(), ny = chart.y_values.size();
  const double cell = std::clamp(640.0 / static_cast<double>(std::max<size_t>({nx, ny, 1})), 34.0, 72.0);
  const double left = 150, top = 60, bar_w = 18, bar_gap = 40, scale_w = 120;
  double lo = 1e300, hi = -1e300;
  for (const auto& row : chart.cells) {
    for (const double v : row) {
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  }
  if (lo > hi) lo = 0, hi = 1;
  // Diverging: equal distances from the centre get equal colours on both sides.
  const double center = chart.center.value_or(lo);
  double reach = std::max(hi - center, chart.center ? center - lo : 0.0);
  if (!(reach > 0)) reach = 1;
  const auto t_of = [&](double v) { return (v - center) / reach; };
  const double grid_w = cell * static_cast<double>(nx), grid_h = cell * static_cast<double>(ny);
  double width = left + grid_w + bar_gap + bar_w + scale_w;
  const double height = top + std::max(grid_h, 160.0) + 80;
  std::ostringstream svg;
  svg << open_svg(width, height, chart.title);
  for (size_t y = 0; y < ny; ++y) {
    for (size_t x = 0; x < nx; ++x) {
      const double v = y < chart.cells.size() && x < chart.cells[y].size() ? chart.cells[y][x] : NAN;
      const double t = std::isfinite(v) ? t_of(v) : 0;
      const double px = left + cell * static_cast<double>(x), py = top + cell * static_cast<double>(y);
      svg << "<rect class=\"cell\" x=\"" << px << "\" y=\"" << py << "\" width=\"" << cell << "\" height=\"" << cell << "\" fill=\""
          << (std::isfinite(v) ? heat_colour(t) : std::string("#f4f4f4")) << "\" stroke=\"white\"/><text class=\"cell-value\" x=\""
          << px + cell / 2 << "\" y=\"" << py + cell / 2 + 4 << "\" text-anchor=\"middle\" fill=\"" << (std::fabs(t) > 0.6 ? "white" : "black")
          << "\"" << (cell < 45 ? " font-size=\"10\"" : "") << ">" << (std::isfinite(v) ? fixed_text(v, chart.decimals) : "-") << "</text>\n";
    }
    svg << "<text x=\"" << left - 8 << "\" y=\"" << top + cell * static_cast<double>(y) + cell / 2 + 4 << "\" text-anchor=\"end\">"
        << escape(chart.y_values[y]) << "</text>\n";
  }
  for (size_t x = 0; x < nx; ++x) {
    svg << "<text x=\"" << left + cell * static_cast<double>(x) + cell / 2 << "\" y=\"" << top + grid_h + 18 << "\" text-anchor=\"middle\">"
        << escape(chart.x_values[x]) << "</text>\n";
  }
  svg << "<text x=\"" << left + grid_w / 2 << "\" y=\"" << top + grid_h + 44 << "\" text-anchor=\"middle\">" << escape(chart.x_label) << "</text>\n"
      << y_label_text(20, top + grid_h / 2, chart.y_label);
  // The colour scale: a bar from the lowest to the highest value, its ends and the centre labelled.
  const double bx = left + grid_w + bar_gap, bar_h = std::max(grid_h, 160.0);
  const double bottom_value = chart.center ? center - reach : lo, top_value = center + reach;
  svg << "<defs><linearGradient id=\"scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">";
  for (int i = 0; i <= 10; ++i) {
    const double v = bottom_value + (top_value - bottom_value) * i / 10.0;
    svg << "<stop offset=\"" << i / 10.0 << "\" stop-color=\"" << heat_colour(t_of(v)) << "\"/>";
  }
  svg << "</linearGradient></defs>\n<rect class=\"colour-scale\" x=\"" << bx << "\" y=\"" << top << "\" width=\"" << bar_w << "\" height=\""
      << bar_h << "\" fill=\"url(#scale)\" stroke=\"#999\"/>\n";
  std::vector<double> marks = {bottom_value, top_value};
  if (chart.center) marks.push_back(center);
  for (const double v : marks) {
    const double at = top + bar_h - (v - bottom_value) / (top_value - bottom_value) * bar_h;
    svg << "<line x1=\"" << bx + bar_w << "\" y1=\"" << at << "\" x2=\"" << bx + bar_w + 5 << "\" y2=\"" << at << "\" stroke=\"#333\"/><text class=\"scale-label\" x=\""
        << bx + bar_w + 8 << "\" y=\"" << at + 4 << "\">" << fixed_text(v, chart.decimals) << "</text>\n";
  }
  svg << "<text x=\"" << bx << "\" y=\"" << top - 10 << "\" font-size=\"11\">" << escape(chart.value_label) << "</text>\n</svg>\n";
  return svg.str();
}

std::string render_svg(const Gantt& chart) {
  constexpr double label_w = 230, left = label_w + 20, plot_w = 860, top = 50, row_h = 15, legend_h = 30;
  double end = 0;
  std::vector<std::string> kinds = chart.kinds;
  for (const auto& r : chart.rows) {
    end = std::max(end, r.end);
    if (std::find(kinds.begin(), kinds.end(), r.kind) == kinds.end()) kinds.push_back(r.kind);
  }
  const Axis x = linear_axis(0, end > 0 ? end : 1, true, 10);
  const double plot_h = row_h * static_cast<double>(std::max<size_t>(chart.rows.size(), 1));
  double width = left + plot_w + 30;
  const double height = top + plot_h + 60 + legend_h;
  const auto px = [&](double v) { return left + x.fraction(v) * plot_w; };
  std::ostringstream svg;
  svg << open_svg(width, height, chart.title);
  for (const auto& [v, label] : x.ticks) {
    svg << "<line class=\"x-tick\" x1=\"" << px(v) << "\" y1=\"" << top << "\" x2=\"" << px(v) << "\" y2=\"" << top + plot_h + 5
        << "\" stroke=\"#e4e4e4\"/><text x=\"" << px(v) << "\" y=\"" << top + plot_h + 18 << "\" text-anchor=\"middle\">" << escape(label)
        << "</text>\n";
  }
  for (size_t i = 0; i < chart.rows.size(); ++i) {
    const auto& r = chart.rows[i];
    const double y = top + row_h * static_cast<double>(i);
    const size_t k = static_cast<size_t>(std::find(kinds.begin(), kinds.end(), r.kind) - kinds.begin());
    const std::string label = r.label.size() > 36 ? "..." + r.label.substr(r.label.size() - 33) : r.label;
    svg << "<text x=\"" << label_w + 12 << "\" y=\"" << y + row_h - 4 << "\" text-anchor=\"end\" font-size=\"10\">" << escape(label)
        << "</text><rect class=\"op\" data-op=\"" << escape(r.label) << "\" data-start=\"" << printf_text("%.9g", r.start) << "\" data-end=\""
        << printf_text("%.9g", r.end) << "\" x=\"" << px(r.start) << "\" y=\"" << y + 2 << "\" width=\"" << std::max(1.0, px(r.end) - px(r.start))
        << "\" height=\"" << row_h - 4 << "\" fill=\"" << colour_of(k) << "\"/>\n";
  }
  svg << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << plot_w << "\" height=\"" << plot_h
      << "\" fill=\"none\" stroke=\"#333\"/>\n<text x=\"" << left + plot_w / 2 << "\" y=\"" << top + plot_h + 40
      << "\" text-anchor=\"middle\">" << escape(chart.x_label) << "</text>\n";
  double lx = left;
  for (size_t k = 0; k < kinds.size(); ++k) {
    const bool used = std::any_of(chart.rows.begin(), chart.rows.end(), [&](const Gantt::Row& r) { return r.kind == kinds[k]; });
    if (!used) continue;
    svg << "<rect x=\"" << lx << "\" y=\"" << top + plot_h + 52 << "\" width=\"14\" height=\"12\" fill=\"" << colour_of(k) << "\"/><text x=\""
        << lx + 20 << "\" y=\"" << top + plot_h + 62 << "\">" << escape(kinds[k]) << "</text>\n";
    lx += 40 + 7.0 * static_cast<double>(kinds[k].size());
  }
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace npusim::cli
