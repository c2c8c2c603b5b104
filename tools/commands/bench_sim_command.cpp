// npusim bench-sim: the simulation-speed table of the speed issue, each row measured in the same run as
// its reference (times vary with the machine and its load; the ratios are what count).
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>

#include "report/run_report.hpp"
#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/json.hpp"
#include "run/child_process.hpp"
#include "run/effective_config.hpp"
#include "run/generation.hpp"
#include "run/output_files.hpp"
#include "run/run_point.hpp"
#include "run/workload_request.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "report/text_table.hpp"

namespace npusim::cli {

namespace {

struct Measurement {
  double wall_s = 0;
  double cpu_s = 0;  // user + system of the process itself (not of its children)
  double peak_mb = 0;
  std::string out;   // its stdout
};

// A scratch folder removed when the benchmark ends.
class ScratchFolder {
 public:
  ScratchFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "npusim_bench_XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw Error("bench-sim: cannot create a scratch folder in " + pattern);
    path_ = pattern;
  }
  ~ScratchFolder() {
    std::error_code code;
    std::filesystem::remove_all(path_, code);
  }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// One measurement, whichever way it is started; the fastest of `repeat` is kept.
Measurement fastest(int repeat, const std::function<Measurement()>& measure_once) {
  std::optional<Measurement> best;
  for (int r = 0; r < repeat; ++r) {
    const Measurement m = measure_once();
    if (!best || m.wall_s < best->wall_s) best = m;
  }
  return *best;
}

// Waits for `pid`, started at `start`: its times and peak memory, or an error with what it printed.
Measurement finish(const ScratchFolder& scratch, const std::string& what, pid_t pid, std::chrono::steady_clock::time_point start) {
  Measurement m;
  long rss_kib = 0;
  const int code = run::wait_child(pid, &rss_kib, &m.cpu_s);
  m.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (code != 0) throw Error("bench-sim: " + what + " failed (exit " + std::to_string(code) + "): " + read_file(scratch.file("stderr.txt")));
  m.peak_mb = static_cast<double>(rss_kib) / 1024.0;
  m.out = read_file(scratch.file("stdout.txt"));
  return m;
}

// The fastest of `repeat` runs of the program `exe args...` (npusim itself when exe is empty); `before`
// runs ahead of each (outside the timing).
Measurement measure(const ScratchFolder& scratch, const std::string& what, int repeat, const std::string& exe,
                    const std::vector<std::string>& args, const std::function<void()>& before = {}) {
  return fastest(repeat, [&] {
    if (before) before();
    const std::string out_path = scratch.file("stdout.txt"), err_path = scratch.file("stderr.txt");
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = exe.empty() ? run::start_self(args, out_path, err_path) : run::start_program(exe, args, out_path, err_path);
    return finish(scratch, what, pid, start);
  });
}

// The fastest of `repeat` runs through the run API, as a sweep point runs: a worker forked from this
// process generates the trace and calls run_point on the effective config (no process start, no option
// parsing); with `json_path`, the report goes there.
Measurement measure_run(const ScratchFolder& scratch, const std::string& what, int repeat, const run::WorkloadRequest& workload,
                        const std::vector<std::string>& overrides, const std::string& json_path = "") {
  const run::EffectiveConfig effective = run::with_overrides(hw::HwConfig{}, overrides);
  const hw::HwConfig config = run::on_engine(effective.config, hw::NonlinearEngine::lut);
  return fastest(repeat, [&] {
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = run::fork_running([&] {
      const run::OutputRedirect logs(scratch.file("stdout.txt"), scratch.file("stderr.txt"));
      return run_guarded([&] {
        run::RunPointOptions options;
        options.config_label = effective.label;
        const run::RunPointResult result = run::run_point(config, run::load_trace(workload), options);
        run::RunFiles files;
        files.json_path = json_path;
        run::write_report_files(files, config, result.report);
        return kExitOk;
      });
    });
    return finish(scratch, what, pid, start);
  });
}

// The fastest of `repeat` whole-TinyLlama generations on the LUT, in a forked worker as measure_run.
Measurement measure_generation(const ScratchFolder& scratch, int repeat, const run::GenerationRequest& request) {
  const hw::HwConfig config = run::on_engine(hw::HwConfig{}, hw::NonlinearEngine::lut);
  return fastest(repeat, [&] {
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = run::fork_running([&] {
      const run::OutputRedirect logs(scratch.file("stdout.txt"), scratch.file("stderr.txt"));
      return run_guarded([&] {
        std::cout << hw::generation_text({run::simulate_generation(config, request, {})});
        return kExitOk;
      });
    });
    return finish(scratch, "the TinyLlama generation", pid, start);
  });
}

double total_ms_of(const std::string& path) {
  return hw::report_from_json(json::parse(read_file(path), path), path).total_ms();
}

std::string seconds_text(double s) { return format_number(s, 3) + " s"; }
std::string ratio_text(double r) { return format_number(r, 3) + "x"; }

// The fine bandwidth sweep (configs/sweeps/bandwidth_fine.yaml) on the built-in paper NPU, so
// the benchmark needs no file from the source tree.
const char* const kHundredPointSweep =
    "format: npusim-sweep\nversion: 1\nworkloads:\n  - {model: vit_base}\nengines: [dsp, lut]\n"
    "axes:\n  - {path: dram.bandwidth_gbps, range: {from: 0.5, to: 25, step: 0.5}}\n";

// 10,000 points of a small hand-written trace (a conv, a pool, a LayerNorm, an attention score, a softmax
// and a GELU): 100 DRAM bandwidths x 100 latencies. What is measured is the sweep's own cost per point -
// its workers, records and summary - which a small workload leaves in the open.
const char* const kSmallTrace =
    "format: npusim-trace\nversion: 1\nmodel: small\nops:\n"
    "  - {id: image, type: reshape, inputs: [[3, 32, 32]], output: [3, 32, 32]}\n"
    "  - {id: conv, type: conv, inputs: [[3, 32, 32]], output: [8, 16, 16], weights: [8, 3, 3, 3], stride: 2, padding: 1}\n"
    "  - {id: pool, type: pooling, inputs: [[8, 16, 16]], output: [8, 8, 8], kernel: [2, 2], stride: 2}\n"
    "  - {id: flat, type: reshape, inputs: [[8, 8, 8]], output: [8, 64]}\n"
    "  - {id: norm, type: layernorm, inputs: [[8, 64]], output: [8, 64], ranges: {rsqrt: [0.01, 4]}}\n"
    "  - {id: q, type: reshape, inputs: [[8, 64]], output: [2, 8, 32]}\n"
    "  - {id: k, type: reshape, deps: [norm], inputs: [[8, 64]], output: [2, 32, 8]}\n"
    "  - {id: s, type: batched_matmul, deps: [q, k], inputs: [[2, 8, 32], [2, 32, 8]], output: [2, 8, 8]}\n"
    "  - {id: p, type: softmax, inputs: [[2, 8, 8]], output: [2, 8, 8], ranges: {exp: [-8, 0], reciprocal: [1, 8]}}\n"
    "  - {id: g, type: gelu, inputs: [[2, 8, 8]], output: [2, 8, 8], ranges: {gelu: [-4, 4]}}\n";
const char* const kTenThousandPointSweep =
    "format: npusim-sweep\nversion: 1\nworkloads:\n  - {trace: small.yaml}\nengines: [lut]\naxes:\n"
    "  - {path: dram.bandwidth_gbps, range: {from: 0.5, to: 50, step: 0.5}}\n"
    "  - {path: dram.latency_ns, range: {from: 10, to: 1000, step: 10}}\n";

size_t files_under(const std::string& dir) {
  size_t n = 0;
  std::error_code code;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir, code)) n += entry.is_regular_file(code) ? 1 : 0;
  return n;
}

