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
  NPUSIM_FIELD(int, vector_command_cycles, 20, 0, 1000000,
               "fixed cost of one command of an integer non-linear sequence (I-BERT, I-ViT): issue, pipeline fill and drain");
  std::string model = "cpp";  // cpp, or a plugin's model (hw/config/unit_models)
};

struct LutUnitConfig {
  NPUSIM_FIELD(int, lanes, 8, 1, 4096, "parallel lookups per cycle");
  // Pipelined: a new lookup per lane every cycle, 2 cycles latency (SPEC 3).
  NPUSIM_FIELD(int, cycles_per_lookup, 2, 1, 64, "pipeline depth of one lookup");
  NPUSIM_FIELD(int, table_slots, 8, 1, 4096, "resident per-layer tables");
  NPUSIM_FIELD(int, command_cycles, 20, 0, 1000000,
               "fixed cost of one command: issue, table select and scale registers, pipeline fill and drain");
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
  NPUSIM_FIELD(int, command_cycles, 20, 0, 1000000, "fixed cost of one command: issue, table select, pipeline fill and drain");
  std::string model = "cpp";  // cpp, or a plugin's model
};

// The DSP's cost of one op (hw/cost/nonlinear_timing.hpp, DspCostModel): per element on one lane for each
// function (all its passes' instructions) plus the int/float conversions; per command; per chunk of
// the local memory; and, for row-wise functions (softmax, the norms), per row and pass the loop's
// pipeline fill and drain, per row and reduction the cross-lane tree, per row one scalar reciprocal
// or reciprocal square root. configs/paper_npu.yaml gives each value's source.
// Per-element costs calibrated jointly (configs/paper_npu.yaml): softmax to the TinyLlama block's DSP
// non-linear time, GELU and LayerNorm to ViT-Base's in SPEC 4's per-op ratio 211 : 127; SiLU and
// RMSNorm keep their ratios to GELU and LayerNorm.
struct DspCostConfig {
  NPUSIM_FIELD(double, gelu_cycles, 37.0, 0.0, 1e6, "GELU: cycles per element on one lane");
  NPUSIM_FIELD(double, silu_cycles, 31.4, 0.0, 1e6, "SiLU: cycles per element on one lane");
  NPUSIM_FIELD(double, softmax_cycles, 125.8, 0.0, 1e6, "softmax, its three passes together: cycles per element on one lane");
  NPUSIM_FIELD(double, layernorm_cycles, 22.3, 0.0, 1e6, "LayerNorm, its three passes together: cycles per element on one lane");
  NPUSIM_FIELD(double, rmsnorm_cycles, 18.8, 0.0, 1e6, "RMSNorm, its two passes together: cycles per element on one lane");
  NPUSIM_FIELD(double, int_to_float_cycles, 1.0, 0.0, 1e6, "conversion of an input element: cycles on one lane");
  NPUSIM_FIELD(double, float_to_int_cycles, 1.0, 0.0, 1e6, "conversion of an output element: cycles on one lane");
  NPUSIM_FIELD(double, command_cycles, 100.0, 0.0, 1e6, "fixed cost of one command: issue, argument fetch, completion signal to the MAU");
  NPUSIM_FIELD(double, chunk_setup_cycles, 50.0, 0.0, 1e6, "per chunk through the local memory: descriptor, buffer switch, synchronisation");
  NPUSIM_FIELD(double, pass_setup_cycles, 12.0, 0.0, 1e6,
               "per row and pass of softmax and the norms (per chunk for GELU, SiLU): loop prologue and epilogue");
  NPUSIM_FIELD(double, reduction_cycles, 16.0, 0.0, 1e6, "per row and reduction (max, sum, mean): the cross-lane tree");
  NPUSIM_FIELD(double, row_scalar_cycles, 20.0, 0.0, 1e6, "per row of softmax and the norms: one scalar reciprocal or reciprocal square root");
};

struct DspConfig {
  NPUSIM_FIELD(int, lanes, 16, 1, 4096, "DSP vector lanes");  // 32 GOPS at 1 GHz counting multiply-add as 2 ops
  DspCostConfig costs;
  NPUSIM_FIELD(int, local_memory_kib, 256, 1, 1 << 20, "DSP local memory");
  // MAU <-> DSP data goes through DRAM.
  NPUSIM_CHOICE(TransferPath, transfer_path, TransferPath::dram, "how data moves between MAU and DSP");
  // Used when transfer_path is onchip.
  // The on-chip link: ops when transfer_path is onchip, fused attention always.
  NPUSIM_FIELD(double, onchip_bandwidth_gbps, 64.0, 0.01, 1e5, "MAU<->DSP link bandwidth (onchip ops, fused attention)");
  std::string model = "cpp";  // cpp, or a plugin's model
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
  // The fraction of bandwidth_gbps the NPU's transfers achieve (row-buffer misses, read/write
  // turnarounds, refresh): transfers move at bandwidth_gbps x efficiency. The one constant fitted to
  // SPEC 4's three published blocks jointly (configs/paper_npu.yaml); plausible 0.5-0.9 (Intel's
  // memory-interface handbook: about 70 % typical, 10-92 % by access pattern).
  NPUSIM_FIELD(double, efficiency, 0.56, 0.01, 1.0,
               "fraction of bandwidth_gbps the NPU's transfers achieve (row-buffer misses, read/write turnarounds, refresh)");
  // transaction, burst (one simulated transaction per burst, for validation), or a plugin's model
  std::string model = "transaction";

