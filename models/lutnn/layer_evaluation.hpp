// One linear layer three ways against its FP32 output Y = x W: `int8` (the dense INT8 matmul the MAC
// array runs today), `pq` (LUT-NN tables over k-means centroids) and `lutnn` (LUT-NN tables over
// centroids learned for the output error, starting from pq's). The LUT methods run the bit-exact INT8
// pipeline: INT8 encoding, INT8 tables, INT16/INT32 accumulation. rel_error = ||Y_hat - Y||_F / ||Y||_F
// on the evaluation rows; centroids and scales come from the calibration rows only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/lutnn/centroid_learning.hpp"
#include "models/lutnn/codebooks.hpp"
#include "models/lutnn/layer_costs.hpp"
#include "models/lutnn/lut_tables.hpp"
#include "models/lutnn/matrix.hpp"
#include "models/lutnn/pq_codebooks.hpp"

namespace npusim::lutnn {

struct LayerData {
  Matrix calibration;  // [N_cal, D]: fits the centroids and the input scale
  Matrix input;        // [N, D]: the rows the error is measured on
  Matrix weights;      // [D, M]
};

// A deployable LUT-NN layer and what it computes for the evaluation rows.
struct LutLayer {
  Codebooks codebooks;
  LutTables tables;
  float input_scale = 1.0f;
  std::vector<uint8_t> codes;   // [N][C], INT8 encoding
  std::vector<int32_t> sums;    // [N][M], INT32 table sums
  Matrix output;                // [N][M], sums x column scale
  Matrix output_float_tables;   // the same codes through float tables: the error without INT8 tables
};

LutLayer build_lut_layer(const Codebooks& codebooks, const Matrix& weights, float input_scale, const Matrix& input);

struct MethodResult {
  std::string name;                    // int8, pq, lutnn
  double rel_error = 0;
  double rel_error_float_tables = -1;  // pq and lutnn: with float tables; -1 for int8
};

struct EvaluationOptions {
  int64_t subvector = kDefaultSubvectorFc;
  int64_t centroids = kDefaultCentroids;
  uint64_t seed = 1;
  int pq_iterations = PqOptions{}.max_iterations;
  CentroidLearningOptions learning;
};

struct LayerEvaluation {
  CodebookShape shape;
  int64_t tokens = 0;
  std::vector<MethodResult> methods;
  LayerCosts costs;
  LutLayer pq;
  LutLayer lutnn;
  // Centroid learning's selection error (hard assignment, float tables) on the held-out calibration rows.
  int64_t held_out_rows = 0;
  double held_out_rel_error_pq = 0;
  double held_out_rel_error_lutnn = 0;
  int learning_best_update = 0;
};

// Throws npusim::Error for shapes that disagree, a bad sub-vector length or centroid count.
LayerEvaluation evaluate_layer(const LayerData& data, const EvaluationOptions& options);

}  // namespace npusim::lutnn
