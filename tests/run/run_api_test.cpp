// The run API: run_point against `npusim run` and the pinned totals, side-by-side workers against runs in
// this process, an in-memory config reaching a worker, a failing engine reported with its error. Each test
// is its own process (gtest_discover_tests); a test that runs side by side does so before it simulates in
// this process, since the workers are forks of it.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/json.hpp"
#include "run/effective_config.hpp"
#include "run/run_request.hpp"
#include "tests/cli_runner.hpp"
#include "tests/error_text.hpp"

namespace npusim::run {
namespace {

using testing::contains;

workloads::Trace deit_tiny() {
  WorkloadRequest request;
  request.model = "deit_tiny";
  return load_trace(request);
}

hw::HwConfig on(hw::NonlinearEngine engine) { return on_engine(hw::HwConfig{}, engine); }

std::string report_text(const hw::RunReport& report) { return json::write(hw::report_json(report)); }

// The total tests/data/pinned_run_totals.csv records for the paper NPU, in ns.
int64_t pinned_total_ns(const std::string& model, const std::string& engine) {
  std::istringstream lines(read_file(std::string(NPUSIM_SOURCE_DIR) + "/tests/data/pinned_run_totals.csv"));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("paper_npu," + model + "," + engine + ",", 0) == 0) return std::stoll(line.substr(line.rfind(',') + 1));
  }
  ADD_FAILURE() << "no pin for " << model << " " << engine;
  return -1;
}

TEST(RunPoint, GivesThePinnedTotalAndTheReportNpusimRunWrites) {
  const std::string dir = testing::make_temp_dir("npusim_run_api");
  const auto cli = testing::run_npusim("run --model deit_tiny --engines lut --json " + dir + "/cli.json");
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  RunPointOptions options;
  options.config_label = "paper_npu";
  const RunPointResult result = run_point(on(hw::NonlinearEngine::lut), deit_tiny(), options);
  EXPECT_EQ(std::llround(result.report.total_ns), pinned_total_ns("deit_tiny", "lut"));
  EXPECT_EQ(result.report.workload, "deit_tiny (19 ops)");
  EXPECT_EQ(result.report.engines, "lut");
  EXPECT_TRUE(result.warnings.empty());
  EXPECT_TRUE(result.functional_passed());
  EXPECT_EQ(report_text(result.report), read_file(dir + "/cli.json"));
  std::filesystem::remove_all(dir);
}

// A sink hears of the plan before the first activity and of the end after the last.
TEST(RunPoint, SinksHearThePlanFirstAndTheEndLast) {
  struct Recorder : RunSink {
    size_t planned_ops = 0, activities = 0, activities_at_end = 0;
    bool ended = false;
    void begin(const hw::HwConfig&, const hw::ExecutionPlan& plan) override { planned_ops = plan.ops.size(); }
    void on_activity(const hw::Activity& activity, double) override {
      EXPECT_GT(planned_ops, 0u) << "an activity before the plan";
      EXPECT_LT(static_cast<size_t>(activity.op_index), planned_ops);
      EXPECT_FALSE(ended);
      ++activities;
    }
    void end() override {
      ended = true;
      activities_at_end = activities;
    }
  } recorder;
  const RunPointResult result = run_point(on(hw::NonlinearEngine::dsp), deit_tiny(), {}, {&recorder});
  EXPECT_EQ(recorder.planned_ops, 19u);
  EXPECT_TRUE(recorder.ended);
  EXPECT_GT(recorder.activities_at_end, 19u);
  EXPECT_EQ(std::llround(result.report.total_ns), pinned_total_ns("deit_tiny", "dsp"));
  EXPECT_EQ(result.report.config_name, "paper_npu");  // the config's name when no label is given
}

TEST(SideBySide, EachEnginesReportIsTheReportOfItsRunInThisProcess) {
  const workloads::Trace trace = deit_tiny();
  RunPointOptions options;
  options.config_label = "paper_npu";
  const std::vector<EngineRun> runs = {{"dsp", on(hw::NonlinearEngine::dsp)}, {"lut", on(hw::NonlinearEngine::lut)}};
  const std::vector<EngineOutcome> outcomes = run_side_by_side(runs, trace, options, {});
  ASSERT_EQ(outcomes.size(), 2u);
  for (size_t i = 0; i < runs.size(); ++i) {
    ASSERT_TRUE(outcomes[i].ok) << outcomes[i].engine << ": " << outcomes[i].error << "\n" << outcomes[i].log;
    EXPECT_EQ(outcomes[i].engine, runs[i].engine);
    // Whole reports, per op and per layer, byte for byte: the report handed back is the report made.
    EXPECT_EQ(report_text(outcomes[i].result.report), report_text(run_point(runs[i].config, trace, options).report)) << runs[i].engine;
    EXPECT_EQ(outcomes[i].result.report.ops.size(), 19u);
  }
  EXPECT_EQ(std::llround(outcomes[0].result.report.total_ns), pinned_total_ns("deit_tiny", "dsp"));
  EXPECT_EQ(std::llround(outcomes[1].result.report.total_ns), pinned_total_ns("deit_tiny", "lut"));
}

