// npusim run: the timed model on a workload; several engines side by side, each in its own process. The
// options become a run request (tools/run_options.cpp); the run API (run/run_request.hpp) does the rest.
#include <iostream>

#include "run/generation.hpp"
#include "run/run_request.hpp"
#include "tools/commands.hpp"
#include "tools/run_generation.hpp"
#include "tools/run_options.hpp"

namespace npusim::cli {

namespace {

void print_warnings(const run::RunPointResult& result) {
  for (const auto& warning : result.warnings) std::cerr << "npusim: warning: " << warning << "\n";
}

}  // namespace

int run_run_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  add_run_options(options);
  po::variables_map values;
  if (!parse_options("run", "npusim run [--config FILE] [--workload FILE | --model NAME [--tokens N] [--full]] "
                            "[--engines LIST] [--linear mau|lutnn] [--set key.path=value]... [--out DIR] [--json FILE] [--timeline FILE] "
                            "[--vcd FILE] [--functional] [--generate PROMPT,NEW]",
                     options, args, values)) {
    return kExitOk;
  }
  if (asks_for_generation(values)) return run_generation(values);
  const run::ResolvedRun resolved = run::resolve(run_request(values));
  if (run::generates(resolved.engines.front().config)) return run_generation(values);  // generate.* in the --config file
  if (!resolved.defaults_note.empty() && !values["no-defaults-note"].as<bool>()) {
    std::cerr << "npusim: note: " << resolved.defaults_note << "\n";
  }
  const run::RunResult result = run::execute(resolved);
  if (resolved.engines.size() == 1) {
    print_warnings(result.engines.front().result);
    std::cout << hw::summary_text(result.engines.front().result.report);
    return result.ok() ? kExitOk : kExitError;
  }
  bool failed = false;
  for (const auto& engine : result.engines) {
    if (!engine.ok) {
      std::cerr << "npusim: the " << engine.engine << " run failed: " << engine.error << "\n" << engine.log;
      failed = true;
      continue;
    }
    std::cerr << engine.log;
    print_warnings(engine.result);
  }
  if (failed) return kExitError;
  std::cout << result.comparison;
  // Each engine's functional checks are in its report; a mismatch fails the run as it fails a single one.
  return result.ok() ? kExitOk : kExitError;
}

}  // namespace npusim::cli
