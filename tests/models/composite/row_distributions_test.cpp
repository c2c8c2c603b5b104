#include "models/composite/row_distributions.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <set>
#include <unistd.h>

#include "common/error.hpp"
#include "common/npy.hpp"

namespace npusim {
namespace {

double row_std(const Rows& r, int64_t row) {
  double mean = 0, square = 0;
  for (int64_t c = 0; c < r.cols; ++c) mean += r.values[static_cast<size_t>(row * r.cols + c)];
  mean /= static_cast<double>(r.cols);
  for (int64_t c = 0; c < r.cols; ++c) square += std::pow(r.values[static_cast<size_t>(row * r.cols + c)] - mean, 2);
  return std::sqrt(square / static_cast<double>(r.cols));
}

std::string expect_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no npusim::Error";
  return "";
}

TEST(RowDistributions, NormalAndUniformAreSeededAndHaveTheirMoments) {
  const Rows a = random_rows(64, 1024, "normal:1,3", 7), b = random_rows(64, 1024, "normal:1,3", 7);
  EXPECT_EQ(a.values, b.values);
  EXPECT_NE(a.values, random_rows(64, 1024, "normal:1,3", 8).values);
  double mean = 0;
  for (const double v : a.values) mean += v;
  EXPECT_NEAR(mean / static_cast<double>(a.values.size()), 1.0, 0.05);
  EXPECT_NEAR(row_std(a, 3), 3.0, 0.2);
  const Rows u = random_rows(4, 1000, "uniform:-2,5", 1);
  for (const double v : u.values) {
    EXPECT_GE(v, -2.0);
    EXPECT_LT(v, 5.0);
  }
}

TEST(RowDistributions, RowScaleSpreadsThePerRowStandardDeviationLogNormally) {
  const Rows r = random_rows(400, 512, "rowscale:2,1", 3);
  std::vector<double> logs;
  for (int64_t row = 0; row < r.rows; ++row) logs.push_back(std::log(row_std(r, row) / 2.0));
  double mean = 0, square = 0;
  for (const double l : logs) mean += l;
  mean /= static_cast<double>(logs.size());
  for (const double l : logs) square += (l - mean) * (l - mean);
  EXPECT_NEAR(mean, 0.0, 0.15);
  EXPECT_NEAR(std::sqrt(square / static_cast<double>(logs.size())), 1.0, 0.1);
  // SIGMA = 0 is plain normal(0, STD) in every row.
  const Rows flat = random_rows(50, 512, "rowscale:2,0", 3);
  for (int64_t row = 0; row < flat.rows; ++row) EXPECT_NEAR(row_std(flat, row), 2.0, 0.25);
}

TEST(RowDistributions, OutlierChannelsAreTheSameInEveryRow) {
  const Rows r = random_rows(300, 200, "outliers:1,0.05,40", 5);
  // A channel is an outlier when its spread over the rows is far above the others'.
  std::set<int64_t> outliers;
  for (int64_t c = 0; c < r.cols; ++c) {
    double square = 0;
    for (int64_t row = 0; row < r.rows; ++row) square += std::pow(r.values[static_cast<size_t>(row * r.cols + c)], 2);
    if (std::sqrt(square / static_cast<double>(r.rows)) > 10) outliers.insert(c);
  }
  EXPECT_EQ(outliers.size(), 10u);  // round(0.05 * 200)
  for (const int64_t c : outliers) {
    int large = 0;
    for (int64_t row = 0; row < r.rows; ++row) large += std::fabs(r.values[static_cast<size_t>(row * r.cols + c)]) > 4 ? 1 : 0;
    EXPECT_GT(large, 250) << c;  // scaled by 40 in (nearly) every row
  }
  for (const double v : random_rows(3, 100, "outliers:1,0,40", 5).values) EXPECT_LT(std::fabs(v), 8.0);  // FRAC = 0: none
}

TEST(RowDistributions, FirstRowModifierMakesANearConstantRow) {
  const Rows r = random_rows(8, 256, "rowscale:1,1+first:4,0.001", 2);
  EXPECT_NEAR(row_std(r, 0), 0.001, 0.0003);
  EXPECT_NEAR(r.values[0], 4.0, 0.01);
  EXPECT_GT(row_std(r, 1), 0.01);
  const Rows constant = random_rows(2, 16, "normal:0,1+first:-2,0", 2);
  for (int c = 0; c < 16; ++c) EXPECT_EQ(constant.values[static_cast<size_t>(c)], -2.0);
}

TEST(RowDistributions, BadSpecsShapesAndValuesAreClearErrors) {
  const struct { std::string spec; std::string message; } cases[] = {
      {"normal:0", "must be normal:MEAN,STD"},
      {"normal:0,-1", "needs STD > 0"},
      {"normal:0,x", "'x' is not a finite number"},
      {"normal:0,inf", "not a finite number"},
      {"gauss:0,1", "unknown distribution 'gauss'"},
      {"uniform:3,1", "needs A < B"},
      {"rowscale:1,-1", "SIGMA >= 0"},
      {"outliers:1,2,3", "FRAC in [0, 1]"},
      {"outliers:1,0.1", "must be outliers:STD,FRAC,MAG"},
      {"normal:0,1+last:1,2", "only first:MEAN,STD"},
      {"normal:0,1e300", "beyond the limit of +-1e30"},
      {"rowscale:1,300", "beyond the limit of +-1e30"},
      {"normal", "needs parameters"},
  };
  for (const auto& c : cases) {
    EXPECT_NE(expect_error([&] { random_rows(4, 16, c.spec, 1); }).find(c.message), std::string::npos) << c.spec;
  }
  EXPECT_NE(expect_error([] { check_row_shape(0, 4); }).find("R >= 1 and C >= 2"), std::string::npos);
  EXPECT_NE(expect_error([] { check_row_shape(4, 1); }).find("R >= 1 and C >= 2"), std::string::npos);
  EXPECT_NE(expect_error([] { check_row_shape(2.5, 4); }).find("whole numbers"), std::string::npos);
  EXPECT_NE(expect_error([] { check_row_shape(1, 262144); }).find("at most 131072 columns"), std::string::npos);
  EXPECT_NE(expect_error([] { check_row_shape(4096, 4097); }).find("at most 16777216 elements"), std::string::npos);
  // Shapes whose product wraps 64 bits are refused before any conversion.
  EXPECT_NE(expect_error([] { check_row_shape(4611686018427387904.0, 4); }).find("at most 16777216 elements"), std::string::npos);
  EXPECT_NE(expect_error([] { check_row_shape(1e300, 1e300); }).find("at most"), std::string::npos);
  EXPECT_NE(expect_error([] { check_row_shape(std::nan(""), 4); }).find("whole numbers"), std::string::npos);
  check_row_shape(4096, 4096);
  check_row_shape(128, 131072);
  Rows tiny{1, 2, {0.0, 1e-31}};
  EXPECT_NE(expect_error([&] { check_row_values(tiny, "t"); }).find("below the limit of 1e-30"), std::string::npos);
}

TEST(RowDistributions, NpyInputIsRowsAlongTheLastAxisOfAnyRank) {
  const std::string dir = std::filesystem::temp_directory_path() / ("npusim_rows_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  npy::write_float32(dir + "/x.npy", {3, 4}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  const Rows r = rows_from_npy(dir + "/x.npy");
  EXPECT_EQ(r.rows, 3);
  EXPECT_EQ(r.cols, 4);
  EXPECT_EQ(r.values[5], 5.0);
  npy::write_int8(dir + "/i8.npy", {2, 2}, {1, 2, 3, 4});
  EXPECT_NE(expect_error([&] { rows_from_npy(dir + "/i8.npy"); }).find("i8.npy: expected floating-point rows"), std::string::npos);
  // [batch, tokens, channels] as activations are dumped: 2 x 3 rows of 4.
  std::vector<float> values(24);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i);
  npy::write_float32(dir + "/r3.npy", {2, 3, 4}, values);
  const Rows r3 = rows_from_npy(dir + "/r3.npy");
  EXPECT_EQ(r3.rows, 6);
  EXPECT_EQ(r3.cols, 4);
  EXPECT_EQ(r3.values[21], 21.0);
  npy::write_float32(dir + "/row.npy", {5}, {1, 2, 3, 4, 5});
  EXPECT_EQ(rows_from_npy(dir + "/row.npy").rows, 1);
  npy::write_float32(dir + "/col.npy", {4, 1}, {1, 2, 3, 4});
  EXPECT_NE(expect_error([&] { rows_from_npy(dir + "/col.npy"); }).find("col.npy: [4, 1] as rows of its last axis: row shape must be"), std::string::npos);
  npy::write_float32(dir + "/nan.npy", {1, 2}, {1.0f, std::nanf("")});
  EXPECT_NE(expect_error([&] { rows_from_npy(dir + "/nan.npy"); }).find("nan.npy: element [0, 1]"), std::string::npos);
  EXPECT_NE(expect_error([&] { rows_from_npy(dir + "/missing.npy"); }).find("missing.npy"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace npusim
