// End-to-end tests of `npusim run` and the default job: each run is its own process.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "report/run_report.hpp"
#include "common/atomic_file.hpp"
#include "common/json.hpp"
#include "tests/cli_runner.hpp"
#include "workloads/model_zoo.hpp"

namespace npusim {
namespace {

using testing::run_npusim;

using testing::contains;

// Total latency in ms of one engine's run, from its JSON report.
double total_ms(const std::string& args) {
  const std::string dir = testing::make_temp_dir("npusim_run");
  const auto r = run_npusim("run " + args + " --json " + dir + "/r.json");
  EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  if (r.exit_code != 0) return -1;
  const json::Value report = json::parse(read_file(dir + "/r.json"), "r.json");
  std::filesystem::remove_all(dir);
  return report.find("summary")->find("total_ms")->as_number();
}

TEST(NpusimRun, DefaultJobComparesDspAndLutOnAVitBaseBlock) {
  const auto r = run_npusim("");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* fragment : {"vit_base", "dsp", "lut", "total latency (ms)", "non-linear ops (ms)", "communication (ms)",
                               "non-linear share (%)", "speedup vs dsp"}) {
    EXPECT_TRUE(contains(r.out, fragment)) << fragment << "\n" << r.out;
  }
}

TEST(NpusimRun, WritesEveryReportAndTheEffectiveConfig) {
  const std::string dir = testing::make_temp_dir("npusim_run");
  const auto r = run_npusim("run --model vit_base --engines lut --functional --out " + dir + "/out --timeline " + dir +
                            "/t.json --vcd " + dir + "/busy.vcd --set dram.bandwidth_gbps=5");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "mismatches (pass)")) << r.out;
  for (const char* file : {"ops.csv", "activities.csv", "layers.csv", "summary.csv", "report.json", "config.yaml"}) {
    EXPECT_TRUE(std::filesystem::exists(dir + "/out/" + file)) << file;
  }
  EXPECT_TRUE(contains(read_file(dir + "/out/config.yaml"), "bandwidth_gbps: 5.0"));
  const json::Value timeline = json::parse(read_file(dir + "/t.json"), "t.json");
  EXPECT_GT(timeline.find("traceEvents")->items().size(), 20u);
  EXPECT_TRUE(contains(read_file(dir + "/busy.vcd"), "$var wire 1"));
  const std::string ops = read_file(dir + "/out/ops.csv");
  EXPECT_TRUE(contains(ops, "blocks.0.mlp.gelu")) << ops.substr(0, 400);
  EXPECT_TRUE(contains(ops.substr(0, ops.find('\n')), ",array_cycles,dram_read_bytes,dram_write_bytes")) << ops.substr(0, 400);
  const std::string summary = read_file(dir + "/out/summary.csv");
  EXPECT_TRUE(contains(summary, ",dram_weights_bytes,dram_activations_bytes,dram_spills_bytes,dram_tables_bytes,"
                                "dram_dsp_exchange_bytes,macs,mau_utilization"))
      << summary;
  std::filesystem::remove_all(dir);
}

TEST(NpusimRun, OverridesNameTheConfigAndTwoEnginesShareOneTimeline) {
  const std::string dir = testing::make_temp_dir("npusim_run");
  const auto r = run_npusim("run --model vit_base --engines dsp,lut --set dram.bandwidth_gbps=6 --timeline " + dir +
                            "/t.json --out " + dir + "/o");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "config paper_npu dram.bandwidth_gbps=6")) << r.out;
  for (const char* row : {"busy mau.array (%)", "busy dma.1 (%)", "energy (uJ)", "  DSP (uJ)", "  LUT unit (uJ)", "energy vs dsp"}) {
    EXPECT_TRUE(contains(r.out, row)) << row << "\n" << r.out;
  }
  EXPECT_TRUE(contains(read_file(dir + "/o/lut/summary.csv"), ",paper_npu dram.bandwidth_gbps=6,"));
  const json::Value report = json::parse(read_file(dir + "/o/dsp/report.json"), "report.json");
  EXPECT_EQ(report.find("summary")->find("config")->as_string(), "paper_npu dram.bandwidth_gbps=6");
  EXPECT_GT(report.find("summary")->find("energy_uj")->as_number(), 0.0);
  // One file, the one named: a Perfetto process per engine, each named.
  EXPECT_FALSE(std::filesystem::exists(dir + "/t.dsp.json"));
  const json::Value timeline = json::parse(read_file(dir + "/t.json"), "t.json");
  std::map<int, std::string> process_names;
  std::set<int> pids;
  for (const json::Value& e : timeline.find("traceEvents")->items()) {
    const int pid = static_cast<int>(e.find("pid")->as_number());
    pids.insert(pid);
    if (e.find("name")->as_string() == "process_name") process_names[pid] = e.find("args")->find("name")->as_string();
  }
  EXPECT_EQ(pids, (std::set<int>{1, 2}));
  EXPECT_TRUE(contains(process_names[1], "dsp")) << process_names[1];
  EXPECT_TRUE(contains(process_names[2], "lut")) << process_names[2];
  std::filesystem::remove_all(dir);
}

