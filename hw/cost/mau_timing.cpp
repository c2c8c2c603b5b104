#include "hw/cost/mau_timing.hpp"

#include "common/checked_size.hpp"

#include <algorithm>
#include <array>

namespace npusim::hw {

namespace {

using checked::ceil_div;

// A dimension cut into tiles: `full` tiles of `size` and, when it does not divide, one of `rest`.
struct Cut {
  int64_t size, full, rest;
};
Cut cut(int64_t dim, int64_t tile) {
  const int64_t t = std::clamp<int64_t>(tile, 1, std::max<int64_t>(1, dim));
  return {t, dim / t, dim % t};
}

}  // namespace

FoldTiming MauTiming::folds(int64_t m, int64_t k, int64_t n) const {
  const int64_t r = config_.rows, c = config_.cols;
  FoldTiming f;
  switch (config_.dataflow) {
    case Dataflow::weight_stationary:
      f.folds = ceil_div(k, r) * ceil_div(n, c);
      f.cycles = f.folds * (2 * r + c + m - 2);
      break;
    case Dataflow::output_stationary:
      f.folds = ceil_div(m, r) * ceil_div(n, c);
      f.cycles = f.folds * (r + c + k - 2);
      break;
    case Dataflow::input_stationary:
      f.folds = ceil_div(k, r) * ceil_div(m, c);
      f.cycles = f.folds * (2 * r + c + n - 2);
      break;
  }
  return f;
}

int64_t MauTiming::array_cycles(const GemmShape& s) const { return folds(s.m, s.k, s.n).cycles * s.batch; }

FoldTiming MauTiming::tiled_folds(const GemmShape& s, const GemmTile& tile) const {
  const Cut cm = cut(s.m, tile.m), ck = cut(s.k, tile.k), cn = cut(s.n, tile.n);
  FoldTiming total;
  for (const auto& [m_count, m_size] : std::array<std::pair<int64_t, int64_t>, 2>{{{cm.full, cm.size}, {cm.rest > 0, cm.rest}}}) {
    for (const auto& [k_count, k_size] : std::array<std::pair<int64_t, int64_t>, 2>{{{ck.full, ck.size}, {ck.rest > 0, ck.rest}}}) {
      for (const auto& [n_count, n_size] : std::array<std::pair<int64_t, int64_t>, 2>{{{cn.full, cn.size}, {cn.rest > 0, cn.rest}}}) {
        const int64_t count = m_count * k_count * n_count;
        if (count == 0) continue;
        const FoldTiming f = folds(m_size, k_size, n_size);
        total.folds += count * f.folds;
        total.cycles += count * f.cycles;
      }
    }
  }
  return total;
}

int MauTiming::operand_passes(const GemmShape& s) const {
  return (s.input_int16 ? config_.int16_operand_passes : 1) * (s.weight_int16 ? config_.int16_operand_passes : 1);
}

GemmCost MauTiming::gemm(const GemmShape& s, const GemmTile& tile, int64_t im2col_elements) const {
  GemmCost cost;
  const int64_t passes = operand_passes(s);
  const FoldTiming tiled = tiled_folds(s, tile);
  cost.array_cycles = array_cycles(s);
  cost.tiling_cycles = tiled.cycles * s.batch - cost.array_cycles;
  cost.int16_cycles = (passes - 1) * tiled.cycles * s.batch;
  cost.folds = tiled.folds * s.batch * passes;
  // Weight and input stationary load R cycles of the stationary operand before each fold; PEs with a
  // second register take the next fold's operand while the current fold streams.
  if (config_.stationary_preload == PreloadMode::overlapped && config_.dataflow != Dataflow::output_stationary) {
    cost.preload_hidden_cycles = std::max<int64_t>(0, cost.folds - 1) * config_.rows;
  }
  if (config_.im2col == Im2colMode::vector_path) cost.im2col_cycles = ceil_div(im2col_elements, config_.vector_lanes);
  cost.array_busy_cycles = cost.array_cycles + cost.tiling_cycles + cost.int16_cycles - cost.preload_hidden_cycles +
                           cost.im2col_cycles;
  cost.requant_cycles = ceil_div(s.m * s.n * s.batch, config_.vector_lanes);
  cost.ideal_cycles = ceil_div(s.m * s.k * s.n * s.batch * passes, int64_t{config_.rows} * config_.cols);
  return cost;
}

int64_t MauTiming::vector_cycles(int64_t elements, int64_t passes) const {
  return ceil_div(elements * passes, config_.vector_lanes);
}

}  // namespace npusim::hw
