#include "models/lutnn/int8_matmul.hpp"

#include <cmath>
#include <string>

#include "common/error.hpp"
#include "models/lutnn/int8_encoding.hpp"

namespace npusim::lutnn {

std::vector<float> weight_column_scales(const Matrix& weights) {
  std::vector<float> column(static_cast<size_t>(weights.rows));
  std::vector<float> scales(static_cast<size_t>(weights.cols));
  for (int64_t m = 0; m < weights.cols; ++m) {
    for (int64_t j = 0; j < weights.rows; ++j) column[static_cast<size_t>(j)] = weights.at(j, m);
    scales[static_cast<size_t>(m)] = symmetric_int8_scale(column.data(), column.size());
  }
  return scales;
}

Matrix int8_matmul(const Matrix& x, const Matrix& weights, float input_scale) {
  if (x.cols != weights.rows) throw Error("int8 matmul of rows of " + std::to_string(x.cols) + " by weights of " + std::to_string(weights.rows) + " rows");
  const std::vector<float> w_scale = weight_column_scales(weights);
  // Integer operands held in double: every product and partial sum is an integer below 2^53, so the
  // double GEMM is exact whatever order Eigen sums in.
  Eigen::MatrixXd qx(x.rows, x.cols), qw(weights.rows, weights.cols);
  for (int64_t n = 0; n < x.rows; ++n) {
    for (int64_t j = 0; j < x.cols; ++j) qx(n, j) = quantize_int8(x.at(n, j), input_scale);
  }
  for (int64_t j = 0; j < weights.rows; ++j) {
    for (int64_t m = 0; m < weights.cols; ++m) qw(j, m) = quantize_int8(weights.at(j, m), w_scale[static_cast<size_t>(m)]);
  }
  const Eigen::MatrixXd acc = qx * qw;
  Matrix y(x.rows, weights.cols);
  for (int64_t n = 0; n < x.rows; ++n) {
    for (int64_t m = 0; m < weights.cols; ++m) {
      y.at(n, m) = static_cast<float>(acc(n, m) * static_cast<double>(input_scale) * static_cast<double>(w_scale[static_cast<size_t>(m)]));
    }
  }
  return y;
}

}  // namespace npusim::lutnn
