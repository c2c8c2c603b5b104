// Cycle cost of the MAC array (MAU): systolic folds for matrix multiplies and the vector path for
// element-wise and reduction steps. Plain class: no SystemC, so tests call it directly.
//
// The array time is built from named mechanisms, each reported on its own:
// - array cycles: the dataflow's pure fold timing, counted as SCALE-Sim v2 counts it (its demand
//   matrices: operand preload, skewed fill, streaming and drain of every fold);
// - tiling: a GEMM computed in SRAM-sized tiles restarts the fold pipeline for every tile;
// - INT16 passes: an INT16 operand is split into two INT8 halves, so every fold runs again per half;
// - stationary preload: hidden when the PEs double-buffer their stationary operand;
// - im2col: expanding a convolution's input windows into GEMM rows on the vector path;
// - requantisation and write-back: every output leaves the accumulators through the vector path.
#pragma once

#include <cstdint>

#include "hw/config/hw_config.hpp"

namespace npusim::hw {

constexpr int64_t kAccumulatorBytes = 4;  // bytes of one INT32 partial sum

// One GEMM as the array sees it: `batch` independent multiplies of [m x k] by [k x n].
struct GemmShape {
  int64_t m = 1;      // rows streamed through the array (tokens, output pixels)
  int64_t k = 1;      // reduction length
  int64_t n = 1;      // output features
  int64_t batch = 1;  // independent multiplies (attention heads, convolution groups)
  bool input_int16 = false;
  bool weight_int16 = false;
};

// The tile a GEMM is computed in (each of `m`, `k`, `n` at most the GEMM's).
struct GemmTile {
  int64_t m = 1;
  int64_t k = 1;
  int64_t n = 1;
};

struct FoldTiming {
  int64_t folds = 0;
  int64_t cycles = 0;
};

struct GemmCost {
  int64_t array_cycles = 0;     // pure fold cycles of the untiled GEMM (SCALE-Sim v2), all batches
  int64_t tiling_cycles = 0;    // extra fold cycles because the GEMM runs in tiles
  int64_t int16_cycles = 0;     // extra passes for INT16 operands
  int64_t preload_hidden_cycles = 0;  // stationary preload hidden by double-buffered PEs (subtracted)
  int64_t im2col_cycles = 0;    // vector-path expansion of convolution windows (serial before the array)
  int64_t array_busy_cycles = 0;      // what the array is busy for: the sum of the above
  int64_t requant_cycles = 0;   // vector path: requantise and write back every output (overlaps the array)
  int64_t ideal_cycles = 0;     // MACs x passes / array size: the 100 % utilisation bound
  int64_t folds = 0;            // folds of the tiled GEMM, all batches and passes
};

class MauTiming {
 public:
  explicit MauTiming(const MauConfig& config) : config_(config) {}

  // SCALE-Sim v2's fold count and cycles of one [m x k] x [k x n] multiply on an R x C array:
  //   weight stationary: ceil(k/R) * ceil(n/C) folds of 2R + C + m - 2 cycles;
  //   output stationary: ceil(m/R) * ceil(n/C) folds of  R + C + k - 2 cycles;
  //   input stationary:  ceil(k/R) * ceil(m/C) folds of 2R + C + n - 2 cycles.
  FoldTiming folds(int64_t m, int64_t k, int64_t n) const;

  // The untiled GEMM's pure fold cycles, all batches: the `array_cycles` of a report.
  int64_t array_cycles(const GemmShape& shape) const;

  // Every mechanism for the GEMM computed in `tile`s; `im2col_elements` is the number of expanded
  // input elements a convolution builds (0 for a matrix multiply or a 1x1 convolution).
  GemmCost gemm(const GemmShape& shape, const GemmTile& tile, int64_t im2col_elements = 0) const;
  GemmCost gemm(const GemmShape& shape) const { return gemm(shape, {shape.m, shape.k, shape.n}); }

  // Passes of the INT8 array that one product needs: 2 per INT16 operand (byte slices).
  int operand_passes(const GemmShape& shape) const;

  // `passes` sweeps over `elements` on the vector path: ceil(elements * passes / lanes) cycles.
  int64_t vector_cycles(int64_t elements, int64_t passes) const;

 private:
  // Fold cycles of the GEMM cut into tiles (tiles at the edges are smaller).
  FoldTiming tiled_folds(const GemmShape& shape, const GemmTile& tile) const;

  MauConfig config_;
};

}  // namespace npusim::hw
