#include "hw/plan/buffer_plan.hpp"
#include "common/checked_size.hpp"
#include "hw/cost/transfer_time.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

#include "common/error.hpp"

namespace npusim::hw {

namespace {

constexpr int64_t kAccumulatorBytes = 4;  // INT32 partial sums

using checked::ceil_div;

// Tile sizes that cut `dim` into 1, 2, 3, ... pieces (and power-of-two piece counts beyond), each a
// multiple of `granule` unless one tile covers the whole dimension.
std::vector<int64_t> tile_candidates(int64_t dim, int64_t granule) {
  const int64_t units = ceil_div(dim, granule);
  std::set<int64_t> tiles;
  const auto add = [&](int64_t pieces) { tiles.insert(std::min(dim, granule * ceil_div(units, pieces))); };
  for (int64_t pieces = 1; pieces <= std::min<int64_t>(units, 64); ++pieces) add(pieces);
  for (int64_t pieces = 128; pieces < 2 * units; pieces *= 2) add(std::min(pieces, units));
  return {tiles.begin(), tiles.end()};
}

struct Granules {
  int64_t m, k, n;
};

// Which GEMM dimensions map onto the array's rows and columns (the others stream in time).
Granules granules(const MauConfig& mau) {
  switch (mau.dataflow) {
    case Dataflow::weight_stationary: return {1, mau.rows, mau.cols};
    case Dataflow::output_stationary: return {mau.rows, 1, mau.cols};
    case Dataflow::input_stationary: return {mau.cols, mau.rows, 1};
  }
  return {1, 1, 1};
}

// INT32 partial sums the array keeps between the folds of one output tile: the streamed dimension
// times the output columns of one fold, or of the whole tile when the reduction is cut in K tiles.
int64_t accumulator_need(const MauConfig& mau, const GemmTile& t, int64_t k_tiles) {
  switch (mau.dataflow) {
    case Dataflow::weight_stationary:
      return t.m * (k_tiles > 1 ? t.n : std::min<int64_t>(t.n, mau.cols)) * kAccumulatorBytes;
    case Dataflow::input_stationary:
      return t.n * (k_tiles > 1 ? t.m : std::min<int64_t>(t.m, mau.cols)) * kAccumulatorBytes;
    case Dataflow::output_stationary:  // sums stay in the PEs unless the reduction is cut
      return k_tiles > 1 ? t.m * t.n * kAccumulatorBytes : 0;
  }
  return 0;
}

}  // namespace

std::string_view loop_order_name(LoopOrder order) {
  return order == LoopOrder::weights_outer ? "weights_outer" : "rows_outer";
}

double estimated_ns(const GemmPlan& plan, const HwConfig& config) {
  const double dram_ns = transfer_ns(plan.dram_bytes(), config.dram.bandwidth_gbps);
  const double array = static_cast<double>(plan.cost.array_busy_cycles), vector = static_cast<double>(plan.cost.requant_cycles);
  if (plan.double_buffered) return std::max({array * config.cycle_ns(), vector * config.cycle_ns(), dram_ns});
  return (array + vector) * config.cycle_ns() + dram_ns;
}

GemmPlanner::GemmPlanner(const HwConfig& config)
    : config_(config),
      timing_(config.mau),
      weight_capacity_bytes_(int64_t{config.sram.weight_kib} * 1024),
      accumulator_capacity_bytes_(int64_t{config.sram.accumulator_kib} * 1024) {}

GemmPlan GemmPlanner::plan(const GemmOperands& o, int64_t free_activation_bytes) const {
  // Layers repeat (every block of a model has the same shapes): plan each distinct case once.
  const auto key = std::make_tuple(o.shape.m, o.shape.k, o.shape.n, o.shape.batch, o.shape.input_int16, o.shape.weight_int16,
                                   o.input_element_bytes, o.weight_element_bytes, o.output_element_bytes, o.input_bytes,
                                   o.weight_bytes, o.weight_sharing, o.weights_in_dram, o.input_on_chip, o.output_on_chip,
                                   o.im2col_elements, free_activation_bytes);
  const auto cached = cache_.find(key);
  if (cached != cache_.end()) return cached->second;
  GemmPlan plan = search(o, free_activation_bytes);
  cache_.emplace(key, plan);
  return plan;
}

GemmPlan GemmPlanner::search(const GemmOperands& o, int64_t free_activation_bytes) const {
  const GemmShape& s = o.shape;
  const Granules g = granules(config_.mau);
  const int64_t output_bytes = s.m * s.n * s.batch * o.output_element_bytes;
  const int64_t item_weight_bytes = s.k * s.n * o.weight_element_bytes;
  // Bytes of one input row (a convolution's row is its share of the un-expanded input).
  const int64_t input_row_bytes = std::max<int64_t>(1, ceil_div(o.input_bytes, s.m * s.batch));
  const bool weights_can_stay = item_weight_bytes <= weight_capacity_bytes_;

  GemmPlan best;
  bool found = false;
  // Estimated time, then DRAM bytes, array cycles and weight transfers; among equals, the first in
  // (loop order, tile, double buffering, staging) order, whatever order the loops below visit them in.
  using Rank = std::tuple<double, int64_t, int64_t, int64_t, int, size_t, size_t, size_t, int, int>;
  Rank best_rank{};
  const std::vector<int64_t> m_tiles = tile_candidates(s.m, g.m), k_tiles_list = tile_candidates(s.k, g.k),
                             n_tiles = tile_candidates(s.n, g.n);
  const auto counts = [](int64_t dim, const std::vector<int64_t>& tiles) {
    std::vector<int64_t> c;
    for (const int64_t t : tiles) c.push_back(ceil_div(dim, t));
    return c;
  };
  const std::vector<int64_t> row_tiles_of = counts(s.m, m_tiles), k_tiles_of = counts(s.k, k_tiles_list),
                             col_tiles_of = counts(s.n, n_tiles);
  // Tiles outermost: the array's cost of a tile, the dearest part, is computed once for every variant.
  for (size_t im = 0; im < m_tiles.size(); ++im) {
    for (size_t ik = 0; ik < k_tiles_list.size(); ++ik) {
      for (size_t in = 0; in < n_tiles.size(); ++in) {
        const GemmTile tile{m_tiles[im], k_tiles_list[ik], n_tiles[in]};
        const int64_t tm = tile.m, tk = tile.k, tn = tile.n;
        const int64_t row_tiles = row_tiles_of[im], k_tiles = k_tiles_of[ik], col_tiles = col_tiles_of[in];
        // The partial sums grow with the tile's columns: no wider tile fits either.
        if (accumulator_need(config_.mau, tile, k_tiles) > accumulator_capacity_bytes_) break;
        const int64_t weight_tile_bytes = tk * tn * o.weight_element_bytes;
        std::optional<GemmCost> tile_cost;
        for (const LoopOrder order : {LoopOrder::weights_outer, LoopOrder::rows_outer}) {
          for (const bool double_buffered : {true, false}) {
            if (double_buffered && !config_.sram.double_buffered) continue;
            const int64_t buffers = double_buffered ? 2 : 1;
            // Weight buffer: the whole operand stays (loaded once), or one or two tiles rotate.
            const bool resident = o.weights_in_dram && weights_can_stay;
            if (o.weights_in_dram && !resident && (double_buffered ? 2 : 1) * weight_tile_bytes > weight_capacity_bytes_) continue;
            if (resident && !double_buffered && config_.sram.double_buffered) continue;  // loads of a resident operand overlap anyway
            // A weight block that covers the whole reduction serves every row tile when weights loop outside.
            const bool block_reused = resident || (order == LoopOrder::weights_outer && k_tiles == 1);
            for (const bool stage_input : {false, true}) {
              if (stage_input && (o.input_on_chip || order == LoopOrder::rows_outer)) continue;
              // Activation SRAM: double-buffered input and output tiles beside the kept tensors.
              int64_t input_buffer = 0;
              if (!o.input_on_chip) {
                if (stage_input) {
                  input_buffer = o.input_bytes;
                } else if (order == LoopOrder::rows_outer) {
                  input_buffer = buffers * tm * input_row_bytes;
                } else {
                  input_buffer = buffers * tm * ceil_div(input_row_bytes * tk, s.k);
                }
              }
              const int64_t output_buffer = o.output_on_chip ? 0 : buffers * tm * tn * o.output_element_bytes;
              if (input_buffer + output_buffer > free_activation_bytes) continue;

              int64_t weight_dram_bytes = 0, weight_transfers = 0, input_dram_bytes = 0;
              if (o.weights_in_dram) {
                const int64_t loads = block_reused ? 1 : row_tiles;
                weight_dram_bytes = o.weight_bytes * loads * (resident ? 1 : o.weight_sharing);
                weight_transfers = resident ? s.batch / o.weight_sharing * k_tiles * col_tiles : s.batch * loads * k_tiles * col_tiles;
              }
              if (!o.input_on_chip) {
                const bool once = order == LoopOrder::rows_outer || stage_input;
                input_dram_bytes = o.input_bytes * (once ? 1 : col_tiles);
              }
              const int64_t output_dram_bytes = o.output_on_chip ? 0 : output_bytes;
              const int64_t dram_bytes = weight_dram_bytes + input_dram_bytes + output_dram_bytes;
              // The estimate is never below the transfers' time: a candidate whose transfers alone take
              // longer than the best estimate so far cannot win, and its array cost need not be known.
              const double dram_ns = transfer_ns(dram_bytes, config_.dram.bandwidth_gbps);
              if (found && dram_ns > std::get<0>(best_rank)) continue;
              if (!tile_cost) tile_cost = timing_.gemm(s, tile, o.im2col_elements);
              // Estimated time: the array and the transfers overlap, except weight tiles that cannot be
              // double-buffered (the array waits for each).
              const double compute_ns = static_cast<double>(tile_cost->array_busy_cycles) * config_.cycle_ns();
              const double overlap_ns = double_buffered ? std::max(compute_ns, dram_ns) : compute_ns + dram_ns;
              const Rank rank{overlap_ns, dram_bytes, tile_cost->array_busy_cycles, weight_transfers,
                              order == LoopOrder::weights_outer ? 0 : 1, im, ik, in, double_buffered ? 0 : 1, stage_input ? 1 : 0};
              if (found && !(rank < best_rank)) continue;
              best.order = order;
              best.tile = tile;
              best.row_tiles = row_tiles;
              best.k_tiles = k_tiles;
              best.col_tiles = col_tiles;
              best.weights_resident = resident;
              best.double_buffered = double_buffered;
              best.working_activation_bytes = input_buffer + output_buffer;
              best.weight_dram_bytes = weight_dram_bytes;
              best.weight_transfers = weight_transfers;
              best.input_dram_bytes = input_dram_bytes;
              best.output_dram_bytes = output_dram_bytes;
              best.cost = *tile_cost;
              best_rank = rank;
              found = true;
            }
          }
        }
      }
    }
  }
  if (!found) {
    throw Error("sram: no tiling of a [" + std::to_string(s.m) + " x " + std::to_string(s.k) + "] x [" +
                std::to_string(s.k) + " x " + std::to_string(s.n) +
                "] multiply fits the buffers (sram.weight_kib, sram.activation_kib, sram.accumulator_kib are too small)");
  }
  return best;
}

void ActivationSram::keep(int tensor, int64_t bytes, int consumers) {
  if (consumers <= 0) return;
  buffers_[tensor] = {bytes, consumers};
  buffer_of_[tensor] = tensor;
  used_bytes_ += bytes;
}

bool ActivationSram::holds(int tensor) const {
  const auto it = buffer_of_.find(tensor);
  return it != buffer_of_.end() && buffers_.count(it->second) != 0;
}

int ActivationSram::buffer_of(int tensor) const { return holds(tensor) ? buffer_of_.at(tensor) : -1; }

void ActivationSram::consume(int tensor) {
  const auto name = buffer_of_.find(tensor);
  if (name == buffer_of_.end()) return;
  const auto it = buffers_.find(name->second);
  if (it == buffers_.end()) return;
  if (--it->second.uses_left <= 0) {
    used_bytes_ -= it->second.bytes;
    buffers_.erase(it);
  }
}

void ActivationSram::alias(int from, int to, int consumers) {
  const auto name = buffer_of_.find(from);
  if (name == buffer_of_.end() || buffers_.count(name->second) == 0) return;
  buffer_of_[to] = name->second;
  buffers_[name->second].uses_left += consumers;
  consume(from);  // the reshape itself was one use of `from`
}

std::vector<std::pair<int, int64_t>> ActivationSram::kept() const {
  std::vector<std::pair<int, int64_t>> out;
  for (const auto& [tensor, buffer] : buffers_) out.emplace_back(tensor, buffer.bytes);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

std::vector<int> ActivationSram::evict(int tensor) {
  std::vector<int> names;
  const auto name = buffer_of_.find(tensor);
  if (name == buffer_of_.end()) return names;
  const int buffer = name->second;
  const auto it = buffers_.find(buffer);
  if (it == buffers_.end()) return names;
  used_bytes_ -= it->second.bytes;
  buffers_.erase(it);
  for (const auto& [t, b] : buffer_of_) {
    if (b == buffer) names.push_back(t);
  }
  return names;
}

}  // namespace npusim::hw
