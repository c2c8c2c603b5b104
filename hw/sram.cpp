#include "hw/sram.hpp"

#include <algorithm>

namespace npusim::hw {

namespace {
int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
}  // namespace

GemmTiling SramPlanner::plan_gemm(int64_t rows, int64_t input_row_bytes, int64_t output_row_bytes,
                                  int64_t layer_weight_bytes) const {
  GemmTiling t;
  const int64_t row_bytes = std::max<int64_t>(1, input_row_bytes + output_row_bytes);
  const int64_t rows_per_tile = std::max<int64_t>(1, activation_bytes() / row_bytes);
  t.row_tiles = ceil_div(std::max<int64_t>(1, rows), rows_per_tile);
  if (layer_weight_bytes == 0) {
    t.weight_tiles = 0;
    return t;
  }
  const int64_t half = std::max<int64_t>(1, weight_bytes() / 2);
  t.weight_tiles = ceil_div(layer_weight_bytes, half);
  // Weights that fit the whole buffer are kept across row tiles; otherwise they stream again.
  const bool resident = layer_weight_bytes <= weight_bytes();
  t.weight_bytes_streamed = resident ? layer_weight_bytes : layer_weight_bytes * t.row_tiles;
  return t;
}

}  // namespace npusim::hw
