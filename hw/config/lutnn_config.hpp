// Configuration of the LUT-NN table-lookup unit (issue 12, SPEC 2.7): the `lutnn_unit` section of a
// hardware config, used when `linear.engine` (or `npusim run --linear`) is lutnn. A plain struct, units
// in names; each default says where it comes from.
#pragma once

#include <string>

#include "hw/config/field_info.hpp"

namespace npusim::hw {

struct LutnnUnitConfig {
  // Table entries read and accumulated per cycle, one INT8 entry and one INT16 add per lane. 64: one
  // 64-byte table-SRAM row per cycle, the width of the MAU's vector path (mau.vector_lanes = 64 in
  // configs/paper_npu.yaml) that would otherwise do the adds; a table row T[c][k][m..m+63] is contiguous.
  NPUSIM_FIELD(int, lanes, 64, 1, 4096, "LUT-NN table entries read and accumulated per cycle");
  // Pipeline latency of one lookup (read, add); a new lookup per lane every cycle. The Bespoke LUT
  // unit's 2 cycles (SPEC 3/4), the same SRAM read plus one add.
  NPUSIM_FIELD(int, cycles_per_lookup, 2, 1, 64, "pipeline depth of one LUT-NN lookup (read, add)");
  // On-chip table buffer. Tables take the weights' place: the weight SRAM's size when LUT-NN was sized
  // (128 KiB; issue 22 moved sram.weight_kib to 256 without re-sizing LUT-NN), split in two halves when
  // sram.double_buffered is set.
  NPUSIM_FIELD(int, table_sram_kib, 128, 1, 1 << 22, "LUT-NN table buffer (halves when double-buffered)");
  // Centroids per codebook, K: LUT-NN's 16 (SPEC 2.7).
  NPUSIM_FIELD(int, centroids, 16, 2, 256, "centroids per codebook, K");
  // Sub-vector length v of matmuls (fully connected layers): LUT-NN's 32 (SPEC 2.7).
  NPUSIM_FIELD(int, subvector_fc, 32, 1, 4096, "sub-vector length v of matmuls");
  // v of 1x1 convolutions: LUT-NN's 4 (SPEC 2.7). A kh x kw kernel with kh kw > 1 uses v = kh kw, one
  // input channel's window (SPEC 2.7's 9 for 3x3).
  NPUSIM_FIELD(int, subvector_conv1x1, 4, 1, 4096, "sub-vector length v of 1x1 convolutions (k x k: v = k k)");
  std::string model = "cpp";  // cpp, or a plugin's model (hw/config/unit_models)
};

}  // namespace npusim::hw
