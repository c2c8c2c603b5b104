// Per-codebook views of a layer's activations for k-means and centroid learning: the sub-vectors of
// codebook c as an N x v matrix, and squared distances to a codebook's centroids.
#pragma once

#include <Eigen/Dense>
#include <cstdint>

#include "models/lutnn/codebooks.hpp"
#include "models/lutnn/matrix.hpp"

namespace npusim::lutnn {

// Columns [c v, c v + v) of x.
Eigen::MatrixXf subvectors(const Matrix& x, int64_t codebook, int64_t subvector);

// Codebook c's centroids as a K x v matrix, and back.
Eigen::MatrixXf codebook_matrix(const Codebooks& codebooks, int64_t codebook);
void store_codebook(Codebooks& codebooks, int64_t codebook, const Eigen::MatrixXf& centroids);

// |x_n - c_k|^2 for the rows of `points` (N x v) and `centroids` (K x v), N x K, via
// |x|^2 + |c|^2 - 2 x.c in float, clamped at 0.
Eigen::MatrixXf squared_distances(const Eigen::MatrixXf& points, const Eigen::MatrixXf& centroids);

// The nearest centroid of each row of a distance matrix (the lowest index on a tie).
Eigen::VectorXi nearest(const Eigen::MatrixXf& distances);

}  // namespace npusim::lutnn
