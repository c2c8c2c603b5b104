// Bytes each on-chip SRAM reads and writes for one planned op, counted from the plan's tiles (plain
// code, no SystemC): what the array reads from and writes to the buffers, what the DMA writes into
// them (loads) and reads out of them (stores). The counting rules, per op:
// - GEMM: the array reads its input rows once per block of output columns (col_tiles) and the
//   stationary operand once per row tile (row_tiles) -- from the weight buffer for weights, from the
//   activation buffer for a batched matmul's second activation; it writes each INT32 partial sum once
//   per reduction tile (k_tiles) and reads it back once per later reduction tile and once to drain
//   it; the quantised output is written once to the activation buffer;
// - LUT-NN layers: the array reads each input row once and the centroids (in the weight buffer) once;
//   each INT32 distance goes through the accumulators to the argmin, and each output's INT16 block sums
//   (one block per 128 codebooks) are flushed to INT32 accumulators and read to requantise; the lanes'
//   table reads are in the unit's own table SRAM (in the lookups' energy), the output is written once;
// - non-linear ops on the MAU side (LUT, NN-LUT, I-BERT, I-ViT) and vector ops: inputs read once,
//   output written once (intermediates of a decomposition stay in the vector path's registers);
// - DSP ops: the activation buffer is read for what goes to the DSP from on chip and written with
//   what comes back over the on-chip link; the DSP's own local memory is counted apart;
// - DMA: weight tiles (a LUT-NN layer's centroids) are written into the weight buffer; loads into, and
//   stores out of, the activation buffer. Tables go to the table units' own storage, not to these buffers.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "hw/plan/execution_plan.hpp"

namespace npusim::hw {

enum class SramBuffer { weight, activation, accumulator };
constexpr int kSramBufferCount = 3;
std::string_view sram_buffer_name(SramBuffer buffer);

struct SramTraffic {
  std::array<int64_t, kSramBufferCount> read_bytes{};   // indexed by SramBuffer
  std::array<int64_t, kSramBufferCount> write_bytes{};
  int64_t dsp_local_bytes = 0;  // written into and read out of the DSP's local memory

  SramTraffic& operator+=(const SramTraffic& other);
};

SramTraffic sram_traffic(const PlannedOp& op);

}  // namespace npusim::hw
