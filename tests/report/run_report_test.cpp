#include "report/run_report.hpp"

#include <gtest/gtest.h>

namespace npusim::hw {
namespace {

Activity activity(int op, const std::string& unit, double start_ns, double end_ns) {
  Activity a;
  a.op_index = op;
  a.unit = unit;
  a.role = unit.rfind("dma", 0) == 0 ? UnitRole::dma : UnitRole::mau_array;
  a.start_ns = start_ns;
  a.end_ns = end_ns;
  return a;
}

// The units the paper NPU elaborates, as a simulation announces them.
std::vector<UnitInfo> paper_npu_units() {
  return {{"mau.array", UnitRole::mau_array}, {"mau.vector", UnitRole::mau_vector}, {"lut_unit", UnitRole::lut},
          {"nnlut_unit", UnitRole::nnlut},    {"dsp", UnitRole::dsp},                {"dsp.link", UnitRole::link},
          {"dma.0", UnitRole::dma},           {"dma.1", UnitRole::dma}};
}

// blocks.0: a gemm 0..100; blocks.1: a reshape of it (no unit works on it), then a gemm 120..200.
ExecutionPlan two_block_plan() {
  ExecutionPlan plan;
  PlannedOp a, reshape, b;
  a.id = "a", a.layer = "blocks.0.fc", a.work = OpWork::gemm;
  reshape.id = "r", reshape.layer = "blocks.1.reshape", reshape.work = OpWork::none, reshape.deps = {0};
  b.id = "b", b.layer = "blocks.1.fc", b.work = OpWork::gemm, b.deps = {1};
  plan.ops = {a, reshape, b};
  return plan;
}

TEST(Report, AnOpNoUnitWorkedOnTakesTheTimeItsInputsWereReady) {
  const HwConfig config;
  const ExecutionPlan plan = two_block_plan();
  ReportBuilder builder(config, plan);
  builder.on_activity(activity(0, "mau.array", 0, 100), 0);
  builder.on_activity(activity(2, "mau.array", 120, 200), 120);
  const RunReport r = builder.finish(200, {});
  EXPECT_EQ(r.ops[1].start_ns, 100.0);
  EXPECT_EQ(r.ops[1].end_ns, 100.0);
  ASSERT_EQ(r.layers.size(), 2u);
  EXPECT_EQ(r.layers[1].layer, "blocks.1");
  EXPECT_EQ(r.layers[1].start_ns, 100.0);  // not 0
  EXPECT_EQ(r.layers[1].end_ns, 200.0);
}

TEST(Report, BusyFractionsCountOverlappingActivitiesOfAUnitOnce) {
  HwConfig config;
  config.dma.channels = 2;
  const ExecutionPlan plan = two_block_plan();
  ReportBuilder builder(config, plan);
  builder.on_units(paper_npu_units());
  builder.on_activity(activity(0, "mau.array", 0, 100), 0);
  builder.on_activity(activity(0, "dma.1", 0, 60), 0);
  builder.on_activity(activity(0, "dma.1", 40, 80), 40);  // overlaps the first by 20 ns
  builder.on_activity(activity(2, "mau.array", 120, 200), 120);
  const RunReport r = builder.finish(400, {});
  std::map<std::string, double> busy(r.unit_busy_fraction.begin(), r.unit_busy_fraction.end());
  ASSERT_EQ(r.unit_busy_fraction.size(), 8u);  // six units and two DMA channels
  EXPECT_DOUBLE_EQ(busy["mau.array"], 180.0 / 400);
  EXPECT_DOUBLE_EQ(busy["dma.1"], 80.0 / 400);
  EXPECT_DOUBLE_EQ(busy["dma.0"], 0.0);
  EXPECT_DOUBLE_EQ(busy["dsp"], 0.0);
}

TEST(Report, SummaryCsvAndJsonCarryBusyFractionsSramBytesAndEnergy) {
  const HwConfig config;
  ExecutionPlan plan = two_block_plan();
  plan.ops[0].gemm = {10, 10, 10, 1, false, false};
  ReportBuilder builder(config, plan);
  builder.on_units(paper_npu_units());
  builder.on_activity(activity(0, "mau.array", 0, 100), 0);
  const RunReport r = builder.finish(100, {});
  // 10 x 10 x 10 and the second gemm's default 1 x 1 x 1: 1001 INT8 MACs at 0.3 pJ; the activation
  // buffer reads each input once (one column tile): 100 + 1 bytes.
  EXPECT_DOUBLE_EQ(r.energy.mac_uj, 1001 * 0.3e-6);
  EXPECT_EQ(r.sram.read_bytes[1], 101);
  const std::string csv = summary_csv(r);
  const std::string header = csv.substr(0, csv.find('\n'));
  for (const char* column : {",mau_array_busy_fraction,", ",dma_1_busy_fraction,", ",weight_sram_read_bytes,",
                             ",activation_sram_write_bytes,", ",accumulator_sram_read_bytes,", ",energy_uj,", ",dsp_energy_uj"}) {
    EXPECT_NE(header.find(column), std::string::npos) << column;
  }
  const RunReport back = report_from_json(report_json(r), "r.json");
  EXPECT_TRUE(back.has_energy);
  EXPECT_DOUBLE_EQ(back.energy.total_uj(), r.energy.total_uj());
  EXPECT_EQ(back.sram.read_bytes, r.sram.read_bytes);
  EXPECT_EQ(back.unit_busy_fraction, r.unit_busy_fraction);
}

}  // namespace
}  // namespace npusim::hw
