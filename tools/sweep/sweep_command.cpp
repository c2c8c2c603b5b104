// npusim sweep: the options of a sweep (tools/sweep/sweep_runner.hpp runs it), or the Slurm or GNU
// parallel script that runs its shards; npusim sweep-merge combines shards' outputs.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <tuple>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/output_folder.hpp"
#include "common/sha256.hpp"
#include "hw/config/sweep_spec.hpp"
#include "run/child_process.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/plugin_options.hpp"
#include "tools/sweep/point_id.hpp"
#include "tools/sweep/sweep_folder.hpp"
#include "tools/sweep/sweep_results.hpp"
#include "tools/sweep/sweep_runner.hpp"

namespace npusim::cli {

namespace {

// A whole number in 0..limit, all of `text`.
bool parse_count(const std::string& text, long limit, long& value) {
  if (text.empty() || text.size() > 9) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  value = std::stol(text);
  return value <= limit;
}

std::pair<int, int> parse_shard(const std::string& text) {
  const size_t slash = text.find('/');
  long i = 0, n = 0;
  if (slash == std::string::npos || !parse_count(text.substr(0, slash), 100000, i) || !parse_count(text.substr(slash + 1), 100000, n) ||
      n < 1 || i >= n) {
    throw UsageError("sweep: --shard takes I/N with 0 <= I < N <= 100000, got '" + text + "'");
  }
  return {static_cast<int>(i), static_cast<int>(n)};
}

// One shell word: unchanged when it holds only safe characters, else in single quotes (a ' inside
// becomes '\''), so a folder named "my runs" or "$HOME" reaches npusim as written.
std::string shell_word(const std::string& s) {
  bool safe = !s.empty();
  for (const char c : s) safe = safe && (std::isalnum(static_cast<unsigned char>(c)) || std::string("_-./:=@%+,").find(c) != std::string::npos);
  if (safe) return s;
  std::string quoted = "'";
  for (const char c : s) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string emit_script(const std::string& kind, const std::string& spec, const std::string& out, int shards, int jobs,
                        bool keep_points, const std::vector<std::string>& plugins) {
  const std::string self = shell_word(run::self_executable());
  // Each shard's npusim loads the same plugins, by absolute path (tasks may start elsewhere).
  std::string plugin_words;
  for (const auto& plugin : plugins) plugin_words += " --plugin " + shell_word(std::filesystem::absolute(plugin).string());
  const std::string spec_word = shell_word(spec), out_word = shell_word(out);
  const std::string merge = self + " sweep-merge" + plugin_words + " " + spec_word + " --out " + out_word + " " + out_word;
  const std::string sweep = self + " sweep" + plugin_words + (keep_points ? " --keep-points" : "");
  if (kind == "slurm") {
    return "#!/bin/bash\n# Runs the sweep as a Slurm job array, one shard per task; afterwards:\n#   " + merge +
           "\n#SBATCH --job-name=npusim-sweep\n#SBATCH --array=0-" + std::to_string(shards - 1) + "\n#SBATCH --cpus-per-task=" +
           std::to_string(jobs) + "\nset -euo pipefail\n" + sweep + " " + spec_word + " --out " + out_word +
           " --resume --jobs " + std::to_string(jobs) + " --shard \"${SLURM_ARRAY_TASK_ID}\"/" + std::to_string(shards) + "\n";
  }
  if (kind == "parallel") {
    // -q: parallel runs the command through a shell again; -q quotes each word for it.
    return "parallel --line-buffer -q " + sweep + " " + spec_word + " --out " + out_word + " --resume --jobs 1 --shard {}/" +
           std::to_string(shards) + " ::: $(seq 0 " + std::to_string(shards - 1) + ") && " + merge + "\n";
  }
  throw UsageError("sweep: --emit takes slurm or parallel, got '" + kind + "'");
}

}  // namespace

int run_sweep_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()
      ("spec", po::value<std::string>()->required(), "the sweep spec (YAML)")
      ("out", po::value<std::string>()->required(), "output folder")
      ("jobs", po::value<int>()->default_value(static_cast<int>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)))), "points run at once")
      ("resume", po::bool_switch(), "continue a sweep: run only the points without a result (new, changed, failed or missing)")
      ("keep-points", po::bool_switch(), "also keep a folder per point (OUT/points/<id>/: result.json as `npusim run --json`, logs)")
      ("shard", po::value<std::string>(), "run only shard I of N (I/N): points with index % N == I")
      ("emit", po::value<std::string>(), "print a slurm job-array script or a GNU parallel command line instead of running")
      ("shards", po::value<int>()->default_value(8), "shards for --emit")
      ("force", po::bool_switch(), "start again in a folder holding sweep results; write into a folder holding another kind of result or files npusim did not write (npusim's files there are replaced, the others kept)");
  add_plugin_option(options);
  po::positional_options_description positional;
  positional.add("spec", 1);
  po::variables_map values;
  if (!parse_options("sweep", "npusim sweep SPEC --out DIR [--jobs N] [--resume] [--keep-points] [--shard I/N] [--emit slurm|parallel]", options,
                     args, values, &positional)) {
    return kExitOk;
  }
  const std::vector<std::string> plugins = load_plugins(values);  // workers are forks: they have them too
  const std::string spec_path = values["spec"].as<std::string>();
  const hw::SweepSpec spec = hw::load_sweep_spec(spec_path);
  const std::string spec_sha256 = sha256_hex(read_file(spec_path));
  const int jobs = values["jobs"].as<int>();
  if (jobs < 1 || jobs > 256) throw UsageError("sweep: --jobs must be in 1..256");
  if (values.count("emit")) {
    const int shards = values["shards"].as<int>();
    if (shards < 1 || shards > 100000) throw UsageError("sweep: --shards must be in 1..100000");
    std::cout << emit_script(values["emit"].as<std::string>(), spec_path, values["out"].as<std::string>(), shards, jobs,
                             values["keep-points"].as<bool>(), plugins);
    return kExitOk;
  }
  SweepRequest request;
  request.spec = spec;
  request.spec_name = spec_path;
  request.spec_sha256 = spec_sha256;
  request.out_dir = values["out"].as<std::string>();
  request.jobs = jobs;
  request.resume = values["resume"].as<bool>();
  request.keep_points = values["keep-points"].as<bool>();
  request.force = values["force"].as<bool>();
  if (values.count("shard")) std::tie(request.shard, request.shards) = parse_shard(values["shard"].as<std::string>());
  const SweepOutcome outcome = run_sweep(request);
  const std::string& out = request.out_dir;
  std::cout << "sweep: " << out << "/summary.csv, " << out << "/index.html";
  if (outcome.failed) std::cout << "; " << outcome.failed << " point" << (outcome.failed > 1 ? "s" : "") << " failed (see summary.csv)";
  std::cout << "\n";
  return outcome.failed ? kExitError : kExitOk;
}

