// ONNX shape inference over attribute values, structure-aware: the input picks one of a few small valid
// models built by tests/onnx_builder.hpp and rewrites integer values in it (strides, pads, dilations,
// kernel shapes, group, block sizes, axes, perm, Slice starts, ends and steps, reshape targets, split
// sizes, input dims), then the model goes through the onnx harness's checks. Mutating bytes of a
// protobuf rarely reaches a valid model with one bad attribute; this reaches nothing else.
//
// Input: byte 0 picks the model; then edits of 3 bytes or more each: what to do (set one element, set
// all of them, append one, drop the last), which integer list, and the value (a byte < 224 picks an
// interesting value, a larger one is followed by 8 raw bytes).
#include <onnx/onnx_pb.h>

#include <cstring>
#include <limits>

#include "tests/fuzz/harnesses.hpp"
#include "tests/fuzz/onnx_round_trip.hpp"
#include "tests/onnx_builder.hpp"

namespace npusim::fuzz {

namespace {

using testing::OnnxBuilder;
using Ints = std::vector<int64_t>;

void attribute(::onnx::NodeProto& n, const std::string& name, const Ints& values) { OnnxBuilder::attribute(n, name, values); }
void attribute(::onnx::NodeProto& n, const std::string& name, int64_t value) { OnnxBuilder::attribute(n, name, value); }

// Graph output `index` holds integers (OnnxBuilder::output declares floats).
void integer_output(OnnxBuilder& b, int index) {
  b.proto().mutable_graph()->mutable_output(index)->mutable_type()->mutable_tensor_type()->set_elem_type(::onnx::TensorProto::INT64);
}

// Conv -> MaxPool -> AveragePool -> LpPool.
OnnxBuilder conv_and_pools() {
  OnnxBuilder b(13);
  b.input("x", {1, 2, 8, 8}).output("y", 4).weights("w", {4, 2, 3, 3}, testing::test_weights(72, 1));
  auto& conv = b.node("Conv", {"x", "w"}, {"c"});
  attribute(conv, "strides", Ints{1, 1});
  attribute(conv, "pads", Ints{1, 1, 1, 1});
  attribute(conv, "dilations", Ints{1, 1});
  attribute(conv, "kernel_shape", Ints{3, 3});
  attribute(conv, "group", int64_t{1});
  auto& max_pool = b.node("MaxPool", {"c"}, {"m"});
  attribute(max_pool, "kernel_shape", Ints{2, 2});
  attribute(max_pool, "strides", Ints{2, 2});
  attribute(max_pool, "pads", Ints{0, 0, 0, 0});
  attribute(max_pool, "dilations", Ints{1, 1});
  attribute(max_pool, "ceil_mode", int64_t{0});
  auto& average_pool = b.node("AveragePool", {"m"}, {"a"});
  attribute(average_pool, "kernel_shape", Ints{2, 2});
  attribute(average_pool, "strides", Ints{1, 1});
  attribute(average_pool, "pads", Ints{0, 0, 1, 1});
  attribute(average_pool, "ceil_mode", int64_t{1});
  attribute(average_pool, "count_include_pad", int64_t{0});
  auto& lp_pool = b.node("LpPool", {"a"}, {"y"});
  attribute(lp_pool, "kernel_shape", Ints{1, 1});
  attribute(lp_pool, "strides", Ints{1, 1});
  attribute(lp_pool, "p", int64_t{2});
  return b;
}

// ConvTranspose -> DepthToSpace -> SpaceToDepth -> a grouped Conv without kernel_shape.
OnnxBuilder transposed_and_depth() {
  OnnxBuilder b(13);
  b.input("x", {1, 4, 4, 4}).output("y", 4);
  b.weights("wt", {4, 4, 3, 3}, testing::test_weights(144, 2)).weights("wg", {4, 2, 1, 1}, testing::test_weights(8, 3));
  auto& transposed = b.node("ConvTranspose", {"x", "wt"}, {"t"});
  attribute(transposed, "strides", Ints{2, 2});
  attribute(transposed, "pads", Ints{1, 1, 1, 1});
  attribute(transposed, "output_padding", Ints{1, 1});
  attribute(transposed, "dilations", Ints{1, 1});
  attribute(transposed, "kernel_shape", Ints{3, 3});
  attribute(transposed, "group", int64_t{1});
  attribute(b.node("DepthToSpace", {"t"}, {"d"}), "blocksize", int64_t{2});
  attribute(b.node("SpaceToDepth", {"d"}, {"s"}), "blocksize", int64_t{2});
  auto& grouped = b.node("Conv", {"s", "wg"}, {"y"});
  attribute(grouped, "group", int64_t{2});
  attribute(grouped, "strides", Ints{2, 2});
  return b;
}

// Slice (inputs) -> Unsqueeze -> Squeeze -> Transpose -> ReduceMean -> Concat -> Softmax -> Flatten,
// with Gather and Split on the side.
OnnxBuilder axes_and_slices() {
  OnnxBuilder b(13);
  b.input("x", {2, 6, 8}).output("y", 2).output("g", 3).output("p0", 3).output("p1", 3);
  b.ints("starts", {0, 1}).ints("ends", {2, 6}).ints("axes", {0, 2}).ints("steps", {1, 2});
  b.ints("unsqueeze_axes", {0}).ints("squeeze_axes", {0}).ints("index", {1}).ints("split", {2, 4});
  b.node("Slice", {"x", "starts", "ends", "axes", "steps"}, {"s"});
  b.node("Unsqueeze", {"s", "unsqueeze_axes"}, {"u"});
  b.node("Squeeze", {"u", "squeeze_axes"}, {"q"});
  attribute(b.node("Transpose", {"q"}, {"t"}), "perm", Ints{0, 2, 1});
  auto& mean = b.node("ReduceMean", {"t"}, {"r"});
  attribute(mean, "axes", Ints{-1});
  attribute(mean, "keepdims", int64_t{1});
  attribute(b.node("Concat", {"r", "r"}, {"c"}), "axis", int64_t{-1});
  attribute(b.node("Softmax", {"c"}, {"sm"}), "axis", int64_t{1});
  attribute(b.node("Flatten", {"sm"}, {"y"}), "axis", int64_t{1});
  attribute(b.node("Gather", {"x", "index"}, {"g"}), "axis", int64_t{2});
  attribute(b.node("Split", {"x", "split"}, {"p0", "p1"}), "axis", int64_t{1});
  return b;
}

// The same family at opset 9, where Slice, Squeeze, Unsqueeze, Split and Pad take attributes.
OnnxBuilder opset9_attributes() {
  OnnxBuilder b(9);
  b.input("x", {2, 6, 8}).output("y", 3).output("p1", 3);
  auto& slice = b.node("Slice", {"x"}, {"s"});
  attribute(slice, "starts", Ints{0, 1});
  attribute(slice, "ends", Ints{2, 7});
  attribute(slice, "axes", Ints{0, 2});
  attribute(b.node("Unsqueeze", {"s"}, {"u"}), "axes", Ints{0, 3});
  attribute(b.node("Squeeze", {"u"}, {"q"}), "axes", Ints{0, 3});
  auto& pad = b.node("Pad", {"q"}, {"pd"});
  attribute(pad, "pads", Ints{0, 1, 0, 0, 1, 0});
  auto& split = b.node("Split", {"pd"}, {"y", "p1"});
  attribute(split, "axis", int64_t{1});
  attribute(split, "split", Ints{3, 5});
  return b;
}

// The shape arithmetic exporters write around Reshape (folded by npusim): Shape -> Slice -> Mul ->
// Concat -> Reshape, and Gather / Div of a shape.
OnnxBuilder shape_arithmetic() {
  OnnxBuilder b(11);
  b.input("x", {2, 3, 4}).output("y", 2).output("z", 1);
  b.ints("start", {0}).ints("end", {1}).ints("axis0", {0}).ints("step", {1}).ints("two", {2}).ints("minus_one", {-1});
  b.ints("last", {2});
  b.node("Shape", {"x"}, {"shape"});
  b.node("Slice", {"shape", "start", "end", "axis0", "step"}, {"batch"});
  b.node("Mul", {"batch", "two"}, {"double"});
  b.node("Div", {"double", "two"}, {"batch_again"});
  attribute(b.node("Concat", {"batch_again", "minus_one"}, {"target"}), "axis", int64_t{0});
  b.node("Reshape", {"x", "target"}, {"y"});
  attribute(b.node("Gather", {"shape", "last"}, {"width"}), "axis", int64_t{0});
  b.node("Add", {"width", "two"}, {"wider"});
  b.node("Sub", {"wider", "two"}, {"z"});
  integer_output(b, 1);
  return b;
}

// Tile -> Expand -> Pad -> Reshape -> TopK -> CumSum.
OnnxBuilder repeats_and_pads() {
  OnnxBuilder b(13);
  b.input("x", {2, 3}).output("y", 2).output("indices", 2);
  b.ints("repeats", {2, 1}).ints("expand_to", {2, 4, 3}).ints("pads", {0, 1, 0, 0, 1, 0}).ints("target", {-1, 3});
  b.ints("k", {2}).ints("cum_axis", {0});
  b.node("Tile", {"x", "repeats"}, {"t"});
  b.node("Expand", {"t", "expand_to"}, {"e"});
  b.node("Pad", {"e", "pads"}, {"p"});
  b.node("Reshape", {"p", "target"}, {"r"});
  attribute(b.node("TopK", {"r", "k"}, {"top", "indices"}), "axis", int64_t{-1});
  b.node("CumSum", {"top", "cum_axis"}, {"y"});
  integer_output(b, 1);
  return b;
}

const std::vector<std::string>& models() {
  static const std::vector<std::string> all = {
      conv_and_pools().bytes(),     transposed_and_depth().bytes(), axes_and_slices().bytes(),
      opset9_attributes().bytes(),  shape_arithmetic().bytes(),     repeats_and_pads().bytes(),
      testing::tiny_block_model().bytes(),
  };
  return all;
}

// One integer list of the model an edit can change: an INTS attribute, an INT attribute (one value),
// an INT64 initializer (its dims follow its length) or an input's dims (values only, rank fixed).
struct Slot {
  google::protobuf::RepeatedField<int64_t>* values = nullptr;
  ::onnx::AttributeProto* single = nullptr;
  ::onnx::TensorProto* tensor = nullptr;
  ::onnx::TensorShapeProto* dims = nullptr;
};

std::vector<Slot> slots_of(::onnx::ModelProto& model) {
  std::vector<Slot> slots;
  auto* graph = model.mutable_graph();
  for (auto& node : *graph->mutable_node()) {
    for (auto& a : *node.mutable_attribute()) {
      if (a.type() == ::onnx::AttributeProto::INTS) slots.push_back({a.mutable_ints(), nullptr, nullptr, nullptr});
      if (a.type() == ::onnx::AttributeProto::INT) slots.push_back({nullptr, &a, nullptr, nullptr});
    }
  }
  for (auto& init : *graph->mutable_initializer()) {
    if (init.data_type() == ::onnx::TensorProto::INT64) slots.push_back({init.mutable_int64_data(), nullptr, &init, nullptr});
  }
  for (auto& input : *graph->mutable_input()) {
    slots.push_back({nullptr, nullptr, nullptr, input.mutable_type()->mutable_tensor_type()->mutable_shape()});
  }
  return slots;
}

class Bytes {
 public:
  explicit Bytes(std::string_view data) : data_(data) {}
  bool empty() const { return position_ >= data_.size(); }
  uint8_t next() { return empty() ? 0 : static_cast<uint8_t>(data_[position_++]); }
  int64_t value() {
    static const int64_t interesting[] = {
        0, 1, -1, 2, -2, 3, 4, 7, 8, 16, 255, 256, 65535, 65536,
        std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min(),
        std::numeric_limits<int64_t>::max() - 1, std::numeric_limits<int64_t>::min() + 1,
        int64_t{1} << 31, (int64_t{1} << 31) + 1, (int64_t{1} << 31) - 1, -(int64_t{1} << 31),
        int64_t{1} << 32, (int64_t{1} << 32) + 1, int64_t{1} << 62, -(int64_t{1} << 62), int64_t{1} << 16, int64_t{1} << 20,
        std::numeric_limits<int32_t>::max(), std::numeric_limits<int32_t>::min(), 1000000007,
    };
    constexpr size_t kInteresting = sizeof interesting / sizeof interesting[0];
    const uint8_t pick = next();
    if (pick < 224) return pick < kInteresting ? interesting[pick] : static_cast<int64_t>(static_cast<int8_t>(pick));
    uint64_t raw = 0;
    for (int i = 0; i < 8; ++i) raw = raw << 8 | next();
    int64_t v;
    std::memcpy(&v, &raw, sizeof v);
    return v;
  }

