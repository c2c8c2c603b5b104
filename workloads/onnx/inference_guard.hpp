// libonnx 1.12's shape inference trusts attribute values it divides by or indexes with: Conv or
// AveragePool with strides 0 dies of SIGFPE inside it, weights of another rank than the input make it
// read past a shape, and a DepthToSpace blocksize of 2^32 squares to 0 before it divides. This
// registry hands libonnx its own schemas with a check in front of each such op's inference function,
// so every node (subgraphs and function bodies included) is checked with its input shapes just before
// libonnx infers it, and a bad value fails as a shape-inference error naming the node.
#pragma once

#include <onnx/defs/schema.h>

namespace npusim::onnx_import {

// The largest dimension, stride, dilation, kernel size, pad or block size npusim accepts: products of
// two stay far inside 64 bits (shapes from --input-shape are held to the same bound).
constexpr int64_t kMaxExtent = int64_t{1} << 31;

// libonnx's registry with the checks; pass it to onnx::shape_inference::InferShapes.
const onnx::ISchemaRegistry* guarded_schema_registry();

}  // namespace npusim::onnx_import
