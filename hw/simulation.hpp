// One timed simulation: elaborate the NPU for a plan, run it to completion, return what it recorded.
// SystemC elaborates one design per process, so call this at most once per process; runs that need
// several simulations (engines side by side, sweeps) start a child process for each.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hw/activity.hpp"
#include "hw/execution_plan.hpp"
#include "hw/functional_check.hpp"
#include "hw/hw_config.hpp"

namespace npusim::hw {

struct SimulationOptions {
  bool functional = false;
  uint64_t seed = 1;
};

struct SimulationResult {
  int64_t dram_bytes_read = 0;
  int64_t dram_bytes_written = 0;
  std::vector<FunctionalResult> functional;
  std::vector<std::string> warnings;  // SystemC warnings, if any
  double total_ns = 0.0;
};

// Throws npusim::Error for SystemC errors (id "npusim/sim") or a run that does not finish.
// Every activity goes to `sinks` as it is recorded (a ReportBuilder for the report, files, ...).
SimulationResult simulate(const HwConfig& config, const ExecutionPlan& plan, const SimulationOptions& options,
                          const std::vector<ActivitySink*>& sinks);

}  // namespace npusim::hw
