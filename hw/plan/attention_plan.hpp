// Fused attention as an NPU compiler maps it (compiler.attention: fused): for each key/value group, row
// blocks of the stacked query rows run QK^T, the mask, softmax and PV in turn, key block by key block,
// with the running row max and sum kept on chip (online softmax). The score and probability tiles of a
// row block live in the activation SRAM and never reach DRAM; Q is read once, K and V once per group
// when they fit the weight buffer (else once per row block), the output written once.
// Plain class, no SystemC: the plan builder turns its answer into the group's ops.
#pragma once

#include <cstdint>
#include <map>
#include <tuple>

#include "hw/config/hw_config.hpp"
#include "hw/cost/mau_timing.hpp"

namespace npusim::hw {

struct AttentionShape {
  int64_t groups = 1;       // key/value heads (a batch of independent attentions)
  int64_t group_size = 1;   // query heads per key/value head: their rows are stacked
  int64_t queries = 1;      // tq, per head
  int64_t keys = 1;         // tk
  int64_t head_dim = 64;    // QK^T reduction
  int64_t value_dim = 64;   // PV output columns per head
  int q_bytes = 1, k_bytes = 1, v_bytes = 1;  // operand element sizes
  int score_bytes = 1;      // a requantised score, as the softmax reads it
  int prob_bytes = 2;       // a probability, as PV reads it
  int output_bytes = 1;
  bool causal = false;      // a causal mask sits between QK^T and softmax
  bool causal_skip = false;  // tiles the mask hides entirely are not computed
  bool whole_rows = false;  // the softmax needs whole rows (a three-pass softmax off the MAU: no online form)
  bool q_on_chip = false, k_on_chip = false, v_on_chip = false;
  bool output_on_chip = false;

  int64_t rows() const { return groups * group_size * queries; }  // all stacked query rows
};

struct AttentionPlan {
  int64_t row_block = 1;    // stacked query rows per block (Br)
  int64_t key_block = 1;    // keys per block (Bk); = keys when whole rows are on chip
  int64_t row_blocks = 1;   // over all groups
  int64_t key_blocks = 1;   // per row
  bool kv_resident = false;  // a group's K and V stay in the weight buffer across its row blocks
  int64_t q_dram_bytes = 0, k_dram_bytes = 0, v_dram_bytes = 0, output_dram_bytes = 0;
  int64_t working_bytes = 0;  // activation SRAM the group holds while it runs
  int64_t score_elements = 0;   // scores computed (all of T x T per head, or the tiles a causal mask leaves)
  int64_t masked_elements = 0;  // scores that pass through the mask's compare-and-select
  int64_t softmax_rows = 0;     // rows the softmax normalises (every stacked row)
  GemmCost qk_cost;             // QK^T over the computed tiles
  GemmCost pv_cost;             // PV over the computed tiles
  int64_t qk_macs = 0, pv_macs = 0;

  int64_t dram_bytes() const { return q_dram_bytes + k_dram_bytes + v_dram_bytes + output_dram_bytes; }
};

class AttentionPlanner {
 public:
  explicit AttentionPlanner(const HwConfig& config);

  // The fastest blocking whose tiles fit beside `free_activation_bytes`; throws npusim::Error when not
  // even one row of one key block fits.
  AttentionPlan plan(const AttentionShape& shape, int64_t free_activation_bytes) const;

  // Which stacked rows of a row block need which keys under a causal mask: the computed and masked
  // score elements of blocks of `row_block` x `key_block` (exposed for tests).
  struct CausalCount {
    int64_t computed = 0, masked = 0;
  };
  static CausalCount causal_count(const AttentionShape& shape, int64_t row_block, int64_t key_block);

 private:
  HwConfig config_;
  MauTiming timing_;
};

}  // namespace npusim::hw
