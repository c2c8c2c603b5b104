// One timed run: one effective config on one workload trace, planned, simulated and reported. The one
// path every caller takes - `npusim run`, each engine of a side-by-side run, each sweep point, bench-sim
// and, later, the bindings - so they cannot differ in how a run is made.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hw/config/hw_config.hpp"
#include "hw/metrics/activity.hpp"
#include "hw/plan/execution_plan.hpp"
#include "report/run_report.hpp"
#include "workloads/trace.hpp"

namespace npusim::run {

struct RunPointOptions {
  bool functional = false;   // compute and check the LUT, NN-LUT and DSP outputs
  uint64_t seed = 1;         // of the functional stimulus
  std::string config_label;  // the report's config name ("paper_npu dram.bandwidth_gbps=6"); "": config.name
};

struct RunPointResult {
  hw::RunReport report;               // workload and config labels, totals, per op, functional checks
  std::vector<std::string> warnings;  // SystemC warnings of the simulation

  // False when a functional check found a mismatch (always true without --functional).
  bool functional_passed() const;
};

// What a run streams its record to besides its report (the files of every activity, a binding's
// callback). It hears of the run's plan before the first activity - the files name each op by its id
// and layer - and of the run's end, once the simulation has completed (files commit then; a run that
// throws never calls end, so a failed run leaves no file behind).
class RunSink : public hw::ActivitySink {
 public:
  virtual void begin(const hw::HwConfig& config, const hw::ExecutionPlan& plan) { (void)config, (void)plan; }
  virtual void end() {}
};

// The prepare step and the command processor's plan of `trace` on `config`: the one place a run's plan
// is made (lutnn cost reads its linear layers' plans from here too). `functional`: also prepare the
// tables the units' functional checks need.
hw::ExecutionPlan plan_run(const hw::HwConfig& config, const workloads::Trace& trace, bool functional = false);

// Plans, simulates and reports. Throws npusim::Error for a plan that cannot be made or a simulation that
// fails. SystemC allows one simulation at a time in a process: runs that must go side by side each
// need a process of their own (run/side_by_side.hpp).
RunPointResult run_point(const hw::HwConfig& config, const workloads::Trace& trace, const RunPointOptions& options,
                         const std::vector<RunSink*>& sinks = {});

// "vit_base (27 ops)": how a report names its workload.
std::string workload_label(const workloads::Trace& trace);

}  // namespace npusim::run