// The whole TinyLlama prefill at `tokens` tokens.
run::WorkloadRequest tinyllama(int tokens) {
  run::WorkloadRequest request;
  request.model = "tinyllama";
  request.zoo.full = true;
  request.zoo.tokens = tokens;
  return request;
}

const char* const kNumpySoftmax =
    "import numpy as np, time\n"
    "x = np.random.default_rng(1).normal(0, 3, (4096, 4096))\n"
    "t = time.process_time()\n"
    "e = np.exp(x - x.max(1, keepdims=True))\n"
    "y = e / e.sum(1, keepdims=True)\n"
    "print(time.process_time() - t)\n";

}  // namespace

int run_bench_sim_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("repeat", po::value<int>()->default_value(3), "runs per measurement (the fastest is reported)")
      ("rows", po::value<std::string>()->default_value("prefill,sweep,burst,softmax,generate"),
       "rows to measure: prefill, sweep, sweep10k, burst, softmax, generate (comma-separated)")
      ("python", po::value<std::string>()->default_value("/usr/bin/python3"), "a Python with NumPy for the softmax reference");
  po::variables_map values;
  if (!parse_options("bench-sim", "npusim bench-sim [--repeat N] [--rows LIST] [--python PATH]", options, args, values)) return kExitOk;
  const int repeat = values["repeat"].as<int>();
  if (repeat < 1 || repeat > 100) throw UsageError("bench-sim: --repeat must be in 1..100");
  std::set<std::string> rows;
  std::stringstream listed(values["rows"].as<std::string>());
  for (std::string row; std::getline(listed, row, ',');) {
    if (row != "prefill" && row != "sweep" && row != "sweep10k" && row != "burst" && row != "softmax" && row != "generate") {
      throw UsageError("bench-sim: --rows takes prefill, sweep, sweep10k, burst, softmax and generate, got '" + row + "'");
    }
    rows.insert(row);
  }
  const ScratchFolder scratch;
  TextTable table({"what", "measured", "reference", "ratio", "target"});

  if (rows.count("prefill")) {
    const auto prefill = [&](int tokens) {
      return measure_run(scratch, "the TinyLlama prefill", repeat, tinyllama(tokens), {});
    };
    const Measurement long_run = prefill(32768), reference = prefill(8192);
    table.add_row({"whole TinyLlama prefill, 32,768 tokens (timing only)",
                   seconds_text(long_run.wall_s) + ", " + format_number(long_run.peak_mb, 3) + " MB",
                   "8,192 tokens: " + seconds_text(reference.wall_s), ratio_text(long_run.wall_s / reference.wall_s),
                   "< 5 s, <= 5x, < 200 MB"});
  }
  if (rows.count("sweep")) {
    const std::string spec = scratch.file("bandwidth_fine.yaml");
    write_file_atomically(spec, kHundredPointSweep);
    const std::string out = scratch.file("sweep");
    // Each repetition sweeps into a fresh folder, as a user would. The last one's files are moved aside,
    // not deleted: on a filesystem without a journal, ext4 skips recently freed inodes one by one, so a
    // deletion just before would be paid again by the next repetition's file creation.
    int repetition = 0;
    const Measurement sweep = measure(scratch, "the 100-point sweep", repeat, "", {"sweep", spec, "--out", out, "--jobs", "2"}, [&] {
      std::error_code code;
      if (std::filesystem::exists(out, code)) std::filesystem::rename(out, out + "." + std::to_string(++repetition), code);
    });
    const Measurement one = measure(scratch, "one run", repeat, "", {"run", "--model", "vit_base", "--engines", "lut"});
    table.add_row({"100-point sweep (bandwidth 0.5..25 GB/s, ViT-Base, dsp+lut, --jobs 2)", seconds_text(sweep.wall_s),
                   "one run: " + seconds_text(one.wall_s), ratio_text(sweep.wall_s / one.wall_s), "<= 20x"});
  }
  if (rows.count("sweep10k")) {
    write_file_atomically(scratch.file("small.yaml"), kSmallTrace);
    const std::string spec = scratch.file("ten_thousand.yaml");
    write_file_atomically(spec, kTenThousandPointSweep);
    const std::string out = scratch.file("sweep10k");
    int repetition = 0;
    const Measurement sweep = measure(scratch, "the 10,000-point sweep", repeat, "", {"sweep", spec, "--out", out, "--jobs", "2"}, [&] {
      std::error_code code;
      if (std::filesystem::exists(out, code)) std::filesystem::rename(out, out + "." + std::to_string(++repetition), code);
    });
    const Measurement one = measure(scratch, "one run", repeat, "", {"run", "--workload", scratch.file("small.yaml"), "--engines", "lut"});
    table.add_row({"10,000-point sweep (bandwidth x latency, a 10-op trace, lut, --jobs 2)",
                   seconds_text(sweep.wall_s) + ", " + std::to_string(files_under(out)) + " files",
                   "one run: " + seconds_text(one.wall_s), ratio_text(sweep.wall_s / one.wall_s), "< 60 s, no file per point"});
  }
  if (rows.count("burst")) {
    const std::string fine_json = scratch.file("burst256.json"), default_json = scratch.file("default.json");
    const Measurement fine = measure_run(scratch, "the 256-byte-burst run", repeat, tinyllama(2048), {"dma.burst_bytes=256"}, fine_json);
    const Measurement normal = measure_run(scratch, "the default run", repeat, tinyllama(2048), {}, default_json);
    const double fine_ms = total_ms_of(fine_json), default_ms = total_ms_of(default_json);
    table.add_row({"--set dma.burst_bytes=256, whole TinyLlama prefill, 2,048 tokens",
                   seconds_text(fine.wall_s) + " (" + format_number(fine_ms, 7) + " ms simulated)",
                   "16 KiB bursts: " + seconds_text(normal.wall_s) + " (" + format_number(default_ms, 7) + " ms)",
                   ratio_text(fine.wall_s / normal.wall_s), "<= 2x, same result"});
  }
  if (rows.count("softmax")) {
    const Measurement lut = measure(scratch, "the softmax accuracy run", repeat, "",
                                    {"accuracy", "--op", "softmax", "--shape", "4096,4096", "--dist", "normal:0,3", "--methods", "bespoke"});
    std::string reference = "NumPy not found (" + values["python"].as<std::string>() + ")", ratio = "-";
    try {
      double numpy_s = 1e30;
      for (int r = 0; r < repeat; ++r) {
        numpy_s = std::min(numpy_s, std::stod(measure(scratch, "NumPy", 1, values["python"].as<std::string>(), {"-c", kNumpySoftmax}).out));
      }
      reference = "NumPy float64 softmax: " + seconds_text(numpy_s) + " CPU";
      ratio = ratio_text(lut.cpu_s / numpy_s);
    } catch (const std::exception&) {
      // no Python with NumPy here: the row keeps its own figure
    }
    table.add_row({"accuracy --op softmax --shape 4096,4096 --methods bespoke", seconds_text(lut.cpu_s) + " CPU", reference, ratio,
                   "<= 2x"});
  }
  if (rows.count("generate")) {
    run::GenerationRequest request;
    request.model = "tinyllama";
    request.prompt_tokens = 2048;
    request.new_tokens = 1024;
    const Measurement generation = measure_generation(scratch, repeat, request);
    const Measurement prefill = measure_run(scratch, "the TinyLlama prefill", repeat, tinyllama(2048), {});
    table.add_row({"whole TinyLlama generation, 2,048 prompt + 1,024 new tokens (lut)",
                   seconds_text(generation.wall_s) + ", " + format_number(generation.peak_mb, 3) + " MB",
                   "prefill alone, 2,048 tokens: " + seconds_text(prefill.wall_s), ratio_text(generation.wall_s / prefill.wall_s),
                   "< 2 s, <= 2x, < 200 MB"});
  }
  std::cout << "simulation speed, best of " << repeat
            << " (prefill and burst: run_point in a forked worker; sweep and softmax: whole npusim processes; the ratios are what count):\n"
            << table.render();
  return kExitOk;
}

}  // namespace npusim::cli
