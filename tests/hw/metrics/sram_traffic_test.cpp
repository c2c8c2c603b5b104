#include "hw/metrics/sram_traffic.hpp"

#include <gtest/gtest.h>

namespace npusim::hw {
namespace {

constexpr size_t kWeight = 0, kActivation = 1, kAccumulator = 2;

// A 100 x 64 x 48 INT8 matmul in 2 row tiles, 3 reduction tiles and 4 column tiles; weights streamed
// in twice (one re-stream), an input tile loaded and the output stored.
TEST(SramTraffic, GemmCountsEveryTileReadAndWrite) {
  PlannedOp op;
  op.work = OpWork::gemm;
  op.type = "matmul";
  op.gemm = {100, 64, 48, 1, false, false};
  op.gemm_plan.row_tiles = 2;
  op.gemm_plan.k_tiles = 3;
  op.gemm_plan.col_tiles = 4;
  op.weight_bytes = 2 * 64 * 48;
  op.loads = {{6400, TrafficKind::activations}};
  op.stores = {{4800, TrafficKind::spills}};
  const SramTraffic t = sram_traffic(op);
  EXPECT_EQ(t.read_bytes[kActivation], 100 * 64 * 4 + 4800);  // input once per column tile, then the store
  EXPECT_EQ(t.read_bytes[kWeight], 64 * 48 * 2);              // weights once per row tile
  EXPECT_EQ(t.write_bytes[kWeight], 2 * 64 * 48);             // what the DMA brought
  EXPECT_EQ(t.write_bytes[kAccumulator], 100 * 48 * 4 * 3);   // INT32 partial sums per reduction tile
  EXPECT_EQ(t.read_bytes[kAccumulator], 100 * 48 * 4 * 3);
  EXPECT_EQ(t.write_bytes[kActivation], 100 * 48 + 6400);     // the output, and the loaded input
  EXPECT_EQ(t.dsp_local_bytes, 0);
}

// A LUT-NN layer, [197, 768] x [768, 3072] with v = 32 and K = 16 (24 codebooks, one INT16 block):
// counted by hand from the rule, not by the dense GEMM's tiles.
TEST(SramTraffic, LutnnLayersReadCentroidsAndDistancesNotDenseWeights) {
  PlannedOp op;
  op.work = OpWork::gemm;
  op.type = "matmul";
  op.lutnn = true;
  op.gemm = {197, 768, 3072, 1, false, false};
  op.gemm_plan.row_tiles = op.gemm_plan.col_tiles = op.gemm_plan.k_tiles = 5;  // no part of the LUT-NN count
  const int64_t codebooks = 24, centroids = 16, v = 32;
  op.lutnn_cost.counts.codebooks = codebooks;
  op.lutnn_cost.counts.argmin_ops = 197 * codebooks * centroids;
  op.lutnn_cost.counts.centroid_bytes = codebooks * centroids * v;
  op.weight_bytes = codebooks * centroids * 3072 + codebooks * centroids * v + 4 * 3072;  // tables, centroids, scales
  const SramTraffic t = sram_traffic(op);
  EXPECT_EQ(t.read_bytes[kActivation], 197 * 768);
  EXPECT_EQ(t.write_bytes[kActivation], 197 * 3072);
  EXPECT_EQ(t.read_bytes[kWeight], 24 * 16 * 32);
  EXPECT_EQ(t.write_bytes[kWeight], 24 * 16 * 32);  // the tables went to the unit's table SRAM
  EXPECT_EQ(t.write_bytes[kAccumulator], (197 * 24 * 16 + 197 * 3072) * 4);
  EXPECT_EQ(t.read_bytes[kAccumulator], (197 * 24 * 16 + 197 * 3072) * 4);
  op.lutnn_cost.counts.codebooks = 129;  // two INT16 blocks per output
  EXPECT_EQ(sram_traffic(op).write_bytes[kAccumulator], (197 * 24 * 16 + 2 * 197 * 3072) * 4);
}

TEST(SramTraffic, BatchedMatmulReadsItsStationaryActivationFromTheActivationBuffer) {
  PlannedOp op;
  op.work = OpWork::gemm;
  op.type = "batched_matmul";
  op.gemm = {10, 8, 6, 12, true, true};
  op.input_element_bytes = op.weight_element_bytes = 2;
  op.output_element_bytes = 1;
  const SramTraffic t = sram_traffic(op);
  EXPECT_EQ(t.read_bytes[kWeight], 0);
  EXPECT_EQ(t.read_bytes[kActivation], 10 * 8 * 12 * 2 + 8 * 6 * 12 * 2);
  EXPECT_EQ(t.write_bytes[kActivation], 10 * 6 * 12);
}

TEST(SramTraffic, TableUnitOpsReadTheirInputAndWriteTheirOutputOnce) {
  PlannedOp op;
  op.work = OpWork::nonlinear;
  op.engine = NonlinearEngine::lut;
  op.input_elements = op.output_elements = 1000;
  op.input_element_bytes = 2;
  const SramTraffic t = sram_traffic(op);
  EXPECT_EQ(t.read_bytes[kActivation], 2000);
  EXPECT_EQ(t.write_bytes[kActivation], 1000);
  EXPECT_EQ(t.read_bytes[kWeight] + t.write_bytes[kWeight] + t.read_bytes[kAccumulator] + t.write_bytes[kAccumulator], 0);
}

TEST(SramTraffic, DspOpsCountTheStagedInputAndTheirLocalMemory) {
  PlannedOp op;
  op.work = OpWork::nonlinear;
  op.engine = NonlinearEngine::dsp;
  op.input_elements = op.output_elements = 500;
  op.dsp_stage_bytes = 500;
  const SramTraffic t = sram_traffic(op);
  EXPECT_EQ(t.read_bytes[kActivation], 500);   // written out to DRAM for the DSP
  EXPECT_EQ(t.write_bytes[kActivation], 0);    // the result comes back through DRAM
  EXPECT_EQ(t.dsp_local_bytes, 2 * (500 + 500));
}

TEST(SramTraffic, ReshapesMoveNothing) {
  PlannedOp op;
  op.work = OpWork::none;
  op.input_elements = op.output_elements = 1 << 20;
  const SramTraffic t = sram_traffic(op);
  for (size_t b = 0; b < 3; ++b) EXPECT_EQ(t.read_bytes[b] + t.write_bytes[b], 0);
}

}  // namespace
}  // namespace npusim::hw
