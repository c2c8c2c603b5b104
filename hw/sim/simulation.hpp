// One timed simulation: elaborate the NPU for a plan, run it to completion, return what it recorded.
// SystemC elaborates one design per simulation context, so each call after the first replaces the
// finished context with a fresh one: simulations in one process follow each other (a sweep worker's
// points), and none sees another's state. Simulations that must run side by side still need processes
// of their own.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hw/metrics/activity.hpp"
#include "hw/plan/execution_plan.hpp"
#include "hw/sim/functional_check.hpp"
#include "hw/config/hw_config.hpp"

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
