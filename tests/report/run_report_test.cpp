#include "report/run_report.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <regex>
#include <sstream>

#include "report/run_figures.hpp"

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


// Two overlapping activities: MAU 0..100 ms and weight DMA 50..250 ms, in a 300 ms run (idle 250..300).
RunReport overlapping_run() {
  const HwConfig config;
  const ExecutionPlan plan = two_block_plan();
  ReportBuilder builder(config, plan);
  Activity dma = activity(0, "dma.0", 50e6, 250e6);
  dma.category = Category::weight_dma;
  builder.on_activity(activity(0, "mau.array", 0, 100e6), 0);
  builder.on_activity(dma, 50e6);
  RunReport r = builder.finish(300e6, {});
  r.workload = "two blocks";
  return r;
}

// Issue 25: the console comparison added non-linear, communication and exposed stall, which overlap, to
// more than the total. The first rows now are the critical path, and they add up to the total.
TEST(Report, TheFirstBreakdownPrintedAddsUpToTheTotal) {
  const RunReport r = overlapping_run();
  const std::string text = summary_text(r);
  std::map<std::string, double> row;
  const std::regex line("\\n    ([a-z_]+)[^\\n]*\\(ms\\) +([0-9.]+)  +[0-9.]+ %");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), line); it != std::sregex_iterator(); ++it) row[(*it)[1]] = std::stod((*it)[2]);
  ASSERT_EQ(row.size(), 8u) << text;  // seven categories and idle
  double sum = 0;
  for (const auto& [name, ms] : row) sum += ms;
  EXPECT_NEAR(sum, 300, 1e-9) << text;
  EXPECT_DOUBLE_EQ(row["mau_compute"], 100);
  EXPECT_DOUBLE_EQ(row["weight_dma"], 150);  // 100..250: the MAU holds 50..100
  EXPECT_DOUBLE_EQ(row["idle"], 50);
  // It comes before any busy time, and the busy figures say they overlap.
  EXPECT_LT(text.find("critical path"), text.find("busy time"));
  EXPECT_NE(text.find("overlapped (ms)"), std::string::npos);
  EXPECT_EQ(text.find("exposed stall"), std::string::npos);

  // The comparison shows the same rows first, under the same names.
  const std::string comparison = comparison_text({r, r});
  EXPECT_LT(comparison.find("    idle: nothing busy (ms)"), comparison.find("busy time"));
  EXPECT_LT(comparison.find("total latency (ms)"), comparison.find("    mau_compute (ms)"));
}

// One name per figure: each console row's key is a summary.csv column, and the critical columns add up.
TEST(Report, ConsoleFiguresAreSummaryCsvColumnsAndTheCriticalColumnsAddUp) {
  const RunReport r = overlapping_run();
  const std::string csv = summary_csv(r);
  std::vector<std::string> header, values;
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);
  for (std::istringstream split(line); std::getline(split, line, ',');) header.push_back(line);
  std::getline(lines, line);
  for (std::istringstream split(line); std::getline(split, line, ',');) values.push_back(line);
  ASSERT_EQ(header.size(), values.size());
  std::map<std::string, double> column;
  for (size_t i = 3; i < header.size(); ++i) column[header[i]] = std::stod(values[i]);
  for (const RunFigure& f : run_figures({r})) {
    if (f.heading() || f.key == "table_lookups_per_cycle") continue;
    ASSERT_TRUE(column.count(f.key)) << f.key;
    EXPECT_NEAR(column[f.key], *f.value(r), 1e-3) << f.key;  // energy has 3 decimals in the CSV
  }
  double critical = 0;
  for (const auto& [name, v] : column) critical += name.rfind("critical_", 0) == 0 ? v : 0.0;
  EXPECT_NEAR(critical, column["total_ms"], 1e-6);
  EXPECT_FALSE(column.count("exposed_stall_ms"));
  EXPECT_TRUE(column.count("busy_weight_dma_ms"));
}

// A report.json written before busy_time and the critical path (top-level "<category>_ns", an
// "exposed_stall_ns") still reads: a resumed sweep reads its earlier points.
TEST(Report, ReportsWrittenBeforeBusyTimeReadBack) {
  const RunReport r = overlapping_run();
  const json::Value now = report_json(r);
  std::string old = json::write(now);
  const size_t from = old.find("    \"critical_path\"");
  const size_t to = old.find("    \"overlapped_ns\"");
  ASSERT_NE(from, std::string::npos);
  ASSERT_NE(to, std::string::npos);
  std::string busy_flat;
  for (int c = 0; c < kCategoryCount; ++c) {
    busy_flat += "    \"" + std::string(category_name(static_cast<Category>(c))) + "_ns\": " +
                 std::to_string(r.busy_ns[static_cast<size_t>(c)]) + ",\n";
  }
  old.replace(from, to - from, busy_flat + "    \"exposed_stall_ns\": 200,\n");
  const RunReport back = report_from_json(json::parse(old, "old.json"), "old.json");
  EXPECT_EQ(back.busy_ns, r.busy_ns);
  EXPECT_EQ(back.critical_idle_ns, 0.0);  // not reported then
  EXPECT_DOUBLE_EQ(back.total_ns, 300e6);
  const RunReport same = report_from_json(now, "now.json");
  EXPECT_EQ(same.critical_ns, r.critical_ns);
  EXPECT_EQ(same.critical_idle_ns, r.critical_idle_ns);
}

}  // namespace
}  // namespace npusim::hw
