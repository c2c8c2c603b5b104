// On-chip SRAM capacities decide tiling and spills (plain class, no SystemC):
// - the weight buffer is split in two halves (one fills while the MAU reads the other), so a layer's
//   weights stream in tiles of half the buffer;
// - the activation buffer holds a tile of rows of an op's input and output; a layer whose rows do not
//   all fit is computed in row tiles, and unless its weights fit in the weight buffer at once they
//   stream again for every row tile;
// - an op's output that does not fit in half the activation buffer is spilled to DRAM and reloaded by
//   each consumer.
#pragma once

#include <cstdint>

#include "hw/hw_config.hpp"

namespace npusim::hw {

struct GemmTiling {
  int64_t row_tiles = 1;       // passes over the rows (M)
  int64_t weight_tiles = 1;    // pieces of one pass's weights, each half the weight buffer at most
  int64_t weight_bytes_streamed = 0;  // total weight traffic from DRAM
};

class SramPlanner {
 public:
  explicit SramPlanner(const SramConfig& config) : config_(config) {}

  // A matrix multiply of `rows` rows, `input_row_bytes` in and `output_row_bytes` out per row, with
  // `layer_weight_bytes` of weights (0 when both operands are activations).
  GemmTiling plan_gemm(int64_t rows, int64_t input_row_bytes, int64_t output_row_bytes, int64_t layer_weight_bytes) const;

  // Whether an activation of `bytes` stays on chip between its producer and its consumers.
  bool stays_on_chip(int64_t bytes) const { return bytes <= activation_bytes() / 2; }

  int64_t weight_bytes() const { return int64_t{config_.weight_kib} * 1024; }
  int64_t activation_bytes() const { return int64_t{config_.activation_kib} * 1024; }

 private:
  SramConfig config_;
};

}  // namespace npusim::hw
