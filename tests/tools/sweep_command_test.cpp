// End-to-end tests of npusim sweep and sweep-merge.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/atomic_file.hpp"
#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

using testing::run_npusim;

using testing::contains;

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
  EXPECT_TRUE(contains(breakdown, "data-bar=\"lut 3/8\" data-segment=\"weight_dma\""));
  EXPECT_TRUE(contains(breakdown, "data-bar=\"dsp 20\" data-segment=\"mau_dsp_communication\""));  // LUT lanes do not change it
  const std::string lines = read_file(dir + "/out/plots/latency_vs_dram_bandwidth_gbps.svg");
  for (const char* panel : {"class=\"panel\" data-name=\"deit_tiny\"", "class=\"panel\" data-name=\"vit_base\""}) EXPECT_TRUE(contains(lines, panel)) << panel;
  EXPECT_TRUE(contains(read_file(dir + "/out/plots/speedup_vs_dram_bandwidth_gbps.svg"), "data-name=\"vit_base\""));
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

int count_files(const std::string& dir, const std::string& name) {
  int n = 0;
  std::error_code code;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, code)) n += entry.path().filename() == name ? 1 : 0;
  return n;
}

// Starts `npusim args...` in a process group of its own (its point runs join it), so that the whole
// sweep can be frozen and killed at once.
pid_t start_sweep_group(const std::vector<std::string>& args) {
  std::vector<std::string> storage = {NPUSIM_BINARY};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  posix_spawn(&pid, NPUSIM_BINARY, &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  return pid;
}

// Regression (issue 13): the test killed the sweep after a fixed 0.08 s, so whether it proved anything
// depended on the machine's speed. Now the kill follows the sweep's own progress: once the first point
// is recorded, the whole process group is frozen (SIGSTOP: nothing moves while the files are counted)
// and killed with SIGKILL, runs in flight included.
TEST(NpusimSweep, KilledAndResumedGivesTheSameSummary) {
  const std::string dir = testing::make_temp_dir("npusim_sweep");
  const std::string spec = write_spec(dir, kSpec);
  ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/whole --jobs 2").exit_code, 0);
  const pid_t sweep = start_sweep_group({"sweep", spec, "--out", dir + "/killed", "--jobs", "1"});
  ASSERT_GT(sweep, 0);
  int status = 0;
  while (count_files(dir + "/killed", "point.json") == 0) {
    if (::waitpid(sweep, &status, WNOHANG) == sweep) FAIL() << "the sweep ended before it recorded a point";
    ::usleep(1000);
  }
  ::kill(-sweep, SIGSTOP);
  const int finished = count_files(dir + "/killed", "point.json");
  ::kill(-sweep, SIGKILL);
  ::waitpid(sweep, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_GE(finished, 1);
  EXPECT_LT(finished, 24);
  EXPECT_FALSE(std::filesystem::exists(dir + "/killed/summary.csv"));
  const auto resumed = run_npusim("sweep " + spec + " --out " + dir + "/killed --jobs 2 --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_TRUE(contains(resumed.err, "sweep " + spec + ": 24 points, 24 in this run, " + std::to_string(24 - finished) + " to do"))
      << resumed.err;
  EXPECT_EQ(read_file(dir + "/killed/summary.csv"), read_file(dir + "/whole/summary.csv"));
  EXPECT_EQ(count_files(dir + "/killed", "stderr.txt.part"), 0);
  // Shards merged give the same summary too.
  for (const char* shard : {"0/3", "1/3", "2/3"}) ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/shards --shard " + shard).exit_code, 0);
  ASSERT_EQ(run_npusim("sweep-merge " + spec + " --out " + dir + "/merged " + dir + "/shards").exit_code, 0);
  EXPECT_EQ(read_file(dir + "/merged/summary.csv"), read_file(dir + "/whole/summary.csv"));
  std::filesystem::remove_all(dir);
}

const char* const kSmallSpec = "workloads:\n  - {model: deit_tiny}\nengines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, values: [1, 3, 20]}\n";

// Regression (issue 13): --resume after the spec's axis values changed reused the old points' results,
// labelled them with the new values and exited 0. Now exactly the points whose runs changed run again,
// and the summary equals a fresh sweep of the new spec.
TEST(NpusimSweep, ResumeWithAChangedSpecRecomputesExactlyTheChangedPoints) {
  const std::string dir = testing::make_temp_dir("npusim_sweep");
  const std::string spec = write_spec(dir, kSmallSpec);
  ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 2").exit_code, 0);
  const std::string kept = read_file(dir + "/out/points/p00000/point.json");
  write_spec(dir, "workloads:\n  - {model: deit_tiny}\nengines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, values: [1, 6, 20]}\n");
  const auto resumed = run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 2 --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_TRUE(contains(resumed.err, "holds results of another version of " + spec)) << resumed.err;
  EXPECT_TRUE(contains(resumed.err, "point p00001: computed for another spec (other workload, engine or axis values); running it again"))
      << resumed.err;
  EXPECT_TRUE(contains(resumed.err, "3 points, 3 in this run, 1 to do")) << resumed.err;
  EXPECT_EQ(read_file(dir + "/out/points/p00000/point.json"), kept);
  ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/fresh --jobs 2").exit_code, 0);
  EXPECT_EQ(read_file(dir + "/out/summary.csv"), read_file(dir + "/fresh/summary.csv"));
  EXPECT_TRUE(contains(read_file(dir + "/out/summary.csv"), "p00001,deit_tiny,lut,6,ok,"));
  // Merging folders computed for the old values leaves the changed point out, saying why.
  write_spec(dir, kSmallSpec);
  ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/old --jobs 2").exit_code, 0);
  write_spec(dir, "workloads:\n  - {model: deit_tiny}\nengines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, values: [1, 6, 20]}\n");
  const auto merged = run_npusim("sweep-merge " + spec + " --out " + dir + "/merged " + dir + "/old");
  EXPECT_EQ(merged.exit_code, 1);
  EXPECT_TRUE(contains(merged.out, "2 of 3 points")) << merged.out;
  EXPECT_TRUE(contains(merged.err, "point p00001 left out: " + dir + "/old/points/p00001: computed for another spec")) << merged.err;
  std::filesystem::remove_all(dir);
}

// Regression (issue 13): a truncated result.json of one point made every later resume fail. A torn or
// unrecorded result, a changed base config and leftovers of interrupted writes are now each detected,
// said, and computed again.
TEST(NpusimSweep, TornOrUnrecordedResultsAreComputedAgain) {
  const std::string dir = testing::make_temp_dir("npusim_sweep");
  write_file_atomically(dir + "/base.yaml", "name: base\nlut_unit:\n  lanes: 8\n");
  const std::string spec = write_spec(dir, std::string("base_config: base.yaml\n") + kSmallSpec);
  ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 2").exit_code, 0);
  const std::string whole = read_file(dir + "/out/summary.csv");
  const std::string p0 = dir + "/out/points/p00000/", p1 = dir + "/out/points/p00001/", p2 = dir + "/out/points/p00002/";
  const std::string result = read_file(p1 + "result.json");
  std::ofstream(p1 + "result.json", std::ios::trunc) << result.substr(0, result.size() / 2);  // torn
  std::filesystem::remove(p2 + "point.json");                                                // killed before the record
  std::ofstream(p2 + "result.json.tmp.12345") << "{";                                           // an interrupted write
  const auto resumed = run_npusim("sweep " + spec + " --out " + dir + "/out --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_TRUE(contains(resumed.err, "point p00001: result.json is torn or was changed after its run; running it again")) << resumed.err;
  EXPECT_TRUE(contains(resumed.err, "point p00002: no point.json (the run was interrupted before the sweep recorded it)")) << resumed.err;
  EXPECT_TRUE(contains(resumed.err, "2 to do")) << resumed.err;
  EXPECT_EQ(read_file(dir + "/out/summary.csv"), whole);
  EXPECT_FALSE(std::filesystem::exists(p2 + "result.json.tmp.12345"));
  // The base config changed: every point reads it, so every point runs again.
  write_file_atomically(dir + "/base.yaml", "name: base\nlut_unit:\n  lanes: 16\n");
  const auto changed = run_npusim("sweep " + spec + " --out " + dir + "/out --resume");
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_TRUE(contains(changed.err, "point p00000: " + dir + "/base.yaml changed since the point was computed")) << changed.err;
  EXPECT_TRUE(contains(changed.err, "3 to do")) << changed.err;
  EXPECT_NE(read_file(dir + "/out/summary.csv"), whole);
  (void)p0;
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

// Points run in processes forked from the sweep, not started afresh: each point's result must be
// byte-identical to the standalone run of the same arguments.
TEST(NpusimSweep, APointsResultIsTheStandaloneRunsResult) {
  const std::string dir = testing::make_temp_dir("npusim_sweep");
  const std::string spec = write_spec(dir, "workloads:\n  - {model: deit_tiny}\nengines: [lut]\naxes:\n"
                                           "  - {path: dram.bandwidth_gbps, values: [6]}\n");
  ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 1").exit_code, 0);
  const auto r = run_npusim("run --engines lut --model deit_tiny --set dram.bandwidth_gbps=6 --json " + dir + "/alone.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(dir + "/out/points/p00000/result.json"), read_file(dir + "/alone.json"));
  std::filesystem::remove_all(dir);
}

TEST(NpusimSweep, EmitsSlurmAndParallelAndRejectsBadArguments) {
  const std::string dir = testing::make_temp_dir("npusim_sweep");
  const std::string spec = write_spec(dir, kSpec);
  const auto slurm = run_npusim("sweep " + spec + " --out " + dir + "/o --emit slurm --shards 4");
  ASSERT_EQ(slurm.exit_code, 0);
  EXPECT_TRUE(contains(slurm.out, "#SBATCH --array=0-3"));
  EXPECT_TRUE(contains(slurm.out, "--shard \"${SLURM_ARRAY_TASK_ID}\"/4"));
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

// Regression (issue 13): the emitted slurm and parallel scripts did not quote paths, so an output folder
// with a space or a `$` broke the job. Both scripts are run here, from a folder named with a space, a `$`
// and a quote, and must give the summary a direct run gives.
TEST(NpusimSweep, EmittedScriptsWorkInFoldersWithSpacesAndDollars) {
  const std::string base = testing::make_temp_dir("npusim_sweep");
  const std::string dir = base + "/my runs $HOME 'x'";
  std::filesystem::create_directories(dir);
  const std::string spec = write_spec(dir, "workloads:\n  - {model: deit_tiny}\nengines: [dsp, lut]\n");
  const auto quote = [](const std::string& s) {  // for the test's own command lines
    std::string q = "'";
    for (const char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
  };
  ASSERT_EQ(run_npusim("sweep " + quote(spec) + " --out " + quote(dir + "/direct")).exit_code, 0);
  const std::string expected = read_file(dir + "/direct/summary.csv");

  const auto slurm = run_npusim("sweep " + quote(spec) + " --out " + quote(dir + "/slurm out") + " --emit slurm --shards 2 --jobs 1");
  ASSERT_EQ(slurm.exit_code, 0) << slurm.err;
  write_file_atomically(base + "/job.sh", slurm.out);
  for (const char* task : {"0", "1"}) {
    const std::string command = "SLURM_ARRAY_TASK_ID=" + std::string(task) + " bash " + base + "/job.sh > /dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << slurm.out;
  }
  // The merge command the script names in its comment.
  const size_t merge = slurm.out.find("#   ") + 4;
  const std::string merge_line = slurm.out.substr(merge, slurm.out.find('\n', merge) - merge);
  ASSERT_EQ(std::system((merge_line + " > /dev/null 2>&1").c_str()), 0) << merge_line;
  EXPECT_EQ(read_file(dir + "/slurm out/summary.csv"), expected);

  const auto parallel = run_npusim("sweep " + quote(spec) + " --out " + quote(dir + "/parallel out") + " --emit parallel --shards 2");
  ASSERT_EQ(parallel.exit_code, 0) << parallel.err;
  write_file_atomically(base + "/parallel.sh", parallel.out);
  ASSERT_EQ(std::system(("bash " + base + "/parallel.sh > /dev/null 2>&1").c_str()), 0) << parallel.out;
  EXPECT_EQ(read_file(dir + "/parallel out/summary.csv"), expected);
  std::filesystem::remove_all(base);
}

}  // namespace
}  // namespace npusim