// The worker runs the config it is handed in memory: a DRAM latency above the range any YAML file or
// --set accepts (so no argument or file could have carried it) shows in its total.
TEST(SideBySide, AnInMemoryConfigReachesItsWorkerAsIs) {
  hw::HwConfig slow = on(hw::NonlinearEngine::lut);
  slow.dram.latency_ns = 5e6;  // schema range: 0..1e6 ns
  EXPECT_THROW(with_overrides(hw::HwConfig{}, {"dram.latency_ns=5e6"}), Error);
  RunPointOptions options;
  options.config_label = "in memory";
  const workloads::Trace trace = deit_tiny();
  const std::vector<EngineOutcome> outcomes =
      run_side_by_side({{"paper", on(hw::NonlinearEngine::lut)}, {"slow", slow}}, trace, options, {});
  ASSERT_EQ(outcomes.size(), 2u);
  ASSERT_TRUE(outcomes[0].ok && outcomes[1].ok) << outcomes[0].error << outcomes[1].error;
  EXPECT_EQ(std::llround(outcomes[0].result.report.total_ns), pinned_total_ns("deit_tiny", "lut"));
  // Every op's first transfer now waits 5 ms for its first byte.
  EXPECT_GT(outcomes[1].result.report.total_ns, 5e6);
  EXPECT_EQ(outcomes[1].result.report.config_name, "in memory");
  EXPECT_EQ(outcomes[1].result.report.total_ns, run_point(slow, trace, options).report.total_ns);
}

TEST(SideBySide, AFailingEngineIsReportedWithItsErrorAndTheOthersRun) {
  hw::HwConfig tiny = on(hw::NonlinearEngine::lut);
  tiny.sram.weight_kib = 1;  // no array-sized weight tile fits
  const std::vector<EngineOutcome> outcomes =
      run_side_by_side({{"dsp", on(hw::NonlinearEngine::dsp)}, {"tiny", tiny}}, deit_tiny(), {}, {});
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_TRUE(outcomes[0].ok) << outcomes[0].error;
  EXPECT_EQ(std::llround(outcomes[0].result.report.total_ns), pinned_total_ns("deit_tiny", "dsp"));
  EXPECT_FALSE(outcomes[1].ok);
  EXPECT_TRUE(contains(outcomes[1].error, "sram: no tiling of a [197 x 192] x [192 x 192] multiply fits the buffers")) << outcomes[1].error;
}

TEST(RunRequest, SeveralEnginesWriteTheComparisonAndEachEnginesFiles) {
  const std::string dir = testing::make_temp_dir("npusim_run_api");
  RunRequest request;
  request.workload.model = "deit_tiny";
  request.engines = {"dsp", "lut"};
  request.overrides = {"dram.bandwidth_gbps=6"};
  request.outputs.out_dir = dir + "/out";
  request.outputs.timeline_path = dir + "/t.json";
  const RunResult result = run(request);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result.engines.size(), 2u);
  EXPECT_TRUE(contains(result.comparison, "config paper_npu dram.bandwidth_gbps=6")) << result.comparison;
  EXPECT_EQ(read_file(dir + "/out/comparison.txt"), result.comparison);
  const json::Value comparison = json::parse(read_file(dir + "/out/comparison.json"), "comparison.json");
  const auto& reports = comparison.find("runs")->items();
  ASSERT_EQ(reports.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const std::string engine = result.engines[i].engine;
    EXPECT_EQ(json::write(reports[i]), read_file(dir + "/out/" + engine + "/report.json")) << engine;
    EXPECT_EQ(result.engines[i].result.report.config_name, "paper_npu dram.bandwidth_gbps=6");
    EXPECT_TRUE(std::filesystem::exists(dir + "/out/" + engine + "/activities.csv")) << engine;
  }
  // The baseline is named, the first engine; each speedup is its total over the engine's.
  EXPECT_EQ(comparison.find("baseline")->as_string(), result.engines[0].engine);
  const json::Value* speedup = comparison.find("speedup");
  const double first_ns = result.engines[0].result.report.total_ns, second_ns = result.engines[1].result.report.total_ns;
  EXPECT_DOUBLE_EQ(speedup->find(result.engines[0].engine)->as_number(), 1.0);
  EXPECT_NEAR(speedup->find(result.engines[1].engine)->as_number(), first_ns / second_ns, 1e-12);
  EXPECT_GT(speedup->find(result.engines[1].engine)->as_number(), 1.0);
  const json::Value timeline = json::parse(read_file(dir + "/t.json"), "t.json");
  EXPECT_GT(timeline.find("traceEvents")->items().size(), 40u);
  std::filesystem::remove_all(dir);
}

