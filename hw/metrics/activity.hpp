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

// What a unit is to the reports (energy per lane-cycle, table throughput, compute or transfer time),
// whatever model implements it: a user's unit in the LUT unit's place is still a lookup unit.
enum class UnitRole { mau_array, mau_vector, lut, nnlut, lutnn, dsp, link, dma };

// Whether time on this unit is compute (else data movement: DMA channels and on-chip links).
inline bool is_compute(UnitRole role) { return role != UnitRole::dma && role != UnitRole::link; }

// One unit of the elaborated NPU as its activities name it: its path below the NPU top ("mau.array",
// "dsp.link", "dma.0").
struct UnitInfo {
  std::string name;
  UnitRole role = UnitRole::mau_array;
};

struct Activity {
  int op_index = -1;     // into the plan's op list
  std::string unit;      // "mau.array", "mau.vector", "lut_unit", "nnlut_unit", "dsp", "dma.0", ...
  UnitRole role = UnitRole::mau_array;
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
  // The elaborated NPU's units, in elaboration order, once before the first activity.
  virtual void on_units(const std::vector<UnitInfo>& units) { (void)units; }
  virtual void on_activity(const Activity& activity, double final_before_ns) = 0;
  // A merged interval of DRAM transfer (recorded once it is closed).
  virtual void on_dram_busy(double start_ns, double end_ns) { (void)start_ns, (void)end_ns; }
};

// The simulation's record, streamed to its sinks instead of kept: memory does not grow with the run.
class ActivityLog {
 public:
  void add_sink(ActivitySink* sink) { sinks_.push_back(sink); }

  // Tells every sink which units the elaborated NPU has.
  void announce_units(const std::vector<UnitInfo>& units) {
    for (ActivitySink* sink : sinks_) sink->on_units(units);
  }

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