TEST(NpusimRun, LayerGroupsStartWhenTheirInputsAreReady) {
  const std::string dir = testing::make_temp_dir("npusim_run");
  ASSERT_EQ(run_npusim("run --model vit_base --blocks 0:3 --engines lut --out " + dir).exit_code, 0);
  std::istringstream layers(read_file(dir + "/layers.csv"));
  std::string line;
  std::getline(layers, line);
  int later_groups = 0;
  double previous_start = -1;
  while (std::getline(layers, line)) {
    if (line.rfind("blocks.", 0) != 0) continue;
    const double start = std::stod(line.substr(line.find(',') + 1));
    if (previous_start >= 0) {
      ++later_groups;
      EXPECT_GT(start, previous_start) << line;  // a reshape no longer pulls a block's start back to 0
    }
    previous_start = start;
  }
  EXPECT_EQ(later_groups, 2);
  std::filesystem::remove_all(dir);
}

TEST(NpusimCli, VersionAndHelpDefaultsAsTyped) {
  const auto version = run_npusim("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(contains(version.out, "npusim 0.")) << version.out;
  EXPECT_TRUE(contains(version.out, "SystemC 2.")) << version.out;
  const auto help = run_npusim("calibrate --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(contains(help.out, "(=0.1)")) << help.out;
  EXPECT_FALSE(contains(help.out, "0000000")) << help.out;
}

TEST(NpusimRun, FunctionalModeChecksTheNnLutAndDspUnits) {
  for (const char* engine : {"nnlut", "dsp"}) {
    const auto r = run_npusim(std::string("run --model deit_tiny --functional --engines ") + engine);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.out, "0 mismatches (pass)")) << r.out;
  }
}

TEST(NpusimRun, CoSimulatedRtlLutUnitMatchesTheReference) {
  const auto r = run_npusim("run --model deit_tiny --functional --engines lut --set lut_unit.model=rtl");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "0 mismatches (pass)")) << r.out;
}

TEST(NpusimRun, IdenticalInputsGiveByteIdenticalCsv) {
  const std::string dir = testing::make_temp_dir("npusim_run");
  for (const char* name : {"a", "b"}) {
    ASSERT_EQ(run_npusim(std::string("run --model deit_tiny --engines dsp --out ") + dir + "/" + name).exit_code, 0);
  }
  for (const char* file : {"ops.csv", "activities.csv", "layers.csv", "summary.csv"}) {
    EXPECT_EQ(read_file(dir + "/a/" + file), read_file(dir + "/b/" + file)) << file;
  }
  std::filesystem::remove_all(dir);
}

