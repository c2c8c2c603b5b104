// LUT-NN's integer pipeline against an independent computation (tests/models/lutnn/lutnn_reference.hpp):
// INT8 encoding, per-column INT8 tables, INT16-block / INT32 accumulation and the float output, bit for
// bit, over random layers of many shapes (more than one 128-codebook block, K = 2 and 256, v = 1 and 32).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "models/lutnn/int8_encoding.hpp"
#include "models/lutnn/int8_matmul.hpp"
#include "models/lutnn/lookup_accumulate.hpp"
#include "models/lutnn/lut_tables.hpp"
#include "tests/error_text.hpp"
#include "tests/models/lutnn/lutnn_reference.hpp"

namespace npusim::lutnn {
namespace {

namespace ref = lutnn_reference;

Matrix random_matrix(int64_t rows, int64_t cols, double stddev, std::mt19937_64& rng) {
  std::normal_distribution<double> normal(0.0, stddev);
  Matrix m(rows, cols);
  for (float& v : m.values) v = static_cast<float>(normal(rng));
  return m;
}

// Centroids drawn half from input rows (so codes spread over many centroids) and half at random.
Codebooks random_codebooks(const CodebookShape& shape, const Matrix& x, std::mt19937_64& rng) {
  Codebooks cb;
  cb.shape = shape;
  std::normal_distribution<double> normal(0.0, 1.0);
  for (int64_t c = 0; c < shape.codebooks(); ++c) {
    for (int64_t k = 0; k < shape.centroids; ++k) {
      const int64_t row = static_cast<int64_t>(rng() % static_cast<uint64_t>(x.rows));
      for (int64_t j = 0; j < shape.subvector; ++j) {
        cb.centroids.push_back(k % 2 == 0 ? x.at(row, c * shape.subvector + j) : static_cast<float>(normal(rng)));
      }
    }
  }
  return cb;
}

struct Case {
  int64_t rows, in, out, v, k;
};

TEST(LutnnIntegerPipeline, EncodeTablesAndAccumulationAreBitExact) {
  const Case cases[] = {{17, 64, 48, 4, 16},  {5, 1200, 40, 4, 16},   {9, 96, 33, 32, 2}, {4, 10, 7, 1, 256},
                        {33, 288, 21, 9, 4},  {3, 1028, 5, 4, 3},     {12, 40, 1, 8, 16}};
  std::mt19937_64 rng(12);
  for (const Case& t : cases) {
    SCOPED_TRACE("N " + std::to_string(t.rows) + " D " + std::to_string(t.in) + " M " + std::to_string(t.out) + " v " +
                 std::to_string(t.v) + " K " + std::to_string(t.k));
    const CodebookShape shape{t.in, t.out, t.v, t.k};
    const Matrix calibration = random_matrix(64, t.in, 1.0, rng);
    const Matrix x = random_matrix(t.rows, t.in, 1.5, rng);  // wider than the calibration: some inputs clamp
    const Matrix w = random_matrix(t.in, t.out, 0.2, rng);
    const Codebooks cb = random_codebooks(shape, x, rng);

    const float scale = input_scale(calibration);
    EXPECT_EQ(scale, ref::int8_scale(calibration.values));
    const std::vector<uint8_t> codes = encode_int8(x, cb, scale);
    const std::vector<uint8_t> expected_codes = ref::codes(x.values, t.rows, shape.codebooks(), t.k, t.v, cb.centroids, scale);
    ASSERT_EQ(codes, expected_codes);

    const LutTables tables = build_int8_tables(cb, w);
    const ref::Tables expected_tables = ref::tables(cb.centroids, shape.codebooks(), t.k, t.v, w.values, t.out);
    ASSERT_EQ(tables.entries, expected_tables.entries);
    ASSERT_EQ(tables.column_scale, expected_tables.scale);

    const std::vector<int32_t> sums = lookup_accumulate(tables, codes, t.rows);
    const std::vector<int64_t> expected_sums = ref::sums(expected_tables, shape.codebooks(), t.k, t.out, expected_codes, t.rows);
    ASSERT_EQ(sums.size(), expected_sums.size());
    const Matrix y = scale_output(tables, sums, t.rows);
    for (size_t i = 0; i < sums.size(); ++i) {
      ASSERT_EQ(sums[i], expected_sums[i]) << i;
      const float expected = ref::output(expected_sums[i], expected_tables.scale[i % static_cast<size_t>(t.out)]);
      ASSERT_EQ(std::memcmp(&y.values[i], &expected, sizeof(float)), 0) << i;
    }
  }
}

TEST(LutnnIntegerPipeline, CodesUseEveryCentroidAndTheirDistanceOrder) {
  // A code is the nearest centroid: on centroids taken from the rows themselves each row finds its own.
  std::mt19937_64 rng(3);
  const Matrix x = random_matrix(16, 8, 1.0, rng);
  Codebooks cb;
  cb.shape = {8, 4, 8, 16};
  cb.centroids = x.values;  // centroid k of the single codebook is row k
  const std::vector<uint8_t> codes = encode_int8(x, cb, input_scale(x));
  for (int64_t n = 0; n < 16; ++n) EXPECT_EQ(codes[static_cast<size_t>(n)], n);
}

TEST(LutnnIntegerPipeline, TiesGoToTheLowestCentroid) {
  Matrix x(1, 2);  // the origin, equally far from all four centroids
  Codebooks cb;
  cb.shape = {2, 1, 2, 4};
  cb.centroids = {1, 0, 0, 1, -1, 0, 0, -1};
  EXPECT_EQ(encode_int8(x, cb, 0.01f)[0], 0);
  cb.centroids = {1.2f, 0, 0, 1, -1, 0, 0, -1};  // centroid 0 is farther now
  EXPECT_EQ(encode_int8(x, cb, 0.01f)[0], 1);
}

TEST(LutnnIntegerPipeline, Int16BlocksNeverSaturateAndSplitAt128Codebooks) {
  EXPECT_EQ(add_saturating_int16(32767, 1), 32767);
  EXPECT_EQ(add_saturating_int16(-32768, -1), -32768);
  EXPECT_EQ(add_saturating_int16(16129, 127), 16256);
  // The extreme tables: every entry +127 (or -127) over 300 codebooks, blocks of 128, 128 and 44.
  for (const int8_t extreme : {int8_t{127}, int8_t{-127}}) {
    LutTables t;
    t.codebooks = 300;
    t.centroids = 2;
    t.out_features = 3;
    t.entries.assign(300 * 2 * 3, extreme);
    t.column_scale = {1.0f, 0.5f, 2.0f};
    const std::vector<uint8_t> codes(300, 1);
    const std::vector<int32_t> sums = lookup_accumulate(t, codes, 1);
    for (const int32_t s : sums) EXPECT_EQ(s, 300 * extreme);
    const Matrix y = scale_output(t, sums, 1);
    EXPECT_EQ(y.values[1], 300 * extreme * 0.5f);
  }
  EXPECT_EQ(kCodebooksPerInt16Block, 128);
}

TEST(LutnnIntegerPipeline, ZeroColumnsAndScales) {
  float zeros[4] = {0, 0, 0, 0};
  EXPECT_EQ(symmetric_int8_scale(zeros, 4), 1.0f);
  float values[3] = {0.5f, -254.0f, 3.0f};
  EXPECT_EQ(symmetric_int8_scale(values, 3), 2.0f);
  float bad[2] = {1.0f, std::nanf("")};
  EXPECT_NE(testing::error_of([&] { symmetric_int8_scale(bad, 2); }).find("finite"), std::string::npos);
  EXPECT_EQ(quantize_int8(-1000.0f, 1.0f), -127);
  EXPECT_EQ(quantize_int8(2.5f, 1.0f), 3);
  EXPECT_EQ(quantize_int8(-2.5f, 1.0f), -3);

  Codebooks cb;
  cb.shape = {2, 2, 2, 2};
  cb.centroids = {1, 2, 3, 4};
  Matrix w(2, 2);
  w.at(0, 1) = 0.5f;  // column 0 all zero
  const LutTables t = build_int8_tables(cb, w);
  EXPECT_EQ(t.column_scale[0], 1.0f);
  EXPECT_EQ(t.column_scale[1], static_cast<float>(1.5 / 127));
  EXPECT_EQ(t.entry(0, 0, 0), 0);
  EXPECT_EQ(t.entry(0, 0, 1), 42);  // 0.5 / (1.5 / 127) = 42.33
  EXPECT_EQ(t.entry(0, 1, 1), 127);
}

TEST(LutnnIntegerPipeline, BadCodesAreErrors) {
  LutTables t;
  t.codebooks = 2;
  t.centroids = 4;
  t.out_features = 1;
  t.entries.assign(8, 1);
  t.column_scale = {1.0f};
  EXPECT_NE(testing::error_of([&] { lookup_accumulate(t, {0, 4}, 1); }).find("not below the 4 centroids"), std::string::npos);
  EXPECT_NE(testing::error_of([&] { lookup_accumulate(t, {0, 1, 2}, 1); }).find("expected 1 x 2"), std::string::npos);
}

TEST(LutnnIntegerPipeline, DenseInt8MatmulMatchesIntegerSums) {
  std::mt19937_64 rng(5);
  const Matrix x = random_matrix(7, 50, 1.0, rng);
  const Matrix w = random_matrix(50, 9, 0.3, rng);
  const float sx = input_scale(x);
  const Matrix y = int8_matmul(x, w, sx);
  for (int64_t m = 0; m < 9; ++m) {
    std::vector<float> column;
    for (int64_t j = 0; j < 50; ++j) column.push_back(w.at(j, m));
    const float sw = ref::int8_scale(column);
    for (int64_t n = 0; n < 7; ++n) {
      int64_t acc = 0;
      for (int64_t j = 0; j < 50; ++j) acc += ref::q8(x.at(n, j), sx) * ref::q8(w.at(j, m), sw);
      const float expected = static_cast<float>(static_cast<double>(acc) * static_cast<double>(sx) * static_cast<double>(sw));
      EXPECT_EQ(y.at(n, m), expected) << n << "," << m;
    }
  }
}

}  // namespace
}  // namespace npusim::lutnn
