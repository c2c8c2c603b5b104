#include "models/lutnn/subvectors.hpp"

namespace npusim::lutnn {

Eigen::MatrixXf subvectors(const Matrix& x, int64_t codebook, int64_t subvector) {
  return x.view().middleCols(codebook * subvector, subvector);
}

Eigen::MatrixXf codebook_matrix(const Codebooks& codebooks, int64_t codebook) {
  const int64_t k = codebooks.shape.centroids, v = codebooks.shape.subvector;
  return Eigen::Map<const RowMajorMatrixF>(codebooks.centroid(codebook, 0), k, v);
}

void store_codebook(Codebooks& codebooks, int64_t codebook, const Eigen::MatrixXf& centroids) {
  const int64_t k = codebooks.shape.centroids, v = codebooks.shape.subvector;
  Eigen::Map<RowMajorMatrixF>(codebooks.centroid(codebook, 0), k, v) = centroids;
}

Eigen::MatrixXf squared_distances(const Eigen::MatrixXf& points, const Eigen::MatrixXf& centroids) {
  Eigen::MatrixXf d = -2.0f * points * centroids.transpose();
  d.colwise() += points.rowwise().squaredNorm();
  d.rowwise() += centroids.rowwise().squaredNorm().transpose();
  return d.cwiseMax(0.0f);
}

Eigen::VectorXi nearest(const Eigen::MatrixXf& distances) {
  Eigen::VectorXi best(distances.rows());
  for (Eigen::Index n = 0; n < distances.rows(); ++n) {
    Eigen::Index k = 0;
    for (Eigen::Index j = 1; j < distances.cols(); ++j) {
      if (distances(n, j) < distances(n, k)) k = j;
    }
    best(n) = static_cast<int>(k);
  }
  return best;
}

}  // namespace npusim::lutnn
