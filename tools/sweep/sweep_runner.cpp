#include "tools/sweep/sweep_runner.hpp"

#include <unistd.h>

#include <chrono>
#include <cstring>
#include <iostream>
#include <map>
#include <set>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/output_folder.hpp"
#include "common/sha256.hpp"
#include "hw/config/hw_config_io.hpp"
#include "run/child_process.hpp"
#include "run/effective_config.hpp"
#include "run/output_files.hpp"
#include "run/generation.hpp"
#include "run/run_point.hpp"
#include "run/worker_pool.hpp"
#include "run/workload_request.hpp"
#include "tools/sweep/point_id.hpp"
#include "tools/sweep/point_record.hpp"
#include "tools/sweep/results_file.hpp"
#include "tools/sweep/sweep_folder.hpp"
#include "tools/sweep/sweep_results.hpp"

namespace npusim::cli {

namespace {

// A worker's exit code for a point whose failure it recorded itself (any other non-zero code: the sweep
// records it).
constexpr int kFailureRecorded = 3;

// Points listed by why they run again, the first few by name.
class ResumeReport {
 public:
  void add(const hw::SweepPoint& p, const std::string& reason) {
    if (reason.empty()) return;  // not run yet, or failed: nothing to say
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
  Progress(size_t total, bool enabled)
      : total_(total), enabled_(enabled), terminal_(::isatty(STDERR_FILENO)), start_(std::chrono::steady_clock::now()) {}
  void point(const hw::SweepPoint& p, bool ok, double seconds) {
    ++done_;
    if (!enabled_) return;
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
  bool enabled_;
  size_t done_ = 0;
  bool terminal_;
  std::chrono::steady_clock::time_point start_;
};

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

// The run of one point: its report in `record` (or its error), and with a point folder its files as
// `npusim run --json` writes them (result.json byte for byte the standalone run's) and its logs.
void run_point_into(SweepRuns& runs, const hw::SweepPoint& point, const std::string& folder, PointRecord& record) {
  try {
    const run::EffectiveConfig effective = runs.config_of(point);
    if (run::generates(effective.config)) {
      // A generation point (generate.* axes or base config): its report is the whole generation as one
      // run's, its record also has TTFT, TPOT and the rest; with a point folder, generation.json beside
      // result.json has every figure.
      const hw::SweepWorkload& workload = runs.workload_of(point);
      if (workload.model.empty()) throw Error("generate.* needs a zoo decoder model as the workload, not the trace file " + workload.trace);
      run::GenerationOptions options;
      options.engine = point.engine;
      options.config_label = effective.label;
      const hw::GenerationResult generation = run::simulate_generation(effective.config, run::generation_of(workload.model, effective.config), options);
      record.ok = true;
      record.report = generation.whole;
      record.generation = generation_figures(generation);
      if (folder.empty()) return;
      std::cout << hw::generation_text({generation}) << std::flush;
      write_file_atomically(folder + "/generation.json", hw::generation_json({generation}).dump(2) + "\n");
      run::RunFiles files;
      files.json_path = folder + "/result.json";
      run::write_report_files(files, effective.config, generation.whole);
      record.result_json_sha256 = sha256_hex(read_file(files.json_path));
      return;
    }
    run::RunPointOptions options;
    options.config_label = effective.label;
    const run::RunPointResult result = run::run_point(effective.config, runs.trace_of(point), options);
    record.ok = true;
    record.report = result.report;
    record.warnings = result.warnings;
    if (folder.empty()) return;
    for (const auto& warning : result.warnings) std::cerr << "npusim: warning: " << warning << "\n";
    std::cout << hw::summary_text(result.report) << std::flush;
    run::RunFiles files;
    files.json_path = folder + "/result.json";
    run::write_report_files(files, effective.config, result.report);
    record.result_json_sha256 = sha256_hex(read_file(files.json_path));
  } catch (const std::exception& e) {
    record.ok = false;
    record.error = dynamic_cast<const Error*>(&e) != nullptr ? e.what() : std::string("internal error: ") + e.what();
    if (!folder.empty()) std::cerr << "npusim: error: " << record.error << "\n";
  }
}

// One point, in a worker process: its run, then its record, appended to the results file in one write
// (a worker killed before that leaves no record, so the point runs again on resume). A failed point
// ends its worker (the simulation may have left SystemC unusable in it): the next point gets a new one.
int run_sweep_point(SweepRuns& runs, const hw::SweepPoint& point, PointRecord record, const ResultsAppender& results,
                    const std::string& folder) {
  if (folder.empty()) {
    run_point_into(runs, point, folder, record);
  } else {
    ensure_writable_directory(folder);
    clear_point(folder);
    {
      const run::OutputRedirect logs(folder + "/stdout.txt.part", folder + "/stderr.txt.part");
      run_point_into(runs, point, folder, record);
    }
    publish_logs(folder);
    if (!record.ok) write_file_atomically(folder + "/error.txt", record.error + "\n");
  }
  results.append(record);
  return record.ok ? run::kChildOk : kFailureRecorded;
}

// A point whose worker died in it (a crash, a kill) or ended without its record: the sweep records the
// failure, with what the point's log holds when it has a folder.
void record_failure(const std::string& folder, PointRecord record, int status, const ResultsAppender& results) {
  std::string log;
  if (!folder.empty()) {
    publish_logs(folder);
    try {
      log = read_file(folder + "/stderr.txt");
    } catch (const Error&) {  // a point that died before its logs existed: its status says what there is
    }
  }
  while (!log.empty() && log.back() == '\n') log.pop_back();
  record.ok = false;
  record.error = status > 128 ? "the run was ended by signal " + std::to_string(status - 128) + " (" + ::strsignal(status - 128) + ")"
                             : "the run ended with exit code " + std::to_string(status) + " and no record";
  if (!log.empty()) record.error += ": " + log;
  if (!folder.empty()) write_file_atomically(folder + "/error.txt", record.error + "\n");
  results.append(record);
}

std::string writer_name(const SweepRequest& r) {
  return r.shards > 1 ? "shard-" + std::to_string(r.shard) + "-of-" + std::to_string(r.shards) : "all";
}

}  // namespace

SweepOutcome run_sweep(const SweepRequest& request) {
  const bool sharded = request.shards > 1;
  const std::string& out = request.out_dir;
  const std::vector<hw::SweepPoint> all = sweep_points(request.spec);
  const std::vector<hw::SweepPoint> mine = sharded ? hw::shard_points(all, request.shard, request.shards) : all;
  // The lock before the look at OUT: two sweeps started together cannot both find it empty.
  SweepLock lock(out, sharded ? SweepLock::Kind::shard : SweepLock::Kind::whole);
  const bool has_results = holds_sweep_results(out);
  if (has_results && !request.resume && !sharded && !request.force) {
    throw Error(out + " already holds sweep results: add --resume to continue it, --force to start it again, or choose another folder");
  }
  // A resumed sweep and the shards of one keep the folder's earlier results; a sweep started again
  // (--force) clears them. Another kind of result there, or files npusim did not write, need --force.
  OutputFolder folder = prepare_sweep_folder(out, "npusim sweep", {request.force, request.resume || sharded});
  if (sharded) lock.hold_writer(writer_name(request));
  const std::string recorded_sha256 = recorded_spec_sha256(out);
  if (has_results && !recorded_sha256.empty() && recorded_sha256 != request.spec_sha256) {
    std::cerr << "npusim: note: " << out << " holds results of another version of " << request.spec_name
              << ": the new and changed points are computed\n";
  }
  write_sweep_record(out, request.spec_name, request.spec_sha256);
  if (!request.spec.base_config_not_given.empty()) {
    std::cerr << "npusim: note: " << hw::defaults_note(request.spec.base_config, request.spec.base_config_not_given) << "\n";
  }
  // A point runs unless a record vouches for its result, for this spec and these inputs.
  CollectOptions collect;
  collect.need_point_folders = request.keep_points;
  std::vector<std::string> skipped;
  const std::vector<PointResult> before = collect_results(request.spec, mine, {out}, collect, &skipped);
  for (size_t i = 0; i < skipped.size() && i < 3; ++i) std::cerr << "npusim: note: skipped " << skipped[i] << "\n";
  if (skipped.size() > 3) std::cerr << "npusim: note: ... and " << skipped.size() - 3 << " more lines that are no record\n";
  ResumeReport resume_report;
  std::vector<hw::SweepPoint> todo;
  for (const auto& r : before) {
    if (r.done) continue;
    const std::string folder_prefix = out + ": ";  // collect_results names the folder; here it is OUT
    resume_report.add(r.point, r.unusable.rfind(folder_prefix, 0) == 0 ? r.unusable.substr(folder_prefix.size()) : r.unusable);
    todo.push_back(r.point);
  }
  resume_report.print();
  std::cerr << "sweep " << request.spec_name << ": " << all.size() << " points, " << mine.size() << " in this run, " << todo.size()
            << " to do, " << request.jobs << " at a time\n";

  PointRecords records(request.spec);
  std::vector<PointRecord> todo_records;
  for (const auto& p : todo) todo_records.push_back(records.expected(p));
  const auto folder_of = [&](size_t i) { return request.keep_points ? point_dir(out, todo[i].id) : std::string(); };
  const ResultsAppender results(results_file_path(out, writer_name(request)));
  Progress progress(todo.size(), request.progress);
  set_durable_writes(false);  // records are checked by digest on resume instead
  SweepRuns runs(request.spec);
  run::run_in_workers(
      todo.size(), request.jobs, [&](size_t i) { return run_sweep_point(runs, todo[i], todo_records[i], results, folder_of(i)); },
      [&](const run::TaskOutcome& outcome) {
        const bool ok = outcome.status == run::kChildOk;
        if (!ok && outcome.status != kFailureRecorded) {
          record_failure(folder_of(outcome.task), todo_records[outcome.task], outcome.status, results);
        }
        progress.point(todo[outcome.task], ok, outcome.seconds);
      });
  set_durable_writes(true);

  SweepOutcome outcome;
  outcome.ran = todo.size();
  outcome.results = collect_results(request.spec, all, {out});
  folder.remove_previous(plot_files(out));
  write_sweep_outputs(request.spec, outcome.results, out);
  if (!sharded) folder.commit();
  for (const auto& r : outcome.results) outcome.failed += r.failed ? 1 : 0;
  // A point of this run with neither a result nor a recorded failure fails the sweep too; --resume runs
  // it again.
  std::set<std::string> this_run;
  for (const auto& p : mine) this_run.insert(p.id);
  for (const auto& r : outcome.results) {
    if (r.done || r.failed || this_run.count(r.point.id) == 0) continue;
    std::cerr << "npusim: error: point " << r.point.id << " has no usable result: " << (r.unusable.empty() ? "none was recorded" : r.unusable)
              << "\n";
    ++outcome.failed;
  }
  return outcome;
}

}  // namespace npusim::cli
