// The workload trace: an ordered list of a Transformer's ops with shapes, operand precisions,
// dependencies, and for every non-linear instance its calibrated input ranges. Plain data; the YAML
// reader and writer live in trace_yaml, the model-zoo generators in model_zoo.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/core/golden_functions.hpp"

namespace npusim::workloads {

enum class OpType {
  matmul,          // input [rows, k] x weights [k, n] -> [rows, n]
  batched_matmul,  // attention: [b, m, k] x [b', k, n] -> [b, m, n] (b' divides b: grouped-query attention)
  conv,            // implicit GEMM: input [c, h, w], kernel, stride, padding, groups -> [c_out, h', w']
  softmax,         // over the last dimension
  layernorm,       // over the last dimension
  rmsnorm,         // over the last dimension
  batchnorm,       // folded into the preceding conv at inference: a per-channel scale and shift
  gelu,
  silu,
  relu,
  add,             // element-wise, two inputs of one shape (residuals)
  mul,             // element-wise, two inputs of one shape (gated MLPs)
  pooling,         // input [c, h, w], kernel, stride, padding -> [c, h', w']
  reshape,         // reshape / transpose: same elements, new shape
  vector,          // generic element-wise work on the MAU's vector path (an imported op npusim has no
                   // dedicated model for: broadcast arithmetic, HardSwish, concat ...): any inputs, cost
                   // in output elements
};

std::string_view op_type_name(OpType type);
std::optional<OpType> parse_op_type(std::string_view name);
std::vector<std::string> all_op_type_names();

enum class Precision { int8, int16 };
std::string_view precision_name(Precision p);
int precision_bytes(Precision p);

// The LUT functions a non-linear op needs, in table order: softmax -> exp, reciprocal; layernorm and
// rmsnorm -> rsqrt; gelu -> gelu; silu -> silu. Other ops need none.
std::vector<Function> lut_functions(OpType type);
bool is_nonlinear(OpType type);

struct CalibratedRange {
  double min = 0.0;
  double max = 0.0;
  std::optional<double> ema_min;  // exponential-moving-average statistics, when the PTQ flow kept them
  std::optional<double> ema_max;
};

struct TraceOp {
  std::string id;     // unique within the trace
  std::string layer;  // layer path, e.g. "blocks.3.attn.softmax"
  OpType type = OpType::matmul;
  std::vector<std::vector<int64_t>> inputs;  // activation shapes, one per input
  std::vector<int64_t> output;               // output shape
  std::vector<int64_t> weights;              // matmul [k, n]; conv [c_out, c_in/groups, kh, kw]; else empty
  // conv and pooling
  std::array<int64_t, 2> stride{1, 1};         // [h, w]
  std::array<int64_t, 4> padding{0, 0, 0, 0};  // [top, left, bottom, right]
  int64_t groups = 1;
  std::vector<int64_t> kernel;  // [kh, kw] for pooling (conv reads it from weights)
  Precision input_precision = Precision::int8;
  Precision output_precision = Precision::int8;
  Precision weight_precision = Precision::int8;
  std::vector<std::string> deps;  // ids of the producers of `inputs`, in order
  std::map<Function, CalibratedRange> ranges;  // one per LUT function of a non-linear op
};

// Documented limits (README, "The trace format"); readers and generators refuse more, naming the limit.
// The op count bounds a trace's memory and the time it takes to read and simulate (about 0.1 ms per op);
// the simulation itself keeps a bounded number of ops (and threads) in flight (tests/hw/sim/op_count_test).
constexpr int64_t kMaxTraceOps = 20000;
constexpr int64_t kMaxDimension = int64_t{1} << 40;       // one dimension of a shape
constexpr int64_t kMaxTensorElements = int64_t{1} << 40;  // elements of one input, output or weight tensor
constexpr size_t kMaxRank = 8;                            // dimensions of a shape
constexpr int64_t kMaxWindow = 4096;                      // a conv or pooling kernel size, stride or padding

struct Trace {
  static constexpr int kFormatVersion = 1;
  std::string model;
  std::string source;       // where the structure comes from
  std::string calibration;  // "synthetic", or where the ranges come from
  std::vector<TraceOp> ops;

  const TraceOp* find(const std::string& id) const;  // linear: callers that look up many ids keep an index
};

// Overflow-checked (common/checked_size.hpp): throws checked::SizeOverflow rather than wrap.
int64_t element_count(const std::vector<int64_t>& shape);
std::string shape_text(const std::vector<int64_t>& shape);

// The shapes an op must have given its inputs and attributes (within the limits above), or a message
// saying what is wrong.
// Used by the reader (errors at the op) and by the generators (a generator bug is caught at once).
std::string check_op_shapes(const TraceOp& op);

}  // namespace npusim::workloads
