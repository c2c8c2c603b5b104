#include "hw/activity.hpp"

#include <algorithm>

namespace npusim::hw {

std::string_view category_name(Category category) {
  switch (category) {
    case Category::mau_compute: return "mau_compute";
    case Category::nonlinear_compute: return "nonlinear_compute";
    case Category::decomposition: return "decomposition";
    case Category::weight_dma: return "weight_dma";
    case Category::activation_dma: return "activation_dma";
    case Category::mau_dsp_communication: return "mau_dsp_communication";
    case Category::table_load: return "table_load";
  }
  return "?";
}

std::string_view traffic_kind_name(TrafficKind kind) {
  switch (kind) {
    case TrafficKind::weights: return "weights";
    case TrafficKind::activations: return "activations";
    case TrafficKind::spills: return "spills";
    case TrafficKind::tables: return "tables";
    case TrafficKind::dsp_exchange: return "dsp_exchange";
  }
  return "?";
}

void ActivityLog::record(const Activity& activity, double now_ns) {
  const double final_before = open_starts_.empty() ? now_ns : std::min(now_ns, *open_starts_.begin());
  for (ActivitySink* sink : sinks_) sink->on_activity(activity, final_before);
}

void ActivityLog::record_dram_busy(double start_ns, double end_ns) {
  if (dram_open_ && dram_interval_.second >= start_ns) {
    dram_interval_.second = end_ns;
    return;
  }
  finish();
  dram_interval_ = {start_ns, end_ns};
  dram_open_ = true;
}

void ActivityLog::finish() {
  if (!dram_open_) return;
  for (ActivitySink* sink : sinks_) sink->on_dram_busy(dram_interval_.first, dram_interval_.second);
  dram_open_ = false;
}

}  // namespace npusim::hw
