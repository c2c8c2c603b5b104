// A dense row-major float32 matrix: one linear layer's activations [N, D], weights [D, M] and outputs
// [N, M], in the layout of NumPy's .npy files, with Eigen views for the linear algebra.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <vector>

namespace npusim::lutnn {

using RowMajorMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct Matrix {
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<float> values;  // rows * cols, row after row

  Matrix() = default;
  Matrix(int64_t rows_count, int64_t cols_count)
      : rows(rows_count), cols(cols_count), values(static_cast<size_t>(rows_count * cols_count), 0.0f) {}

  float& at(int64_t r, int64_t c) { return values[static_cast<size_t>(r * cols + c)]; }
  float at(int64_t r, int64_t c) const { return values[static_cast<size_t>(r * cols + c)]; }
  const float* row(int64_t r) const { return values.data() + r * cols; }

  Eigen::Map<RowMajorMatrixF> view() { return {values.data(), rows, cols}; }
  Eigen::Map<const RowMajorMatrixF> view() const { return {values.data(), rows, cols}; }
};

// ||approx - reference||_F / ||reference||_F, summed in double precision; 0 when both are zero.
double relative_error(const Matrix& approx, const Matrix& reference);

// x W in float32 (Eigen), the FP32 reference output of a layer.
Matrix matmul(const Matrix& x, const Matrix& w);

}  // namespace npusim::lutnn
