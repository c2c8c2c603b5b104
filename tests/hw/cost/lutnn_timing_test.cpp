// The LUT-NN cost model against hand counts on the paper NPU (32 x 64 weight-stationary array, 64 vector
// lanes, 128 KiB weight and activation SRAM, 64 KiB accumulators, single-buffered, 1 GHz): MAC-array
// folds of the distances with block-diagonal packing, argmin and requantisation on the vector path,
// lookups and block flushes on the table lanes, table tiles, passes and DRAM bytes, latency.
#include <gtest/gtest.h>

#include "hw/cost/lutnn_timing.hpp"
#include "tests/error_text.hpp"

namespace npusim::hw {
namespace {

TEST(LutnnTiming, BertFc1ByHand) {
  const LutnnTiming timing(LutnnUnitConfig{}, HwConfig{});
  const LutnnLayerShape shape = timing.matmul_shape(128, 768, 3072);
  EXPECT_EQ(shape.subvector, 32);
  const LutnnCost c = timing.cost(shape);
  // 24 codebooks of v = 32 = the array's rows: one per fold; a fold takes 2 * 32 + 64 + 128 - 2 = 254 cycles.
  EXPECT_EQ(c.distance_folds, 24);
  EXPECT_EQ(c.distance_cycles, 24 * 254);
  EXPECT_EQ(c.argmin_cycles, 2 * 128 * 24 * 16 / 64);  // 1536
  EXPECT_EQ(c.requant_cycles, 128 * 3072 / 64);        // 6144
  // 128 x 24 x 3072 lookups plus one INT16 -> INT32 flush per output (24 codebooks: one block), 64 lanes,
  // plus the 2-cycle pipeline's latency once.
  EXPECT_EQ(c.lookup_cycles, (128 * 24 * 3072 + 128 * 3072) / 64 + 1);  // 153601
  EXPECT_EQ(c.counts.table_bytes, 24 * 16 * 3072);
  // Column tiles: 131,072 / (24 x 16) = 341 columns fit the table SRAM, 65,536 / (4 x 128) = 128 the accumulators.
  EXPECT_EQ(c.table_tiles, 3072 / 128);
  EXPECT_EQ(c.table_passes, 1);
  EXPECT_EQ(c.table_dram_bytes, 24 * 16 * 3072 + 24 * 16 * 32 + 4 * 3072);  // 1,204,224
  EXPECT_EQ(c.serial_cycles(), 24 * 254 + 1536 + 153601 + 6144);
  EXPECT_EQ(c.overlapped_cycles(), 153601);
  // Single-buffered at 1 GHz: 167,377 ns of units, then 1,204,224 bytes at 3 GB/s = 401,408 ns.
  EXPECT_DOUBLE_EQ(timing.latency_ns(c, 3.0), 167377.0 + 401408.0);
  EXPECT_DOUBLE_EQ(timing.latency_ns(c, 3.0, 3000), 167377.0 + 402408.0);
  // Double-buffered: the busier of the lanes and the DRAM.
  HwConfig double_buffered;
  double_buffered.sram.double_buffered = true;
  const LutnnTiming overlapped(LutnnUnitConfig{}, double_buffered);
  const LutnnCost d = overlapped.cost(shape);
  EXPECT_EQ(d.table_tiles, 3072 / 128);  // 170 columns fit half the table SRAM; the accumulators still bound
  EXPECT_DOUBLE_EQ(overlapped.latency_ns(d, 3.0), 401408.0);
  EXPECT_DOUBLE_EQ(overlapped.latency_ns(d, 20.0), 153601.0);
}

TEST(LutnnTiming, Int16InputsTakeTwoPassesOfTheArray) {
  // BERT's FC2 reads GELU's INT16 outputs: 96 codebooks, each fold twice.
  const LutnnTiming timing(LutnnUnitConfig{}, HwConfig{});
  const LutnnCost c = timing.cost(timing.matmul_shape(128, 3072, 768, true));
  EXPECT_EQ(c.distance_folds, 2 * 96);
  EXPECT_EQ(c.distance_cycles, 2 * 96 * 254);
  EXPECT_EQ(c.lookup_cycles, (128 * 96 * 768 + 128 * 768) / 64 + 1);  // 148993
}

TEST(LutnnTiming, ConvolutionsPackCodebooksIntoFolds) {
  const LutnnTiming timing(LutnnUnitConfig{}, HwConfig{});
  // 1x1 conv, 64 -> 32 channels on 10 x 10 pixels: v = 4, 16 codebooks, min(32 / 4, 64 / 16) = 4 per fold.
  const LutnnLayerShape one = timing.conv_shape(100, 64, 1, 1, 32, 1);
  EXPECT_EQ(one.subvector, 4);
  EXPECT_EQ(one.in_features, 64);
  EXPECT_EQ(one.im2col_elements, 0);
  const LutnnCost c1 = timing.cost(one);
  EXPECT_EQ(c1.distance_folds, 4);
  EXPECT_EQ(c1.distance_cycles, 4 * (2 * 32 + 64 + 100 - 2));
  // 3x3 conv, 32 -> 64 channels on 14 x 14: v = 9, D = 288, 32 codebooks, min(3, 4) = 3 per fold, plus
  // the windows expanded on the vector path (196 x 288 elements over 64 lanes).
  const LutnnLayerShape three = timing.conv_shape(196, 32, 3, 3, 64, 1);
  EXPECT_EQ(three.subvector, 9);
  EXPECT_EQ(three.in_features, 288);
  const LutnnCost c3 = timing.cost(three);
  EXPECT_EQ(c3.distance_folds, 11);
  EXPECT_EQ(c3.distance_cycles, 11 * (2 * 32 + 64 + 196 - 2) + 196 * 288 / 64);
  // Depthwise 3x3 over 32 channels: 32 groups of one codebook (nothing to pack) and one output each.
  const LutnnLayerShape depthwise = timing.conv_shape(196, 1, 3, 3, 32, 32);
  EXPECT_EQ(depthwise.out_features, 1);
  const LutnnCost dw = timing.cost(depthwise);
  EXPECT_EQ(dw.distance_folds, 32);
  EXPECT_EQ(dw.distance_cycles, 32 * (2 * 32 + 64 + 196 - 2) + (196 * 9 * 32 + 63) / 64);
  EXPECT_EQ(dw.lookup_cycles, (196 * 1 * 1 + 196 * 1) * 32 / 64 + 1);
  EXPECT_EQ(dw.counts.table_bytes, 32 * 16 * 1);
  EXPECT_EQ(dw.counts.dense_ops, 2 * 196 * 9 * 32);
}

TEST(LutnnTiming, LongSubvectorsManyCentroidsAndManyCodebooks) {
  LutnnUnitConfig unit;
  unit.subvector_fc = 64;  // longer than the array's 32 rows: two folds of reduction per codebook
  const LutnnTiming long_v(unit, HwConfig{});
  const LutnnCost lv = long_v.cost(long_v.matmul_shape(16, 128, 8));
  EXPECT_EQ(lv.distance_folds, 2 * 2);
  EXPECT_EQ(lv.distance_cycles, 4 * (2 * 32 + 64 + 16 - 2));
  unit = {};
  unit.centroids = 128;  // wider than the array's 64 columns: two folds of centroids per codebook
  const LutnnTiming many_k(unit, HwConfig{});
  EXPECT_EQ(many_k.cost(many_k.matmul_shape(16, 128, 8)).distance_folds, 4 * 2);
  // 8192 inputs: 256 codebooks, two INT16 blocks, two flushes per output.
  const LutnnTiming timing(LutnnUnitConfig{}, HwConfig{});
  EXPECT_EQ(timing.cost(timing.matmul_shape(4, 8192, 64)).lookup_cycles, (4 * 256 * 64 + 2 * 4 * 64) / 64 + 1);
  // D = 48 with v = 32: a zero-padded second codebook.
  EXPECT_EQ(timing.cost(timing.matmul_shape(4, 48, 64)).counts.codebooks, 2);
}

TEST(LutnnTiming, CodesThatDoNotFitStreamTheTablesAgain) {
  // 1 KiB of activation SRAM: 512 bytes of codes per pass; 128 rows x 24 codebooks = 3072 bytes -> 6 passes.
  HwConfig config;
  config.sram.activation_kib = 1;
  const LutnnTiming timing(LutnnUnitConfig{}, config);
  const LutnnCost c = timing.cost(timing.matmul_shape(128, 768, 768));
  EXPECT_EQ(c.table_passes, 6);
  EXPECT_EQ(c.table_dram_bytes, 6 * 24 * 16 * 768 + 24 * 16 * 32 + 4 * 768);
  // 22 rows per pass: 65,536 / (4 x 22) = 744 accumulator columns; 341 fit the table SRAM -> 3 tiles.
  EXPECT_EQ(c.table_tiles, 3);
}

TEST(LutnnTiming, BadConfigsAndShapesAreErrors) {
  LutnnUnitConfig unit;
  unit.lanes = 0;
  EXPECT_NE(testing::error_of([&] { LutnnTiming(unit, HwConfig{}); }).find("lutnn_unit"), std::string::npos);
  unit = {};
  unit.centroids = 257;
  EXPECT_NE(testing::error_of([&] { LutnnTiming(unit, HwConfig{}); }).find("2..256"), std::string::npos);
  const LutnnTiming timing(LutnnUnitConfig{}, HwConfig{});
  EXPECT_NE(testing::error_of([&] { timing.cost({0, 768, 768, 32, 1}); }).find("positive"), std::string::npos);
  EXPECT_NE(testing::error_of([&] { timing.cost({1, 768, 768, 32, 0}); }).find("groups"), std::string::npos);
  EXPECT_NE(testing::error_of([&] { timing.latency_ns({}, 0.0); }).find("bandwidth"), std::string::npos);
}

}  // namespace
}  // namespace npusim::hw
