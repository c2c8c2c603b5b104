// What the command processor executes: the workload's ops with their work already priced in the
// units the engines understand (GEMM tiles and cycles, non-linear work, vector sweeps) and the DRAM
// transfers the buffer model implies. Plain data, no SystemC; built by plan_builder from a trace.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hw/plan/buffer_plan.hpp"
#include "hw/config/hw_config.hpp"
#include "hw/cost/lutnn_timing.hpp"
#include "hw/cost/mau_timing.hpp"
#include "hw/cost/nonlinear_timing.hpp"
#include "hw/plan/prepared_tables.hpp"
#include "models/core/golden_functions.hpp"

namespace npusim::hw {

enum class OpWork { gemm, nonlinear, vector, none };

// One table a non-linear op needs on a table unit (its entries: ExecutionPlan::tables).
struct TableUse {
  std::string key;  // what a resident slot holds (hw/plan/prepared_tables.hpp, table_key)
  Function function = Function::exp;
  int64_t bytes = 0;  // on the LUT unit: 514, or 548 with the dual-range table (the NN-LUT unit knows its own)
  bool range_reduced = false;  // the model-wide bespoke-rr table of `function` (key "bespoke_rr.<function>")
};

// How an op's transfers and compute are cut into pipeline steps: the first step is one physical tile
// (all that can be fetched before the op starts, while the buffers still hold the previous op's
// tiles), the rest of the work is split evenly over the other steps.
struct StepSplit {
  int64_t steps = 1;
  double head_fraction = 1.0;  // of every quantity, in step 0

  int64_t part(int64_t total, int64_t step) const {
    const int64_t head = head_of(total);
    if (step == 0) return head;
    const int64_t rest = total - head, tail_steps = steps - 1;
    return rest / tail_steps + (step - 1 < rest % tail_steps ? 1 : 0);
  }

  // part(total, 0) + ... + part(total, step), in constant time (an op may have a step per DSP chunk).
  int64_t through(int64_t total, int64_t step) const {
    const int64_t head = head_of(total);
    if (step == 0) return head;
    const int64_t rest = total - head, tail_steps = steps - 1;
    return head + step * (rest / tail_steps) + std::min(step, rest % tail_steps);
  }

 private:
  int64_t head_of(int64_t total) const {
    return steps == 1 ? total : std::min(total, static_cast<int64_t>(static_cast<double>(total) * head_fraction));
  }
};

// Bytes one op moves between DRAM and the activation SRAM (or the DSP), by kind.
struct Transfer {
  int64_t bytes = 0;
  TrafficKind kind = TrafficKind::spills;
};

struct PlannedOp {
  std::string id;
  std::string layer;
  std::string type;
  std::vector<int> deps;  // indices of earlier ops
  OpWork work = OpWork::none;

  // GEMM: shape, the buffer model's tiling, and the array cost of every mechanism.
  GemmShape gemm;
  GemmPlan gemm_plan;
  int64_t weight_bytes = 0;  // weights streamed from DRAM over the run of this op (re-streams included)
  int64_t computed_macs = -1;  // when fewer than the shape's are computed (tiles a causal mask hides skipped)
  // LUT-NN (linear.engine lutnn): the layer's cost; `gemm` is then the dense layer's shape and
  // `weight_bytes` its tables, centroids and column scales, streamed as table tiles.
  bool lutnn = false;
  LutnnCost lutnn_cost;

  NonlinearWork nonlinear;
  NonlinearEngine engine = NonlinearEngine::lut;
  NonlinearCost nonlinear_cost;  // on `engine` (hw/cost/nonlinear_timing)
  std::vector<TableUse> tables;

  int64_t vector_elements = 0;
  int64_t vector_cycles = 0;

  // Activation traffic: reads of inputs that are not on chip, writes of outputs that do not stay.
  std::vector<Transfer> loads;
  std::vector<Transfer> stores;
  // The op's transfers and compute are cut into steps; with double buffering the next step's transfer
  // overlaps this step's compute.
  StepSplit split;
  // Tile-level pipelining between ops: this op's output rows are final in step order, and which of
  // its inputs it can consume row by row as their producers finish them (else it waits for them).
  bool rows_in_order = false;
  std::vector<bool> streamed_deps;
  bool weights_double_buffered = true;
  bool activations_double_buffered = true;

  // DSP ops: data to and from the DSP, chunked through its local memory. Over DRAM, an input the MAU
  // holds on chip is first written out (`dsp_stage_bytes`); the DSP reads its input and writes its
  // result (which consumers read back). Over the on-chip link, what the MAU's SRAM holds moves there.
  int64_t dsp_input_bytes = 0;
  int64_t dsp_chunks = 1;  // of at most half the DSP's local memory, so one moves while the other computes
  int64_t dsp_stage_bytes = 0;
  Transfer dsp_in;
  Transfer dsp_out;
  int64_t dsp_link_in_bytes = 0;
  int64_t dsp_link_out_bytes = 0;

  // Element sizes and the inputs' element count, for the SRAM traffic of the op (hw/metrics/sram_traffic).
  int input_element_bytes = 1, weight_element_bytes = 1, output_element_bytes = 1;
  int64_t input_elements = 0, output_elements = 0;

  // LUT-NN: the distance MACs (N C v K) on the array, not the dense layer's.
  int64_t macs() const {
    if (work != OpWork::gemm) return 0;
    if (lutnn) return lutnn_cost.counts.distance_ops / 2;
    return computed_macs >= 0 ? computed_macs : gemm.m * gemm.k * gemm.n * gemm.batch;
  }
  int64_t array_cycles() const {
    if (work != OpWork::gemm) return 0;
    return lutnn ? lutnn_cost.distance_cycles : gemm_plan.cost.array_cycles;
  }
};

struct ExecutionPlan {
  std::string workload;
  std::vector<PlannedOp> ops;
  std::shared_ptr<const PreparedTables> tables;  // what the prepare step built, by op index
};

}  // namespace npusim::hw
