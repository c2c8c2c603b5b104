#include "models/lutnn/centroid_learning.hpp"

#include <cmath>
#include <string>

#include "common/error.hpp"
#include "models/lutnn/subvectors.hpp"

namespace npusim::lutnn {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kAdamBeta1 = 0.9, kAdamBeta2 = 0.999, kAdamEpsilon = 1e-8;

void check(const Matrix& calibration, const Matrix& weights, const Codebooks& initial, const CentroidLearningOptions& o) {
  const CodebookShape& s = initial.shape;
  s.validate();
  if (calibration.cols != s.in_features || weights.rows != s.in_features || weights.cols != s.out_features) {
    throw Error("centroid learning: calibration [" + std::to_string(calibration.rows) + ", " + std::to_string(calibration.cols) +
                "] and weights [" + std::to_string(weights.rows) + ", " + std::to_string(weights.cols) + "] do not fit codebooks of " +
                std::to_string(s.in_features) + " inputs and " + std::to_string(s.out_features) + " outputs");
  }
  if (calibration.rows < 1) throw Error("centroid learning needs calibration rows");
  if (o.iterations < 0 || o.iterations > 100000) throw Error("centroid learning iterations must be in 0..100000");
  if (!(o.learning_rate >= 0) || !std::isfinite(o.learning_rate)) throw Error("the learning rate must be finite and >= 0");
  if (!(o.validation_fraction >= 0) || !(o.validation_fraction < 1)) throw Error("the held-out fraction must be in [0, 1)");
  if (s.in_features > kMaxLearningFeatures) {
    throw Error("centroid learning holds a D x D matrix: in_features must be at most " + std::to_string(kMaxLearningFeatures));
  }
  if (!(o.temperature_start > 0) || !(o.temperature_end > 0) || !std::isfinite(o.temperature_start) || !std::isfinite(o.temperature_end)) {
    throw Error("temperatures must be finite and > 0");
  }
}

struct AdamState {
  Eigen::MatrixXf first, second;
};

// E -> E A with A = W W^T (D x D): as one product when that is cheaper (N D^2), else as (E W) W^T
// (2 N D M), which is what a layer with far fewer outputs than inputs needs (a 1 x 3 conv over 480
// channels: D = 1440, M = 60).
struct OutputMetric {
  Eigen::MatrixXf a, w;
  bool factored = false;

  OutputMetric(const Matrix& weights) : factored(2 * weights.cols < weights.rows) {
    if (factored) w = weights.view();
    else a = weights.view() * weights.view().transpose();
  }
  Eigen::MatrixXf times(const Eigen::MatrixXf& e) const { return factored ? Eigen::MatrixXf((e * w) * w.transpose()) : Eigen::MatrixXf(e * a); }
};

// A block of calibration rows cut into per-codebook sub-vectors, with |x W|^2 = sum(x (x A)).
struct Rows {
  std::vector<Eigen::MatrixXf> points;
  Eigen::Index rows = 0;
  double reference_energy = 0;
};

Rows split_rows(const Matrix& calibration, int64_t first, int64_t last, int64_t v, int64_t c_count, const OutputMetric& a) {
  Rows r;
  r.rows = last - first;
  const Eigen::MatrixXf x = calibration.view().middleRows(first, r.rows);
  r.reference_energy = x.cwiseProduct(a.times(x)).cast<double>().sum();
  for (int64_t c = 0; c < c_count; ++c) r.points.push_back(x.middleCols(c * v, v));
  return r;
}

// Codebook c's columns of x_hat - x, each sub-vector replaced by its nearest centroid by `distances`.
void store_hard_error(const Eigen::MatrixXf& points, const Eigen::MatrixXf& centroids, const Eigen::MatrixXf& distances, int64_t c,
                      int64_t v, Eigen::MatrixXf& error) {
  const Eigen::VectorXi hard = nearest(distances);
  for (Eigen::Index r = 0; r < points.rows(); ++r) error.block(r, c * v, 1, v) = centroids.row(hard(r)) - points.row(r);
}

// |(x_hat - x) W|^2 of hard nearest-centroid reconstructions; `error` is scratch of the rows' shape.
double hard_error_energy(const Rows& rows, const std::vector<Eigen::MatrixXf>& centroids, const OutputMetric& a, int64_t v,
                         Eigen::MatrixXf& error) {
  for (size_t i = 0; i < centroids.size(); ++i) {
    store_hard_error(rows.points[i], centroids[i], squared_distances(rows.points[i], centroids[i]), static_cast<int64_t>(i), v, error);
  }
  return error.cwiseProduct(a.times(error)).cast<double>().sum();
}

double relative(double energy, double reference_energy) {
  return reference_energy > 0 ? std::sqrt(std::max(0.0, energy) / reference_energy) : 0.0;
}

}  // namespace

