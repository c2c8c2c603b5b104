#include "workloads/onnx/inference_guard.hpp"

#include <onnx/defs/shape_inference.h>
#include <onnx/defs/tensor_proto_util.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace npusim::onnx_import {

namespace {

using onnx::InferenceContext;

// Every value of an INTS attribute in [lowest, highest].
void check_ints(const InferenceContext& ctx, const char* attribute, int64_t lowest, int64_t highest) {
  const onnx::AttributeProto* a = ctx.getAttribute(attribute);
  if (a == nullptr) return;
  for (const int64_t v : a->ints()) {
    if (v < lowest || v > highest) {
      fail_shape_inference("attribute ", attribute, " holds ", v, ", outside ", lowest, "..", highest);
    }
  }
}

void check_int(const InferenceContext& ctx, const char* attribute, int64_t lowest, int64_t highest) {
  const onnx::AttributeProto* a = ctx.getAttribute(attribute);
  if (a != nullptr && (a->i() < lowest || a->i() > highest)) {
    fail_shape_inference("attribute ", attribute, " is ", a->i(), ", outside ", lowest, "..", highest);
  }
}

const onnx::TensorShapeProto* shape_of(const InferenceContext& ctx, size_t input) {
  if (input >= ctx.getNumInputs()) return nullptr;
  const onnx::TypeProto* type = ctx.getInputType(input);
  if (type == nullptr || !type->has_tensor_type() || !type->tensor_type().has_shape()) return nullptr;
  return &type->tensor_type().shape();
}

// Conv, ConvTranspose and the pooling ops: libonnx divides by the strides, multiplies the kernel by the
// dilations, adds the pads to the input and, for weights, reads as many spatial dims of the input
// (and the weights' dim 1) as the weights have.
void check_window(const InferenceContext& ctx, int weights_input) {
  check_ints(ctx, "strides", 1, kMaxExtent);
  check_ints(ctx, "dilations", 1, kMaxExtent);
  check_ints(ctx, "kernel_shape", 1, kMaxExtent);
  check_ints(ctx, "pads", 0, kMaxExtent);
  check_ints(ctx, "output_padding", 0, kMaxExtent);
  check_ints(ctx, "output_shape", 0, kMaxExtent);
  check_int(ctx, "group", 1, kMaxExtent);
  if (weights_input < 0) return;
  const onnx::TensorShapeProto* x = shape_of(ctx, 0);
  const onnx::TensorShapeProto* w = shape_of(ctx, static_cast<size_t>(weights_input));
  if (x != nullptr && w != nullptr && (x->dim_size() != w->dim_size() || w->dim_size() < 2)) {
    fail_shape_inference("the weights have rank ", w->dim_size(), " and the input rank ", x->dim_size(),
                         " (both must be 2 + the spatial rank)");
  }
}

// SplitToSequence divides the split axis by a scalar 'split' (a remainder of 0 means equal chunks).
void check_split_to_sequence(const InferenceContext& ctx) {
  const onnx::TensorProto* split = ctx.getNumInputs() > 1 ? ctx.getInputData(1) : nullptr;
  if (split == nullptr || split->dims_size() != 0) return;
  int64_t chunk = 1;
  if (split->data_type() == onnx::TensorProto::INT64) {
    const std::vector<int64_t> v = onnx::ParseData<int64_t>(split);
    if (!v.empty()) chunk = v[0];
  } else if (split->data_type() == onnx::TensorProto::INT32) {
    const std::vector<int32_t> v = onnx::ParseData<int32_t>(split);
    if (!v.empty()) chunk = v[0];
  }
  if (chunk <= 0) fail_shape_inference("a scalar split must be > 0, got ", chunk);
}

using Check = void (*)(const InferenceContext&);

// The ops of the default domain whose inference needs a check, by name.
const std::map<std::string, Check>& checks() {
  static const std::map<std::string, Check> all = {
      {"Conv", [](const InferenceContext& c) { check_window(c, 1); }},
      {"ConvInteger", [](const InferenceContext& c) { check_window(c, 1); }},
      {"QLinearConv", [](const InferenceContext& c) { check_window(c, 3); }},
      {"ConvTranspose", [](const InferenceContext& c) { check_window(c, 1); }},
      {"AveragePool", [](const InferenceContext& c) { check_window(c, -1); }},
      {"MaxPool", [](const InferenceContext& c) { check_window(c, -1); }},
      {"LpPool", [](const InferenceContext& c) { check_window(c, -1); }},
      {"MaxUnpool", [](const InferenceContext& c) { check_window(c, -1); }},
      {"DepthToSpace", [](const InferenceContext& c) { check_int(c, "blocksize", 1, kMaxExtent); }},
      {"SpaceToDepth", [](const InferenceContext& c) { check_int(c, "blocksize", 1, kMaxExtent); }},
      {"SplitToSequence", check_split_to_sequence},
  };
  return all;
}

class GuardedRegistry final : public onnx::ISchemaRegistry {
 public:
  const onnx::OpSchema* GetSchema(const std::string& key, const int max_version, const std::string& domain) const override {
    const onnx::OpSchema* schema = onnx::OpSchemaRegistry::Schema(key, max_version, domain);
    if (schema == nullptr || !schema->has_type_and_shape_inference_function()) return schema;
    if (!domain.empty() && domain != "ai.onnx") return schema;
    const auto check = checks().find(key);
    if (check == checks().end()) return schema;
    // One checked copy per schema version, made on first use and kept for the process.
    std::lock_guard<std::mutex> lock(mutex_);
    std::unique_ptr<onnx::OpSchema>& guarded = guarded_[schema];
    if (!guarded) {
      guarded = std::make_unique<onnx::OpSchema>(*schema);
      guarded->TypeAndShapeInferenceFunction(
          [infer = schema->GetTypeAndShapeInferenceFunction(), run_check = check->second](InferenceContext& ctx) {
            run_check(ctx);
            infer(ctx);
          });
    }
    return guarded.get();
  }

 private:
  mutable std::mutex mutex_;
  mutable std::map<const onnx::OpSchema*, std::unique_ptr<onnx::OpSchema>> guarded_;
};

}  // namespace

const onnx::ISchemaRegistry* guarded_schema_registry() {
  static const GuardedRegistry registry;
  return &registry;
}

}  // namespace npusim::onnx_import
