// From a workload trace to the command processor's plan: each op priced in engine terms (GEMM shapes,
// non-linear work on the engine the config chooses, vector sweeps), with the weight streaming and the
// activation spills and reloads the SRAM capacities imply.
#pragma once

#include "hw/plan/execution_plan.hpp"
#include <memory>

#include "hw/config/hw_config.hpp"
#include "workloads/trace.hpp"

namespace npusim::hw {

// Prices `trace` with the tables the prepare step built for it (hw/plan/prepared_tables.hpp).
ExecutionPlan build_plan(const workloads::Trace& trace, const HwConfig& config, std::shared_ptr<const PreparedTables> tables);
// Prepares the tables, then prices the trace.
ExecutionPlan build_plan(const workloads::Trace& trace, const HwConfig& config, const PrepareOptions& options = {});

}  // namespace npusim::hw
