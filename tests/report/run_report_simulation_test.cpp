// The run report built while real simulations run: categories, DRAM bytes by kind and the critical path
// of small hand-written plans and of a model-zoo block.
#include "report/run_report.hpp"

#include <gtest/gtest.h>

#include "hw/metrics/critical_path.hpp"
#include "hw/plan/plan_builder.hpp"
#include "hw/sim/simulation.hpp"
#include "tests/hw/sim/small_plans.hpp"
#include "workloads/model_zoo.hpp"

namespace npusim::hw {
namespace {

size_t at(Category c) { return static_cast<size_t>(c); }

TEST(Simulation, LutRunRecordsEveryCategoryAndPassesTheFunctionalCheck) {
  const HwConfig config = roomy_config(NonlinearEngine::lut);
  const ExecutionPlan plan = build_plan(small_trace(), config);
  ReportBuilder builder(config, plan);
  ActivityRecorder recorder;
  const SimulationResult result = simulate(config, plan, {true, 7}, {&builder, &recorder});
  EXPECT_TRUE(result.warnings.empty());
  const RunReport report = builder.finish(result.total_ns, result.functional);
  EXPECT_GT(report.total_ns, 0.0);
  EXPECT_GT(report.busy_ns[static_cast<size_t>(Category::mau_compute)], 0.0);
  EXPECT_GT(report.busy_ns[static_cast<size_t>(Category::weight_dma)], 0.0);
  EXPECT_GT(report.busy_ns[static_cast<size_t>(Category::table_load)], 0.0);
  EXPECT_GT(report.busy_ns[static_cast<size_t>(Category::decomposition)], 0.0);
  EXPECT_GT(report.busy_ns[static_cast<size_t>(Category::activation_dma)], 0.0);
  EXPECT_EQ(report.busy_ns[static_cast<size_t>(Category::mau_dsp_communication)], 0.0);
  // The model input read once, each layer's weights once, three 257-entry tables (the reciprocal over
  // [1, 197] stays under the dual-range threshold), the block's output written; the rest stays on chip.
  const int64_t tables = 3 * 514;
  EXPECT_EQ(result.dram_bytes_read, kTensor + 2 * kWeights + tables);
  EXPECT_EQ(result.dram_bytes_written, kTensor);
  EXPECT_EQ(report.dram_bytes_by_kind[static_cast<size_t>(TrafficKind::weights)], 2 * kWeights);
  EXPECT_EQ(report.dram_bytes_by_kind[static_cast<size_t>(TrafficKind::activations)], 2 * kTensor);
  EXPECT_EQ(report.dram_bytes_by_kind[static_cast<size_t>(TrafficKind::tables)], tables);
  EXPECT_EQ(report.dram_bytes_by_kind[static_cast<size_t>(TrafficKind::spills)], 0);
  EXPECT_EQ(report.ops[1].dram_read_bytes, kTensor + kWeights);
  EXPECT_EQ(report.ops[4].dram_write_bytes, kTensor);
  EXPECT_EQ(report.ops[1].array_cycles, 24 * 12 * (2 * 32 + 64 + 197 - 2));  // SCALE-Sim WS folds on 32 x 64
  ASSERT_EQ(result.functional.size(), 3u);
  for (const auto& f : result.functional) EXPECT_EQ(f.mismatches, 0) << f.what;
  // Row-wise consumers start on their producers' first finished rows (tile-level pipelining)...
  EXPECT_LT(report.ops[4].start_ns, report.ops[3].end_ns);
  // ...and fc2's first weight tile streams in during the softmax.
  double fc2_first_weights_ns = report.total_ns;
  for (const Activity& a : recorder.activities) {
    if (a.op_index == 3 && a.category == Category::weight_dma) fc2_first_weights_ns = std::min(fc2_first_weights_ns, a.start_ns);
  }
  EXPECT_LT(fc2_first_weights_ns, report.ops[2].end_ns);
  EXPECT_NEAR(report.ops.back().end_ns, report.total_ns, 1e-6);
}

TEST(Simulation, DspRunMovesDataBetweenMauAndDsp) {
  const HwConfig config = roomy_config(NonlinearEngine::dsp);
  const ExecutionPlan plan = build_plan(small_trace(), config);
  ReportBuilder builder(config, plan);
  const SimulationResult result = simulate(config, plan, {true, 7}, {&builder});
  const RunReport report = builder.finish(result.total_ns, result.functional);
  const double comm_ns = report.busy_ns[static_cast<size_t>(Category::mau_dsp_communication)];
  // Through DRAM: the softmax's input is written out by the MAU and read by the DSP, its result
  // written by the DSP and read back by fc2; the GELU's input is written out and read likewise, and
  // its result, the block's output, is written as an activation.
  const int64_t exchange = 6 * kTensor;
  EXPECT_EQ(report.dram_bytes_by_kind[static_cast<size_t>(TrafficKind::dsp_exchange)], exchange);
  EXPECT_EQ(report.dram_bytes_by_kind[static_cast<size_t>(TrafficKind::activations)], 2 * kTensor);
  EXPECT_GE(comm_ns, static_cast<double>(exchange) / config.dram.bandwidth_gbps);
  EXPECT_EQ(report.busy_ns[static_cast<size_t>(Category::table_load)], 0.0);
  for (const auto& f : result.functional) EXPECT_EQ(f.mismatches, 0) << f.what;
}

TEST(CriticalPath, RealRunPartsSumToTheTotalAndMatchTheBatchAttribution) {
  // One DeiT-Tiny block with its non-linear ops on the DSP: MAU, DSP, exchanges and DMA all overlap.
  const workloads::Trace trace = workloads::generate_model("deit_tiny", {});
  HwConfig config;
  config.nonlinear.default_engine = NonlinearEngine::dsp;
  const ExecutionPlan plan = build_plan(trace, config);
  ReportBuilder builder(config, plan);
  ActivityRecorder recorder;
  const SimulationResult result = simulate(config, plan, {false, 1}, {&builder, &recorder});
  const RunReport report = builder.finish(result.total_ns, {});
  ASSERT_GT(report.total_ns, 0);
  double sum = report.critical_idle_ns, busy = 0;
  for (int c = 0; c < kCategoryCount; ++c) {
    sum += report.critical_ns[static_cast<size_t>(c)];
    busy += report.busy_ns[static_cast<size_t>(c)];
    EXPECT_LE(report.critical_ns[static_cast<size_t>(c)], report.busy_ns[static_cast<size_t>(c)] + 1e-6) << c;
  }
  EXPECT_NEAR(sum, report.total_ns, 1e-9 * report.total_ns);
  EXPECT_NEAR(busy - (sum - report.critical_idle_ns), report.overlapped_ns, 1e-9 * busy);
  EXPECT_GT(report.critical_ns[at(Category::mau_compute)], 0);
  EXPECT_GT(report.critical_ns[at(Category::mau_dsp_communication)] + report.critical_ns[at(Category::nonlinear_compute)], 0);
  // The streamed attribution equals the one over all recorded activities at once.
  std::vector<CategoryInterval> intervals;
  for (const Activity& a : recorder.activities) intervals.push_back({a.category, a.start_ns, a.end_ns});
  const CriticalPathTimes batch = critical_path(intervals, report.total_ns);
  for (int c = 0; c < kCategoryCount; ++c) {
    EXPECT_NEAR(report.critical_ns[static_cast<size_t>(c)], batch.critical_ns[static_cast<size_t>(c)], 1e-9 * report.total_ns) << c;
  }
  EXPECT_NEAR(report.critical_idle_ns, batch.idle_ns, 1e-9 * report.total_ns);
}

}  // namespace
}  // namespace npusim::hw
