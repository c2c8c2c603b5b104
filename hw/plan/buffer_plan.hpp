// What stays in the on-chip SRAMs and what goes to DRAM, decided as an NPU compiler would (plain
// classes, no SystemC):
// - GemmPlanner picks, for one matrix multiply or convolution, the tile sizes and the loop order that
//   fit the weight, activation and accumulator capacities and take the least estimated time (array
//   cycles against DRAM bytes at the configured bandwidth; ties: the fewest DRAM bytes). Small tiles
//   save traffic but restart the array's folds more often; the planner weighs the two as a compiler
//   that knows the machine would. Weights stream once when a weight block stays resident for every row tile,
//   and again for every row tile when it cannot; an input that is not on chip is re-read for every
//   block of output columns when the rows loop inside the weights;
// - ActivationSram keeps the tensors that fit on chip from their producer to their last consumer;
//   what does not fit is spilled to DRAM and reloaded by its consumers.
#pragma once

#include <cstdint>
#include <map>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "hw/cost/categories.hpp"
#include "hw/config/hw_config.hpp"
#include "hw/cost/mau_timing.hpp"

namespace npusim::hw {

// One GEMM's operands as the buffers see them.
struct GemmOperands {
  GemmShape shape;                  // per batch item, and the batch count
  int input_element_bytes = 1;
  int weight_element_bytes = 1;
  int output_element_bytes = 1;
  int64_t input_bytes = 0;          // the input tensor in memory (a convolution's, before im2col)
  int64_t weight_bytes = 0;         // distinct stationary operands (shared ones counted once)
  int64_t weight_sharing = 1;       // batch items that use the same stationary operand (grouped-query attention)
  bool weights_in_dram = true;      // false: an activation operand that stays on chip
  bool input_on_chip = false;
  bool output_on_chip = false;
  int64_t im2col_elements = 0;      // expanded input elements of a k x k convolution
};

enum class LoopOrder { weights_outer, rows_outer };
std::string_view loop_order_name(LoopOrder order);

struct GemmPlan {
  LoopOrder order = LoopOrder::weights_outer;
  GemmTile tile;
  int64_t row_tiles = 1, k_tiles = 1, col_tiles = 1;
  bool weights_resident = false;         // every weight tile stays in the buffer once loaded
  bool double_buffered = false;          // the next tiles load (and the last ones store) while the array works
  int64_t weight_dram_bytes = 0;
  int64_t input_dram_bytes = 0;
  int64_t output_dram_bytes = 0;
  int64_t weight_transfers = 0;          // weight tiles moved from DRAM
  int64_t working_activation_bytes = 0;  // input and output tile buffers in the activation SRAM
  GemmCost cost;

  int64_t dram_bytes() const { return weight_dram_bytes + input_dram_bytes + output_dram_bytes; }
};

// A plan's time as the cost models estimate it, without a simulation: the array's busy cycles, the
// requantisation on the vector path and the DRAM transfers one after another; double-buffered, the
// busiest of the three. What `npusim lutnn cost` sets beside LutnnTiming::latency_ns.
double estimated_ns(const GemmPlan& plan, const HwConfig& config);

class GemmPlanner {
 public:
  explicit GemmPlanner(const HwConfig& config);

  // The fastest plan whose tiles fit; `free_activation_bytes` is what the
  // activation SRAM has left beside the tensors kept on chip. Throws npusim::Error when not even the
  // smallest tile fits (a buffer too small for one array-sized tile).
  GemmPlan plan(const GemmOperands& operands, int64_t free_activation_bytes) const;

 private:
  GemmPlan search(const GemmOperands& operands, int64_t free_activation_bytes) const;

  using Key = std::tuple<int64_t, int64_t, int64_t, int64_t, bool, bool, int, int, int, int64_t, int64_t, int64_t, bool, bool,
                         bool, int64_t, int64_t>;
  mutable std::map<Key, GemmPlan> cache_;
  HwConfig config_;
  MauTiming timing_;
  int64_t weight_capacity_bytes_;
  bool unified_;  // weights share the activation SRAM (sram.unified)
  int64_t accumulator_capacity_bytes_;
};

// Activation SRAM occupancy across a run: tensors kept on chip until their last consumer. A reshape's
// output is its input's buffer under another name; a buffer is freed when every name's consumers are done.
class ActivationSram {
 public:
  explicit ActivationSram(int64_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}

  int64_t capacity_bytes() const { return capacity_bytes_; }
  int64_t free_bytes() const { return capacity_bytes_ - used_bytes_; }

  // Keeps `tensor` on chip for `consumers` uses; the caller checked that it fits.
  void keep(int tensor, int64_t bytes, int consumers);
  bool holds(int tensor) const;
  // The buffer `tensor` names (the tensor that was kept), or -1.
  int buffer_of(int tensor) const;
  // One consumer of `tensor` is done; the buffer is freed after its last use under any name.
  void consume(int tensor);
  // `to` names the buffer of `from` (a reshape, itself one use of `from`) for `consumers` more uses.
  void alias(int from, int to, int consumers);
  // Buffers kept on chip: (a tensor naming it, bytes), largest first.
  std::vector<std::pair<int, int64_t>> kept() const;
  // Drops the buffer `tensor` names (it is spilled); returns every tensor that named it.
  std::vector<int> evict(int tensor);

 private:
  struct Buffer {
    int64_t bytes = 0;
    int uses_left = 0;
  };
  int64_t capacity_bytes_;
  int64_t used_bytes_ = 0;
  std::map<int, Buffer> buffers_;  // by the tensor that was kept
  std::map<int, int> buffer_of_;   // tensor name -> buffer
};

}  // namespace npusim::hw
