#include "hw/plan/attention_plan.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "common/checked_size.hpp"
#include "common/error.hpp"
#include "hw/cost/mau_timing.hpp"
#include "hw/cost/transfer_time.hpp"

namespace npusim::hw {

namespace {

constexpr int64_t kRowStateBytes = 8;     // a row's running max and sum

using checked::ceil_div;

// Row blocks that cut `rows` into 1..64 pieces, then power-of-two piece counts.
std::vector<int64_t> row_block_candidates(int64_t rows) {
  std::set<int64_t> blocks;
  for (int64_t pieces = 1; pieces <= std::min<int64_t>(rows, 64); ++pieces) blocks.insert(ceil_div(rows, pieces));
  for (int64_t pieces = 128; pieces < 2 * rows; pieces *= 2) blocks.insert(ceil_div(rows, std::min(pieces, rows)));
  return {blocks.begin(), blocks.end()};
}

// Whole rows, or key blocks of one array width doubling up to the row.
std::vector<int64_t> key_block_candidates(int64_t keys, int64_t granule, bool whole_rows) {
  std::vector<int64_t> blocks;
  if (!whole_rows) {
    for (int64_t b = granule; b < keys; b *= 2) blocks.push_back(b);
  }
  blocks.push_back(keys);
  return blocks;
}

GemmCost scaled(GemmCost c, double fraction) {
  if (fraction >= 1.0) return c;
  const auto scale = [fraction](int64_t v) { return static_cast<int64_t>(static_cast<double>(v) * fraction + 0.5); };
  c.array_cycles = scale(c.array_cycles);
  c.tiling_cycles = scale(c.tiling_cycles);
  c.int16_cycles = scale(c.int16_cycles);
  c.preload_hidden_cycles = scale(c.preload_hidden_cycles);
  c.array_busy_cycles = c.array_cycles + c.tiling_cycles + c.int16_cycles - c.preload_hidden_cycles + c.im2col_cycles;
  c.ideal_cycles = scale(c.ideal_cycles);
  c.folds = scale(c.folds);
  return c;
}

}  // namespace

AttentionPlanner::AttentionPlanner(const HwConfig& config) : config_(config), timing_(config.mau) {}

AttentionPlanner::CausalCount AttentionPlanner::causal_count(const AttentionShape& s, int64_t row_block, int64_t key_block) {
  const int64_t group_rows = s.group_size * s.queries;
  CausalCount count;
  if (!s.causal) {
    count.computed = s.rows() * s.keys;
    return count;
  }
  const int64_t offset = s.keys - s.queries;  // query i sees keys 0 .. i + offset
  for (int64_t start = 0; start < group_rows; start += row_block) {
    const int64_t end = std::min(group_rows, start + row_block), rows = end - start;
    // Stacked rows: row r is query r mod tq of its head. A block across a head boundary holds the
    // last query of one head and the first of the next.
    const bool across = start / s.queries != (end - 1) / s.queries;
    const int64_t first = across ? 0 : start % s.queries, last = across ? s.queries - 1 : (end - 1) % s.queries;
    const int64_t visible_blocks = std::min(s.keys, first + offset + 1) / key_block;  // seen by every row of the block
    const int64_t visible = std::min(s.keys, visible_blocks * key_block);
    const int64_t needed = s.causal_skip ? std::min(s.keys, ceil_div(last + offset + 1, key_block) * key_block) : s.keys;
    count.computed += rows * needed;
    count.masked += rows * std::max<int64_t>(0, needed - visible);
  }
  count.computed *= s.groups;
  count.masked *= s.groups;
  return count;
}

AttentionPlan AttentionPlanner::plan(const AttentionShape& s, int64_t free_activation_bytes) const {
  const int64_t group_rows = s.group_size * s.queries;
  const int64_t all = s.rows() * s.keys;
  const int64_t cols = config_.mau.cols;
  const int64_t buffers = config_.sram.double_buffered ? 2 : 1;
  const int64_t weight_capacity = int64_t{config_.sram.weight_kib} * 1024;
  const int64_t accumulator_capacity = int64_t{config_.sram.accumulator_kib} * 1024;
  const int64_t kv_row_bytes = s.head_dim * s.k_bytes + s.value_dim * s.v_bytes;  // K^T column and V row of one key
  const bool kv_fits = s.keys * kv_row_bytes <= weight_capacity;
  const bool unified = config_.sram.unified;
  const GemmShape qk{group_rows, s.head_dim, s.keys, s.groups, s.q_bytes == 2, s.k_bytes == 2};
  const GemmShape pv{group_rows, s.keys, s.value_dim, s.groups, s.prob_bytes == 2, s.v_bytes == 2};

  AttentionPlan best;
  bool found = false;
  double best_ns = 0.0;
  int64_t best_bytes = 0;
  for (const int64_t key_block : key_block_candidates(s.keys, cols, s.whole_rows)) {
    const int64_t key_blocks = ceil_div(s.keys, key_block);
    // K and V stay for all of a group's row blocks when the group's fit the weight buffer; else one
    // key block's tiles rotate through it. In a unified scratchpad they take room from the row
    // blocks' buffers, and both choices are tried.
    const bool kv_on_chip = s.k_on_chip && s.v_on_chip;
    for (const bool keep_kv : {true, false}) {
    const bool resident = unified ? keep_kv : kv_fits;
    if (!unified && !keep_kv) continue;
    if (unified && keep_kv && kv_on_chip) continue;  // already on chip: nothing to keep
    const int64_t kv_space = !unified || kv_on_chip ? 0 : resident ? s.keys * kv_row_bytes : buffers * key_block * kv_row_bytes;
    if (!unified && !resident && !kv_on_chip && buffers * key_block * kv_row_bytes > weight_capacity) continue;
    for (const int64_t row_block : row_block_candidates(group_rows)) {
      // INT32 sums: one fold's columns of scores drain while the output tile (kept across key blocks
      // by the online softmax) accumulates.
      const int64_t out_columns = key_blocks > 1 ? s.value_dim : std::min(s.value_dim, cols);
      const int64_t accumulator = kAccumulatorBytes * row_block * (std::min(key_block, cols) + out_columns);
      if (accumulator > accumulator_capacity) break;  // grows with the row block
      const int64_t working = (s.q_on_chip ? 0 : buffers * row_block * s.head_dim * s.q_bytes) +
                              row_block * key_block * (s.score_bytes + s.prob_bytes) + row_block * kRowStateBytes +
                              (s.output_on_chip ? 0 : buffers * row_block * s.value_dim * s.output_bytes);
      if (working + kv_space > free_activation_bytes) break;
      const int64_t row_blocks_per_group = ceil_div(group_rows, row_block);
      const CausalCount count = causal_count(s, row_block, key_block);
      const double fraction = static_cast<double>(count.computed) / static_cast<double>(all);
      const int64_t kv_loads = resident ? 1 : row_blocks_per_group;
      AttentionPlan p;
      p.row_block = row_block;
      p.key_block = key_block;
      p.row_blocks = s.groups * row_blocks_per_group;
      p.key_blocks = key_blocks;
      p.kv_resident = resident;
      p.q_dram_bytes = s.q_on_chip ? 0 : s.rows() * s.head_dim * s.q_bytes;
      // Key blocks a causal mask skips are not loaded either.
      const double kv_fraction = resident ? 1.0 : fraction;
      p.k_dram_bytes = s.k_on_chip ? 0
                                   : static_cast<int64_t>(static_cast<double>(s.groups * s.keys * s.head_dim * s.k_bytes * kv_loads) *
                                                          kv_fraction);
      p.v_dram_bytes = s.v_on_chip ? 0
                                   : static_cast<int64_t>(static_cast<double>(s.groups * s.keys * s.value_dim * s.v_bytes * kv_loads) *
                                                          kv_fraction);
      p.output_dram_bytes = s.output_on_chip ? 0 : s.rows() * s.value_dim * s.output_bytes;
      p.working_bytes = working + kv_space;
      p.score_elements = count.computed;
      p.masked_elements = count.masked;
      p.softmax_rows = s.rows();
      p.qk_cost = scaled(timing_.gemm(qk, {row_block, s.head_dim, key_block}), fraction);
      p.pv_cost = scaled(timing_.gemm(pv, {row_block, key_block, s.value_dim}), fraction);
      // Every computed score leaves the accumulators through the vector path once.
      p.qk_cost.requant_cycles = ceil_div(count.computed, config_.mau.vector_lanes);
      p.qk_macs = count.computed * s.head_dim;
      p.pv_macs = count.computed * s.value_dim;
      // The estimate: the array's folds, the online softmax's rescaling of the output per extra key
      // block (vector path), and the transfers, overlapped only with double-buffered SRAM.
      const double compute_ns =
          static_cast<double>(p.qk_cost.array_busy_cycles + p.pv_cost.array_busy_cycles +
                              ceil_div(s.rows() * s.value_dim * (key_blocks - 1), config_.mau.vector_lanes)) *
          config_.cycle_ns();
      const double dram_ns = transfer_ns(p.dram_bytes(), config_.dram.effective_bandwidth_gbps());
      const double estimate_ns = buffers == 2 ? std::max(compute_ns, dram_ns) : compute_ns + dram_ns;
      if (!found || estimate_ns < best_ns || (estimate_ns == best_ns && p.dram_bytes() < best_bytes)) {
        best = p;
        best_ns = estimate_ns;
        best_bytes = p.dram_bytes();
        found = true;
      }
    }
    }
  }
  if (!found) {
    throw Error("sram: no row block of a fused attention over " + std::to_string(s.keys) +
                " keys fits the buffers (sram.activation_kib, sram.accumulator_kib, sram.weight_kib are too small; "
                "compiler.attention: unfused spills the scores instead)");
  }
  return best;
}

}  // namespace npusim::hw
