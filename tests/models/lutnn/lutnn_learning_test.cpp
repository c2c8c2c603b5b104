// Centroids: k-means++ (pq) reaches a Lloyd fixed point, and LUT-NN's centroid learning lowers the
// layer's output error below pq's on structured activations (LUT-NN's central claim, on one layer),
// deterministically for a seed.
#include <gtest/gtest.h>

#include <algorithm>

#include "models/lutnn/activation_distribution.hpp"
#include "models/lutnn/centroid_learning.hpp"
#include "models/lutnn/layer_evaluation.hpp"
#include "models/lutnn/pq_codebooks.hpp"
#include "models/lutnn/synthetic_weights.hpp"
#include "tests/error_text.hpp"

namespace npusim::lutnn {
namespace {

LayerData small_layer(const std::string& dist, uint64_t seed) {
  const ActivationDistribution d = parse_activation_distribution(dist);
  return {sample_activations(d, 64, 2048, seed, RowSet::calibration), sample_activations(d, 64, 256, seed, RowSet::evaluation),
          synthetic_weights(64, 96, seed)};
}

EvaluationOptions small_options() {
  EvaluationOptions o;
  o.subvector = 8;
  o.centroids = 16;
  o.learning.iterations = 60;
  return o;
}

double error_of_method(const LayerEvaluation& e, const std::string& name) {
  for (const auto& m : e.methods) {
    if (m.name == name) return m.rel_error;
  }
  return -1;
}

TEST(LutnnPq, KMeansEndsAtALloydFixedPoint) {
  // Every centroid is the mean of the calibration sub-vectors nearest to it (checked here from scratch).
  const LayerData layer = small_layer("clustered:8,0.5", 4);
  const CodebookShape shape{64, 96, 8, 16};
  const Codebooks cb = fit_pq_codebooks(layer.calibration, shape, {4, 100});
  for (int64_t c = 0; c < shape.codebooks(); ++c) {
    std::vector<double> sums(16 * 8, 0.0);
    std::vector<int> counts(16, 0);
    for (int64_t n = 0; n < layer.calibration.rows; ++n) {
      int64_t best = 0;
      double best_d = 1e300;
      for (int64_t k = 0; k < 16; ++k) {
        double d = 0;
        for (int64_t j = 0; j < 8; ++j) {
          const double diff = layer.calibration.at(n, c * 8 + j) - cb.centroid(c, k)[j];
          d += diff * diff;
        }
        if (d < best_d) {
          best_d = d;
          best = k;
        }
      }
      ++counts[static_cast<size_t>(best)];
      for (int64_t j = 0; j < 8; ++j) sums[static_cast<size_t>(best * 8 + j)] += layer.calibration.at(n, c * 8 + j);
    }
    for (int64_t k = 0; k < 16; ++k) {
      if (counts[static_cast<size_t>(k)] == 0) continue;
      for (int64_t j = 0; j < 8; ++j) {
        EXPECT_NEAR(cb.centroid(c, k)[j], sums[static_cast<size_t>(k * 8 + j)] / counts[static_cast<size_t>(k)], 1e-4) << c << " " << k;
      }
    }
  }
}

TEST(LutnnPq, SeedsAreDeterministicAndMatter) {
  const LayerData layer = small_layer("lowrank", 1);
  const CodebookShape shape{64, 96, 8, 16};
  const Codebooks a = fit_pq_codebooks(layer.calibration, shape, {7, 30});
  const Codebooks b = fit_pq_codebooks(layer.calibration, shape, {7, 30});
  const Codebooks c = fit_pq_codebooks(layer.calibration, shape, {8, 30});
  EXPECT_EQ(a.centroids, b.centroids);
  EXPECT_NE(a.centroids, c.centroids);
  EXPECT_NE(testing::error_of([&] { fit_pq_codebooks(layer.calibration, {64, 96, 6, 16}); }).find("does not divide"), std::string::npos);
  Matrix few(3, 64);
  EXPECT_NE(testing::error_of([&] { fit_pq_codebooks(few, shape); }).find("at least as many calibration rows"), std::string::npos);
}

TEST(LutnnLearning, LowersTheOutputErrorBelowPqOnStructuredActivations) {
  // On rows neither method was fitted on. Low rank (the default) and clustered: clearly lower; outlier
  // channels, which dominate both the activations and the output, leave less to gain.
  for (const auto& [dist, ratio] : {std::pair{"lowrank", 0.93}, {"clustered:32,0.3", 0.93}, {"outliers", 1.0}}) {
    SCOPED_TRACE(dist);
    const LayerEvaluation e = evaluate_layer(small_layer(dist, 2), small_options());
    const double pq = error_of_method(e, "pq"), learned = error_of_method(e, "lutnn");
    EXPECT_GT(pq, 0.0);
    EXPECT_LT(learned, ratio * pq) << "pq " << pq << " lutnn " << learned;
    EXPECT_LT(e.held_out_rel_error_lutnn, ratio * e.held_out_rel_error_pq);
    EXPECT_EQ(e.held_out_rows, 409);                 // 20 % of the 2048 calibration rows
    EXPECT_LT(error_of_method(e, "int8"), learned);  // the dense INT8 layer stays far more accurate
  }
}

TEST(LutnnLearning, KeepsTheBestCentroidsAndIsDeterministic) {
  const LayerData layer = small_layer("lowrank", 3);
  const CodebookShape shape{64, 96, 8, 16};
  const Codebooks pq = fit_pq_codebooks(layer.calibration, shape, {3, 30});
  CentroidLearningOptions o;
  o.iterations = 25;
  o.validation_fraction = 0;  // select on the training rows themselves
  const CentroidLearningResult a = learn_centroids(layer.calibration, layer.weights, pq, o);
  const CentroidLearningResult b = learn_centroids(layer.calibration, layer.weights, pq, o);
  EXPECT_EQ(a.codebooks.centroids, b.codebooks.centroids);
  ASSERT_EQ(a.rel_error_history.size(), 26u);
  EXPECT_EQ(a.held_out_rows, 0);
  EXPECT_EQ(a.rel_error_history.front(), a.initial_rel_error);
  EXPECT_EQ(*std::min_element(a.rel_error_history.begin(), a.rel_error_history.end()), a.rel_error_history[static_cast<size_t>(a.best_update)]);
  EXPECT_LT(a.best_rel_error, a.initial_rel_error);
  EXPECT_GT(a.best_update, 0);
  // No updates: the k-means centroids come back unchanged.
  o.iterations = 0;
  const CentroidLearningResult none = learn_centroids(layer.calibration, layer.weights, pq, o);
  EXPECT_EQ(none.codebooks.centroids, pq.centroids);
  EXPECT_EQ(none.best_update, 0);
  o.temperature_end = 0;
  EXPECT_NE(testing::error_of([&] { learn_centroids(layer.calibration, layer.weights, pq, o); }).find("temperatures"), std::string::npos);
}

TEST(LutnnLearning, ShapesThatDisagreeAreErrors) {
  const LayerData layer = small_layer("normal", 1);
  LayerData bad = layer;
  bad.weights = synthetic_weights(32, 96, 1);
  EXPECT_NE(testing::error_of([&] { evaluate_layer(bad, small_options()); }).find("disagree"), std::string::npos);
  EvaluationOptions o = small_options();
  o.centroids = 257;
  EXPECT_NE(testing::error_of([&] { evaluate_layer(layer, o); }).find("2..256"), std::string::npos);
  o.centroids = 1;
  EXPECT_NE(testing::error_of([&] { evaluate_layer(layer, o); }).find("2..256"), std::string::npos);
  o = small_options();
  o.subvector = 5;
  EXPECT_EQ(testing::error_of([&] { evaluate_layer(layer, o); }), "sub-vector length 5 does not divide in_features 64");
}

}  // namespace
}  // namespace npusim::lutnn
