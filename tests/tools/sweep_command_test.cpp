// End-to-end tests of npusim sweep and sweep-merge.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

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

// Whole lines (records) in OUT/results/all.jsonl; 0 before the file exists.
int count_records(const std::string& out) {
  const std::string text = testing::read_whole_file(out + "/results/all.jsonl");
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

// The point id of the summary row that contains `fragment` ("" when none does).
std::string id_of(const std::string& summary, const std::string& fragment) {
  const size_t at = summary.find(fragment);
  if (at == std::string::npos) return "";
  const size_t line = summary.rfind('\n', at) + 1;
  return summary.substr(line, summary.find(',', line) - line);
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
// is recorded, the whole process group is frozen (SIGSTOP: nothing moves while the records are counted)
// and killed with SIGKILL, runs in flight included. The resume runs exactly the points without a record.
TEST(NpusimSweep, KilledAndResumedGivesTheSameSummary) {
  const std::string dir = testing::make_temp_dir("npusim_sweep");
  const std::string spec = write_spec(dir, kSpec);
  ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/whole --jobs 2").exit_code, 0);
  const pid_t sweep = start_sweep_group({"sweep", spec, "--out", dir + "/killed", "--jobs", "1"});
  ASSERT_GT(sweep, 0);
  int status = 0;
  while (count_records(dir + "/killed") == 0) {
    if (::waitpid(sweep, &status, WNOHANG) == sweep) FAIL() << "the sweep ended before it recorded a point";
    ::usleep(1000);
  }
  ::kill(-sweep, SIGSTOP);
  const int finished = count_records(dir + "/killed");
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
  EXPECT_EQ(count_records(dir + "/killed"), 24);  // the killed run's records, then exactly the missing ones
  EXPECT_EQ(read_file(dir + "/killed/summary.csv"), read_file(dir + "/whole/summary.csv"));
  EXPECT_EQ(count_files(dir + "/killed", "points"), 0);  // no folder per point without --keep-points
  // Shards merged give the same summary too.
  for (const char* shard : {"0/3", "1/3", "2/3"}) ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/shards --shard " + shard).exit_code, 0);
  ASSERT_EQ(run_npusim("sweep-merge " + spec + " --out " + dir + "/merged " + dir + "/shards").exit_code, 0);
  EXPECT_EQ(read_file(dir + "/merged/summary.csv"), read_file(dir + "/whole/summary.csv"));
  std::filesystem::remove_all(dir);
}

const char* const kSmallSpec = "workloads:\n  - {model: deit_tiny}\nengines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, values: [1, 3, 20]}\n";

// Regression (issue 27 item 12): point ids were positions, so adding one value to an axis recomputed
// every point after it. Ids now derive from a point's content: a changed value runs that point alone,
// a value added runs the new points alone, and reordering axes or values runs nothing.
TEST(NpusimSweep, ResumeWithAChangedSpecRecomputesExactlyTheChangedPoints) {
  const std::string dir = testing::make_temp_dir("npusim_sweep");
  const std::string spec = write_spec(dir, kSmallSpec);
  ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 2").exit_code, 0);
  const std::string before = read_file(dir + "/out/summary.csv");
  write_spec(dir, "workloads:\n  - {model: deit_tiny}\nengines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, values: [1, 6, 20]}\n");
  const auto resumed = run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 2 --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_TRUE(contains(resumed.err, "holds results of another version of " + spec)) << resumed.err;
  EXPECT_TRUE(contains(resumed.err, "3 points, 3 in this run, 1 to do")) << resumed.err;
  const std::string after = read_file(dir + "/out/summary.csv");
  EXPECT_EQ(id_of(after, ",deit_tiny,lut,1,ok,"), id_of(before, ",deit_tiny,lut,1,ok,"));
  EXPECT_EQ(id_of(after, ",deit_tiny,lut,20,ok,"), id_of(before, ",deit_tiny,lut,20,ok,"));
  EXPECT_NE(id_of(after, ",deit_tiny,lut,6,ok,"), "");
  ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/fresh --jobs 2").exit_code, 0);
  EXPECT_EQ(after, read_file(dir + "/fresh/summary.csv"));
  // Two more values, another engine and a second axis listed first: 2 x 5 x 2 points, of which the three
  // computed (lut at 8 lanes, the base config's value) keep their ids. "6.0" is the value 6.
  write_spec(dir, "workloads:\n  - {model: deit_tiny}\nengines: [dsp, lut]\naxes:\n  - {path: lut_unit.lanes, values: [4, 8]}\n"
                  "  - {path: dram.bandwidth_gbps, values: [20, 6.0, 1, 2, 40]}\n");
  const auto grown = run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 2 --resume");
  ASSERT_EQ(grown.exit_code, 0) << grown.err;
  EXPECT_TRUE(contains(grown.err, "20 points, 20 in this run, 17 to do")) << grown.err;
  const std::string grown_summary = read_file(dir + "/out/summary.csv");
  EXPECT_EQ(id_of(grown_summary, ",deit_tiny,lut,8,20,ok,"), id_of(before, ",deit_tiny,lut,20,ok,"));
  // Merging a folder computed for the old values leaves the changed point out.
  write_spec(dir, kSmallSpec);
  ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/old --jobs 2").exit_code, 0);
  write_spec(dir, "workloads:\n  - {model: deit_tiny}\nengines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, values: [1, 6, 20]}\n");
  const auto merged = run_npusim("sweep-merge " + spec + " --out " + dir + "/merged " + dir + "/old");
  EXPECT_EQ(merged.exit_code, 1);
  EXPECT_TRUE(contains(merged.out, "2 of 3 points")) << merged.out;
  EXPECT_TRUE(contains(merged.out, "1 missing")) << merged.out;
  std::filesystem::remove_all(dir);
}

// Regression (issue 13): a truncated result of one point made every later resume fail. A torn or edited
// record, a torn result.json of a kept point folder and a changed base config are now each detected,
// said, and computed again.
TEST(NpusimSweep, TornOrUnrecordedResultsAreComputedAgain) {
  const std::string dir = testing::make_temp_dir("npusim_sweep");
  write_file_atomically(dir + "/base.yaml", "name: base\nlut_unit:\n  lanes: 8\n");
  const std::string spec = write_spec(dir, std::string("base_config: base.yaml\n") + kSmallSpec);
  ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 2 --keep-points").exit_code, 0);
  const std::string whole = read_file(dir + "/out/summary.csv");
  const std::string p1 = id_of(whole, ",deit_tiny,lut,3,ok,"), p2 = id_of(whole, ",deit_tiny,lut,20,ok,");
  ASSERT_EQ(count_records(dir + "/out"), 3);
  // The record of p2 torn in the middle (a kill during its write), an edited digit in the record of the
  // 1 GB/s point, and p1's result.json torn.
  const std::string records = read_file(dir + "/out/results/all.jsonl");
  std::string kept;
  for (size_t start = 0; start < records.size();) {
    const size_t end = records.find('\n', start);
    std::string line = records.substr(start, end - start);
    if (contains(line, "\"" + p2 + "\"")) line = line.substr(0, line.size() / 2);
    else if (!contains(line, "\"" + p1 + "\"")) line[line.find("\"total_ns\":") + 11] ^= 1;
    kept += line + "\n";
    start = end + 1;
  }
  std::ofstream(dir + "/out/results/all.jsonl", std::ios::trunc) << kept;
  const std::string folder1 = dir + "/out/points/" + p1 + "/";
  const std::string result = read_file(folder1 + "result.json");
  std::ofstream(folder1 + "result.json", std::ios::trunc) << result.substr(0, result.size() / 2);
  const auto resumed = run_npusim("sweep " + spec + " --out " + dir + "/out --resume --keep-points");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_TRUE(contains(resumed.err, "point " + p1 + ": its result.json is torn or was changed after its run; running it again")) << resumed.err;
  EXPECT_TRUE(contains(resumed.err, "all.jsonl:")) << resumed.err;
  EXPECT_TRUE(contains(resumed.err, ": a torn or edited line (its digest does not match)")) << resumed.err;
  EXPECT_TRUE(contains(resumed.err, ": a torn or foreign line (no digest at its end)")) << resumed.err;
  EXPECT_TRUE(contains(resumed.err, "3 to do")) << resumed.err;
  EXPECT_EQ(read_file(dir + "/out/summary.csv"), whole);
  // Without --keep-points the torn result.json is no reason to run again: the record holds the result.
  std::ofstream(folder1 + "result.json", std::ios::trunc) << "{";
  const auto summary_only = run_npusim("sweep " + spec + " --out " + dir + "/out --resume");
  ASSERT_EQ(summary_only.exit_code, 0) << summary_only.err;
  EXPECT_TRUE(contains(summary_only.err, "0 to do")) << summary_only.err;
  // The base config's text changed but not what it sets: the points keep their ids, but every point read
  // the file, so every point runs again.
  write_file_atomically(dir + "/base.yaml", "name: base\nlut_unit:\n  lanes: 8  # unchanged\n");
  const auto edited = run_npusim("sweep " + spec + " --out " + dir + "/out --resume");
  ASSERT_EQ(edited.exit_code, 0) << edited.err;
  EXPECT_TRUE(contains(edited.err, dir + "/base.yaml changed since the point was computed")) << edited.err;
  EXPECT_TRUE(contains(edited.err, "3 to do")) << edited.err;
  EXPECT_EQ(read_file(dir + "/out/summary.csv"), whole);
  // A value the base config sets changed: three new points (new ids), a new summary.
  write_file_atomically(dir + "/base.yaml", "name: base\nlut_unit:\n  lanes: 16\n");
  const auto changed = run_npusim("sweep " + spec + " --out " + dir + "/out --resume");
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_TRUE(contains(changed.err, "3 to do")) << changed.err;
  const std::string changed_summary = read_file(dir + "/out/summary.csv");
  EXPECT_NE(id_of(changed_summary, ",deit_tiny,lut,3,ok,"), p1);
  std::filesystem::remove_all(dir);
}

// Regression (issue 27 item 4): a failed point's row had one field fewer than the header and its error
// in the macs column. Every row now has the header's fields, the error under `error`.
TEST(NpusimSweep, AFailingPointIsRecordedAndTheOthersRun) {
  const std::string dir = testing::make_temp_dir("npusim_sweep");
  const std::string spec = write_spec(dir, "workloads:\n  - {model: deit_tiny}\n  - {trace: missing_trace.yaml}\nengines: [lut]\n"
                                           "axes:\n  - {path: sram.weight_kib, values: [128, 1]}\n");
  const auto r = run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 2");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.out, "3 points failed")) << r.out;
  const std::string summary = read_file(dir + "/out/summary.csv");
  EXPECT_TRUE(contains(summary, ",deit_tiny,lut,128,ok,")) << summary;
  EXPECT_TRUE(contains(summary, ",deit_tiny,lut,1,failed,")) << summary;
  EXPECT_TRUE(contains(summary, ",missing_trace.yaml,lut,128,failed,")) << summary;
  std::istringstream lines(summary);
  std::string line;
  std::getline(lines, line);
  const std::vector<std::string> columns = testing::csv_fields(line);
  const auto column = [&](const std::string& name) { return static_cast<size_t>(std::find(columns.begin(), columns.end(), name) - columns.begin()); };
  ASSERT_LT(column("error"), columns.size());
  int rows = 0;
  while (std::getline(lines, line)) {
    ++rows;
    const std::vector<std::string> fields = testing::csv_fields(line);
    ASSERT_EQ(fields.size(), columns.size()) << line;
    const bool failed = fields[column("status")] == "failed";
    EXPECT_EQ(fields[column("error")].empty(), !failed) << line;
    EXPECT_EQ(fields[column("macs")].empty(), failed) << line;
    EXPECT_EQ(fields[column("total_ms")].empty(), failed) << line;
  }
  EXPECT_EQ(rows, 4);
  EXPECT_TRUE(contains(summary, "cannot read")) << summary;
  std::filesystem::remove_all(dir);
}

// Points run in processes forked from the sweep, not started afresh: each point's result must be
// byte-identical to the standalone run of the same arguments.
TEST(NpusimSweep, APointsResultIsTheStandaloneRunsResult) {
  const std::string dir = testing::make_temp_dir("npusim_sweep");
  const std::string spec = write_spec(dir, "workloads:\n  - {model: deit_tiny}\nengines: [lut]\naxes:\n"
                                           "  - {path: dram.bandwidth_gbps, values: [6]}\n");
  ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 1 --keep-points").exit_code, 0);
  const std::string id = id_of(read_file(dir + "/out/summary.csv"), ",deit_tiny,lut,6,ok,");
  const auto r = run_npusim("run --engines lut --model deit_tiny --set dram.bandwidth_gbps=6 --json " + dir + "/alone.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(dir + "/out/points/" + id + "/result.json"), read_file(dir + "/alone.json"));
  std::filesystem::remove_all(dir);
}

// Regression (issue 27 item 13): two sweeps into one folder both ran (check, then act). A sweep now holds
// a lock on OUT while it runs: a second one, or a merge into the folder, fails at once naming it.
TEST(NpusimSweep, ASecondSweepIntoAFolderInUseFails) {
  const std::string dir = testing::make_temp_dir("npusim_sweep");
  const std::string spec = write_spec(dir, kSmallSpec);
  std::filesystem::create_directories(dir + "/out");
  const int fd = ::open((dir + "/out").c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_SH), 0);  // as a running shard holds it
  const auto second = run_npusim("sweep " + spec + " --out " + dir + "/out");
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_TRUE(contains(second.err, "another npusim sweep is writing to " + dir + "/out")) << second.err;
  EXPECT_EQ(run_npusim("sweep-merge " + spec + " --out " + dir + "/out " + dir + "/out").exit_code, 1);
  EXPECT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/out --shard 0/2").exit_code, 0);  // shards share the folder
  ::close(fd);
  EXPECT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/out --resume").exit_code, 0);
  std::filesystem::remove_all(dir);
}

// Sweep folders carry the output-folder manifest (common/output_folder.hpp) as run, golden and lut
// folders do: another kind of result or a file npusim did not write is refused unless --force, and
// --force starts a sweep again where --resume would continue it.
TEST(NpusimSweep, OutputFoldersAreRecordedAndForeignOnesRefused) {
  const std::string dir = testing::make_temp_dir("npusim_sweep");
  const std::string spec = write_spec(dir, kSmallSpec);
  ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 2").exit_code, 0);
  const std::string manifest = read_file(dir + "/out/npusim_output.json");
  EXPECT_TRUE(contains(manifest, "\"kind\": \"sweep\"") || contains(manifest, "\"kind\":\"sweep\"")) << manifest;
  EXPECT_TRUE(contains(manifest, "summary.csv") && contains(manifest, "results/all.jsonl")) << manifest;
  const auto forced = run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 2 --force");
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_TRUE(contains(forced.err, "3 to do")) << forced.err;
  EXPECT_EQ(count_records(dir + "/out"), 3);  // the earlier records went
  // A file of the user's: refused, then kept beside the results with --force.
  std::filesystem::create_directories(dir + "/mine");
  write_file_atomically(dir + "/mine/notes.txt", "mine\n");
  const auto refused = run_npusim("sweep " + spec + " --out " + dir + "/mine");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(contains(refused.err, "holds files npusim did not write (notes.txt)")) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/mine/results"));
  ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/mine --force").exit_code, 0);
  EXPECT_EQ(read_file(dir + "/mine/notes.txt"), "mine\n");
  // Another kind of result: a lut export folder takes no sweep, and a sweep folder no lut export.
  ASSERT_EQ(run_npusim("lut --function gelu --range -8,8 --export " + dir + "/lut").exit_code, 0);
  const auto lut = run_npusim("sweep-merge " + spec + " --out " + dir + "/lut " + dir + "/out");
  EXPECT_EQ(lut.exit_code, 1);
  EXPECT_TRUE(contains(lut.err, "holds a lut-export result")) << lut.err;
  EXPECT_EQ(run_npusim("lut --function gelu --range -8,8 --export " + dir + "/out").exit_code, 1);
  // A merge into the shards' own folder keeps their results.
  for (const char* shard : {"0/2", "1/2"}) ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/shards --shard " + shard).exit_code, 0);
  ASSERT_EQ(run_npusim("sweep-merge " + spec + " --out " + dir + "/shards " + dir + "/shards").exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir + "/shards/results/shard-0-of-2.jsonl"));
  EXPECT_EQ(read_file(dir + "/shards/summary.csv"), read_file(dir + "/out/summary.csv"));
  ASSERT_EQ(run_npusim("sweep-merge " + spec + " --out " + dir + "/shards " + dir + "/shards").exit_code, 0);
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
