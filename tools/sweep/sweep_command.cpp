// npusim sweep: the design points of a sweep spec in N worker processes forked from this one, which
// stay alive across points (a point costs its simulation, not npusim's start-up), resumable, shardable
// across machines; npusim sweep-merge combines shards' outputs.
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "hw/config/hw_config_io.hpp"
#include "hw/config/sweep_spec.hpp"
#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/sha256.hpp"
#include "run/child_process.hpp"
#include "run/effective_config.hpp"
#include "run/generation.hpp"
#include "run/output_files.hpp"
#include "run/run_point.hpp"
#include "run/worker_pool.hpp"
#include "run/workload_request.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/plugin_options.hpp"
#include "tools/sweep/point_record.hpp"
#include "tools/sweep/sweep_results.hpp"

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
                        const std::vector<std::string>& plugins) {
  const std::string self = shell_word(run::self_executable());
  // Each shard's npusim loads the same plugins, by absolute path (tasks may start elsewhere).
  std::string plugin_words;
  for (const auto& plugin : plugins) plugin_words += " --plugin " + shell_word(std::filesystem::absolute(plugin).string());
  const std::string spec_word = shell_word(spec), out_word = shell_word(out);
  const std::string merge = self + " sweep-merge" + plugin_words + " " + spec_word + " --out " + out_word + " " + out_word;
  const std::string sweep = self + " sweep" + plugin_words;
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

// Points listed by why they run again, the first few by name.
class ResumeReport {
 public:
  void add(const hw::SweepPoint& p, const std::string& reason) {
    if (reason == "no result") return;  // not run yet, or failed: nothing to say
    if (named_.size() < 5) named_.push_back("point " + p.id + ": " + reason + "; running it again");
    ++rerun_;
  }
  void print() const {
    for (const auto& line : named_) std::cerr << "npusim: note: " << line << "\n";
    if (rerun_ > named_.size()) std::cerr << "npusim: note: ... and " << rerun_ - named_.size() << " more points whose results cannot be used\n";
  }

 private:
  size_t rerun_ = 0;
  std::vector<std::string> named_;
};

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

// A point's logs are written as .part files and appear whole, once its run has ended.
void publish_logs(const std::string& dir) {
  std::error_code code;
  for (const char* log : {"stdout.txt", "stderr.txt"}) std::filesystem::rename(dir + "/" + log + ".part", dir + "/" + log, code);
}

// What the points of a sweep share, made once in the sweep's process before its workers are forked: the
// spec and the base config (read once, not per point). Each worker generates a workload's trace the first
// time one of its points needs it and keeps it for its later points.
class SweepRuns {
 public:
  explicit SweepRuns(const hw::SweepSpec& spec) : spec_(spec) {
    if (!spec.base_config.empty()) base_ = hw::load_hw_config(spec.base_config);
  }

  // The point's effective config: the base config with the point's axis values applied once, every
  // non-linear op kind on the point's engine; named as `npusim run --set ...` names it.
  run::EffectiveConfig config_of(const hw::SweepPoint& point) const {
    std::vector<std::string> overrides;
    for (size_t a = 0; a < spec_.axes.size(); ++a) overrides.push_back(spec_.axes[a].path + "=" + point.values[a]);
    run::EffectiveConfig effective = run::with_overrides(base_, overrides);
    effective.config = run::on_engine(effective.config, hw::parse_engine(point.engine));
    return effective;
  }

  const hw::SweepWorkload& workload_of(const hw::SweepPoint& point) const { return spec_.workloads[static_cast<size_t>(point.workload)]; }

  const workloads::Trace& trace_of(const hw::SweepPoint& point) {
    auto it = traces_.find(point.workload);
    if (it != traces_.end()) return it->second;
    const hw::SweepWorkload& w = spec_.workloads[static_cast<size_t>(point.workload)];
    run::WorkloadRequest request;
    request.model = w.model;
    request.trace_file = w.trace;
    request.zoo.tokens = w.tokens;
    request.zoo.full = w.full;
    return traces_.emplace(point.workload, run::load_trace(request)).first->second;
  }

 private:
  const hw::SweepSpec& spec_;
  hw::HwConfig base_;
  std::map<int, workloads::Trace> traces_;
};

// One point, in a worker process: the run (the same run_point and result file as `npusim run --json`,
// so result.json is byte for byte the standalone run's), then the record that vouches for its result
// (read as a report once, when the sweep collects it). Done here, all of a point's work runs in parallel
// with the others; a worker killed before the record is written leaves none, so the point runs again on
// resume.
int run_sweep_point(const std::string& dir, SweepRuns& runs, const hw::SweepPoint& point, PointRecord record) {
  ensure_writable_directory(dir);
  clear_point(dir);
  int code = kExitOk;
  {
    const run::OutputRedirect logs(dir + "/stdout.txt.part", dir + "/stderr.txt.part");
    code = run_guarded([&] {
      const run::EffectiveConfig effective = runs.config_of(point);
      run::RunFiles files;
      files.json_path = dir + "/result.json";
      if (run::generates(effective.config)) {
        // A generation point (generate.* axes or base config): result.json is the whole generation as one
        // run's report, generation.json beside it has TTFT, TPOT and the rest (docs/generation.md).
        const hw::SweepWorkload& workload = runs.workload_of(point);
        if (workload.model.empty()) throw Error("generate.* needs a zoo decoder model as the workload, not the trace file " + workload.trace);
        run::GenerationOptions options;
        options.engine = point.engine;
        options.config_label = effective.label;
        const hw::GenerationResult generation =
            run::simulate_generation(effective.config, run::generation_of(workload.model, effective.config), options);
        std::cout << hw::generation_text({generation});
        write_file_atomically(dir + "/generation.json", hw::generation_json({generation}).dump(2) + "\n");
        run::write_report_files(files, effective.config, generation.whole);
        record.result_sha256 = sha256_hex(read_file(files.json_path));
        return kExitOk;
      }
      run::RunPointOptions options;
      options.config_label = effective.label;
      const run::RunPointResult result = run::run_point(effective.config, runs.trace_of(point), options);
      for (const auto& warning : result.warnings) std::cerr << "npusim: warning: " << warning << "\n";
      std::cout << hw::summary_text(result.report);
      run::write_report_files(files, effective.config, result.report);
      record.result_sha256 = sha256_hex(read_file(files.json_path));
      return kExitOk;
    });
  }
  if (code != kExitOk) return code;  // the sweep records the failure
  publish_logs(dir);
  write_file_atomically(dir + "/point.json", point_record_json(record));
  return kExitOk;
}

// A point whose run failed, crashed or was killed: its stderr becomes error.txt, recorded for this
// point so that a resume or a merge reports it.
void record_failure(const std::string& dir, const PointRecord& record, int status) {
  publish_logs(dir);
  std::string err;
  try {
    err = read_file(dir + "/stderr.txt");
  } catch (const Error&) {  // a point that died before its logs existed: its status says what there is
  }
  if (err.empty() && status > 128) err = "the run was ended by signal " + std::to_string(status - 128) + " (" + ::strsignal(status - 128) + ")";
  if (err.empty()) err = "the run ended with exit code " + std::to_string(status);
  write_file_atomically(dir + "/error.txt", err);
  write_file_atomically(dir + "/point.json", point_record_json(record));
}

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
  add_plugin_option(options);
  po::positional_options_description positional;
  positional.add("spec", 1);
  po::variables_map values;
  if (!parse_options("sweep", "npusim sweep SPEC --out DIR [--jobs N] [--resume] [--shard I/N] [--emit slurm|parallel]", options,
                     args, values, &positional)) {
    return kExitOk;
  }
  const std::vector<std::string> plugins = load_plugins(values);  // workers are forks: they have them too
  const std::string spec_path = values["spec"].as<std::string>();
  const std::string out = values["out"].as<std::string>();
  const hw::SweepSpec spec = hw::load_sweep_spec(spec_path);
  const std::string spec_sha256 = sha256_hex(read_file(spec_path));
  const int jobs = values["jobs"].as<int>();
  if (jobs < 1 || jobs > 256) throw UsageError("sweep: --jobs must be in 1..256");
  if (values.count("emit")) {
    const int shards = values["shards"].as<int>();
    if (shards < 1 || shards > 100000) throw UsageError("sweep: --shards must be in 1..100000");
    std::cout << emit_script(values["emit"].as<std::string>(), spec_path, out, shards, jobs, plugins);
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
  const std::string recorded_sha256 = recorded_spec_sha256(out);
  if (has_results && !recorded_sha256.empty() && recorded_sha256 != spec_sha256) {
    std::cerr << "npusim: note: " << out << " holds results of another version of " << spec_path
              << ": the points whose runs changed are computed again\n";
  }
  write_sweep_record(out, spec_path, spec_sha256);
  if (!spec.base_config_not_given.empty()) {
    std::cerr << "npusim: note: " << hw::defaults_note(spec.base_config, spec.base_config_not_given) << "\n";
  }
  // A point runs unless its result is one its point.json vouches for, for this spec and these inputs.
  PointRecords records(spec);
  ResumeReport resume_report;
  std::vector<hw::SweepPoint> todo;
  for (const auto& p : mine) {
    hw::RunReport unused;
    const std::string reason = check_point_result(point_dir(out, p), records.expected(p), unused);
    if (reason.empty()) continue;
    resume_report.add(p, reason);
    todo.push_back(p);
  }
  resume_report.print();
  std::cerr << "sweep " << spec_path << ": " << all.size() << " points, " << mine.size() << " in this run, " << todo.size()
            << " to do, " << jobs << " at a time\n";

  Progress progress(todo.size());
  std::vector<PointRecord> todo_records;
  for (const auto& p : todo) todo_records.push_back(records.expected(p));
  set_durable_writes(false);  // points are checked by digest on resume instead
  SweepRuns runs(spec);
  run::run_in_workers(
      todo.size(), jobs, [&](size_t i) { return run_sweep_point(point_dir(out, todo[i]), runs, todo[i], todo_records[i]); },
      [&](const run::TaskOutcome& outcome) {
        const bool ok = outcome.status == kExitOk;
        if (!ok) record_failure(point_dir(out, todo[outcome.task]), todo_records[outcome.task], outcome.status);
        progress.point(todo[outcome.task], ok, outcome.seconds);
      });
  set_durable_writes(true);
  const std::vector<PointResult> results = collect_results(spec, all, {out});
  write_sweep_outputs(spec, results, out);
  int failed = 0;
  for (const auto& r : results) failed += r.failed ? 1 : 0;
  // A point of this run with neither a usable result nor a recorded failure (a result that does not read
  // back as a report) fails the sweep too; --resume runs it again.
  std::set<std::string> this_run;
  for (const auto& p : mine) this_run.insert(p.id);
  for (const auto& r : results) {
    if (r.done || r.failed || this_run.count(r.point.id) == 0) continue;
    std::cerr << "npusim: error: point " << r.point.id << " has no usable result: " << (r.unusable.empty() ? "none was written" : r.unusable) << "\n";
    ++failed;
  }
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
  const std::vector<PointResult> results = collect_results(spec, spec.points(), values["inputs"].as<std::vector<std::string>>());
  int missing = 0, failed = 0;
  for (const auto& r : results) missing += (!r.done && !r.failed) ? 1 : 0, failed += r.failed ? 1 : 0;
  size_t refused = 0;
  for (const auto& r : results) {
    if (r.done || r.unusable.empty()) continue;
    if (++refused <= 5) std::cerr << "npusim: note: point " << r.point.id << " left out: " << r.unusable << "\n";
  }
  if (refused > 5) std::cerr << "npusim: note: ... and " << refused - 5 << " more points left out\n";
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
