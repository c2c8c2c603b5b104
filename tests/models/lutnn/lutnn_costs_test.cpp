// LUT-NN's operation and byte counts against hand counts (SPEC 2.7).
#include <gtest/gtest.h>

#include "models/lutnn/layer_costs.hpp"
#include "tests/error_text.hpp"

namespace npusim::lutnn {
namespace {

TEST(LutnnCosts, BertFc1ByHand) {
  // 128 tokens x 768 -> 3072, v = 32, K = 16: C = 24 codebooks.
  const LayerCosts c = layer_costs(128, 768, 3072, 32, 16);
  EXPECT_EQ(c.codebooks, 24);
  EXPECT_EQ(c.dense_ops, 603979776);   // 2 * 128 * 768 * 3072
  EXPECT_EQ(c.distance_ops, 3145728);  // 24 * 128 * 32 * 16 * 2
  EXPECT_EQ(c.argmin_ops, 49152);      // 24 * 128 * 16
  EXPECT_EQ(c.lookup_ops, 9437184);    // 24 * 128 * 3072
  EXPECT_EQ(c.lutnn_ops(), 12632064);
  EXPECT_DOUBLE_EQ(c.ops_reduction(), 603979776.0 / 12632064.0);  // 47.8x
  EXPECT_EQ(c.table_bytes, 1179648);   // 24 * 16 * 3072
  EXPECT_EQ(c.table_scale_bytes, 12288);
  EXPECT_EQ(c.centroid_bytes, 12288);  // 24 * 16 * 32
  EXPECT_EQ(c.weight_bytes, 2359296);  // 768 * 3072: tables are K / v = 1/2 of the INT8 weights
}

TEST(LutnnCosts, ConvShapesAndPaddedCodebooks) {
  // A 3x3 conv over 64 channels as implicit GEMM: D = 576, v = 9 -> 64 codebooks, 56 x 56 pixels.
  const LayerCosts c = layer_costs(3136, 576, 64, 9, 16);
  EXPECT_EQ(c.codebooks, 64);
  EXPECT_EQ(c.distance_ops, 2LL * 3136 * 64 * 9 * 16);
  EXPECT_EQ(c.lookup_ops, 3136LL * 64 * 64);
  EXPECT_EQ(c.table_bytes, 64 * 16 * 64);
  // D = 48 with v = 32: two codebooks, the second zero-padded.
  const LayerCosts p = layer_costs(10, 48, 8, 32, 16);
  EXPECT_EQ(p.codebooks, 2);
  EXPECT_EQ(p.distance_ops, 2 * 10 * 2 * 32 * 16);
  EXPECT_EQ(p.centroid_bytes, 2 * 16 * 32);
}

TEST(LutnnCosts, BadDimensionsAndOverflowAreErrors) {
  EXPECT_NE(testing::error_of([] { layer_costs(0, 768, 3072, 32, 16); }).find("positive"), std::string::npos);
  EXPECT_NE(testing::error_of([] { layer_costs(int64_t{1} << 40, int64_t{1} << 20, int64_t{1} << 20, 1, 16); }).find("overflow"),
            std::string::npos);
}

}  // namespace
}  // namespace npusim::lutnn
