// The hardware configuration of one design point: a plain struct, every field with its unit in its
// name. Defaults are the paper's edge NPU (SPEC 3); configs/paper_npu.yaml states the same values
// with the source of each calibrated constant.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hw/config/lutnn_config.hpp"

namespace npusim::hw {

enum class Dataflow { weight_stationary, output_stationary, input_stationary };
enum class PreloadMode { serial, overlapped };
enum class Im2colMode { vector_path, address_generator };
enum class NonlinearEngine { dsp, lut, nnlut, ibert, ivit };
enum class ComparatorSearch { parallel, sequential };
enum class TransferPath { dram, onchip };

// The non-linear op kinds the engines are chosen for.
enum class NonlinearKind { gelu, silu, softmax, layernorm, rmsnorm };
std::string_view nonlinear_kind_name(NonlinearKind kind);
const std::vector<NonlinearKind>& all_nonlinear_kinds();

std::string_view engine_name(NonlinearEngine engine);
NonlinearEngine parse_engine(std::string_view name);  // throws npusim::Error with a did-you-mean
std::vector<std::string> all_engine_names();

struct MauConfig {
  int rows = 32;                 // 32 x 64 = 2048 INT8 MACs per cycle: 4 TOPS at 1 GHz (SPEC 3)
  int cols = 64;
  Dataflow dataflow = Dataflow::weight_stationary;
  int int16_operand_passes = 2;  // an INT16 operand runs as two INT8 halves on the INT8 multipliers
  PreloadMode stationary_preload = PreloadMode::serial;  // SCALE-Sim's folds load the stationary operand serially
  Im2colMode im2col = Im2colMode::vector_path;  // convolution windows expanded on the vector path
  int vector_lanes = 64;         // elements per cycle of the vector path (element-wise, reductions)
};

struct LutUnitConfig {
  int lanes = 8;
  int cycles_per_lookup = 2;     // pipelined: a new lookup per lane every cycle, 2 cycles latency (SPEC 3)
  int table_slots = 8;           // resident per-layer tables
  std::string model = "cpp";     // cpp, or rtl for the Verilated unit (RTL issue)
  // Functions ("reciprocal", "rsqrt") looked up in the bespoke-rr table (models/lut/range_reduced_lut): one
  // model-wide table per function instead of per-layer tables, one more pipeline stage (leading-one
  // detector and shifter). Empty: every function on its per-layer table.
  std::vector<std::string> range_reduced;

  bool range_reduces(std::string_view function) const;
};

struct NnLutUnitConfig {
  int lanes = 8;
  int cycles_per_lookup = 3;     // comparator stage + multiply-add under INT32 on this NPU (SPEC 4)
  ComparatorSearch search = ComparatorSearch::parallel;
  int segments = 16;
  int table_slots = 8;
};

// Cycles per element on one DSP lane, including the MAU<->DSP int/float conversions accounted apart.
struct DspCostConfig {
  double gelu_cycles = 68.3;
  double silu_cycles = 58.0;
  double softmax_cycles = 81.7;
  double layernorm_cycles = 40.3;
  double rmsnorm_cycles = 34.0;
  double int_to_float_cycles = 1.0;
  double float_to_int_cycles = 1.0;
};

struct DspConfig {
  int lanes = 16;                          // 32 GOPS at 1 GHz counting multiply-add as 2 ops
  DspCostConfig costs;
  int local_memory_kib = 256;
  TransferPath transfer_path = TransferPath::dram;  // MAU <-> DSP data goes through DRAM
  double onchip_bandwidth_gbps = 16.0;     // used when transfer_path is onchip
};

// I-BERT / I-ViT kernels as integer instruction sequences on the MAU vector path: operations per
// element (one vector lane-cycle each).
struct IntegerKernelConfig {
  double gelu_ops = 0.0;
  double silu_ops = 0.0;
  double softmax_ops = 0.0;
  double layernorm_ops = 0.0;
  double rmsnorm_ops = 0.0;
};

enum class DramModel { transaction, burst };

struct DramConfig {
  double bandwidth_gbps = 3.0;
  double latency_ns = 100.0;
  DramModel model = DramModel::transaction;  // burst: one simulated transaction per burst (validation)
};

struct DmaConfig {
  int channels = 2;
  double setup_ns = 50.0;
  int burst_bytes = 16384;       // transfers are split in bursts; concurrent transfers interleave by burst
};

// On-chip buffers (configs/paper_npu.yaml says where the paper NPU's values come from).
struct SramConfig {
  int weight_kib = 128;          // weight tiles streamed from DRAM
  int activation_kib = 128;      // activation tensors kept on chip, and the tiles of those that are not
  int accumulator_kib = 64;      // INT32 partial sums of the output tile being reduced
  bool double_buffered = false;  // a DMA can fill one half of a buffer while the array reads the other
  bool scale_with_array = false;  // the three buffers grow with mau.rows x mau.cols over the paper's 32 x 64
};

// Energy per event (configs/paper_npu.yaml cites each figure's source and scaling).
struct EnergyConfig {
  double mac_int8_pj = 0.3;                    // 8-bit multiply + 32-bit accumulate
  double vector_lane_op_pj = 3.2;              // one 32-bit multiply-add on a vector lane
  double weight_sram_pj_per_byte = 4.8;        // 128 KiB buffer
  double activation_sram_pj_per_byte = 4.8;    // 128 KiB buffer
  double accumulator_sram_pj_per_byte = 3.5;   // 64 KiB buffer
  double dram_pj_per_byte = 162.5;             // 1.3 nJ per 64-bit access
  double lut_lookup_pj = 5.9;                  // two 16-bit entries read + interpolation
  double nnlut_lookup_pj = 9.0;                // comparators + entry read + INT32 multiply-add
  double lutnn_lookup_pj = 1.3;                // one INT8 table entry read + a 16-bit add
  double dsp_lane_cycle_pj = 9.0;              // FP32 multiply-add + share of the instruction's overhead
  double dsp_local_memory_pj_per_byte = 6.6;   // 256 KiB local memory
};

struct NonlinearConfig {
  NonlinearEngine default_engine = NonlinearEngine::lut;
  std::map<NonlinearKind, NonlinearEngine> per_kind;  // overrides of the default

  NonlinearEngine engine_for(NonlinearKind kind) const;
};

// What runs a model's linear layers (matmul, conv with weights): the dense MAC array, or LUT-NN
// (distances on the array, table lookups on the lutnn_unit; SPEC 2.7).
enum class LinearEngine { mau, lutnn };

struct LinearConfig {
  LinearEngine engine = LinearEngine::mau;
};

struct HwConfig {
  std::string name = "paper_npu";
  double clock_ghz = 1.0;
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
  IntegerKernelConfig ibert{17.8, 21.0, 39.0, 13.6, 11.0};
  IntegerKernelConfig ivit{68.0, 60.0, 49.0, 72.0, 60.0};
  EnergyConfig energy;

  double cycle_ns() const { return 1.0 / clock_ghz; }
};

}  // namespace npusim::hw