 private:
  std::string_view data_;
  size_t position_ = 0;
};

void apply_edit(Slot& slot, uint8_t action, Bytes& in) {
  if (slot.single != nullptr) {
    slot.single->set_i(in.value());
    return;
  }
  if (slot.dims != nullptr) {
    if (slot.dims->dim_size() > 0) slot.dims->mutable_dim(in.next() % slot.dims->dim_size())->set_dim_value(in.value());
    return;
  }
  auto& values = *slot.values;
  switch (action % 4) {
    case 0:
      if (!values.empty()) {
        const int at = static_cast<int>(in.next() % values.size());  // before the value: arguments are unsequenced
        values.Set(at, in.value());
      }
      break;
    case 1: {
      const int64_t v = in.value();
      for (int i = 0; i < values.size(); ++i) values.Set(i, v);
      break;
    }
    case 2:
      if (values.size() < 16) values.Add(in.value());
      break;
    case 3:
      if (!values.empty()) values.RemoveLast();
      break;
  }
  // A 1-D initializer's dims follow its length (a scalar stays a scalar: it only takes edits that keep it one value).
  if (slot.tensor != nullptr) {
    if (slot.tensor->dims_size() == 0) {
      if (values.size() != 1) values.Resize(1, 0);
    } else {
      slot.tensor->set_dims(0, values.size());
    }
  }
}

}  // namespace

void onnx_attributes(std::string_view data) {
  Bytes in(data);
  const std::vector<std::string>& all = models();
  ::onnx::ModelProto model;
  if (!model.ParseFromString(all[in.next() % all.size()])) invariant_broken("a template model does not parse");
  std::vector<Slot> slots = slots_of(model);
  while (!in.empty()) {
    const uint8_t action = in.next();
    Slot& slot = slots[in.next() % slots.size()];
    apply_edit(slot, action, in);
  }
  import_and_read_back(model.SerializeAsString());
}

}  // namespace npusim::fuzz
