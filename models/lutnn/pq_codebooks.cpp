#include "models/lutnn/pq_codebooks.hpp"

#include <string>

#include "common/error.hpp"
#include "models/lutnn/random_streams.hpp"
#include "models/lutnn/subvectors.hpp"

namespace npusim::lutnn {

namespace {

Eigen::MatrixXf kmeans_plus_plus(const Eigen::MatrixXf& points, int64_t k_count, std::mt19937_64& rng) {
  const Eigen::Index n = points.rows();
  Eigen::MatrixXf centroids(k_count, points.cols());
  Eigen::Index first = static_cast<Eigen::Index>(uniform01(rng) * static_cast<double>(n));
  centroids.row(0) = points.row(first);
  Eigen::VectorXd nearest_sq = (points.rowwise() - centroids.row(0)).rowwise().squaredNorm().cast<double>();
  for (int64_t k = 1; k < k_count; ++k) {
    const double total = nearest_sq.sum();
    Eigen::Index pick = 0;
    if (total > 0) {
      double target = uniform01(rng) * total;
      pick = n - 1;
      for (Eigen::Index i = 0; i < n; ++i) {
        target -= nearest_sq(i);
        if (target < 0) {
          pick = i;
          break;
        }
      }
    } else {  // fewer distinct points than centroids: duplicates are harmless
      pick = static_cast<Eigen::Index>(uniform01(rng) * static_cast<double>(n));
    }
    centroids.row(k) = points.row(pick);
    const Eigen::VectorXd d = (points.rowwise() - centroids.row(k)).rowwise().squaredNorm().cast<double>();
    nearest_sq = nearest_sq.cwiseMin(d);
  }
  return centroids;
}

void lloyd(const Eigen::MatrixXf& points, Eigen::MatrixXf& centroids, int max_iterations) {
  Eigen::VectorXi assignment = Eigen::VectorXi::Constant(points.rows(), -1);
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    const Eigen::VectorXi next = nearest(squared_distances(points, centroids));
    if (next == assignment) break;
    assignment = next;
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(centroids.rows(), centroids.cols());
    Eigen::VectorXd counts = Eigen::VectorXd::Zero(centroids.rows());
    for (Eigen::Index i = 0; i < points.rows(); ++i) {
      sums.row(assignment(i)) += points.row(i).cast<double>();
      counts(assignment(i)) += 1;
    }
    for (Eigen::Index k = 0; k < centroids.rows(); ++k) {
      if (counts(k) > 0) centroids.row(k) = (sums.row(k) / counts(k)).cast<float>();  // an empty cluster keeps its centroid
    }
  }
}

}  // namespace

Codebooks fit_pq_codebooks(const Matrix& calibration, const CodebookShape& shape, const PqOptions& options) {
  shape.validate();
  if (calibration.cols != shape.in_features) {
    throw Error("calibration rows have " + std::to_string(calibration.cols) + " features, the layer " + std::to_string(shape.in_features));
  }
  if (calibration.rows < shape.centroids) {
    throw Error("k-means needs at least as many calibration rows as centroids (" + std::to_string(shape.centroids) + "), got " +
                std::to_string(calibration.rows));
  }
  Codebooks codebooks;
  codebooks.shape = shape;
  codebooks.centroids.resize(static_cast<size_t>(shape.codebooks() * shape.centroids * shape.subvector));
  for (int64_t c = 0; c < shape.codebooks(); ++c) {
    // One stream per codebook, so a codebook's centroids do not depend on how many came before.
    std::mt19937_64 rng = random_stream(options.seed, kPqStream + static_cast<uint64_t>(c));
    const Eigen::MatrixXf points = subvectors(calibration, c, shape.subvector);
    Eigen::MatrixXf centroids = kmeans_plus_plus(points, shape.centroids, rng);
    lloyd(points, centroids, options.max_iterations);
    store_codebook(codebooks, c, centroids);
  }
  return codebooks;
}

}  // namespace npusim::lutnn
