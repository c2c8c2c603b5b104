#include "report/run_gantt.hpp"

#include "report/svg_chart.hpp"

namespace npusim::hw {

std::string run_gantt_svg(const RunReport& r) {
  cli::Gantt chart;
  chart.x_label = "time (ms)";
  chart.kinds = {"mau", "mau.vector", "lutnn", "lut", "nnlut", "dsp", "ibert", "ivit", "none"};
  const bool by_op = r.ops.size() <= kGanttMaxRows;
  chart.title = "Timeline of " + r.workload + " on " + r.engines + (by_op ? ": one row per op" : ": one row per layer group");
  if (by_op) {
    for (const OpReport& o : r.ops) chart.rows.push_back({o.id + " (" + o.type + ")", o.start_ns * 1e-6, o.end_ns * 1e-6, o.engine});
  } else {
    for (const LayerReport& l : r.layers) chart.rows.push_back({l.layer, l.start_ns * 1e-6, l.end_ns * 1e-6, "layer group"});
  }
  return cli::render_svg(chart);
}

}  // namespace npusim::hw
