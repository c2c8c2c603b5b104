// npusim sweep: every design point of a sweep spec in its own child process, N at a time, resumable,
// shardable across machines; npusim sweep-merge combines shards' outputs.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>

#include "hw/sweep_spec.hpp"
#include "models/error.hpp"
#include "models/io/atomic_file.hpp"
#include "tools/child_process.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/sweep/sweep_results.hpp"

namespace npusim::cli {

namespace {

std::pair<int, int> parse_shard(const std::string& text) {
  const size_t slash = text.find('/');
  char* end = nullptr;
  const long i = std::strtol(text.substr(0, slash).c_str(), &end, 10);
  const bool i_ok = slash != std::string::npos && slash > 0 && *end == '\0';
  const long n = i_ok ? std::strtol(text.substr(slash + 1).c_str(), &end, 10) : 0;
  if (!i_ok || *end != '\0' || n < 1 || i < 0 || i >= n || n > 100000) {
    throw UsageError("sweep: --shard takes I/N with 0 <= I < N, got '" + text + "'");
  }
  return {static_cast<int>(i), static_cast<int>(n)};
}

std::string emit_script(const std::string& kind, const std::string& spec, const std::string& out, int shards, int jobs) {
  const std::string self = self_executable();
  if (kind == "slurm") {
    return "#!/bin/bash\n# Runs the sweep as a Slurm job array, one shard per task; afterwards:\n#   " + self + " sweep-merge " +
           spec + " --out " + out + " " + out + "\n#SBATCH --job-name=npusim-sweep\n#SBATCH --array=0-" +
           std::to_string(shards - 1) + "\n#SBATCH --cpus-per-task=" + std::to_string(jobs) + "\nset -euo pipefail\n" + self +
           " sweep " + spec + " --out " + out + " --resume --jobs " + std::to_string(jobs) + " --shard ${SLURM_ARRAY_TASK_ID}/" +
           std::to_string(shards) + "\n";
  }
  if (kind == "parallel") {
    return "parallel --line-buffer " + self + " sweep " + spec + " --out " + out + " --resume --jobs 1 --shard {}/" +
           std::to_string(shards) + " ::: $(seq 0 " + std::to_string(shards - 1) + ") && " + self + " sweep-merge " + spec +
           " --out " + out + " " + out + "\n";
  }
  throw UsageError("sweep: --emit takes slurm or parallel, got '" + kind + "'");
}

class Progress {
 public:
  Progress(size_t total) : total_(total), terminal_(::isatty(STDERR_FILENO)), start_(std::chrono::steady_clock::now()) {}
  void point(const hw::SweepPoint& p, bool ok, double seconds) {
    ++done_;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double eta = done_ ? elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_) : 0.0;
    if (terminal_) {
      const int width = 30, filled = static_cast<int>(width * done_ / std::max<size_t>(1, total_));
      std::cerr << "\r[" << std::string(static_cast<size_t>(filled), '#') << std::string(static_cast<size_t>(width - filled), '.') << "] "
                << done_ << "/" << total_ << "  ETA " << static_cast<int>(eta) << " s   " << std::flush;
      if (done_ == total_) std::cerr << "\n";
    } else {
      std::cerr << "point " << p.id << " " << (ok ? "done" : "FAILED") << " in " << static_cast<int>(seconds * 1000) << " ms (" << done_
                << "/" << total_ << ", ETA " << static_cast<int>(eta) << " s)\n";
    }
  }

