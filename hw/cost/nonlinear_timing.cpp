#include "hw/cost/nonlinear_timing.hpp"

#include "common/checked_size.hpp"

#include <cmath>

namespace npusim::hw {

namespace {

using checked::ceil_div;

double dsp_cycles_per_element(const DspCostConfig& c, NonlinearKind kind) {
  switch (kind) {
    case NonlinearKind::gelu: return c.gelu_cycles;
    case NonlinearKind::silu: return c.silu_cycles;
    case NonlinearKind::softmax: return c.softmax_cycles;
    case NonlinearKind::layernorm: return c.layernorm_cycles;
    case NonlinearKind::rmsnorm: return c.rmsnorm_cycles;
  }
  return 0.0;
}

double integer_ops(const IntegerKernelConfig& c, NonlinearKind kind) {
  switch (kind) {
    case NonlinearKind::gelu: return c.gelu_ops;
    case NonlinearKind::silu: return c.silu_ops;
    case NonlinearKind::softmax: return c.softmax_ops;
    case NonlinearKind::layernorm: return c.layernorm_ops;
    case NonlinearKind::rmsnorm: return c.rmsnorm_ops;
  }
  return 0.0;
}

}  // namespace

RowPasses dsp_row_passes(NonlinearKind kind) {
  switch (kind) {
    case NonlinearKind::gelu:
    case NonlinearKind::silu: return {1, 0, false, false};
    case NonlinearKind::softmax:
    case NonlinearKind::layernorm: return {3, 2, true, true};
    case NonlinearKind::rmsnorm: return {2, 1, true, true};
  }
  return {};
}

double DspCostModel::element_cycles(NonlinearKind kind) const {
  return dsp_cycles_per_element(config_.costs, kind) + config_.costs.int_to_float_cycles + config_.costs.float_to_int_cycles;
}

int64_t DspCostModel::cycles(const NonlinearWork& work) const {
  const DspCostConfig& c = config_.costs;
  const RowPasses rp = dsp_row_passes(work.kind);
  double fixed = c.command_cycles * static_cast<double>(work.commands) + c.chunk_setup_cycles * static_cast<double>(work.chunks);
  if (rp.row_wise) {
    fixed += static_cast<double>(work.rows) *
             (rp.passes * c.pass_setup_cycles + rp.reductions * c.reduction_cycles + (rp.scalar ? c.row_scalar_cycles : 0.0));
  } else {
    fixed += static_cast<double>(work.chunks) * c.pass_setup_cycles;
  }
  const double per_element = element_cycles(work.kind) * static_cast<double>(work.elements) / config_.lanes;
  return static_cast<int64_t>(std::ceil(fixed + per_element));
}

int64_t NonlinearTiming::lookups(const NonlinearWork& work) {
  switch (work.kind) {
    case NonlinearKind::gelu:
    case NonlinearKind::silu: return work.elements;                // f(x) per element
    // exp per element, reciprocal per row; the online form's correction exp per row and later key block
    case NonlinearKind::softmax: return work.elements + work.rows * work.key_blocks;
    case NonlinearKind::layernorm:
    case NonlinearKind::rmsnorm: return work.rows;                  // rsqrt per row
  }
  return 0;
}

int64_t NonlinearTiming::decomposition_passes(NonlinearKind kind) {
  switch (kind) {
    case NonlinearKind::gelu:
    case NonlinearKind::silu: return 0;
    case NonlinearKind::softmax: return 4;    // max, x - max, sum, e * r
    case NonlinearKind::layernorm: return 5;  // mean, d = x - mean, sum of d*d, d * r, * gamma + beta
    case NonlinearKind::rmsnorm: return 3;    // sum of x*x, x * r, * gamma
  }
  return 0;
}

int64_t NonlinearTiming::table_unit_cycles(int64_t lookups, int lanes, int64_t cycles_per_lookup, bool pipelined) const {
  if (lookups == 0) return 0;
  const int64_t issue = ceil_div(lookups, lanes);
  // Pipelined: one new lookup per lane per cycle, plus the pipeline's latency once.
  return pipelined ? issue + cycles_per_lookup - 1 : issue * cycles_per_lookup;
}

// Vector-path operations around the lookups: `decomposition_passes` sweeps over the elements; the
// online softmax normalises (and rescales, once per later key block) the row's output instead of
// every probability: max, x - max and sum over the elements, value_width per row and key block.
int64_t NonlinearTiming::decomposition_ops(const NonlinearWork& work) {
  const int64_t passes = decomposition_passes(work.kind);
  if (work.kind != NonlinearKind::softmax || work.value_width == 0) return work.elements * passes;
  return work.elements * (passes - 1) + work.rows * work.value_width * work.key_blocks;
}

NonlinearCost NonlinearTiming::cost(NonlinearEngine engine, const NonlinearWork& work) const {
  NonlinearCost c;
  switch (engine) {
    case NonlinearEngine::lut: {
      c.lookups = lookups(work);
      // A function on the bespoke-rr table passes the leading-one detector and shifter first: one more
      // pipeline stage (hw/rtl/bespoke_rr_lut_unit.v), the same lookups per cycle.
      const bool reduced = (work.kind == NonlinearKind::softmax && config_.lut_unit.range_reduces("reciprocal")) ||
                           ((work.kind == NonlinearKind::layernorm || work.kind == NonlinearKind::rmsnorm) &&
                            config_.lut_unit.range_reduces("rsqrt"));
      c.lookup_cycles =
          table_unit_cycles(c.lookups, config_.lut_unit.lanes, config_.lut_unit.cycles_per_lookup + (reduced ? 1 : 0), true) +
          config_.lut_unit.command_cycles * work.commands;
      c.decomposition_cycles = ceil_div(decomposition_ops(work), config_.mau.vector_lanes);
      break;
    }
    case NonlinearEngine::nnlut: {
      c.lookups = lookups(work);
      const auto& unit = config_.nnlut_unit;
      if (unit.search == ComparatorSearch::parallel) {
        c.lookup_cycles = table_unit_cycles(c.lookups, unit.lanes, unit.cycles_per_lookup, true);
      } else {
        // A binary search over the breakpoints holds the lane for log2(segments) compare steps.
        const int64_t steps = static_cast<int64_t>(std::ceil(std::log2(static_cast<double>(unit.segments))));
        c.lookup_cycles = table_unit_cycles(c.lookups, unit.lanes, steps + unit.cycles_per_lookup - 1, false);
      }
      c.lookup_cycles += unit.command_cycles * work.commands;
      c.decomposition_cycles = ceil_div(decomposition_ops(work), config_.mau.vector_lanes);
      break;
    }
    case NonlinearEngine::dsp: c.dsp_cycles = DspCostModel(config_.dsp).cycles(work); break;
    case NonlinearEngine::ibert:
    case NonlinearEngine::ivit: {
      const double ops = integer_ops(engine == NonlinearEngine::ibert ? config_.ibert : config_.ivit, work.kind);
      c.integer_cycles = static_cast<int64_t>(std::ceil(ops * static_cast<double>(work.elements) / config_.mau.vector_lanes)) +
                         config_.mau.vector_command_cycles * work.commands;
      break;
    }
  }
  return c;
}

}  // namespace npusim::hw