  double effective_bandwidth_gbps() const { return bandwidth_gbps * efficiency; }
};

struct DmaConfig {
  NPUSIM_FIELD(int, channels, 2, 1, 64, "independent DMA channels");
  NPUSIM_FIELD(double, setup_ns, 50.0, 0.0, 1e6, "per-transfer descriptor setup");
  // Transfers are split in bursts; concurrent transfers interleave by burst.
  NPUSIM_FIELD(int, burst_bytes, 16384, 64, 1 << 26, "burst size; concurrent transfers interleave by burst");
  std::string model = "cpp";  // cpp, or a plugin's model
};

// On-chip buffers (configs/paper_npu.yaml cites each source). Weights and activations share 1 MiB as in
// published 2,048-MAC NPUs: Samsung's 1 MB TCM per core (Park et al., ISSCC 2021, 9.5) and Arm
// Ethos-N77's 1 MiB (16 engines x 64 KiB); the quarter / three-quarter split is a modelling choice.
struct SramConfig {
  NPUSIM_FIELD(int, weight_kib, 256, 1, 1 << 22, "weight buffer");  // weight tiles streamed from DRAM
  // Activation tensors kept on chip, and the tiles of those that are not.
  NPUSIM_FIELD(int, activation_kib, 768, 1, 1 << 22, "activation buffer");
  // INT32 partial sums of the output tile being reduced: 256 rows x 64 columns.
  NPUSIM_FIELD(int, accumulator_kib, 64, 1, 1 << 22, "INT32 partial-sum buffer of the array");
  // A DMA can fill one half of a buffer while the array reads the other.
  NPUSIM_CHOICE(bool, double_buffered, false,
                "yes: DMA fills one half of a buffer while the array uses the other; no: they take turns");
  // The three buffers grow with mau.rows x mau.cols over the paper's 32 x 64.
  NPUSIM_CHOICE(bool, scale_with_array, false,
                "yes: the three buffers grow in proportion to the MAC array (mau.rows x mau.cols over the paper's 32 x 64); no: they keep their sizes");
  // One scratchpad for weights and activations (weight_kib unused): a GEMM's weight tiles, its
  // activation tiles and the tensors kept on chip share activation_kib, as the compiler divides it.
  NPUSIM_CHOICE(bool, unified, false,
                "yes: weights and activations share one scratchpad of activation_kib (weight_kib unused); no: separate buffers");
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

// How the NPU's compiler maps attention (SPEC 3 leaves it to the compiler).
enum class AttentionMapping {
  fused,    // row blocks of QK^T, softmax and PV in turn, the running max and sum on chip (online
            // softmax): the scores and probabilities of a row block never reach DRAM
  unfused,  // one op after the other: the whole score and probability tensors go to DRAM when they
            // do not fit on chip
};
constexpr std::array<Named<AttentionMapping>, 2> names_of(AttentionMapping) {
  return {{{AttentionMapping::fused, "fused"}, {AttentionMapping::unfused, "unfused"}}};
}

struct CompilerConfig {
  NPUSIM_CHOICE(AttentionMapping, attention, AttentionMapping::fused,
                "fused: row blocks of QK^T, softmax and PV with the running max and sum on chip (scores never reach "
                "DRAM whole); unfused: one op after the other, score tensors spilled when they do not fit");
  NPUSIM_CHOICE(bool, causal_skip, false,
                "yes: fused attention skips the tiles a causal mask hides entirely; no: every tile of T x T is computed");
  NPUSIM_CHOICE(bool, keep_activations, true,
                "yes: an op's output stays on chip for its consumers when it fits; no: every op reads its inputs from and writes its output to DRAM");
};

// LLM generation's KV cache in DRAM (docs/generation.md): its element type, and the rows one DMA read
// fetches at a time (a decode step reads the cache in whole pages; steps within a page cost the same).
enum class KvDtype { int8, int16 };
constexpr std::array<Named<KvDtype>, 2> names_of(KvDtype) { return {{{KvDtype::int8, "int8"}, {KvDtype::int16, "int16"}}}; }

struct KvCacheConfig {
  NPUSIM_CHOICE(KvDtype, dtype, KvDtype::int8, "KV cache element type (generation)");
  NPUSIM_FIELD(int, page_tokens, 64, 1, 65536, "KV cache rows read per page (generation)");
};

// An LLM generation to run instead of one pass of the workload (docs/generation.md): `npusim run
// --generate P,N` sets both; a sweep may take them as axes. 0 new tokens: no generation.
struct GenerateConfig {
  NPUSIM_FIELD(int, prompt_tokens, 0, 0, 65536, "prompt tokens of a generation (0 with new_tokens 0: no generation)");
  NPUSIM_FIELD(int, new_tokens, 0, 0, 65536, "tokens a generation produces (0: no generation)");
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
  CompilerConfig compiler;
  IntegerKernelConfig ibert{17.8, 21.0, 39.0, 13.6, 11.0};  // gelu, silu, softmax, layernorm, rmsnorm ops
  IntegerKernelConfig ivit{68.0, 60.0, 49.0, 72.0, 60.0};
  EnergyConfig energy;
  KvCacheConfig kv_cache;
  GenerateConfig generate;

  double cycle_ns() const { return 1.0 / clock_ghz; }
};

}  // namespace npusim::hw
