// What the timed model records: one entry per piece of work a unit did, with its latency category.
// Plain data (no SystemC), so reports and tests can use it without a simulation.
#pragma once

#include <cstdint>
#include <string>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "hw/cost/categories.hpp"

namespace npusim::hw {

struct Activity {
  int op_index = -1;     // into the plan's op list
  std::string unit;      // "mau", "mau.vector", "lut_unit", "nnlut_unit", "dsp", "dma.0", ...
  Category category = Category::mau_compute;
  double start_ns = 0.0;
  double end_ns = 0.0;
  int64_t bytes = 0;
  bool dram_write = false;           // a DMA activity: direction of its DRAM bytes
  TrafficKind traffic = TrafficKind::weights;  // a DMA activity: what it carried
  int64_t macs = 0;
  int64_t elements = 0;
  double duration_ns() const { return end_ns - start_ns; }
};

// What consumes the record as the simulation goes: the report's aggregates, files of every activity.
// `final_before_ns`: no activity recorded later starts before this time, so whatever ends earlier is
// complete (for writers that must emit in time order).
class ActivitySink {
 public:
  virtual ~ActivitySink() = default;
  virtual void on_activity(const Activity& activity, double final_before_ns) = 0;
  // A merged interval of DRAM transfer (recorded once it is closed).
  virtual void on_dram_busy(double start_ns, double end_ns) { (void)start_ns, (void)end_ns; }
};

// The simulation's record, streamed to its sinks instead of kept: memory does not grow with the run.
class ActivityLog {
 public:
  void add_sink(ActivitySink* sink) { sinks_.push_back(sink); }

  // A DMA transfer records its activity when it ends; until then its start is still open.
  void open_transfer(double start_ns) { open_starts_.insert(start_ns); }
  void close_transfer(double start_ns) { open_starts_.erase(open_starts_.find(start_ns)); }

  // `now_ns`: the simulation time of the record. Units reserve work starting no earlier than now.
  void record(const Activity& activity, double now_ns);
  // DRAM transfer intervals, in time order; touching ones are merged before they reach the sinks.
  void record_dram_busy(double start_ns, double end_ns);
  // Closes the last DRAM interval (call once the simulation is over).
  void finish();

  int64_t dram_bytes_read = 0;
  int64_t dram_bytes_written = 0;

 private:
  std::vector<ActivitySink*> sinks_;
  std::multiset<double> open_starts_;
  bool dram_open_ = false;
  std::pair<double, double> dram_interval_{0.0, 0.0};
};

// A sink that keeps every activity in memory (tests and small tools).
class ActivityRecorder : public ActivitySink {
 public:
  void on_activity(const Activity& activity, double) override { activities.push_back(activity); }
  void on_dram_busy(double start_ns, double end_ns) override { dram_busy_ns.emplace_back(start_ns, end_ns); }

  std::vector<Activity> activities;
  std::vector<std::pair<double, double>> dram_busy_ns;
};

}  // namespace npusim::hw
