#include "graph/linear_methods.hpp"

#include <cmath>

#include "common/did_you_mean.hpp"
#include "common/error.hpp"
#include "models/lutnn/int8_encoding.hpp"
#include "models/lutnn/int8_matmul.hpp"
#include "models/lutnn/lookup_accumulate.hpp"
#include "models/lutnn/pq_codebooks.hpp"

namespace npusim::graph {

std::string_view linear_mode_name(LinearMode mode) {
  switch (mode) {
    case LinearMode::fp32: return "fp32";
    case LinearMode::int8: return "int8";
    case LinearMode::lutnn: return "lutnn";
  }
  return "?";
}

LinearMode parse_linear_mode(std::string_view name) {
  for (const LinearMode m : {LinearMode::fp32, LinearMode::int8, LinearMode::lutnn}) {
    if (linear_mode_name(m) == name) return m;
  }
  throw Error("unknown linear mode '" + std::string(name) + "'" + did_you_mean(name, {"fp32", "int8", "lutnn"}) + "; known: fp32, int8, lutnn");
}

float int8_input_scale(const LinearCalibration& calibration) {
  return calibration.max_abs > 0 ? static_cast<float>(calibration.max_abs / lutnn::kInt8Max) : 1.0f;
}

int64_t lutnn_subvector(const LinearLayer& layer) {
  const int64_t d = layer.weights.rows;
  int64_t v = layer.kernel_pixels > 1 ? layer.kernel_pixels : layer.kernel_pixels == 1 ? lutnn::kDefaultSubvectorConv1x1 : lutnn::kDefaultSubvectorFc;
  v = std::min(v, d);
  while (d % v != 0) --v;
  return v;
}

std::optional<std::string> lutnn_unsuitable(const LinearLayer& layer, const LinearCalibration& calibration, const LutnnOptions& options) {
  if (calibration.rows.rows < options.centroids) {
    return std::to_string(calibration.rows.rows) + " calibration rows for " + std::to_string(options.centroids) + " centroids";
  }
  if (layer.weights.rows > lutnn::kMaxLearningFeatures) {
    return std::to_string(layer.weights.rows) + " inputs (centroid learning takes at most " + std::to_string(lutnn::kMaxLearningFeatures) + ")";
  }
  return std::nullopt;
}

LutnnLayer learn_lutnn_layer(const LinearLayer& layer, const LinearCalibration& calibration, const LutnnOptions& options) {
  if (const auto why = lutnn_unsuitable(layer, calibration, options)) throw Error(layer.name + ": cannot learn LUT-NN codebooks: " + *why);
  const lutnn::CodebookShape shape{layer.weights.rows, layer.weights.cols, lutnn_subvector(layer), options.centroids};
  shape.validate();
  const lutnn::Codebooks pq = lutnn::fit_pq_codebooks(calibration.rows, shape, {options.seed, lutnn::PqOptions{}.max_iterations});
  const lutnn::CentroidLearningResult learned = lutnn::learn_centroids(calibration.rows, layer.weights, pq, options.learning);
  LutnnLayer l;
  l.codebooks = learned.codebooks;
  l.tables = lutnn::build_int8_tables(l.codebooks, layer.weights);
  l.input_scale = int8_input_scale(calibration);
  l.calibration_rows = calibration.rows.rows;
  l.held_out_rel_error_pq = learned.initial_rel_error;
  l.held_out_rel_error_lutnn = learned.best_rel_error;
  return l;
}

LinearKernel int8_kernel(const LinearLayer& layer, const onnx_import::Model& model, float input_scale) {
  return [&layer, &model, input_scale](const onnx_import::Tensor& input) {
    const lutnn::Matrix rows = layer_rows(layer, model, input);
    return layer_output(layer, model, input, lutnn::int8_matmul(rows, layer.weights, input_scale));
  };
}

LinearKernel lutnn_kernel(const LinearLayer& layer, const onnx_import::Model& model, std::shared_ptr<const LutnnLayer> lut) {
  return [&layer, &model, lut](const onnx_import::Tensor& input) {
    const lutnn::Matrix rows = layer_rows(layer, model, input);
    const std::vector<uint8_t> codes = lutnn::encode_int8(rows, lut->codebooks, lut->input_scale);
    const std::vector<int32_t> sums = lutnn::lookup_accumulate(lut->tables, codes, rows.rows);
    return layer_output(layer, model, input, lutnn::scale_output(lut->tables, sums, rows.rows));
  };
}

}  // namespace npusim::graph
