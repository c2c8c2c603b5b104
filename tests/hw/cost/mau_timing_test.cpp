// The MAC array's cost model in closed form, without a simulation: fold timing of the three dataflows
// against hand-worked examples and against demand matrices built here the way SCALE-Sim v2 builds them
// (operand matrices padded to the array, preload and drain rows, skewed for the pipeline fill), then
// each mechanism on top.
#include <gtest/gtest.h>

#include <vector>

#include "hw/cost/mau_timing.hpp"

namespace npusim::hw {
namespace {

MauConfig array(int rows, int cols, Dataflow dataflow) {
  MauConfig c;
  c.rows = rows;
  c.cols = cols;
  c.dataflow = dataflow;
  return c;
}

// A demand matrix: one row per cycle, one column per array port; -1 where nothing is demanded.
using Matrix = std::vector<std::vector<int>>;

Matrix blank(int rows, int cols) { return Matrix(static_cast<size_t>(rows), std::vector<int>(static_cast<size_t>(cols), -1)); }

Matrix stack(const Matrix& top, const Matrix& bottom) {
  Matrix out = top;
  out.insert(out.end(), bottom.begin(), bottom.end());
  return out;
}

// Column c starts c cycles later: the systolic fill.
Matrix skew(const Matrix& m) {
  const int rows = static_cast<int>(m.size()), cols = static_cast<int>(m[0].size());
  Matrix out = blank(rows + cols - 1, cols);
  for (int c = 0; c < cols; ++c) {
    for (int r = 0; r < rows; ++r) out[static_cast<size_t>(r + c)][static_cast<size_t>(c)] = m[static_cast<size_t>(r)][static_cast<size_t>(c)];
  }
  return out;
}

// `used` operand columns out of `width` array ports, `length` cycles of data.
Matrix operands(int length, int used, int width) {
  Matrix m = blank(length, width);
  for (auto& row : m) {
    for (int c = 0; c < used; ++c) row[static_cast<size_t>(c)] = 1;
  }
  return m;
}

int ceil_div(int a, int b) { return (a + b - 1) / b; }

// Cycles of an [m x k] x [k x n] multiply: the rows of the streaming operand's demand matrix over
// every fold. Weight stationary streams the m input rows past k x n weights preloaded in R cycles;
// input stationary streams the n weight columns past preloaded inputs; output stationary streams the k
// reduction steps and drains its outputs.
int demand_cycles(int m, int k, int n, int rows, int cols, Dataflow dataflow) {
  int cycles = 0;
  switch (dataflow) {
    case Dataflow::weight_stationary:
      for (int fc = 0; fc < ceil_div(n, cols); ++fc) {
        for (int fr = 0; fr < ceil_div(k, rows); ++fr) {
          const int used = std::min(rows, k - fr * rows);
          const Matrix fold = stack(stack(blank(rows, rows), operands(m, used, rows)), blank(cols - 1, rows));
          cycles += static_cast<int>(skew(fold).size());
        }
      }
      break;
    case Dataflow::input_stationary:
      for (int fc = 0; fc < ceil_div(m, cols); ++fc) {
        for (int fr = 0; fr < ceil_div(k, rows); ++fr) {
          const int used = std::min(rows, k - fr * rows);
          const Matrix fold = stack(stack(blank(rows, rows), operands(n, used, rows)), blank(cols - 1, rows));
          cycles += static_cast<int>(skew(fold).size());
        }
      }
      break;
    case Dataflow::output_stationary:
      for (int fc = 0; fc < ceil_div(n, cols); ++fc) {
        for (int fr = 0; fr < ceil_div(m, rows); ++fr) {
          const int used = std::min(rows, m - fr * rows);
          const Matrix fold = stack(operands(k, used, rows), blank(cols - 1, rows));
          cycles += static_cast<int>(skew(fold).size());
        }
      }
      break;
  }
  return cycles;
}

TEST(MauTiming, HandWorkedFoldsOfEachDataflow) {
  // A 4 x 4 array, [10 x 8] x [8 x 8].
  const MauTiming ws(array(4, 4, Dataflow::weight_stationary));
  EXPECT_EQ(ws.folds(10, 8, 8).folds, 2 * 2);
  EXPECT_EQ(ws.folds(10, 8, 8).cycles, 4 * (2 * 4 + 4 + 10 - 2));
  const MauTiming os(array(4, 4, Dataflow::output_stationary));
  EXPECT_EQ(os.folds(10, 8, 8).folds, 3 * 2);
  EXPECT_EQ(os.folds(10, 8, 8).cycles, 6 * (4 + 4 + 8 - 2));
  const MauTiming is(array(4, 4, Dataflow::input_stationary));
  EXPECT_EQ(is.folds(10, 8, 8).folds, 2 * 3);
  EXPECT_EQ(is.folds(10, 8, 8).cycles, 6 * (2 * 4 + 4 + 8 - 2));
}

TEST(MauTiming, EdgeCasesCountWholeFolds) {
  const MauTiming ws(array(32, 64, Dataflow::weight_stationary));
  // K < rows and n < cols: one fold, still paying the full preload, fill and drain.
  EXPECT_EQ(ws.folds(197, 20, 30).folds, 1);
  EXPECT_EQ(ws.folds(197, 20, 30).cycles, 2 * 32 + 64 + 197 - 2);
  // One streamed row.
  EXPECT_EQ(ws.folds(1, 32, 64).cycles, 2 * 32 + 64 + 1 - 2);
  const MauTiming os(array(32, 64, Dataflow::output_stationary));
  EXPECT_EQ(os.folds(5, 768, 10).cycles, 32 + 64 + 768 - 2);  // m < rows, n < cols: one fold
  const MauTiming is(array(32, 64, Dataflow::input_stationary));
  EXPECT_EQ(is.folds(65, 33, 7).folds, 2 * 2);  // k and m just past the array
}

TEST(MauTiming, FoldCyclesEqualScaleSimDemandMatricesOnManyShapes) {
  for (const Dataflow dataflow : {Dataflow::weight_stationary, Dataflow::output_stationary, Dataflow::input_stationary}) {
    for (const auto& [rows, cols] : std::vector<std::pair<int, int>>{{4, 4}, {3, 5}, {8, 2}, {1, 6}}) {
      const MauTiming t(array(rows, cols, dataflow));
      for (int m = 1; m <= 13; m += 3) {
        for (int k = 1; k <= 17; k += 4) {
          for (int n = 1; n <= 11; n += 2) {
            EXPECT_EQ(t.folds(m, k, n).cycles, demand_cycles(m, k, n, rows, cols, dataflow))
                << "dataflow " << static_cast<int>(dataflow) << " array " << rows << "x" << cols << " m" << m << " k" << k
                << " n" << n;
          }
        }
      }
    }
  }
}

TEST(MauTiming, ArrayCyclesCoverEveryBatch) {
  const MauTiming ws(array(32, 64, Dataflow::weight_stationary));
  // ViT-Base attention scores: 12 heads of [197 x 64] x [64 x 197].
  EXPECT_EQ(ws.array_cycles({197, 64, 197, 12}), 12 * 2 * 4 * (2 * 32 + 64 + 197 - 2));
}

TEST(MauTiming, TilesRestartTheFolds) {
  const MauTiming ws(array(32, 64, Dataflow::weight_stationary));
  const GemmShape fc1{197, 768, 3072, 1};
  const int64_t per_fold_untiled = 2 * 32 + 64 + 197 - 2;
  const GemmCost untiled = ws.gemm(fc1);
  EXPECT_EQ(untiled.array_cycles, 24 * 48 * per_fold_untiled);
  EXPECT_EQ(untiled.tiling_cycles, 0);
  EXPECT_EQ(untiled.array_busy_cycles, untiled.array_cycles);
  // Row tiles of 64: three of 64 rows and one of 5, each paying the preload, fill and drain again.
  const GemmCost tiled = ws.gemm(fc1, {64, 768, 3072});
  const int64_t tiled_cycles = 24 * 48 * (3 * (2 * 32 + 64 + 64 - 2) + (2 * 32 + 64 + 5 - 2));
  EXPECT_EQ(tiled.array_cycles, untiled.array_cycles);
  EXPECT_EQ(tiled.tiling_cycles, tiled_cycles - untiled.array_cycles);
  EXPECT_EQ(tiled.folds, 4 * 24 * 48);
  // K and n tiles on fold boundaries add nothing in weight stationary.
  EXPECT_EQ(ws.gemm(fc1, {197, 256, 640}).tiling_cycles, 0);
}

TEST(MauTiming, Int16OperandsRunExtraPasses) {
  const MauTiming ws(array(32, 64, Dataflow::weight_stationary));
  const GemmCost int8 = ws.gemm({197, 3072, 768, 1});
  const GemmCost one = ws.gemm({197, 3072, 768, 1, true, false});
  const GemmCost both = ws.gemm({197, 3072, 768, 1, true, true});
  EXPECT_EQ(one.int16_cycles, int8.array_cycles);
  EXPECT_EQ(one.array_busy_cycles, 2 * int8.array_busy_cycles);
  EXPECT_EQ(both.array_busy_cycles, 4 * int8.array_busy_cycles);
  EXPECT_EQ(both.ideal_cycles, (197LL * 3072 * 768 * 4 + 2047) / 2048);
}

TEST(MauTiming, PreloadIm2colAndRequantisation) {
  MauConfig c = array(32, 64, Dataflow::weight_stationary);
  c.stationary_preload = PreloadMode::overlapped;
  const GemmCost hidden = MauTiming(c).gemm({197, 768, 768, 1});
  EXPECT_EQ(hidden.preload_hidden_cycles, (24 * 12 - 1) * 32);  // every fold's preload but the first
  EXPECT_EQ(hidden.array_busy_cycles, hidden.array_cycles - hidden.preload_hidden_cycles);
  // Output stationary has no stationary operand to preload.
  c.dataflow = Dataflow::output_stationary;
  EXPECT_EQ(MauTiming(c).gemm({197, 768, 768, 1}).preload_hidden_cycles, 0);

  const MauTiming ws(array(32, 64, Dataflow::weight_stationary));
  const GemmCost conv = ws.gemm({56 * 56, 9 * 64, 64, 1}, {56 * 56, 9 * 64, 64}, 56 * 56 * 9 * 64);
  EXPECT_EQ(conv.im2col_cycles, (56 * 56 * 9 * 64 + 63) / 64);  // one expanded element per lane per cycle
  EXPECT_EQ(conv.array_busy_cycles, conv.array_cycles + conv.im2col_cycles);
  c.im2col = Im2colMode::address_generator;
  c.dataflow = Dataflow::weight_stationary;
  EXPECT_EQ(MauTiming(c).gemm({56 * 56, 9 * 64, 64, 1}, {56 * 56, 9 * 64, 64}, 56 * 56 * 9 * 64).im2col_cycles, 0);
  // Every output leaves the accumulators through the vector path, which works beside the array.
  EXPECT_EQ(conv.requant_cycles, (56 * 56 * 64 + 63) / 64);
  EXPECT_EQ(ws.vector_cycles(1000, 3), (3000 + 63) / 64);
}

}  // namespace
}  // namespace npusim::hw
