#include "hw/config/calibration.hpp"

namespace npusim::hw {

const std::vector<CalibratedConstant>& calibrated_constants() {
  static const std::vector<CalibratedConstant> constants = {
      {"dram.efficiency", 0.5, 0.9,
       "fitted to SPEC 4's three blocks jointly; DRAM interfaces achieve about 70 % of peak, 10-92 % by access pattern (Intel EMI handbook)"},
      {"sram.weight_kib", 128, 512, "a quarter of a 1 MiB scratchpad (Samsung ISSCC 2021 9.5, Ethos-N77); the split is a modelling choice"},
      {"sram.activation_kib", 512, 1024, "the rest of the 1 MiB scratchpad; NVDLA nv_large's 512 KiB buffer at the low end"},
      {"sram.accumulator_kib", 32, 128, "INT32 partial sums of 256 rows x 64 columns; NVDLA's assembly buffer to a larger output tile"},
      {"dsp.costs.softmax_cycles", 81.7, 140.0,
       "SPEC 4's per-op latency ratio (81.7) to the joint fit to TinyLlama's DSP non-linear time (125.8) and a margin"},
      {"dsp.costs.gelu_cycles", 30.0, 68.3, "joint fit to ViT-Base's 5.90 ms (37.0) up to the per-op-ratio value before per-op costs (68.3)"},
      {"dsp.costs.layernorm_cycles", 18.0, 40.3, "GELU's fit in SPEC 4's ratio 211 : 127 (22.3) up to the value before per-op costs"},
      {"dsp.costs.command_cycles", 50.0, 127.0, "issue and completion; at most SPEC 4's shortest DSP op (LayerNorm, 127 ns)"},
      {"dsp.costs.chunk_setup_cycles", 20.0, 100.0, "a DMA descriptor (dma.setup_ns, 50 ns) and the buffer switch"},
      {"dsp.costs.pass_setup_cycles", 4.0, 24.0, "loop prologue and epilogue: a vector pipeline's depth"},
      {"dsp.costs.reduction_cycles", 8.0, 32.0, "log2(16 lanes) = 4 shuffle-and-combine steps of 2 to 8 cycles"},
      {"dsp.costs.row_scalar_cycles", 10.0, 40.0, "one scalar FP32 reciprocal or reciprocal square root"},
      {"dsp.onchip_bandwidth_gbps", 16.0, 64.0, "a 128-bit AXI port at 1 GHz (16) to the DSP's vector load width, 16 lanes x 4 bytes (64)"},
      {"lut_unit.lanes", 4, 16, "fitted to ViT-Base's LUT non-linear time (0.19 ms); a power of two around the MAU's 8-byte lookups"},
      {"lut_unit.command_cycles", 10.0, 55.0, "issue, table select, fill and drain; at most SPEC 4's shortest LUT op (LayerNorm, 55 ns)"},
      {"dram.latency_ns", 50.0, 150.0, "LPDDR4/5 first-access latency"},
  };
  return constants;
}

}  // namespace npusim::hw