 private:
  size_t total_;
  size_t done_ = 0;
  bool terminal_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

int run_sweep_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()
      ("spec", po::value<std::string>()->required(), "the sweep spec (YAML)")
      ("out", po::value<std::string>()->required(), "output folder")
      ("jobs", po::value<int>()->default_value(static_cast<int>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)))), "points run at once")
      ("resume", po::bool_switch(), "skip points that already have a result")
      ("shard", po::value<std::string>(), "run only shard I of N (I/N): points with index % N == I")
      ("emit", po::value<std::string>(), "print a slurm job-array script or a GNU parallel command line instead of running")
      ("shards", po::value<int>()->default_value(8), "shards for --emit");
  po::positional_options_description positional;
  positional.add("spec", 1);
  po::variables_map values;
  if (!parse_options("sweep", "npusim sweep SPEC --out DIR [--jobs N] [--resume] [--shard I/N] [--emit slurm|parallel]", options,
                     args, values, &positional)) {
    return kExitOk;
  }
  const std::string spec_path = values["spec"].as<std::string>();
  const std::string out = values["out"].as<std::string>();
  const hw::SweepSpec spec = hw::load_sweep_spec(spec_path);
  const int jobs = values["jobs"].as<int>();
  if (jobs < 1 || jobs > 256) throw UsageError("sweep: --jobs must be in 1..256");
  if (values.count("emit")) {
    const int shards = values["shards"].as<int>();
    if (shards < 1 || shards > 100000) throw UsageError("sweep: --shards must be in 1..100000");
    std::cout << emit_script(values["emit"].as<std::string>(), spec_path, out, shards, jobs);
    return kExitOk;
  }
  const std::vector<hw::SweepPoint> all = spec.points();
  std::vector<hw::SweepPoint> mine = all;
  if (values.count("shard")) {
    const auto [shard, shards] = parse_shard(values["shard"].as<std::string>());
    mine = hw::shard_points(all, shard, shards);
  }
  ensure_writable_directory(out);
  std::error_code code;
  const bool has_results = std::filesystem::exists(std::filesystem::path(out) / "points", code);
  if (has_results && !values["resume"].as<bool>() && !values.count("shard")) {
    throw Error(out + " already holds sweep results: add --resume to continue it, or choose another folder");
  }
  std::vector<hw::SweepPoint> todo;
  for (const auto& p : mine) {
    if (!std::filesystem::exists(point_dir(out, p) + "/result.json", code)) todo.push_back(p);
  }
  std::cerr << "sweep " << spec_path << ": " << all.size() << " points, " << mine.size() << " in this run, " << todo.size()
            << " to do, " << jobs << " at a time\n";

  Progress progress(todo.size());
  std::map<pid_t, std::pair<hw::SweepPoint, std::chrono::steady_clock::time_point>> running;
  size_t next = 0;
  const auto finish_one = [&] {
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) throw Error("waiting for a sweep point failed");
    const auto it = running.find(pid);
    if (it == running.end()) return;
    const auto& [p, start] = it->second;
    const std::string dir = point_dir(out, p);
    const bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && std::filesystem::exists(dir + "/result.json", code);
    if (ok) {
      std::filesystem::remove(dir + "/error.txt", code);
    } else {
      std::string err = read_file(dir + "/stderr.txt");
      if (err.empty()) err = "the run ended with status " + std::to_string(status);
      write_file_atomically(dir + "/error.txt", err);
    }
    progress.point(p, ok, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    running.erase(it);
  };
  while (next < todo.size() || !running.empty()) {
    while (next < todo.size() && running.size() < static_cast<size_t>(jobs)) {
      const hw::SweepPoint& p = todo[next++];
      const std::string dir = point_dir(out, p);
      ensure_writable_directory(dir);
      std::vector<std::string> run_args = spec.run_args(p);
      run_args.insert(run_args.end(), {"--json", dir + "/result.json"});
      running[start_self(run_args, dir + "/stdout.txt", dir + "/stderr.txt")] = {p, std::chrono::steady_clock::now()};
    }
    finish_one();
  }
  const std::vector<PointResult> results = collect_results(all, {out});
  write_sweep_outputs(spec, results, out);
  int failed = 0;
  for (const auto& r : results) failed += r.failed ? 1 : 0;
  std::cout << "sweep: " << out << "/summary.csv, " << out << "/index.html";
  if (failed) std::cout << "; " << failed << " point" << (failed > 1 ? "s" : "") << " failed (see summary.csv)";
  std::cout << "\n";
  return failed ? kExitError : kExitOk;
}

int run_sweep_merge_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()
      ("spec", po::value<std::string>()->required(), "the sweep spec the shards ran")
      ("out", po::value<std::string>()->required(), "output folder for the merged summary, plots and index")
      ("inputs", po::value<std::vector<std::string>>()->composing(), "the shards' output folders");
  po::positional_options_description positional;
  positional.add("spec", 1).add("inputs", -1);
  po::variables_map values;
  if (!parse_options("sweep-merge", "npusim sweep-merge SPEC --out DIR SHARD_DIR...", options, args, values, &positional)) {
    return kExitOk;
  }
  if (!values.count("inputs")) throw UsageError("sweep-merge: name at least one shard output folder");
  const hw::SweepSpec spec = hw::load_sweep_spec(values["spec"].as<std::string>());
  const std::vector<PointResult> results = collect_results(spec.points(), values["inputs"].as<std::vector<std::string>>());
  int missing = 0, failed = 0;
  for (const auto& r : results) missing += (!r.done && !r.failed) ? 1 : 0, failed += r.failed ? 1 : 0;
  const std::string out = values["out"].as<std::string>();
  write_sweep_outputs(spec, results, out);
  std::cout << "sweep-merge: " << results.size() - static_cast<size_t>(missing) << " of " << results.size() << " points in "
            << out << "/summary.csv";
  if (missing) std::cout << "; " << missing << " missing";
  if (failed) std::cout << "; " << failed << " failed";
  std::cout << "\n";
  return (missing || failed) ? kExitError : kExitOk;
}

}  // namespace npusim::cli
