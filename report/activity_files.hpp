// Files of every activity, written while the simulation runs (each an ActivitySink): memory stays
// bounded however long the run. Each goes to a temporary name and replaces its path on commit().
// - ActivitiesCsvFile: one row per unit activity (activities.csv);
// - TimelineFile: Chrome trace-event JSON for ui.perfetto.dev, a track per unit and DMA channel and a
//   counter of the DRAM bandwidth in use; merge_timelines puts several runs' files in one;
// - VcdFile: a Value Change Dump of one busy wire per unit, 1 ns timescale, timestamps increasing (each
//   edge is written once no later activity can come before it).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "hw/metrics/activity.hpp"
#include "hw/plan/execution_plan.hpp"
#include "hw/config/hw_config.hpp"
#include "common/atomic_file.hpp"

namespace npusim::hw {

class ActivitiesCsvFile : public ActivitySink {
 public:
  ActivitiesCsvFile(const std::string& path, const ExecutionPlan& plan);
  void on_activity(const Activity& activity, double final_before_ns) override;
  void commit() { file_.commit(); }

 private:
  const ExecutionPlan& plan_;
  AtomicFileWriter file_;
};

class TimelineFile : public ActivitySink {
 public:
  // Every event in process 1, named `process_name` (Perfetto's process track title).
  TimelineFile(const std::string& path, const ExecutionPlan& plan, double dram_bandwidth_gbps,
               const std::string& process_name = "npu");
  void on_activity(const Activity& activity, double final_before_ns) override;
  void on_dram_busy(double start_ns, double end_ns) override;
  void commit();

 private:
  void event(const std::string& json);
  int track(const std::string& unit);

  const ExecutionPlan& plan_;
  double dram_bandwidth_gbps_;
  AtomicFileWriter file_;
  std::map<std::string, int> tracks_;
  bool first_event_ = true;
};

// Writes the timelines `parts` (TimelineFile's, one event per line, each in process 1) as one file at
// `path`: part i's events move to process i + 1, so the runs sit one above the other in Perfetto.
void merge_timelines(const std::vector<std::string>& parts, const std::string& path);

class VcdFile : public ActivitySink {
 public:
  explicit VcdFile(const std::string& path);
  // Declares one wire per unit of the elaborated NPU.
  void on_units(const std::vector<UnitInfo>& units) override;
  void on_activity(const Activity& activity, double final_before_ns) override;
  void commit();

 private:
  // A unit's busy intervals not yet written out: disjoint, sorted, merged where they touch (whole
  // nanoseconds, rounded outwards). The front one's rising edge may already be written.
  struct Wire {
    std::string id;
    std::vector<std::pair<double, double>> busy;  // whole nanoseconds
    bool front_risen = false;
  };
  // Writes every value change before `horizon_ns` (no later activity starts before it), in time order.
  void emit_before(int64_t horizon_ns);

  AtomicFileWriter file_;
  std::map<std::string, Wire> wires_;
  int64_t written_until_ns_ = 0;  // every change written so far happened before this time
  int64_t last_timestamp_ns_ = 0;  // the last "#time" line (the header's #0)
};

}  // namespace npusim::hw
