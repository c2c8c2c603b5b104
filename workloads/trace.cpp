#include "workloads/trace.hpp"

#include "common/checked_size.hpp"

namespace npusim::workloads {

namespace {

struct TypeName {
  OpType type;
  const char* name;
};

const TypeName kTypeNames[] = {
    {OpType::matmul, "matmul"},       {OpType::batched_matmul, "batched_matmul"},
    {OpType::conv, "conv"},           {OpType::softmax, "softmax"},
    {OpType::layernorm, "layernorm"}, {OpType::rmsnorm, "rmsnorm"},
    {OpType::batchnorm, "batchnorm"}, {OpType::gelu, "gelu"},
    {OpType::silu, "silu"},           {OpType::relu, "relu"},
    {OpType::add, "add"},             {OpType::mul, "mul"},
    {OpType::pooling, "pooling"},     {OpType::reshape, "reshape"},
    {OpType::vector, "vector"},
};

std::string with_inputs(size_t expected, const TraceOp& op) {
  if (op.inputs.size() != expected) {
    return std::string(op_type_name(op.type)) + " takes " + std::to_string(expected) + " input" +
           (expected == 1 ? "" : "s") + ", got " + std::to_string(op.inputs.size());
  }
  return "";
}

std::string expect_output(const TraceOp& op, const std::vector<int64_t>& expected) {
  if (op.output != expected) {
    return "output shape " + shape_text(op.output) + " does not follow from the inputs: expected " + shape_text(expected);
  }
  return "";
}

int64_t window_out(int64_t size, int64_t kernel, int64_t stride, int64_t padding_total) {
  return (size + padding_total - kernel) / stride + 1;
}

// Output [h, w] of a window of [kh, kw] over an input [c, h, w].
std::array<int64_t, 2> window_output(const TraceOp& op, const std::vector<int64_t>& in, int64_t kh, int64_t kw) {
  return {window_out(in[1], kh, op.stride[0], op.padding[0] + op.padding[2]),
          window_out(in[2], kw, op.stride[1], op.padding[1] + op.padding[3])};
}

// Dimensions > 0, at most kMaxRank of them, at most kMaxTensorElements elements (checked without
// forming a product that could wrap).
std::string shape_problem(const std::vector<int64_t>& shape, const std::string& what) {
  if (shape.empty()) return what + " is empty";
  if (shape.size() > kMaxRank) return what + " " + shape_text(shape) + " has more than " + std::to_string(kMaxRank) + " dimensions";
  int64_t elements = 1;
  for (const int64_t d : shape) {
    if (d <= 0) return what + " " + shape_text(shape) + " has a dimension <= 0";
    if (d > kMaxDimension) return what + " " + shape_text(shape) + " has a dimension above 2^40";
  }
  for (const int64_t d : shape) {
    if (d > kMaxTensorElements / elements) {
      return what + " " + shape_text(shape) + " has more than 2^40 (" + std::to_string(kMaxTensorElements) + ") elements";
    }
    elements *= d;
  }
  return "";
}

}  // namespace

std::string_view op_type_name(OpType type) {
  for (const auto& t : kTypeNames) {
    if (t.type == type) return t.name;
  }
  return "?";
}

std::optional<OpType> parse_op_type(std::string_view name) {
  for (const auto& t : kTypeNames) {
    if (name == t.name) return t.type;
  }
  return std::nullopt;
}

std::vector<std::string> all_op_type_names() {
  std::vector<std::string> names;
  for (const auto& t : kTypeNames) names.emplace_back(t.name);
  return names;
}

std::string_view precision_name(Precision p) { return p == Precision::int8 ? "int8" : "int16"; }
int precision_bytes(Precision p) { return p == Precision::int8 ? 1 : 2; }

std::vector<Function> lut_functions(OpType type) {
  switch (type) {
    case OpType::softmax: return {Function::exp, Function::reciprocal};
    case OpType::layernorm:
    case OpType::rmsnorm: return {Function::rsqrt};
    case OpType::gelu: return {Function::gelu};
    case OpType::silu: return {Function::silu};
    default: return {};
  }
}

bool is_nonlinear(OpType type) { return !lut_functions(type).empty(); }

const TraceOp* Trace::find(const std::string& id) const {
  for (const auto& op : ops) {
    if (op.id == id) return &op;
  }
  return nullptr;
}

int64_t element_count(const std::vector<int64_t>& shape) { return checked::product(shape, "element count"); }

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

std::string check_op_shapes(const TraceOp& op) {
  std::string problem;
  for (const auto& input : op.inputs) {
    if (!(problem = shape_problem(input, "input shape")).empty()) return problem;
  }
  if (!(problem = shape_problem(op.output, "output shape")).empty()) return problem;
  if (!op.weights.empty() && !(problem = shape_problem(op.weights, "weight shape")).empty()) return problem;
  if (!op.kernel.empty() && !(problem = shape_problem(op.kernel, "kernel")).empty()) return problem;
  // The reader's ranges, so that whatever a generator or the importer builds reads back.
  const std::string window = std::to_string(kMaxWindow);
  for (const int64_t k : op.kernel) {
    if (k > kMaxWindow) return "kernel " + shape_text(op.kernel) + " is beyond " + window + " per axis";
  }
  for (const int64_t s : op.stride) {
    if (s <= 0) return "stride must be > 0";
    if (s > kMaxWindow) return "stride must be at most " + window;
  }
  for (const int64_t p : op.padding) {
    if (p < 0) return "padding must be >= 0";
    if (p > kMaxWindow) return "padding must be at most " + window;
  }
  if (op.groups <= 0) return "groups must be > 0";
  if (op.groups > kMaxDimension) return "groups must be at most 2^40";
  switch (op.type) {
    case OpType::matmul: {
      if (!(problem = with_inputs(1, op)).empty()) return problem;
      const auto& in = op.inputs[0];
      if (op.weights.size() != 2) return "matmul weights are [k, n], got " + shape_text(op.weights);
      if (in.back() != op.weights[0]) {
        return "matmul input " + shape_text(in) + " does not match weights " + shape_text(op.weights);
      }
      std::vector<int64_t> out = in;
      out.back() = op.weights[1];
      return expect_output(op, out);
    }
    case OpType::batched_matmul: {
      if (!(problem = with_inputs(2, op)).empty()) return problem;
      const auto& a = op.inputs[0];
      const auto& b = op.inputs[1];
      if (a.size() != 3 || b.size() != 3) return "batched_matmul inputs are [b, m, k] and [b', k, n]";
      if (a[2] != b[1]) return "batched_matmul inputs " + shape_text(a) + " and " + shape_text(b) + " disagree on k";
      if (a[0] % b[0] != 0) return "batched_matmul: the second input's batch must divide the first's";
      if (!op.weights.empty()) return "batched_matmul multiplies two activations: no weights";
      return expect_output(op, {a[0], a[1], b[2]});
    }
    case OpType::conv: {
      if (!(problem = with_inputs(1, op)).empty()) return problem;
      const auto& in = op.inputs[0];
      if (in.size() != 3) return "conv input is [c, h, w], got " + shape_text(in);
      if (op.weights.size() != 4) return "conv weights are [c_out, c_in / groups, kh, kw], got " + shape_text(op.weights);
      if (in[0] % op.groups != 0 || op.weights[0] % op.groups != 0 || in[0] / op.groups != op.weights[1]) {
        return "conv weights " + shape_text(op.weights) + " do not match input " + shape_text(in) + " with groups " +
               std::to_string(op.groups);
      }
      const auto [h, w] = window_output(op, in, op.weights[2], op.weights[3]);
      if (h <= 0 || w <= 0) return "conv kernel is larger than its padded input";
      return expect_output(op, {op.weights[0], h, w});
    }
    case OpType::pooling: {
      if (!(problem = with_inputs(1, op)).empty()) return problem;
      const auto& in = op.inputs[0];
      if (in.size() != 3) return "pooling input is [c, h, w], got " + shape_text(in);
      if (op.kernel.size() != 2 || op.kernel[0] <= 0 || op.kernel[1] <= 0) return "pooling kernel is [kh, kw] > 0";
      const auto [h, w] = window_output(op, in, op.kernel[0], op.kernel[1]);
      if (h <= 0 || w <= 0) return "pooling kernel is larger than its padded input";
      return expect_output(op, {in[0], h, w});
    }
    case OpType::add:
    case OpType::mul: {
      if (!(problem = with_inputs(2, op)).empty()) return problem;
      if (op.inputs[0] != op.inputs[1]) {
        return std::string(op_type_name(op.type)) + " inputs " + shape_text(op.inputs[0]) + " and " +
               shape_text(op.inputs[1]) + " differ";
      }
      return expect_output(op, op.inputs[0]);
    }
    case OpType::reshape: {
      if (!(problem = with_inputs(1, op)).empty()) return problem;
      if (element_count(op.inputs[0]) != element_count(op.output)) {
        return "reshape from " + shape_text(op.inputs[0]) + " to " + shape_text(op.output) + " changes the element count";
      }
      return "";
    }
    case OpType::vector:
      if (op.inputs.empty()) return "vector takes at least one input";
      return "";
    case OpType::softmax:
    case OpType::layernorm:
    case OpType::rmsnorm:
    case OpType::batchnorm:
    case OpType::gelu:
    case OpType::silu:
    case OpType::relu:
      if (!(problem = with_inputs(1, op)).empty()) return problem;
      return expect_output(op, op.inputs[0]);
  }
  return "";
}

}  // namespace npusim::workloads
