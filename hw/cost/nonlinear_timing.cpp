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

int64_t NonlinearTiming::lookups(const NonlinearWork& work) {
  switch (work.kind) {
    case NonlinearKind::gelu:
    case NonlinearKind::silu: return work.elements;                // f(x) per element
    case NonlinearKind::softmax: return work.elements + work.rows;  // exp per element, reciprocal per row
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

NonlinearCost NonlinearTiming::cost(NonlinearEngine engine, const NonlinearWork& work) const {
  NonlinearCost c;
  const int64_t passes = decomposition_passes(work.kind);
  switch (engine) {
    case NonlinearEngine::lut: {
      c.lookups = lookups(work);
      // A function on the bespoke-rr table passes the leading-one detector and shifter first: one more
      // pipeline stage (hw/rtl/bespoke_rr_lut_unit.v), the same lookups per cycle.
      const bool reduced = (work.kind == NonlinearKind::softmax && config_.lut_unit.range_reduces("reciprocal")) ||
                           ((work.kind == NonlinearKind::layernorm || work.kind == NonlinearKind::rmsnorm) &&
                            config_.lut_unit.range_reduces("rsqrt"));
      c.lookup_cycles =
          table_unit_cycles(c.lookups, config_.lut_unit.lanes, config_.lut_unit.cycles_per_lookup + (reduced ? 1 : 0), true);
      c.decomposition_cycles = ceil_div(work.elements * passes, config_.mau.vector_lanes);
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
      c.decomposition_cycles = ceil_div(work.elements * passes, config_.mau.vector_lanes);
      break;
    }
    case NonlinearEngine::dsp: {
      const auto& costs = config_.dsp.costs;
      const double per_element =
          dsp_cycles_per_element(costs, work.kind) + costs.int_to_float_cycles + costs.float_to_int_cycles;
      c.dsp_cycles = static_cast<int64_t>(std::ceil(per_element * static_cast<double>(work.elements) / config_.dsp.lanes));
      break;
    }
    case NonlinearEngine::ibert:
    case NonlinearEngine::ivit: {
      const double ops = integer_ops(engine == NonlinearEngine::ibert ? config_.ibert : config_.ivit, work.kind);
      c.integer_cycles =
          static_cast<int64_t>(std::ceil(ops * static_cast<double>(work.elements) / config_.mau.vector_lanes));
      break;
    }
  }
  return c;
}

}  // namespace npusim::hw
