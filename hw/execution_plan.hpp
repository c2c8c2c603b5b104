// What the command processor executes: the workload's ops with their work already priced in the
// units the engines understand (GEMM shapes, non-linear work, vector sweeps) and the DRAM traffic
// the SRAM capacities imply. Plain data, no SystemC; built by plan_builder from a workload trace.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hw/hw_config.hpp"
#include "hw/mau_timing.hpp"
#include "hw/nonlinear_timing.hpp"
#include "models/golden_functions.hpp"

namespace npusim::hw {

enum class OpWork { gemm, nonlinear, vector, none };

// One per-layer table a non-linear op needs on a table unit.
struct TableUse {
  std::string key;  // layer path + function: what a resident slot holds
  Function function = Function::exp;
  double range_min = 0.0;
  double range_max = 1.0;
  int64_t bytes = 0;  // 514, or 548 with the dual-range table
};

struct PlannedOp {
  std::string id;
  std::string layer;
  std::string type;
  std::vector<int> deps;  // indices of earlier ops
  OpWork work = OpWork::none;

  GemmShape gemm;
  int64_t weight_bytes = 0;  // streamed from DRAM (0 for activation x activation products)
  int weight_tiles = 0;      // pieces of the weight buffer's half

  NonlinearWork nonlinear;
  NonlinearEngine engine = NonlinearEngine::lut;
  std::vector<TableUse> tables;
  int64_t dsp_in_bytes = 0;   // MAU -> DSP
  int64_t dsp_out_bytes = 0;  // DSP -> MAU

  int64_t vector_elements = 0;
  int64_t vector_passes = 0;

  int64_t reload_bytes = 0;  // inputs its producers spilled to DRAM
  int64_t spill_bytes = 0;   // its output, written to DRAM because it does not stay in SRAM

  int64_t macs() const { return work == OpWork::gemm ? gemm.m * gemm.k * gemm.n * gemm.batch : 0; }
};

struct ExecutionPlan {
  std::string workload;
  std::vector<PlannedOp> ops;
};

}  // namespace npusim::hw
