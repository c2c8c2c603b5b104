#include "models/lutnn/synthetic_weights.hpp"

#include <cmath>

#include "common/error.hpp"
#include "models/lutnn/random_streams.hpp"

namespace npusim::lutnn {

Matrix synthetic_weights(int64_t in_features, int64_t out_features, uint64_t seed) {
  if (in_features < 1 || out_features < 1) throw Error("synthetic weights need at least one input and one output");
  const int64_t rank = std::min(in_features, out_features);
  std::mt19937_64 rng = random_stream(seed, kWeightStream);
  Eigen::MatrixXf left(in_features, rank), right(rank, out_features);
  for (Eigen::Index j = 0; j < left.cols(); ++j) {
    const float s = static_cast<float>(1.0 / std::sqrt(static_cast<double>(j + 1)));
    for (Eigen::Index i = 0; i < left.rows(); ++i) left(i, j) = s * static_cast<float>(standard_normal(rng));
  }
  for (Eigen::Index j = 0; j < right.cols(); ++j) {
    for (Eigen::Index i = 0; i < right.rows(); ++i) right(i, j) = static_cast<float>(standard_normal(rng));
  }
  Matrix w(in_features, out_features);
  w.view().noalias() = left * right;
  const double norm = std::sqrt(w.view().cast<double>().squaredNorm() / static_cast<double>(out_features));
  if (norm > 0) w.view() /= static_cast<float>(norm);
  return w;
}

}  // namespace npusim::lutnn