TEST(NpusimRun, SideBySideJsonHoldsEachEnginesTotal) {
  const std::string dir = testing::make_temp_dir("npusim_run");
  const auto r = run_npusim("run --model deit_tiny --engines dsp,lut,nnlut,ibert,ivit --json " + dir + "/c.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json::Value c = json::parse(read_file(dir + "/c.json"), "c.json");
  for (const char* engine : {"dsp", "lut", "nnlut", "ibert", "ivit"}) EXPECT_NE(c.find("total_ms")->find(engine), nullptr) << engine;
  EXPECT_EQ(c.find("runs")->items().size(), 5u);
  std::filesystem::remove_all(dir);
}

TEST(NpusimRun, LutBeatsDspOnEveryZooBlock) {
  for (const auto& model : workloads::zoo_model_names()) {
    const std::string tokens = (model == "tinyllama" || model == "smollm" || model == "opt_1_3b") ? " --tokens 512" : "";
    const double dsp = total_ms("--model " + model + tokens + " --engines dsp");
    const double lut = total_ms("--model " + model + tokens + " --engines lut");
    EXPECT_LT(lut, dsp) << model;
  }
}

// SPEC 4's two published ViT-Base block points, the only ones the paper NPU's buffer sizes were fitted to.
TEST(NpusimRun, VitBaseBlockMatchesBothPublishedPointsWithinTenPercent) {
  const struct {
    const char* engine;
    const char* gbps;
    double paper_ms;
  } points[] = {{"dsp", "3", 16.73}, {"lut", "3", 12.87}, {"dsp", "20", 8.47}, {"lut", "20", 3.87}};
  for (const auto& p : points) {
    const double t = total_ms(std::string("--model vit_base --engines ") + p.engine + " --set dram.bandwidth_gbps=" + p.gbps);
    EXPECT_NEAR(t, p.paper_ms, 0.10 * p.paper_ms) << p.engine << " at " << p.gbps << " GB/s";
  }
}

TEST(NpusimRun, MoreBandwidthNeverIncreasesLatency) {
  for (const char* model : {"vit_base", "efficientformer_l1", "tinyllama --tokens 256"}) {
    for (const char* engine : {"dsp", "lut"}) {
      double previous = 1e30;
      for (const char* gbps : {"1", "3", "6", "12", "20", "64"}) {
        const double t = total_ms(std::string("--model ") + model + " --engines " + engine + " --set dram.bandwidth_gbps=" + gbps);
        EXPECT_LE(t, previous + 1e-9) << model << " " << engine << " at " << gbps << " GB/s";
        previous = t;
      }
    }
  }
}

TEST(NpusimRun, BadConfigsAndOptionsAreClearErrors) {
  const std::string dir = testing::make_temp_dir("npusim_run");
  write_file_atomically(dir + "/bad.yaml", "dram:\n  bandwith_gbps: 3\n");
  write_file_atomically(dir + "/zero.yaml", "dram:\n  bandwidth_gbps: 0\n");
  const struct {
    std::string args;
    int exit_code;
    std::string message;
  } cases[] = {
      {"run --model vit_base --config " + dir + "/bad.yaml", 1,
       dir + "/bad.yaml:2:3: unknown key 'dram.bandwith_gbps' (did you mean 'dram.bandwidth_gbps'?)"},
      {"run --model vit_base --config " + dir + "/zero.yaml", 1, dir + "/zero.yaml:2:19: dram.bandwidth_gbps must be in 0.01..100000 GB/s"},
      {"run --model vit_base --config " + dir + "/missing.yaml", 1, "cannot read " + dir + "/missing.yaml"},
      {"run --model vit_base --set mau.rows=0", 1, "--set mau.rows=0: mau.rows must be in 1..4096, got 0"},
      {"run --model vit_base --set mau.colums=3", 1, "did you mean 'mau.cols'?"},
      {"run --model vit_base --engines dsp,lutt", 1, "unknown non-linear engine 'lutt' (did you mean 'lut'?)"},
      {"run --model vit_bas", 1, "unknown model 'vit_bas' (did you mean 'vit_base'?)"},
      {"run", 2, "give either --workload FILE or --model NAME"},
      {"run --model vit_base --blocks 3:99", 1, "vit_base has blocks 0..11"},
      {"run --model vit_base --out " + dir + "/bad.yaml/sub", 1, "cannot create directory"},
  };
  for (const auto& c : cases) {
    const auto r = run_npusim(c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args << "\n" << r.err;
    EXPECT_TRUE(contains(r.err, c.message)) << c.args << "\n" << r.err;
  }
  std::filesystem::remove_all(dir);
}

// Regressions (issue 13), end to end: each of these ran with exit 0 and printed garbage (a saturated
// 9.2e9 ms total, a negative non-linear time, 0 elements in 0.000 ms), ran for hours, or ran the paper
// NPU in place of an empty config. Now each is one line and exit code 1.
TEST(NpusimRun, InputsThatRanSilentlyOrForeverAreRefused) {
  const std::string dir = testing::make_temp_dir("npusim_run");
  write_file_atomically(dir + "/empty.yaml", "# a config that lost its contents\n");
  write_file_atomically(dir + "/huge_gelu.yaml",
                        "format: npusim-trace\nversion: 1\nmodel: t\nops:\n  - id: g\n    type: gelu\n"
                        "    inputs: [[4294967296, 4294967296]]\n    output: [4294967296, 4294967296]\n    ranges: {gelu: [-8, 8]}\n");
  const struct {
    std::string args;
    std::string message;
  } cases[] = {
      {"run --model vit_base --engines lut --set dram.bandwidth_gbps=1e-300", "dram.bandwidth_gbps must be in 0.01..100000 GB/s, got 1e-300"},
      {"run --model vit_base --engines dsp --set clock_ghz=1e-12", "clock_ghz must be in 0.01..10 GHz, got 1e-12"},
      {"run --workload " + dir + "/huge_gelu.yaml --engines lut", dir + "/huge_gelu.yaml:5:5: op 'g': input shape [4294967296, 4294967296] has more than 2^40"},
      {"run --model tinyllama --tokens 1048576 --engines lut", "--tokens 1048576 is above the limit of 65536 tokens per sequence"},
      {"trace-stats --model vit_base --batch 4611686018427387904", "--batch 4611686018427387904 is above the limit of 1024 sequences"},
      {"run --model vit_base --config " + dir + "/empty.yaml", dir + "/empty.yaml:1:1: the config holds no settings"},
  };
  for (const auto& c : cases) {
    const auto r = run_npusim(c.args);
    EXPECT_EQ(r.exit_code, 1) << c.args << "\n" << r.out << r.err;
    EXPECT_TRUE(contains(r.err, c.message)) << c.args << "\n" << r.err;
  }
  // A config cut off at a section boundary runs, and says which fields took the paper NPU's values.
  const std::string paper = read_file(std::string(NPUSIM_SOURCE_DIR) + "/configs/paper_npu.yaml");
  write_file_atomically(dir + "/cut.yaml", paper.substr(0, paper.find("\ndram:") + 1));
  const auto cut = run_npusim("run --model deit_tiny --engines lut --config " + dir + "/cut.yaml");
  EXPECT_EQ(cut.exit_code, 0) << cut.err;
  EXPECT_TRUE(contains(cut.err, "npusim: note: " + dir + "/cut.yaml: not in the file, so the paper NPU's values are used: dram, dma, sram, nonlinear, energy\n"))
      << cut.err;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace npusim
