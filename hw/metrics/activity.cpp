#include "hw/metrics/activity.hpp"

#include <algorithm>

namespace npusim::hw {

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
