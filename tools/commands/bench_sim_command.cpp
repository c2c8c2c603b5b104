// npusim bench-sim: wall time and peak memory of timing-only simulations, each in its own process
// (the figures the timed-model issue quotes; targets: TinyLlama's whole 2048-token prefill in under
// 1 s and 500 MB).
#include <chrono>
#include <iostream>

#include "tools/child_process.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/text_table.hpp"

namespace npusim::cli {

int run_bench_sim_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("repeat", po::value<int>()->default_value(3), "runs per case (the fastest is reported)")
      ("engine", po::value<std::string>()->default_value("lut"), "non-linear engine of the runs");
  po::variables_map values;
  if (!parse_options("bench-sim", "npusim bench-sim [--repeat N] [--engine E]", options, args, values)) return kExitOk;
  const int repeat = values["repeat"].as<int>();
  if (repeat < 1 || repeat > 100) throw UsageError("bench-sim: --repeat must be in 1..100");
  const std::string engine = values["engine"].as<std::string>();
  const struct {
    const char* name;
    std::vector<std::string> args;
  } cases[] = {
      {"ViT-Base block", {"--model", "vit_base"}},
      {"ViT-Base whole", {"--model", "vit_base", "--full"}},
      {"TinyLlama block, 2048 tokens", {"--model", "tinyllama", "--tokens", "2048"}},
      {"TinyLlama whole (22 layers), 2048 tokens", {"--model", "tinyllama", "--tokens", "2048", "--full"}},
  };
  TextTable table({"simulation", "wall ms", "peak MB"});
  for (const auto& c : cases) {
    double best_ms = 1e30;
    long best_rss = 0;
    for (int r = 0; r < repeat; ++r) {
      std::vector<std::string> run_args = {"run", "--engines", engine};
      run_args.insert(run_args.end(), c.args.begin(), c.args.end());
      const auto start = std::chrono::steady_clock::now();
      const pid_t pid = start_self(run_args, "/dev/null", "/dev/null");
      long rss_kib = 0;
      if (wait_child(pid, &rss_kib) != 0) throw UsageError(std::string("bench-sim: the run '") + c.name + "' failed");
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      if (ms < best_ms) {
        best_ms = ms;
        best_rss = rss_kib;
      }
    }
    table.add_row({c.name, format_number(best_ms, 4), format_number(static_cast<double>(best_rss) / 1024.0, 4)});
  }
  std::cout << "timing-only simulations, engine " << engine << ", best of " << repeat << " (wall time includes process start):\n"
            << table.render();
  return kExitOk;
}

}  // namespace npusim::cli
