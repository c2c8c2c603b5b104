// Cycle cost of one non-linear op on each engine (SPEC 2.5, 2.6, 3): the LUT and NN-LUT units with
// their decomposition steps on the MAU vector path, the DSP with its per-element instruction costs and
// conversions, and I-BERT / I-ViT as integer instruction sequences on the MAU vector path.
// Plain class: no SystemC.
#pragma once

#include <cstdint>

#include "hw/config/hw_config.hpp"

namespace npusim::hw {

// One non-linear op: `elements` values in `rows` rows (softmax and the norms work per row).
struct NonlinearWork {
  NonlinearKind kind = NonlinearKind::gelu;
  int64_t elements = 0;
  int64_t rows = 1;
  // A fused attention's online softmax over `key_blocks` blocks of a row: each block after the first
  // corrects the running sum (one exp per row) and rescales the row's output of `value_width` columns,
  // which is also where the final normalisation goes. value_width 0: a softmax over whole rows.
  int64_t key_blocks = 1;
  int64_t value_width = 0;
  int64_t commands = 1;  // commands the op is issued as (a fused attention's softmax: one per row block)
  int64_t chunks = 1;    // on the DSP: pieces that pass through its local memory
};

struct NonlinearCost {
  int64_t lookup_cycles = 0;         // on the LUT / NN-LUT unit
  int64_t lookups = 0;
  int64_t decomposition_cycles = 0;  // max, subtract, sums, products on the MAU vector path
  int64_t dsp_cycles = 0;            // on the DSP
  int64_t integer_cycles = 0;        // I-BERT / I-ViT sequences on the MAU vector path
  int64_t total_cycles() const { return lookup_cycles + decomposition_cycles + dsp_cycles + integer_cycles; }
};

// A function's passes over one row on a vector DSP and the cross-lane reductions between them
// (softmax: max, exp and sum, normalise; LayerNorm: mean, variance, normalise; RMSNorm: mean square,
// normalise), and whether the row needs a scalar reciprocal (square root). Element-wise functions
// make one pass per chunk.
struct RowPasses {
  int passes = 1;
  int reductions = 0;
  bool scalar = false;
  bool row_wise = false;
};
RowPasses dsp_row_passes(NonlinearKind kind);

// The DSP's cycles for one op (DspCostConfig):
//   command_cycles x commands + chunk_setup_cycles x chunks
//   + row-wise: rows x (passes x pass_setup_cycles + reductions x reduction_cycles + row_scalar_cycles)
//     element-wise: chunks x pass_setup_cycles
//   + ceil(elements x (function cycles + int_to_float + float_to_int) / lanes)
class DspCostModel {
 public:
  explicit DspCostModel(const DspConfig& config) : config_(config) {}
  int64_t cycles(const NonlinearWork& work) const;
  double element_cycles(NonlinearKind kind) const;  // per element on one lane, conversions included

 private:
  DspConfig config_;
};

class NonlinearTiming {
 public:
  explicit NonlinearTiming(const HwConfig& config) : config_(config) {}

  NonlinearCost cost(NonlinearEngine engine, const NonlinearWork& work) const;

  // Lookups of one function (exp, reciprocal, rsqrt, GELU, SiLU) an op needs on a table unit.
  static int64_t lookups(const NonlinearWork& work);
  // Vector-path sweeps over the elements that decompose the op around its lookups.
  static int64_t decomposition_passes(NonlinearKind kind);
  // Vector-path element operations of those sweeps (hw/cost/nonlinear_timing.cpp: the online softmax's differ).
  static int64_t decomposition_ops(const NonlinearWork& work);
 private:
  int64_t table_unit_cycles(int64_t lookups, int lanes, int64_t cycles_per_lookup, bool pipelined) const;

  HwConfig config_;
};

}  // namespace npusim::hw
