// Cycle cost of the MAC array (MAU): systolic folds for matrix multiplies and the vector path for
// element-wise and reduction steps. Plain class: no SystemC, so tests call it directly.
#pragma once

#include <cstdint>

#include "hw/hw_config.hpp"

namespace npusim::hw {

struct GemmShape {
  int64_t m = 1;      // rows streamed through the array (tokens, output pixels)
  int64_t k = 1;      // reduction length
  int64_t n = 1;      // output features
  int64_t batch = 1;  // independent multiplies (attention heads)
  bool int16 = false; // INT16 operands run at the reduced rate
};

struct GemmCost {
  int64_t folds = 0;          // array-sized pieces of the problem
  int64_t cycles = 0;         // including preload, fill and drain of every fold, and the efficiency factor
  int64_t ideal_cycles = 0;   // MACs / array size: the 100 % utilisation bound
};

class MauTiming {
 public:
  explicit MauTiming(const MauConfig& config) : config_(config) {}

  // Weight stationary (SCALE-Sim's formula): folds = ceil(K/R) ceil(N/C), each taking
  // 2R + C + M - 2 cycles (R cycles of weight preload, then M rows fill, stream and drain through
  // R + C - 1 stages). Output stationary: folds = ceil(M/R) ceil(N/C), each 2R + C + K - 2.
  GemmCost gemm(const GemmShape& shape) const;

  // `passes` sweeps over `elements` on the vector path: ceil(elements * passes / lanes) cycles.
  int64_t vector_cycles(int64_t elements, int64_t passes) const;

 private:
  MauConfig config_;
};

}  // namespace npusim::hw
