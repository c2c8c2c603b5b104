#include "hw/metrics/sram_traffic.hpp"

#include "models/lutnn/lookup_accumulate.hpp"

namespace npusim::hw {

namespace {

constexpr int64_t kPartialSumBytes = 4;  // INT32 accumulators

size_t index(SramBuffer buffer) { return static_cast<size_t>(buffer); }

int64_t total_bytes(const std::vector<Transfer>& transfers) {
  int64_t bytes = 0;
  for (const Transfer& t : transfers) bytes += t.bytes;
  return bytes;
}

}  // namespace

std::string_view sram_buffer_name(SramBuffer buffer) {
  switch (buffer) {
    case SramBuffer::weight: return "weight";
    case SramBuffer::activation: return "activation";
    case SramBuffer::accumulator: return "accumulator";
  }
  return "?";
}

SramTraffic& SramTraffic::operator+=(const SramTraffic& other) {
  for (size_t b = 0; b < read_bytes.size(); ++b) {
    read_bytes[b] += other.read_bytes[b];
    write_bytes[b] += other.write_bytes[b];
  }
  dsp_local_bytes += other.dsp_local_bytes;
  return *this;
}

SramTraffic sram_traffic(const PlannedOp& op) {
  SramTraffic t;
  auto& reads = t.read_bytes;
  auto& writes = t.write_bytes;
  const size_t weight = index(SramBuffer::weight), activation = index(SramBuffer::activation),
               accumulator = index(SramBuffer::accumulator);
  switch (op.work) {
    case OpWork::gemm: {
      const GemmShape& g = op.gemm;
      if (op.lutnn) {
        const lutnn::LayerCosts& c = op.lutnn_cost.counts;
        const int64_t rows = g.m * g.batch, blocks = (c.codebooks + lutnn::kCodebooksPerInt16Block - 1) / lutnn::kCodebooksPerInt16Block;
        reads[activation] += rows * g.k * op.input_element_bytes;
        reads[weight] += c.centroid_bytes;                    // the distance GEMM's stationary operand
        writes[accumulator] += c.argmin_ops * kPartialSumBytes;  // one INT32 distance per centroid...
        reads[accumulator] += c.argmin_ops * kPartialSumBytes;   // ...read by the argmin
        writes[accumulator] += blocks * rows * g.n * kPartialSumBytes;  // INT16 block sums flushed to INT32...
        reads[accumulator] += blocks * rows * g.n * kPartialSumBytes;   // ...and read to requantise
        writes[activation] += rows * g.n * op.output_element_bytes;
        break;
      }
      const GemmPlan& plan = op.gemm_plan;
      reads[activation] += g.m * g.k * g.batch * op.input_element_bytes * plan.col_tiles;
      const size_t stationary = op.type == "batched_matmul" ? activation : weight;
      reads[stationary] += g.k * g.n * g.batch * op.weight_element_bytes * plan.row_tiles;
      const int64_t partial_sum_bytes = g.m * g.n * g.batch * kPartialSumBytes;
      writes[accumulator] += partial_sum_bytes * plan.k_tiles;
      reads[accumulator] += partial_sum_bytes * plan.k_tiles;  // k_tiles - 1 accumulations, 1 drain
      writes[activation] += g.m * g.n * g.batch * op.output_element_bytes;
      break;
    }
    case OpWork::nonlinear:
      if (op.engine == NonlinearEngine::dsp) {
        reads[activation] += op.dsp_stage_bytes + op.dsp_link_in_bytes;
        writes[activation] += op.dsp_link_out_bytes;
        t.dsp_local_bytes = 2 * (op.input_elements * op.input_element_bytes + op.output_elements * op.output_element_bytes);
        break;
      }
      [[fallthrough]];
    case OpWork::vector:
      reads[activation] += op.input_elements * op.input_element_bytes;
      writes[activation] += op.output_elements * op.output_element_bytes;
      break;
    case OpWork::none: break;
  }
  // A LUT-NN layer's tables go to the unit's own table SRAM; only its centroids to the weight buffer.
  writes[weight] += op.lutnn ? op.lutnn_cost.counts.centroid_bytes : op.weight_bytes;
  writes[activation] += total_bytes(op.loads);
  reads[activation] += total_bytes(op.stores);
  return t;
}

}  // namespace npusim::hw
