// Standalone SVG charts that open in a browser: line charts of several series over one x axis, with
// axes, ticks at round values, a legend, a logarithmic y axis where errors span decades and a
// logarithmic x axis for geometric sweeps; small multiples (one panel per group, shared x axis, shared or
// per-panel y); grouped stacked bars; heat maps with a colour scale; a Gantt chart of a run's ops.
#pragma once

#include <optional>
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
  bool log_x = false;  // x <= 0 is left out
  // Non-empty: a categorical x axis, x values are indices into these labels (e.g. zipped sweep axes).
  std::vector<std::string> x_categories{};
  // Single points drawn as labelled markers over the series (e.g. published figures).
  struct Marker {
    std::string name;
    double x = 0.0, y = 0.0;
  };
  std::vector<Marker> markers{};
  // Ticks of a numeric x axis at these values (a sweep's own values); empty: round values chosen here.
  std::vector<double> x_ticks{};
  // A dashed horizontal line, drawn and labelled (speedup 1.0: "LUT = DSP").
  std::optional<double> reference_y{};
  std::string reference_label{};
};

std::string render_svg(const LineChart& chart);

// Text made safe inside XML / HTML elements and attribute values.
std::string escape_xml(const std::string& text);

// Tick values of a linear axis covering [lo, hi]: steps of 1, 2 or 5 times a power of ten, at most
// `max_ticks` of them, the first at or below lo and the last at or above hi.
std::vector<double> linear_ticks(double lo, double hi, int max_ticks = 6);

// Tick values of a logarithmic axis over [lo, hi] (lo > 0): 1-2-5 steps within each decade up to three
// decades, powers of ten beyond (every n-th power past a dozen); the two ends when fewer than two ticks
// fall inside.
std::vector<double> log_ticks(double lo, double hi);

// Powers of two within [lo, hi] (lo > 0), every n-th one when more than `max_ticks` fall inside.
std::vector<double> power_of_two_ticks(double lo, double hi, int max_ticks = 10);

// Tick labels of one axis, all with the same number of decimals (enough to tell the ticks apart, no
// more): 0.5, 1.0, 1.5 - not 0.5, 1, 1.5 or 1.63, 3.259.
std::vector<std::string> tick_labels(const std::vector<double>& ticks);

// Panels in a grid, one per chart, on the same x range (each panel's title names its group); one legend
// for series of the same name across panels. With shared_y false each panel has its own y range and
// tick labels: panels whose values lie decades apart keep their own differences visible.
struct SmallMultiples {
  std::string title;
  std::string x_label, y_label;
  std::vector<LineChart> panels;  // their log_x, log_y, x_categories and x_ticks come from the first panel
  int columns = 3;
  bool shared_y = true;
};
std::string render_svg(const SmallMultiples& chart);

// Stacked bars in groups (one group per axis value, one bar per engine side by side), each bar with an
// optional total marker and an optional narrow bar beside it stacked over the same segment names in
// lighter colours (e.g. the busy time each category spent hidden under others).
struct StackedBars {
  std::string title;
  std::string y_label;
  std::string x_label;  // what the groups are: the sweep axis
  std::vector<std::string> segment_names;
  struct Bar {
    std::string label;                  // under the bar: "dsp"
    std::vector<double> segments;       // one per segment name
    std::vector<double> side_segments;  // one per segment name, or empty
    std::optional<double> marker;       // e.g. the total latency
    std::string name{};                 // what it is, for readers of the file (data-bar); "": label and group label
  };
  struct Group {
    std::string label;  // under the group: "3"
    std::vector<Bar> bars;
    bool new_block = false;  // set apart from the groups before it (another engine's results)
  };
  std::vector<Group> groups;
  std::string marker_name;
  std::string side_name;
};
std::string render_svg(const StackedBars& chart);

// A grid of values with a colour scale: sequential from low to high, or diverging around `center`
// (speedups around 1.0); each cell labelled with `decimals` decimals.
struct HeatMap {
  std::string title;
  std::string x_label, y_label;
  std::vector<std::string> x_values, y_values;
  std::vector<std::vector<double>> cells;  // [y][x]
  int decimals = 2;
  std::optional<double> center{};
  std::string value_label{};  // the colour bar's title
};
std::string render_svg(const HeatMap& chart);

// One row per item (an op of a run) from its start to its end, coloured by its kind (the engine).
struct Gantt {
  std::string title;
  std::string x_label;  // "time (ms)"
  struct Row {
    std::string label;
    double start = 0.0, end = 0.0;
    std::string kind;
  };
  std::vector<Row> rows;
  std::vector<std::string> kinds{};  // colours in this order (the same engine, the same colour in every run); others follow
};
std::string render_svg(const Gantt& chart);

}  // namespace npusim::cli
