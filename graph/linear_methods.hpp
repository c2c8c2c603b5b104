// Linear layers computed as an NPU computes them, in place of their FP32 nodes:
// - int8:  the dense INT8 matmul of the MAC array (models/lutnn/int8_matmul: per-output-channel symmetric
//          weights, per-tensor symmetric activations at a scale calibrated on the layer's input);
// - lutnn: LUT-NN (SPEC 2.7): codebooks learned on calibration rows (k-means, then centroid learning for
//          the layer's output error), INT8 tables, INT8 encoding, INT16/INT32 accumulation.
// Bias stays in float (added to the product's output).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "graph/linear_layers.hpp"
#include "models/lutnn/centroid_learning.hpp"
#include "models/lutnn/codebooks.hpp"
#include "models/lutnn/lut_tables.hpp"

namespace npusim::graph {

enum class LinearMode { fp32, int8, lutnn };
std::string_view linear_mode_name(LinearMode mode);
LinearMode parse_linear_mode(std::string_view name);  // throws with a did-you-mean

// What calibration gives a layer: its input's largest magnitude and (for LUT-NN) its activation rows.
struct LinearCalibration {
  double max_abs = 0.0;
  lutnn::Matrix rows;  // at most LutnnOptions::max_rows, taken evenly from every sample
  int64_t seen_rows = 0;
};

struct LutnnOptions {
  int64_t centroids = lutnn::kDefaultCentroids;
  uint64_t seed = 1;
  int64_t max_rows = 4096;  // calibration rows a layer learns from (a stride through all of them)
  lutnn::CentroidLearningOptions learning;
};

// The INT8 activation scale of a layer: max |x| / 127 as float32, 1 when all inputs were 0.
float int8_input_scale(const LinearCalibration& calibration);

// LUT-NN's sub-vector length for the layer (SPEC 2.7): the kernel's pixels for a k x k conv (9 for
// 3 x 3), 4 for a 1 x 1 conv, 32 for a matmul; the largest divisor of D not above it.
int64_t lutnn_subvector(const LinearLayer& layer);

struct LutnnLayer {
  lutnn::Codebooks codebooks;
  lutnn::LutTables tables;
  float input_scale = 1.0f;
  int64_t calibration_rows = 0;
  double held_out_rel_error_pq = 0, held_out_rel_error_lutnn = 0;  // centroid learning's selection figures
};

// Why the layer cannot become LUT-NN with these calibration rows (fewer rows than centroids, too many
// inputs for centroid learning), else nullopt.
std::optional<std::string> lutnn_unsuitable(const LinearLayer& layer, const LinearCalibration& calibration, const LutnnOptions& options);
LutnnLayer learn_lutnn_layer(const LinearLayer& layer, const LinearCalibration& calibration, const LutnnOptions& options);

using LinearKernel = std::function<onnx_import::Tensor(const onnx_import::Tensor&)>;
LinearKernel int8_kernel(const LinearLayer& layer, const onnx_import::Model& model, float input_scale);
LinearKernel lutnn_kernel(const LinearLayer& layer, const onnx_import::Model& model, std::shared_ptr<const LutnnLayer> lut);

}  // namespace npusim::graph
