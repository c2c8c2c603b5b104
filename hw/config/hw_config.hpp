// The hardware configuration of one design point: a plain struct, every field with its unit in its
// name. Defaults are the paper's edge NPU (SPEC 3); configs/paper_npu.yaml states the same values
// with the source of each calibrated constant.
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hw/config/field_info.hpp"
#include "hw/config/lutnn_config.hpp"

namespace npusim::hw {

enum class Dataflow { weight_stationary, output_stationary, input_stationary };
enum class PreloadMode { serial, overlapped };
enum class Im2colMode { vector_path, address_generator };
enum class NonlinearEngine { dsp, lut, nnlut, ibert, ivit };
enum class ComparatorSearch { parallel, sequential };
enum class TransferPath { dram, onchip };

constexpr std::array<Named<Dataflow>, 3> names_of(Dataflow) {
  return {{{Dataflow::weight_stationary, "weight_stationary"}, {Dataflow::output_stationary, "output_stationary"},
           {Dataflow::input_stationary, "input_stationary"}}};
}
constexpr std::array<Named<PreloadMode>, 2> names_of(PreloadMode) {
  return {{{PreloadMode::serial, "serial"}, {PreloadMode::overlapped, "overlapped"}}};
}
constexpr std::array<Named<Im2colMode>, 2> names_of(Im2colMode) {
  return {{{Im2colMode::vector_path, "vector_path"}, {Im2colMode::address_generator, "address_generator"}}};
}
// The non-linear engines, the one list: config files, --engines, sweep specs and reports name them so.
constexpr std::array<Named<NonlinearEngine>, 5> names_of(NonlinearEngine) {
  return {{{NonlinearEngine::dsp, "dsp"}, {NonlinearEngine::lut, "lut"}, {NonlinearEngine::nnlut, "nnlut"},
           {NonlinearEngine::ibert, "ibert"}, {NonlinearEngine::ivit, "ivit"}}};
}
constexpr std::array<Named<ComparatorSearch>, 2> names_of(ComparatorSearch) {
  return {{{ComparatorSearch::parallel, "parallel"}, {ComparatorSearch::sequential, "sequential"}}};
}
constexpr std::array<Named<TransferPath>, 2> names_of(TransferPath) {
  return {{{TransferPath::dram, "dram"}, {TransferPath::onchip, "onchip"}}};
}
// A yes/no field.
constexpr std::array<Named<bool>, 2> names_of(bool) { return {{{true, "yes"}, {false, "no"}}}; }

// The non-linear op kinds the engines are chosen for.
enum class NonlinearKind { gelu, silu, softmax, layernorm, rmsnorm };
constexpr std::array<Named<NonlinearKind>, 5> names_of(NonlinearKind) {
  return {{{NonlinearKind::gelu, "gelu"}, {NonlinearKind::silu, "silu"}, {NonlinearKind::softmax, "softmax"},
           {NonlinearKind::layernorm, "layernorm"}, {NonlinearKind::rmsnorm, "rmsnorm"}}};
}
std::string_view nonlinear_kind_name(NonlinearKind kind);
const std::vector<NonlinearKind>& all_nonlinear_kinds();

std::string_view engine_name(NonlinearEngine engine);
NonlinearEngine parse_engine(std::string_view name);  // throws npusim::Error with a did-you-mean
std::vector<std::string> all_engine_names();

// Each field: type, member, default, documented range [min, max] in the unit its name states, help.
struct MauConfig {
  NPUSIM_FIELD(int, rows, 32, 1, 4096, "systolic array rows");  // 32 x 64 = 2048 INT8 MACs per cycle: 4 TOPS at 1 GHz (SPEC 3)
  NPUSIM_FIELD(int, cols, 64, 1, 4096, "systolic array columns");
  NPUSIM_CHOICE(Dataflow, dataflow, Dataflow::weight_stationary, "systolic dataflow");
  // An INT16 operand runs as two INT8 halves on the INT8 multipliers.
  NPUSIM_FIELD(int, int16_operand_passes, 2, 1, 16, "array passes per INT16 operand (INT8 slices)");
  // SCALE-Sim's folds load the stationary operand serially.
  NPUSIM_CHOICE(PreloadMode, stationary_preload, PreloadMode::serial,
                "stationary-operand preload: serial per fold, or overlapped (PE shadow registers)");
  // Convolution windows expanded on the vector path.
  NPUSIM_CHOICE(Im2colMode, im2col, Im2colMode::vector_path,
                "convolution window expansion: vector_path (serial) or address_generator (free)");
  NPUSIM_FIELD(int, vector_lanes, 64, 1, 65536, "vector-path elements per cycle");  // element-wise ops, reductions
};

struct LutUnitConfig {
  NPUSIM_FIELD(int, lanes, 8, 1, 4096, "parallel lookups per cycle");
  // Pipelined: a new lookup per lane every cycle, 2 cycles latency (SPEC 3).
  NPUSIM_FIELD(int, cycles_per_lookup, 2, 1, 64, "pipeline depth of one lookup");
  NPUSIM_FIELD(int, table_slots, 8, 1, 4096, "resident per-layer tables");
  std::string model = "cpp";     // cpp, rtl (the Verilated unit), or a plugin's model (hw/config/unit_models)
  // Functions ("reciprocal", "rsqrt") looked up in the bespoke-rr table (models/lut/range_reduced_lut): one
  // model-wide table per function instead of per-layer tables, one more pipeline stage (leading-one
  // detector and shifter). Empty ("none"): every function on its per-layer table.
  std::vector<std::string> range_reduced;
  static constexpr const char* range_reduced_help =
      "functions on the model-wide bespoke-rr table (one more pipeline cycle): none, reciprocal, rsqrt, or both";