CentroidLearningResult learn_centroids(const Matrix& calibration, const Matrix& weights, const Codebooks& initial,
                                       const CentroidLearningOptions& options) {
  check(calibration, weights, initial, options);
  const CodebookShape& s = initial.shape;
  const int64_t c_count = s.codebooks(), v = s.subvector;
  const int64_t held_out = static_cast<int64_t>(std::floor(options.validation_fraction * static_cast<double>(calibration.rows)));
  const bool validate = held_out >= 1 && held_out < calibration.rows;
  const int64_t n = calibration.rows - (validate ? held_out : 0);
  const float inv_n = 1.0f / static_cast<float>(n);

  // The output error only sees W through A = W W^T (D x D): an iteration costs N D min(D, 2 M).
  const OutputMetric a(weights);
  const Rows train = split_rows(calibration, 0, n, v, c_count, a);
  const Rows validation = validate ? split_rows(calibration, n, calibration.rows, v, c_count, a) : Rows{};
  const Rows& selection = validate ? validation : train;
  const double rms = std::sqrt(calibration.view().cast<double>().squaredNorm() / static_cast<double>(calibration.values.size()));
  const double step = options.learning_rate * (rms > 0 ? rms : 1.0);

  std::vector<Eigen::MatrixXf> centroids(static_cast<size_t>(c_count));
  std::vector<AdamState> adam(static_cast<size_t>(c_count));
  std::vector<double> distance_scale(static_cast<size_t>(c_count));
  for (int64_t c = 0; c < c_count; ++c) {
    const size_t i = static_cast<size_t>(c);
    centroids[i] = codebook_matrix(initial, c);
    adam[i] = {Eigen::MatrixXf::Zero(s.centroids, v), Eigen::MatrixXf::Zero(s.centroids, v)};
    const double mean_nearest = squared_distances(train.points[i], centroids[i]).rowwise().minCoeff().cast<double>().mean();
    distance_scale[i] = mean_nearest > 0 ? mean_nearest : 1.0;
  }

  CentroidLearningResult result;
  result.codebooks = initial;
  result.held_out_rows = validate ? held_out : 0;
  double best_energy = 0;
  Eigen::MatrixXf error(n, s.in_features), selection_error(selection.rows, s.in_features);
  std::vector<Eigen::MatrixXf> soft(static_cast<size_t>(c_count));
  for (int iteration = 0; iteration <= options.iterations; ++iteration) {
    const double progress = options.iterations > 1 ? static_cast<double>(iteration) / (options.iterations - 1) : 0.0;
    const double tau = std::exp(std::log(options.temperature_start) +
                                (std::log(options.temperature_end) - std::log(options.temperature_start)) * std::min(1.0, progress));
    // Forward: hard reconstruction error and soft assignments of the training rows.
    for (int64_t c = 0; c < c_count; ++c) {
      const size_t i = static_cast<size_t>(c);
      const Eigen::MatrixXf d = squared_distances(train.points[i], centroids[i]);
      store_hard_error(train.points[i], centroids[i], d, c, v, error);
      Eigen::MatrixXf logits = d * static_cast<float>(-1.0 / (tau * distance_scale[i]));
      logits.colwise() -= logits.rowwise().maxCoeff();
      soft[i] = logits.array().exp();
      soft[i].array().colwise() /= soft[i].rowwise().sum().array();
    }
    const Eigen::MatrixXf error_a = a.times(error);
    const double train_energy = error.cwiseProduct(error_a).cast<double>().sum();
    result.rel_error_history.push_back(relative(train_energy, train.reference_energy));
    // Selection: the hard-assignment error of the held-out rows (the training rows when none are held out).
    const double energy = validate ? hard_error_energy(validation, centroids, a, v, selection_error) : train_energy;
    if (iteration == 0) {
      best_energy = energy;
      result.initial_rel_error = relative(energy, selection.reference_energy);
    } else if (energy < best_energy) {
      best_energy = energy;
      result.best_update = iteration;
      for (int64_t c = 0; c < c_count; ++c) store_codebook(result.codebooks, c, centroids[static_cast<size_t>(c)]);
    }
    if (iteration == options.iterations) break;  // the last pass only scores the final update

    // Backward (straight-through) and Adam.
    const Eigen::MatrixXf gradient_x = error_a * (2.0f * inv_n);
    const double lr = step * 0.5 * (1.0 + std::cos(kPi * iteration / options.iterations));
    const double bias1 = 1.0 - std::pow(kAdamBeta1, iteration + 1), bias2 = 1.0 - std::pow(kAdamBeta2, iteration + 1);
    for (int64_t c = 0; c < c_count; ++c) {
      const size_t i = static_cast<size_t>(c);
      const Eigen::MatrixXf g_rec = gradient_x.middleCols(c * v, v);           // N x v
      const Eigen::MatrixXf& p = soft[i];                                       // N x K
      Eigen::MatrixXf grad = p.transpose() * g_rec;                             // through sum_k P_k c_k
      const Eigen::MatrixXf d_soft = g_rec * centroids[i].transpose();          // dL/dP, N x K
      Eigen::MatrixXf d_logits = p.cwiseProduct(d_soft);
      const Eigen::VectorXf row_dot = d_logits.rowwise().sum();
      d_logits -= p.cwiseProduct(row_dot.replicate(1, p.cols()));               // softmax Jacobian
      // logits = -|x - c_k|^2 / (tau d_c): d logit / d c_k = 2 (x - c_k) / (tau d_c)
      const float factor = static_cast<float>(2.0 / (tau * distance_scale[i]));
      grad += factor * (d_logits.transpose() * train.points[i] -
                        d_logits.colwise().sum().transpose().asDiagonal() * centroids[i]);
      AdamState& st = adam[i];
      st.first = kAdamBeta1 * st.first + (1 - kAdamBeta1) * grad;
      st.second = kAdamBeta2 * st.second + (1 - kAdamBeta2) * grad.cwiseProduct(grad);
      const Eigen::MatrixXf m_hat = st.first / static_cast<float>(bias1);
      const Eigen::MatrixXf v_hat = st.second / static_cast<float>(bias2);
      centroids[i] -= static_cast<float>(lr) * m_hat.cwiseQuotient((v_hat.cwiseSqrt().array() + kAdamEpsilon).matrix());
    }
  }
  result.best_rel_error = relative(best_energy, selection.reference_energy);
  return result;
}

}  // namespace npusim::lutnn
