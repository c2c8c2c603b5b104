// Synthetic activations and weights for LUT-NN layers: the structure each family promises, seeds, and
// parse errors.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <set>

#include "models/lutnn/activation_distribution.hpp"
#include "models/lutnn/synthetic_weights.hpp"
#include "tests/error_text.hpp"

namespace npusim::lutnn {
namespace {

std::vector<double> channel_std(const Matrix& x) {
  std::vector<double> out;
  for (int64_t j = 0; j < x.cols; ++j) {
    double s = 0, s2 = 0;
    for (int64_t n = 0; n < x.rows; ++n) {
      s += x.at(n, j);
      s2 += static_cast<double>(x.at(n, j)) * x.at(n, j);
    }
    const double mean = s / x.rows;
    out.push_back(std::sqrt(s2 / x.rows - mean * mean));
  }
  return out;
}

// Share of the variance in the top `count` principal directions.
double top_variance_share(const Matrix& x, int count) {
  const Eigen::MatrixXd centred = x.view().cast<double>().rowwise() - x.view().cast<double>().colwise().mean();
  const Eigen::VectorXd ev = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(centred.transpose() * centred).eigenvalues();
  return ev.tail(count).sum() / ev.sum();  // ascending order
}

TEST(LutnnDistributions, ParseNamesDefaultsAndErrors) {
  EXPECT_EQ(parse_activation_distribution("lowrank").text(), "lowrank:32,0.2");
  EXPECT_EQ(default_activation_distribution().text(), "lowrank:32,0.2");
  EXPECT_EQ(parse_activation_distribution("clustered:16,0.5").text(), "clustered:16,0.5");
  EXPECT_EQ(parse_activation_distribution("outliers").text(), "outliers:8,10");
  EXPECT_EQ(parse_activation_distribution("normal").text(), "normal");
  EXPECT_EQ(testing::error_of([] { parse_activation_distribution("lowrnak"); }),
            "unknown activation distribution 'lowrnak' (did you mean 'lowrank'?); known: normal, clustered, lowrank, outliers");
  EXPECT_NE(testing::error_of([] { parse_activation_distribution("lowrank:8"); }).find("lowrank:RANK,NOISE"), std::string::npos);
  EXPECT_NE(testing::error_of([] { parse_activation_distribution("clustered:2.5,0.1"); }).find("whole number"), std::string::npos);
  EXPECT_NE(testing::error_of([] { parse_activation_distribution("outliers:4,-1"); }).find("second parameter"), std::string::npos);
  EXPECT_NE(testing::error_of([] { parse_activation_distribution("normal:0,1"); }).find("no parameters"), std::string::npos);
}

TEST(LutnnDistributions, EachFamilyHasItsStructure) {
  const int64_t d = 64, n = 4000;
  const Matrix normal = sample_activations(parse_activation_distribution("normal"), d, n, 1, RowSet::calibration);
  for (const double s : channel_std(normal)) EXPECT_NEAR(s, 1.0, 0.06);
  EXPECT_LT(top_variance_share(normal, 8), 0.2);  // 8 of 64 directions: about 1/8 of the variance

  const Matrix lowrank = sample_activations(parse_activation_distribution("lowrank:8,0.05"), d, n, 1, RowSet::calibration);
  EXPECT_GT(top_variance_share(lowrank, 8), 0.98);

  const Matrix clustered = sample_activations(parse_activation_distribution("clustered:5,0"), d, n, 1, RowSet::calibration);
  std::set<std::vector<float>> distinct;
  for (int64_t r = 0; r < n; ++r) distinct.insert(std::vector<float>(clustered.row(r), clustered.row(r) + d));
  EXPECT_EQ(distinct.size(), 5u);  // noise 0: every row is one of the 5 centres

  const Matrix outliers = sample_activations(parse_activation_distribution("outliers:3,10"), d, n, 1, RowSet::calibration);
  int large = 0;
  for (const double s : channel_std(outliers)) large += s > 5 ? 1 : 0;
  EXPECT_EQ(large, 3);
}

TEST(LutnnDistributions, CalibrationAndEvaluationRowsShareTheStructureNotTheRows) {
  const ActivationDistribution dist = parse_activation_distribution("clustered:4,0");
  const Matrix cal = sample_activations(dist, 16, 200, 9, RowSet::calibration);
  const Matrix eval = sample_activations(dist, 16, 200, 9, RowSet::evaluation);
  std::set<std::vector<float>> centres;
  for (int64_t r = 0; r < 200; ++r) centres.insert(std::vector<float>(cal.row(r), cal.row(r) + 16));
  for (int64_t r = 0; r < 200; ++r) EXPECT_EQ(centres.count(std::vector<float>(eval.row(r), eval.row(r) + 16)), 1u);
  EXPECT_NE(cal.values, eval.values);
  EXPECT_EQ(sample_activations(dist, 16, 200, 9, RowSet::evaluation).values, eval.values);
  EXPECT_NE(sample_activations(dist, 16, 200, 10, RowSet::evaluation).values, eval.values);
}

TEST(LutnnDistributions, SyntheticWeightsHaveAFallingSpectrumAndUnitColumns) {
  const Matrix w = synthetic_weights(48, 96, 2);
  EXPECT_NEAR(w.view().cast<double>().squaredNorm(), 96.0, 1e-2);
  const Eigen::VectorXd s = Eigen::JacobiSVD<Eigen::MatrixXd>(w.view().cast<double>()).singularValues();
  EXPECT_GT(s(0) / s(47), 30.0);  // an i.i.d. Gaussian 48 x 96 matrix: about (sqrt(96) + sqrt(48)) / (sqrt(96) - sqrt(48)) = 5.8
  EXPECT_EQ(synthetic_weights(48, 96, 2).values, w.values);
}

}  // namespace
}  // namespace npusim::lutnn