  bool range_reduces(std::string_view function) const;
};

struct NnLutUnitConfig {
  NPUSIM_FIELD(int, lanes, 8, 1, 4096, "parallel lookups per cycle");
  // Comparator stage + multiply-add under INT32 on this NPU (SPEC 4).
  NPUSIM_FIELD(int, cycles_per_lookup, 3, 1, 64, "pipeline depth: comparators then multiply-add");
  NPUSIM_CHOICE(ComparatorSearch, search, ComparatorSearch::parallel, "breakpoint search");
  NPUSIM_FIELD(int, segments, 16, 2, 4096, "segments per table");
  NPUSIM_FIELD(int, table_slots, 8, 1, 4096, "resident tables");
};

// Cycles per element on one DSP lane, including the MAU<->DSP int/float conversions accounted apart.
struct DspCostConfig {
  NPUSIM_FIELD(double, gelu_cycles, 68.3, 0.0, 1e4, "cycles per element on one lane");
  NPUSIM_FIELD(double, silu_cycles, 58.0, 0.0, 1e4, "cycles per element on one lane");
  NPUSIM_FIELD(double, softmax_cycles, 81.7, 0.0, 1e4, "cycles per element on one lane");
  NPUSIM_FIELD(double, layernorm_cycles, 40.3, 0.0, 1e4, "cycles per element on one lane");
  NPUSIM_FIELD(double, rmsnorm_cycles, 34.0, 0.0, 1e4, "cycles per element on one lane");
  NPUSIM_FIELD(double, int_to_float_cycles, 1.0, 0.0, 1e4, "cycles per element on one lane");
  NPUSIM_FIELD(double, float_to_int_cycles, 1.0, 0.0, 1e4, "cycles per element on one lane");
};

struct DspConfig {
  NPUSIM_FIELD(int, lanes, 16, 1, 4096, "DSP vector lanes");  // 32 GOPS at 1 GHz counting multiply-add as 2 ops
  DspCostConfig costs;
  NPUSIM_FIELD(int, local_memory_kib, 256, 1, 1 << 20, "DSP local memory");
  // MAU <-> DSP data goes through DRAM.
  NPUSIM_CHOICE(TransferPath, transfer_path, TransferPath::dram, "how data moves between MAU and DSP");
  // Used when transfer_path is onchip.
  NPUSIM_FIELD(double, onchip_bandwidth_gbps, 16.0, 0.01, 1e5, "MAU<->DSP link bandwidth when onchip");
};

// I-BERT / I-ViT kernels as integer instruction sequences on the MAU vector path: operations per
// element (one vector lane-cycle each). The two kernels' defaults differ: HwConfig's `ibert` and `ivit`
// members give them; range and help are the same and live here.
struct IntegerKernelConfig {
  NPUSIM_FIELD(double, gelu_ops, 0.0, 0.0, 1e4, "integer operations per element on the MAU vector path");
  NPUSIM_FIELD(double, silu_ops, 0.0, 0.0, 1e4, "integer operations per element on the MAU vector path");
  NPUSIM_FIELD(double, softmax_ops, 0.0, 0.0, 1e4, "integer operations per element on the MAU vector path");
  NPUSIM_FIELD(double, layernorm_ops, 0.0, 0.0, 1e4, "integer operations per element on the MAU vector path");
  NPUSIM_FIELD(double, rmsnorm_ops, 0.0, 0.0, 1e4, "integer operations per element on the MAU vector path");
};

struct DramConfig {
  NPUSIM_FIELD(double, bandwidth_gbps, 3.0, 0.01, 1e5, "external DRAM bandwidth");
  NPUSIM_FIELD(double, latency_ns, 100.0, 0.0, 1e6, "first-byte latency of a transfer");
  // transaction, burst (one simulated transaction per burst, for validation), or a plugin's model
  std::string model = "transaction";
};

struct DmaConfig {
  NPUSIM_FIELD(int, channels, 2, 1, 64, "independent DMA channels");
  NPUSIM_FIELD(double, setup_ns, 50.0, 0.0, 1e6, "per-transfer descriptor setup");
  // Transfers are split in bursts; concurrent transfers interleave by burst.
  NPUSIM_FIELD(int, burst_bytes, 16384, 64, 1 << 26, "burst size; concurrent transfers interleave by burst");
};

// On-chip buffers (configs/paper_npu.yaml says where the paper NPU's values come from).
struct SramConfig {
  NPUSIM_FIELD(int, weight_kib, 128, 1, 1 << 22, "weight buffer");  // weight tiles streamed from DRAM
  // Activation tensors kept on chip, and the tiles of those that are not.
  NPUSIM_FIELD(int, activation_kib, 128, 1, 1 << 22, "activation buffer");
  // INT32 partial sums of the output tile being reduced.
  NPUSIM_FIELD(int, accumulator_kib, 64, 1, 1 << 22, "INT32 partial-sum buffer of the array");
  // A DMA can fill one half of a buffer while the array reads the other.
  NPUSIM_CHOICE(bool, double_buffered, false,
                "yes: DMA fills one half of a buffer while the array uses the other; no: they take turns");
  // The three buffers grow with mau.rows x mau.cols over the paper's 32 x 64.
  NPUSIM_CHOICE(bool, scale_with_array, false,
                "yes: the three buffers grow in proportion to the MAC array (mau.rows x mau.cols over the paper's 32 x 64); no: they keep their sizes");
};

// Energy per event (configs/paper_npu.yaml cites each figure's source and scaling).
struct EnergyConfig {
  // 8-bit multiply + 32-bit accumulate.
  NPUSIM_FIELD(double, mac_int8_pj, 0.3, 0.0, 1e6, "energy of one INT8 multiply-accumulate");
  // One 32-bit multiply-add on a vector lane.
  NPUSIM_FIELD(double, vector_lane_op_pj, 3.2, 0.0, 1e6, "energy of one vector-path lane operation");
  // 128 KiB buffer.
  NPUSIM_FIELD(double, weight_sram_pj_per_byte, 4.8, 0.0, 1e6, "weight buffer energy per byte read or written");
  // 128 KiB buffer.
  NPUSIM_FIELD(double, activation_sram_pj_per_byte, 4.8, 0.0, 1e6, "activation buffer energy per byte read or written");
  // 64 KiB buffer.
  NPUSIM_FIELD(double, accumulator_sram_pj_per_byte, 3.5, 0.0, 1e6, "accumulator energy per byte read or written");
  // 1.3 nJ per 64-bit access.
  NPUSIM_FIELD(double, dram_pj_per_byte, 162.5, 0.0, 1e6, "DRAM energy per byte read or written");
  // Two 16-bit entries read + interpolation.
  NPUSIM_FIELD(double, lut_lookup_pj, 5.9, 0.0, 1e6, "energy of one Bespoke LUT lookup");
  // Comparators + entry read + INT32 multiply-add.
  NPUSIM_FIELD(double, nnlut_lookup_pj, 9.0, 0.0, 1e6, "energy of one NN-LUT lookup (comparators, entry read, multiply-add)");
  // One INT8 table entry read + a 16-bit add.
  NPUSIM_FIELD(double, lutnn_lookup_pj, 1.3, 0.0, 1e6, "energy of one LUT-NN table read and add");
  // FP32 multiply-add + share of the instruction's overhead.
  NPUSIM_FIELD(double, dsp_lane_cycle_pj, 9.0, 0.0, 1e6, "energy of one DSP lane busy for one cycle");
  // 256 KiB local memory.
  NPUSIM_FIELD(double, dsp_local_memory_pj_per_byte, 6.6, 0.0, 1e6, "DSP local memory energy per byte read or written");
};

struct NonlinearConfig {
  NPUSIM_CHOICE(NonlinearEngine, default_engine, NonlinearEngine::lut, "engine for non-linear ops");
  std::map<NonlinearKind, NonlinearEngine> per_kind;  // overrides of the default

