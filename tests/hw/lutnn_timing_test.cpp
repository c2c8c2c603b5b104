// The LUT-NN cost model against hand counts: MAC-array folds of the distances (with block-diagonal
// packing), argmin on the vector path, lookups and block flushes on the table lanes, DRAM bytes.
#include <gtest/gtest.h>

#include "hw/lutnn_timing.hpp"
#include "tests/error_text.hpp"

namespace npusim::hw {
namespace {

// The paper NPU's 32 x 64 array and 64 vector lanes; efficiency 1 keeps the hand counts whole.
LutnnHostArray paper_array(double efficiency = 1.0, int activation_kib = 1024) { return {32, 64, 64, efficiency, activation_kib}; }

TEST(LutnnTiming, BertFc1ByHand) {
  const LutnnTiming timing(LutnnUnitConfig{}, paper_array());
  const LutnnLayerShape shape = timing.matmul_shape(128, 768, 3072);
  EXPECT_EQ(shape.subvector, 32);
  const LutnnCost c = timing.cost(shape);
  // 24 codebooks of v = 32 = the array's rows: one per fold; a fold takes 2 * 32 + 64 + 128 - 2 = 254 cycles.
  EXPECT_EQ(c.distance_folds, 24);
  EXPECT_EQ(c.distance_cycles, 24 * 254);
  EXPECT_EQ(c.argmin_cycles, 2 * 128 * 24 * 16 / 64);  // 1536
  // 128 x 24 x 3072 lookups plus one INT16 -> INT32 flush per output (24 codebooks: one block), 64 lanes,
  // plus the 2-cycle pipeline's latency once.
  EXPECT_EQ(c.lookup_cycles, (128 * 24 * 3072 + 128 * 3072) / 64 + 1);  // 153601
  EXPECT_EQ(c.counts.table_bytes, 24 * 16 * 3072);
  EXPECT_EQ(c.table_tiles, 5);  // 1,179,648 bytes in halves of 512 KiB
  EXPECT_EQ(c.table_passes, 1);
  EXPECT_EQ(c.dram_bytes, 24 * 16 * 3072 + 24 * 16 * 32 + 4 * 3072);
  EXPECT_EQ(c.serial_cycles(), 24 * 254 + 1536 + 153601);
  EXPECT_EQ(c.overlapped_cycles(), 153601);
  // 1 GHz: 153,601 ns of lookups against 1,204,224 bytes / 3 GB/s = 401,408 ns of DRAM.
  EXPECT_DOUBLE_EQ(LutnnTiming::overlapped_latency_ns(c, 1.0, 3.0), 401408.0);
  EXPECT_DOUBLE_EQ(LutnnTiming::overlapped_latency_ns(c, 1.0, 20.0), 153601.0);
}

TEST(LutnnTiming, BertFc2AndTheMauEfficiency) {
  const LutnnTiming timing(LutnnUnitConfig{}, paper_array(0.5));
  const LutnnCost c = timing.cost(timing.matmul_shape(128, 3072, 768));
  EXPECT_EQ(c.distance_folds, 96);
  EXPECT_EQ(c.distance_cycles, 96 * 254 * 2);  // the fold timing at 50 % efficiency
  EXPECT_EQ(c.lookup_cycles, (128 * 96 * 768 + 128 * 768) / 64 + 1);  // 148993
}

TEST(LutnnTiming, ConvolutionsPackCodebooksIntoFolds) {
  const LutnnTiming timing(LutnnUnitConfig{}, paper_array());
  // 1x1 conv, 64 -> 32 channels on 10 x 10 pixels: v = 4, 16 codebooks, min(32 / 4, 64 / 16) = 4 per fold.
  const LutnnLayerShape one = timing.conv_shape(100, 64, 1, 1, 32, 1);
  EXPECT_EQ(one.subvector, 4);
  EXPECT_EQ(one.in_features, 64);
  const LutnnCost c1 = timing.cost(one);
  EXPECT_EQ(c1.distance_folds, 4);
  EXPECT_EQ(c1.distance_cycles, 4 * (2 * 32 + 64 + 100 - 2));
  // 3x3 conv, 32 -> 64 channels on 14 x 14: v = 9, D = 288, 32 codebooks, min(3, 4) = 3 per fold.
  const LutnnLayerShape three = timing.conv_shape(196, 32, 3, 3, 64, 1);
  EXPECT_EQ(three.subvector, 9);
  EXPECT_EQ(three.in_features, 288);
  EXPECT_EQ(timing.cost(three).distance_folds, 11);
  // Depthwise 3x3 over 32 channels: 32 groups of one codebook and one output each.
  const LutnnLayerShape depthwise = timing.conv_shape(196, 1, 3, 3, 32, 32);
  EXPECT_EQ(depthwise.out_features, 1);
  const LutnnCost dw = timing.cost(depthwise);
  EXPECT_EQ(dw.distance_folds, 32);
  EXPECT_EQ(dw.lookup_cycles, (196 * 1 * 1 + 196 * 1) * 32 / 64 + 1);
  EXPECT_EQ(dw.counts.table_bytes, 32 * 16 * 1);
  EXPECT_EQ(dw.counts.dense_ops, 2 * 196 * 9 * 32);
}

TEST(LutnnTiming, LongSubvectorsManyCentroidsAndManyCodebooks) {
  LutnnUnitConfig unit;
  unit.subvector_fc = 64;  // longer than the array's 32 rows: two folds of reduction
  const LutnnTiming long_v(unit, paper_array());
  EXPECT_EQ(long_v.cost(long_v.matmul_shape(16, 128, 8)).distance_folds, 2 * 2);
  unit = {};
  unit.centroids = 128;  // wider than the array's 64 columns: two folds of centroids
  const LutnnTiming many_k(unit, paper_array());
  EXPECT_EQ(many_k.cost(many_k.matmul_shape(16, 128, 8)).distance_folds, 4 * 2);
  // 8192 inputs: 256 codebooks, two INT16 blocks, two flushes per output.
  const LutnnTiming timing(LutnnUnitConfig{}, paper_array());
  EXPECT_EQ(timing.cost(timing.matmul_shape(4, 8192, 64)).lookup_cycles, (4 * 256 * 64 + 2 * 4 * 64) / 64 + 1);
  // D = 48 with v = 32: a zero-padded second codebook.
  EXPECT_EQ(timing.cost(timing.matmul_shape(4, 48, 64)).counts.codebooks, 2);
}

TEST(LutnnTiming, CodesThatDoNotFitStreamTheTablesAgain) {
  // 1 KiB of activation SRAM: 512 bytes of codes per pass; 128 rows x 24 codebooks = 3072 bytes -> 6 passes.
  const LutnnTiming timing(LutnnUnitConfig{}, paper_array(1.0, 1));
  const LutnnCost c = timing.cost(timing.matmul_shape(128, 768, 768));
  EXPECT_EQ(c.table_passes, 6);
  EXPECT_EQ(c.dram_bytes, 6 * 24 * 16 * 768 + 24 * 16 * 32 + 4 * 768);
}

TEST(LutnnTiming, BadConfigsAndShapesAreErrors) {
  LutnnUnitConfig unit;
  unit.lanes = 0;
  EXPECT_NE(testing::error_of([&] { LutnnTiming(unit, paper_array()); }).find("lutnn_unit"), std::string::npos);
  unit = {};
  unit.centroids = 257;
  EXPECT_NE(testing::error_of([&] { LutnnTiming(unit, paper_array()); }).find("2..256"), std::string::npos);
  EXPECT_NE(testing::error_of([&] { LutnnTiming(LutnnUnitConfig{}, paper_array(0.0)); }).find("efficiency"), std::string::npos);
  const LutnnTiming timing(LutnnUnitConfig{}, paper_array());
  EXPECT_NE(testing::error_of([&] { timing.cost({0, 768, 768, 32, 1}); }).find("positive"), std::string::npos);
  EXPECT_NE(testing::error_of([&] { timing.cost({1, 768, 768, 32, 0}); }).find("groups"), std::string::npos);
  EXPECT_NE(testing::error_of([&] { LutnnTiming::overlapped_latency_ns({}, 1.0, 0.0); }).find("bandwidth"), std::string::npos);
}

}  // namespace
}  // namespace npusim::hw