TEST(RunRequest, ResolveRefusesWhatCannotRunBeforeSimulating) {
  const std::string dir = testing::make_temp_dir("npusim_run_api");
  write_file_atomically(dir + "/bad.yaml", "dram:\n  bandwith_gbps: 3\n");
  RunRequest good;
  good.workload.model = "deit_tiny";
  const auto refused = [&](const std::function<void(RunRequest&)>& change, const std::string& message) {
    RunRequest request = good;
    change(request);
    try {
      resolve(request);
      ADD_FAILURE() << "accepted; expected: " << message;
    } catch (const Error& e) {
      EXPECT_TRUE(contains(e.what(), message)) << e.what();
    }
  };
  refused([](RunRequest& r) { r.engines = {"dsp", "lutt"}; }, "unknown non-linear engine 'lutt' (did you mean 'lut'?)");
  refused([](RunRequest& r) { r.engines = {"lut", "dsp", "lut"}; }, "the engine lut is named twice");
  refused([&](RunRequest& r) { r.config_file = dir + "/bad.yaml"; }, dir + "/bad.yaml:2:3: unknown key 'dram.bandwith_gbps'");
  refused([](RunRequest& r) { r.overrides = {"mau.rows=0"}; }, "--set mau.rows=0: mau.rows must be in 1..4096, got 0");
  refused([](RunRequest& r) { r.workload.model.clear(); }, "a workload is one of a zoo model, a trace file and a decoder ONNX file, got none");
  refused([](RunRequest& r) { r.workload.trace_file = "t.yaml"; }, "a decoder ONNX file, got deit_tiny, t.yaml");
  refused([](RunRequest& r) { r.workload.onnx_file = "decoder.onnx"; }, "a decoder ONNX file, got deit_tiny, decoder.onnx");
  refused([](RunRequest& r) { r.workload = {"", "t.yaml", {64, false, -1, -1, 1}, ""}; }, "t.yaml: tokens, blocks, whole model and batch");
  // An ONNX decoder resolves (a generation reads its sizes) but gives no trace to run.
  RunRequest onnx = good;
  onnx.workload.model.clear();
  onnx.workload.onnx_file = "decoder.onnx";
  EXPECT_EQ(testing::error_of([&] { execute(resolve(onnx)); }), "decoder.onnx: an ONNX model is a workload of generation only (its traces are built from its sizes)");
  refused([&](RunRequest& r) { r.outputs.json_path = dir + "/missing/r.json"; }, "cannot write " + dir + "/missing/r.json");

  RunRequest request = good;
  request.engines = {"ivit"};
  request.overrides = {"dram.bandwidth_gbps=6", "dsp.lanes=32"};
  const ResolvedRun resolved = resolve(request);
  ASSERT_EQ(resolved.engines.size(), 1u);
  EXPECT_EQ(resolved.engines[0].engine, "ivit");
  EXPECT_EQ(resolved.engines[0].config.nonlinear.default_engine, hw::NonlinearEngine::ivit);
  EXPECT_EQ(resolved.engines[0].config.dram.bandwidth_gbps, 6.0);
  EXPECT_EQ(resolved.engines[0].config.dsp.lanes, 32);
  EXPECT_EQ(resolved.options.config_label, "paper_npu dram.bandwidth_gbps=6 dsp.lanes=32");
  EXPECT_EQ(resolved.trace.ops.size(), 19u);
  EXPECT_EQ(resolved.defaults_note, "");
  // No engine named: one run with the config's own choice per op kind.
  const ResolvedRun own = resolve(good);
  ASSERT_EQ(own.engines.size(), 1u);
  EXPECT_EQ(own.engines[0].engine, "config");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace npusim::run
