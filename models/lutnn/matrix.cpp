#include "models/lutnn/matrix.hpp"

#include <cmath>
#include <limits>

#include "common/error.hpp"

namespace npusim::lutnn {

double relative_error(const Matrix& approx, const Matrix& reference) {
  if (approx.rows != reference.rows || approx.cols != reference.cols) {
    throw Error("relative error of matrices of different shapes");
  }
  double diff = 0.0, norm = 0.0;
  for (size_t i = 0; i < reference.values.size(); ++i) {
    const double r = reference.values[i];
    const double d = static_cast<double>(approx.values[i]) - r;
    diff += d * d;
    norm += r * r;
  }
  if (norm == 0.0) return diff == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
  return std::sqrt(diff / norm);
}

Matrix matmul(const Matrix& x, const Matrix& w) {
  if (x.cols != w.rows) throw Error("matmul of [" + std::to_string(x.rows) + ", " + std::to_string(x.cols) + "] by [" +
                                    std::to_string(w.rows) + ", " + std::to_string(w.cols) + "]");
  Matrix y(x.rows, w.cols);
  y.view().noalias() = x.view() * w.view();
  return y;
}

}  // namespace npusim::lutnn
