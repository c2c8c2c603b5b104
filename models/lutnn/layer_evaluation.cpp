#include "models/lutnn/layer_evaluation.hpp"

#include "common/error.hpp"
#include "models/lutnn/int8_encoding.hpp"
#include "models/lutnn/int8_matmul.hpp"
#include "models/lutnn/lookup_accumulate.hpp"

namespace npusim::lutnn {

namespace {

std::string shape_text(const Matrix& m) { return "[" + std::to_string(m.rows) + ", " + std::to_string(m.cols) + "]"; }

void check_shapes(const LayerData& d) {
  if (d.input.rows < 1 || d.calibration.rows < 1) throw Error("the layer needs input and calibration rows");
  if (d.input.cols != d.weights.rows) {
    throw Error("input " + shape_text(d.input) + " and weights " + shape_text(d.weights) + " disagree: input columns must equal weight rows");
  }
  if (d.calibration.cols != d.input.cols) {
    throw Error("calibration " + shape_text(d.calibration) + " and input " + shape_text(d.input) + " have different feature counts");
  }
}

}  // namespace

LutLayer build_lut_layer(const Codebooks& codebooks, const Matrix& weights, float input_scale, const Matrix& input) {
  LutLayer layer;
  layer.codebooks = codebooks;
  layer.tables = build_int8_tables(codebooks, weights);
  layer.input_scale = input_scale;
  layer.codes = encode_int8(input, codebooks, input_scale);
  layer.sums = lookup_accumulate(layer.tables, layer.codes, input.rows);
  layer.output = scale_output(layer.tables, layer.sums, input.rows);
  layer.output_float_tables = lookup_float(float_tables(codebooks, weights), layer.tables.codebooks, layer.tables.centroids,
                                           layer.tables.out_features, layer.codes, input.rows);
  return layer;
}

LayerEvaluation evaluate_layer(const LayerData& data, const EvaluationOptions& options) {
  check_shapes(data);
  LayerEvaluation e;
  e.shape = {data.weights.rows, data.weights.cols, options.subvector, options.centroids};
  e.shape.validate();
  e.tokens = data.input.rows;
  e.costs = layer_costs(e.tokens, e.shape.in_features, e.shape.out_features, e.shape.subvector, e.shape.centroids);

  const Matrix reference = matmul(data.input, data.weights);
  const float scale = input_scale(data.calibration);
  const Codebooks pq = fit_pq_codebooks(data.calibration, e.shape, {options.seed, options.pq_iterations});
  const CentroidLearningResult learned = learn_centroids(data.calibration, data.weights, pq, options.learning);
  e.held_out_rows = learned.held_out_rows;
  e.held_out_rel_error_pq = learned.initial_rel_error;
  e.held_out_rel_error_lutnn = learned.best_rel_error;
  e.learning_best_update = learned.best_update;

  e.pq = build_lut_layer(pq, data.weights, scale, data.input);
  e.lutnn = build_lut_layer(learned.codebooks, data.weights, scale, data.input);
  e.methods.push_back({"int8", relative_error(int8_matmul(data.input, data.weights, scale), reference), -1});
  e.methods.push_back({"pq", relative_error(e.pq.output, reference), relative_error(e.pq.output_float_tables, reference)});
  e.methods.push_back({"lutnn", relative_error(e.lutnn.output, reference), relative_error(e.lutnn.output_float_tables, reference)});
  return e;
}

}  // namespace npusim::lutnn
