// Reports of a timed run: per-op and per-layer breakdowns, the summary in the paper's terms (total,
// non-linear time, communication, non-linear share), as text, CSV and JSON; a Perfetto / Chrome
// trace-event timeline; a VCD of engine busy signals. Plain code: no SystemC.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "hw/metrics/activity.hpp"
#include "hw/metrics/critical_path.hpp"
#include "hw/metrics/energy_model.hpp"
#include "hw/plan/execution_plan.hpp"
#include "hw/sim/functional_check.hpp"
#include "hw/config/hw_config.hpp"
#include "hw/metrics/sram_traffic.hpp"
#include "common/json.hpp"

namespace npusim::hw {

using CategoryTimes = std::array<double, kCategoryCount>;  // ns, indexed by Category

struct OpReport {
  int index = 0;
  std::string id, layer, type, engine;
  double start_ns = 0.0, end_ns = 0.0;
  CategoryTimes busy_ns{};
  int64_t bytes = 0, macs = 0, elements = 0;
  int64_t array_cycles = 0;  // the dataflow's pure fold cycles (SCALE-Sim v2), before tiling and stalls
  int64_t dram_read_bytes = 0, dram_write_bytes = 0;
};

struct LayerReport {
  std::string layer;  // the layer path up to its block index ("blocks.3"), or the whole path
  double start_ns = 0.0, end_ns = 0.0;
  CategoryTimes busy_ns{};
  int64_t bytes = 0, macs = 0, elements = 0;
};

struct RunReport {
  std::string workload;
  std::string config_name;
  std::string engines;          // e.g. "lut" or "gelu=dsp,softmax=lut,..."
  double total_ns = 0.0;
  // What the total is made of (hw/metrics/critical_path.hpp): each instant to one category or to idle
  // (nothing busy), so critical_ns plus critical_idle_ns add up to total_ns. Reports print it first.
  CategoryTimes critical_ns{};
  double critical_idle_ns = 0.0;
  // Busy time: how long each category kept its units busy. Units work at the same time, so busy times
  // overlap and do not add up to the total; overlapped_ns is the busy time hidden under the critical path.
  CategoryTimes busy_ns{};
  double overlapped_ns = 0.0;
  double nonlinear_ns = 0.0;      // busy: non-linear compute + decomposition steps (the paper's non-linear op time)
  double communication_ns = 0.0;  // busy: activation DMA + MAU<->DSP communication
  double nonlinear_share = 0.0;   // nonlinear_ns / total_ns
  int64_t dram_bytes = 0;
  std::array<int64_t, kTrafficKindCount> dram_bytes_by_kind{};  // read + written, by TrafficKind
  int64_t macs = 0;
  double mau_utilization = 0.0;   // useful MACs over the array's peak over the whole run
  int64_t table_lookups = 0;      // lookups on the LUT / NN-LUT unit
  double table_busy_ns = 0.0;     // time the table unit was busy with them
  double cycle_ns = 1.0;
  // Each unit's busy time (overlapping activities of a unit counted once) over total_ns, in the elaborated
  // NPU's order: mau.array, mau.vector, lut_unit, nnlut_unit, dsp, dsp.link, lutnn_unit (with --linear
  // lutnn), dma.0, ...
  std::vector<std::pair<std::string, double>> unit_busy_fraction;
  SramTraffic sram;               // bytes each on-chip buffer read and wrote (hw/metrics/sram_traffic.hpp)
  EnergyBreakdown energy;         // hw/metrics/energy_model.hpp; energy.total_uj() is energy_uj
  bool has_energy = false;        // false for a report read from a JSON file written before energy was reported
  // The table unit's throughput while busy: its lanes, divided by the cycles a lane holds a lookup.
  double table_lookups_per_cycle() const {
    return table_busy_ns > 0 ? static_cast<double>(table_lookups) * cycle_ns / table_busy_ns : 0.0;
  }
  std::vector<OpReport> ops;
  std::vector<LayerReport> layers;
  std::vector<FunctionalResult> functional;

  double total_ms() const { return total_ns * 1e-6; }
};

// Builds a run's report as the simulation records its activities: per op, per category and per DRAM
// kind, the critical path, and each unit's busy time (the union of its intervals is closed as it becomes
// final, so its memory stays bounded).
class ReportBuilder : public ActivitySink {
 public:
  ReportBuilder(const HwConfig& config, const ExecutionPlan& plan);
  // The units whose busy fractions the report gives, in this order (the simulation announces them).
  void on_units(const std::vector<UnitInfo>& units) override;
  void on_activity(const Activity& activity, double final_before_ns) override;
  RunReport finish(double total_ns, const std::vector<FunctionalResult>& functional);

 private:
  const ExecutionPlan& plan_;
  RunReport report_;
  double peak_macs_per_ns_ = 0.0;
  CriticalPathBuilder critical_path_;
  // The total length of a union of intervals, closed as it becomes final so its memory stays bounded.
  class IntervalUnion {
   public:
    void add(double start_ns, double end_ns, double final_before_ns);
    double total_ns() const;

   private:
    std::vector<std::pair<double, double>> open_;  // disjoint, sorted, not yet final
    double closed_ns_ = 0.0;
  };
  std::vector<std::pair<std::string, IntervalUnion>> units_;  // in RunReport::unit_busy_fraction's order
  double vector_busy_ns_ = 0.0, dsp_busy_ns_ = 0.0;  // summed durations, for lane-cycles
  EnergyEvents events_;
  EnergyConfig energy_config_;
  int vector_lanes_ = 1, dsp_lanes_ = 1;
};

std::string engines_description(const HwConfig& config);

std::string summary_text(const RunReport& report);
std::string ops_csv(const RunReport& report);        // one row per op
std::string layers_csv(const RunReport& report);
std::string summary_csv(const RunReport& report);
json::Value report_json(const RunReport& report);
RunReport report_from_json(const json::Value& value, const std::string& source_name);

// The paper's side-by-side view of several runs of the same workload: the first run is the baseline
// of the speedup.
std::string comparison_text(const std::vector<RunReport>& runs);

}  // namespace npusim::hw
