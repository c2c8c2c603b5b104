// Whole timed runs of small hand-written plans (one simulation per test process; ctest runs each
// test case in its own process).
#include "hw/simulation.hpp"

#include <gtest/gtest.h>

#include "hw/report.hpp"
#include "models/error.hpp"

namespace npusim::hw {
namespace {

// x -> fc (weights) -> softmax -> fc -> gelu
ExecutionPlan small_plan(NonlinearEngine engine) {
  ExecutionPlan plan;
  plan.workload = "small";
  PlannedOp fc1;
  fc1.id = "fc1";
  fc1.layer = "blocks.0.fc1";
  fc1.type = "matmul";
  fc1.work = OpWork::gemm;
  fc1.gemm = {197, 768, 768, 1, false};
  fc1.weight_bytes = 768 * 768;
  fc1.weight_tiles = 3;
  plan.ops.push_back(fc1);
  PlannedOp softmax;
  softmax.id = "softmax";
  softmax.layer = "blocks.0.attn.softmax";
  softmax.type = "softmax";
  softmax.deps = {0};
  softmax.work = OpWork::nonlinear;
  softmax.engine = engine;
  softmax.nonlinear = {NonlinearKind::softmax, 197 * 768, 197};
  softmax.tables = {{"blocks.0.attn.softmax.exp", Function::exp, -12.0, 0.0, 514},
                    {"blocks.0.attn.softmax.reciprocal", Function::reciprocal, 1.0, 197.0, 548}};
  softmax.dsp_in_bytes = softmax.dsp_out_bytes = 197 * 768;
  plan.ops.push_back(softmax);
  PlannedOp fc2 = fc1;
  fc2.id = "fc2";
  fc2.layer = "blocks.0.fc2";
  fc2.deps = {1};
  fc2.spill_bytes = 197 * 768;
  plan.ops.push_back(fc2);
  PlannedOp gelu;
  gelu.id = "gelu";
  gelu.layer = "blocks.0.mlp.gelu";
  gelu.type = "gelu";
  gelu.deps = {2};
  gelu.work = OpWork::nonlinear;
  gelu.engine = engine;
  gelu.nonlinear = {NonlinearKind::gelu, 197 * 768, 197};
  gelu.tables = {{"blocks.0.mlp.gelu.gelu", Function::gelu, -8.0, 8.0, 514}};
  gelu.dsp_in_bytes = gelu.dsp_out_bytes = 197 * 768;
  gelu.reload_bytes = 197 * 768;
  plan.ops.push_back(gelu);
  return plan;
}

TEST(Simulation, LutRunRecordsEveryCategoryAndPassesTheFunctionalCheck) {
  HwConfig config;
  const ExecutionPlan plan = small_plan(NonlinearEngine::lut);
  const SimulationResult result = simulate(config, plan, {true, 7});
  EXPECT_TRUE(result.warnings.empty());
  const RunReport report = build_report(config, plan, result.log, result.total_ns, result.functional);
  EXPECT_GT(report.total_ns, 0.0);
  EXPECT_GT(report.busy_ns[static_cast<size_t>(Category::mau_compute)], 0.0);
  EXPECT_GT(report.busy_ns[static_cast<size_t>(Category::weight_dma)], 0.0);
  EXPECT_GT(report.busy_ns[static_cast<size_t>(Category::table_load)], 0.0);
  EXPECT_GT(report.busy_ns[static_cast<size_t>(Category::decomposition)], 0.0);
  EXPECT_GT(report.busy_ns[static_cast<size_t>(Category::activation_dma)], 0.0);
  EXPECT_EQ(report.busy_ns[static_cast<size_t>(Category::mau_dsp_communication)], 0.0);
  // Weights: 2 x 768 x 768 bytes; the spill and reload of 197 x 768; three tables.
  EXPECT_EQ(result.log.dram_bytes_read, 2 * 768 * 768 + 197 * 768 + 514 + 548 + 514);
  EXPECT_EQ(result.log.dram_bytes_written, 197 * 768);
  ASSERT_EQ(result.functional.size(), 3u);
  for (const auto& f : result.functional) EXPECT_EQ(f.mismatches, 0) << f.what;
  // Work other than weight prefetch starts only after the op's dependencies have finished...
  for (const Activity& a : result.log.activities) {
    if (a.category == Category::weight_dma) continue;
    for (const int dep : plan.ops[static_cast<size_t>(a.op_index)].deps) {
      EXPECT_GE(a.start_ns, report.ops[static_cast<size_t>(dep)].end_ns - 1e-6) << a.unit << " of op " << a.op_index;
    }
  }
  // ...while fc2's weights stream in during the softmax (double-buffered weight SRAM).
  EXPECT_LT(report.ops[2].start_ns, report.ops[1].end_ns);
  EXPECT_NEAR(report.ops.back().end_ns, report.total_ns, 1e-6);
}

TEST(Simulation, DspRunMovesDataBetweenMauAndDsp) {
  HwConfig config;
  const ExecutionPlan plan = small_plan(NonlinearEngine::dsp);
  const SimulationResult result = simulate(config, plan, {true, 7});
  const RunReport report = build_report(config, plan, result.log, result.total_ns, result.functional);
  const double comm_ns = report.busy_ns[static_cast<size_t>(Category::mau_dsp_communication)];
  // Four traversals of 197 x 768 bytes at 3 GB/s, plus per-transfer setup and latency.
  EXPECT_GE(comm_ns, 4 * 197 * 768 / 3.0);
  EXPECT_EQ(report.busy_ns[static_cast<size_t>(Category::table_load)], 0.0);
  for (const auto& f : result.functional) EXPECT_EQ(f.mismatches, 0) << f.what;
}

TEST(Simulation, SecondElaborationInOneProcessIsAClearError) {
  HwConfig config;
  const ExecutionPlan plan = small_plan(NonlinearEngine::lut);
  simulate(config, plan, {});
  EXPECT_THROW(simulate(config, plan, {}), Error);
}

}  // namespace
}  // namespace npusim::hw
