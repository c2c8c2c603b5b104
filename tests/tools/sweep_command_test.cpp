// End-to-end tests of npusim sweep and sweep-merge.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "models/io/atomic_file.hpp"
#include "tests/tools/cli_runner.hpp"

namespace npusim {
namespace {

using testing::run_npusim;

bool contains(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

std::string write_spec(const std::string& dir, const std::string& body) {
  const std::string path = dir + "/spec.yaml";
  write_file_atomically(path, "format: npusim-sweep\nversion: 1\n" + body);
  return path;
}

const char* const kSpec =
    "workloads:\n  - {model: deit_tiny}\n  - {model: vit_base}\nengines: [dsp, lut]\naxes:\n"
    "  - {path: dram.bandwidth_gbps, values: [1, 3, 20]}\n  - {path: lut_unit.lanes, values: [4, 8]}\n";

TEST(NpusimSweep, WritesSummaryPlotsAndIndex) {
  const std::string dir = testing::make_temp_dir("npusim_sweep");
  const std::string spec = write_spec(dir, kSpec);
  const auto r = run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string summary = read_file(dir + "/out/summary.csv");
  EXPECT_EQ(std::count(summary.begin(), summary.end(), '\n'), 1 + 2 * 2 * 3 * 2);
  EXPECT_TRUE(contains(summary, "point,workload,engine,dram.bandwidth_gbps,lut_unit.lanes,status,total_ms"));
  const std::string breakdown = read_file(dir + "/out/plots/breakdown_vit_base.svg");
  EXPECT_TRUE(contains(breakdown, "<svg"));
  EXPECT_TRUE(contains(breakdown, "data-bar=\"lut\" data-segment=\"weight_dma\""));
  EXPECT_TRUE(contains(breakdown, "data-bar=\"dsp\" data-segment=\"mau_dsp_communication\""));
  const std::string lines = read_file(dir + "/out/plots/latency_vs_dram_bandwidth_gbps.svg");
  for (const char* series : {"data-name=\"deit_tiny dsp\"", "data-name=\"vit_base lut\""}) EXPECT_TRUE(contains(lines, series)) << series;
  const std::string heat = read_file(dir + "/out/plots/speedup_vit_base.svg");
  size_t cells = 0;
  for (size_t at = heat.find("class=\"cell\""); at != std::string::npos; at = heat.find("class=\"cell\"", at + 1)) ++cells;
  EXPECT_EQ(cells, 3u * 2u);  // bandwidth x LUT lanes
  EXPECT_TRUE(contains(read_file(dir + "/out/index.html"), "plots/breakdown_deit_tiny.svg"));
  // A second run into the same folder without --resume would lose nothing but is refused.
  const auto again = run_npusim("sweep " + spec + " --out " + dir + "/out");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(contains(again.err, "already holds sweep results")) << again.err;
  std::filesystem::remove_all(dir);
}

TEST(NpusimSweep, KilledAndResumedGivesTheSameSummary) {
  const std::string dir = testing::make_temp_dir("npusim_sweep");
  const std::string spec = write_spec(dir, kSpec);
  ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/whole --jobs 2").exit_code, 0);
  // Kill a run part-way (SIGKILL: no clean-up), then resume it.
  const std::string kill = "timeout -s KILL 0.08 " + std::string(NPUSIM_BINARY) + " sweep " + spec + " --out " + dir +
                           "/killed --jobs 1 > /dev/null 2>&1";
  std::system(kill.c_str());
  ::usleep(200000);  // let orphaned points finish writing
  int finished = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir + "/killed")) {
    finished += entry.path().filename() == "result.json" ? 1 : 0;
  }
  EXPECT_LT(finished, 24) << "the kill came after the sweep had finished: the test proves nothing";
  const auto resumed = run_npusim("sweep " + spec + " --out " + dir + "/killed --jobs 2 --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(read_file(dir + "/killed/summary.csv"), read_file(dir + "/whole/summary.csv"));
  // Shards merged give the same summary too.
  for (const char* shard : {"0/3", "1/3", "2/3"}) ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/shards --shard " + shard).exit_code, 0);
  ASSERT_EQ(run_npusim("sweep-merge " + spec + " --out " + dir + "/merged " + dir + "/shards").exit_code, 0);
  EXPECT_EQ(read_file(dir + "/merged/summary.csv"), read_file(dir + "/whole/summary.csv"));
  std::filesystem::remove_all(dir);
}

TEST(NpusimSweep, AFailingPointIsRecordedAndTheOthersRun) {
  const std::string dir = testing::make_temp_dir("npusim_sweep");
  const std::string spec = write_spec(dir, "workloads:\n  - {model: deit_tiny}\n  - {trace: missing_trace.yaml}\nengines: [lut]\n");
  const auto r = run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 2");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.out, "1 point failed")) << r.out;
  const std::string summary = read_file(dir + "/out/summary.csv");
  EXPECT_TRUE(contains(summary, "p00000,deit_tiny,lut,ok,"));
  EXPECT_TRUE(contains(summary, "p00001,missing_trace.yaml,lut,failed,")) << summary;
  EXPECT_TRUE(contains(summary, "cannot read")) << summary;
  std::filesystem::remove_all(dir);
}

TEST(NpusimSweep, EmitsSlurmAndParallelAndRejectsBadArguments) {
  const std::string dir = testing::make_temp_dir("npusim_sweep");
  const std::string spec = write_spec(dir, kSpec);
  const auto slurm = run_npusim("sweep " + spec + " --out " + dir + "/o --emit slurm --shards 4");
  ASSERT_EQ(slurm.exit_code, 0);
  EXPECT_TRUE(contains(slurm.out, "#SBATCH --array=0-3"));
  EXPECT_TRUE(contains(slurm.out, "--shard ${SLURM_ARRAY_TASK_ID}/4"));
  const auto parallel = run_npusim("sweep " + spec + " --out " + dir + "/o --emit parallel --shards 2");
  EXPECT_TRUE(contains(parallel.out, "::: $(seq 0 1)"));
  EXPECT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/o --shard 3/3").exit_code, 2);
  EXPECT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/o --emit pbs").exit_code, 2);
  write_file_atomically(dir + "/bad.yaml", "format: npusim-sweep\nversion: 1\nworkloads: []\nengines: [lut]\n");
  const auto bad = run_npusim("sweep " + dir + "/bad.yaml --out " + dir + "/o");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(contains(bad.err, "bad.yaml:3:12: workloads must not be empty")) << bad.err;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace npusim
