// From a workload trace to the command processor's plan: each op priced in engine terms (GEMM shapes,
// non-linear work on the engine the config chooses, vector sweeps), with the weight streaming and the
// activation spills and reloads the SRAM capacities imply.
#pragma once

#include "hw/plan/execution_plan.hpp"
#include "hw/config/hw_config.hpp"
#include "workloads/trace.hpp"

namespace npusim::hw {

ExecutionPlan build_plan(const workloads::Trace& trace, const HwConfig& config);

}  // namespace npusim::hw
