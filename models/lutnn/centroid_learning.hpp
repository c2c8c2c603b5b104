// LUT-NN's centroid learning (Tang et al., MobiCom 2023), for one layer: the centroids are refined to
// minimise the error of the layer's OUTPUT, not of the activations as k-means does.
//
// With hard assignment the reconstruction x_hat replaces each sub-vector by its nearest centroid, and the
// output error is |(x_hat - x) W|^2 = (x_hat - x) A (x_hat - x)^T with A = W W^T: k-means minimises the
// same error with A = I, so the two differ where W weighs input directions unequally and where the
// errors of different codebooks add up through W. Training (full batch over the calibration rows):
//
//   soft assignment  P_c = softmax_k(-|x_c - c_k|^2 / (tau d_c)), d_c the mean squared distance of the
//                    calibration sub-vectors to their nearest initial centroid (so tau is scale-free);
//   forward          the hard reconstruction (what inference computes); its output error is the loss;
//   backward         straight-through: the gradient of the loss with respect to the reconstruction,
//                    2 (x_hat - x) A / N, flows through the soft reconstruction sum_k P_ck c_k to the
//                    centroids, both directly and through the distances inside the softmax;
//   optimiser        Adam (beta 0.9 / 0.999, as the LUT-NN recipes), step size learning_rate x the RMS
//                    calibration value, cosine-decayed to 0 (the recipes' CosineAnnealingLR);
//   temperature      annealed log-linearly from temperature_start to temperature_end (the LUT-NN code's
//                    annealing schedule), so the soft assignment tends to the hard one;
//   selection        a fraction of the calibration rows (the last ones) is held out of training; the
//                    result is the centroids with the lowest hard-assignment output error on them seen
//                    (the k-means start included), so training cannot make the layer worse on rows it has
//                    not fitted (without held-out rows: the lowest error on the training rows).
//
// Deterministic: no randomness beyond the initial centroids; Eigen's products run single-threaded.
#pragma once

#include <cstdint>
#include <vector>

#include "models/lutnn/codebooks.hpp"
#include "models/lutnn/matrix.hpp"

namespace npusim::lutnn {

// The learning keeps a D x D matrix (A = W W^T): 8192 inputs take 256 MiB.
constexpr int64_t kMaxLearningFeatures = 8192;

struct CentroidLearningOptions {
  int iterations = 150;
  double learning_rate = 0.03;
  double temperature_start = 1.0;
  double temperature_end = 0.02;
  double validation_fraction = 0.2;  // calibration rows held out to choose the kept centroids
};

struct CentroidLearningResult {
  Codebooks codebooks;
  int64_t held_out_rows = 0;
  // ||(x_hat - x) W||_F / ||x W||_F with hard assignment on the held-out rows (or the training rows).
  double initial_rel_error = 0;
  double best_rel_error = 0;
  int best_update = 0;           // updates the kept centroids had (0: the initial centroids were not beaten)
  std::vector<double> rel_error_history;  // on the training rows after 0, 1, ..., iterations updates
};

// `weights` is [D, M]; `initial` the starting centroids (the pq codebooks). Throws npusim::Error for
// shapes that disagree or options out of range.
CentroidLearningResult learn_centroids(const Matrix& calibration, const Matrix& weights, const Codebooks& initial,
                                       const CentroidLearningOptions& options = {});

}  // namespace npusim::lutnn