int run_sweep_merge_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()
      ("spec", po::value<std::string>()->required(), "the sweep spec the shards ran")
      ("out", po::value<std::string>()->required(), "output folder for the merged summary, plots and index")
      ("inputs", po::value<std::vector<std::string>>()->composing(), "the shards' output folders")
      ("force", po::bool_switch(), "write into a folder holding another kind of result or files npusim did not write (npusim's files there are replaced, the others kept)");
  add_plugin_option(options);
  po::positional_options_description positional;
  positional.add("spec", 1).add("inputs", -1);
  po::variables_map values;
  if (!parse_options("sweep-merge", "npusim sweep-merge SPEC --out DIR SHARD_DIR...", options, args, values, &positional)) {
    return kExitOk;
  }
  if (!values.count("inputs")) throw UsageError("sweep-merge: name at least one shard output folder");
  load_plugins(values);
  const hw::SweepSpec spec = hw::load_sweep_spec(values["spec"].as<std::string>());
  const std::string out = values["out"].as<std::string>();
  const SweepLock lock(out, SweepLock::Kind::whole);  // no shard may still be writing there
  // The shards' own folder is a usual OUT: their results stay beside the merged summary.
  OutputFolder folder = prepare_sweep_folder(out, "npusim sweep-merge", {values["force"].as<bool>(), true});
  const std::vector<PointResult> results = collect_results(spec, sweep_points(spec), values["inputs"].as<std::vector<std::string>>());
  int missing = 0, failed = 0;
  for (const auto& r : results) missing += (!r.done && !r.failed) ? 1 : 0, failed += r.failed ? 1 : 0;
  size_t refused = 0;
  for (const auto& r : results) {
    if (r.done || r.unusable.empty()) continue;
    if (++refused <= 5) std::cerr << "npusim: note: point " << r.point.id << " left out: " << r.unusable << "\n";
  }
  if (refused > 5) std::cerr << "npusim: note: ... and " << refused - 5 << " more points left out\n";
  folder.remove_previous(plot_files(out));
  write_sweep_outputs(spec, results, out);
  folder.commit();
  std::cout << "sweep-merge: " << results.size() - static_cast<size_t>(missing) << " of " << results.size() << " points in "
            << out << "/summary.csv";
  if (missing) std::cout << "; " << missing << " missing";
  if (failed) std::cout << "; " << failed << " failed";
  std::cout << "\n";
  return (missing || failed) ? kExitError : kExitOk;
}

}  // namespace npusim::cli