  NonlinearEngine engine_for(NonlinearKind kind) const;
};

// What runs a model's linear layers (matmul, conv with weights): the dense MAC array, or LUT-NN
// (distances on the array, table lookups on the lutnn_unit; SPEC 2.7).
enum class LinearEngine { mau, lutnn };
constexpr std::array<Named<LinearEngine>, 2> names_of(LinearEngine) {
  return {{{LinearEngine::mau, "mau"}, {LinearEngine::lutnn, "lutnn"}}};
}

struct LinearConfig {
  NPUSIM_CHOICE(LinearEngine, engine, LinearEngine::mau,
                "linear layers (matmul, conv): mau (dense) or lutnn (LUT-NN table lookups)");
};

struct HwConfig {
  static constexpr FieldInfo<const char*> name_field{"paper_npu", 0.0, 0.0, "design point name"};
  std::string name = name_field.default_value;
  NPUSIM_FIELD(double, clock_ghz, 1.0, 0.01, 10.0, "clock of the MAU, LUT units and DSP");
  MauConfig mau;
  LutUnitConfig lut_unit;
  NnLutUnitConfig nnlut_unit;
  LinearConfig linear;
  LutnnUnitConfig lutnn_unit;
  DspConfig dsp;
  DramConfig dram;
  DmaConfig dma;
  SramConfig sram;
  NonlinearConfig nonlinear;
  IntegerKernelConfig ibert{17.8, 21.0, 39.0, 13.6, 11.0};  // gelu, silu, softmax, layernorm, rmsnorm ops
  IntegerKernelConfig ivit{68.0, 60.0, 49.0, 72.0, 60.0};
  EnergyConfig energy;

  double cycle_ns() const { return 1.0 / clock_ghz; }
};

}  // namespace npusim::hw
