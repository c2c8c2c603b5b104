// npusim run: the timed model on a workload; several engines side by side, each in its own process. The
// options become a run request (tools/run_options.cpp); the run API (run/run_request.hpp) does the rest.
#include <iostream>

#include "common/did_you_mean.hpp"
#include "run/generation.hpp"
#include "run/run_request.hpp"
#include "run/sensitivity.hpp"
#include "tools/commands.hpp"
#include "tools/run_generation.hpp"
#include "tools/run_options.hpp"

namespace npusim::cli {

namespace {

void print_warnings(const run::RunPointResult& result) {
  for (const auto& warning : result.warnings) std::cerr << "npusim: warning: " << warning << "\n";
}

// The last lines of a run that wrote files: where they are, so that nobody has to guess.
void print_written(const run::ResolvedRun& resolved) {
  const run::RunFiles& files = resolved.outputs;
  const bool several = resolved.engines.size() > 1;
  if (!files.out_dir.empty()) {
    std::string dir = files.out_dir;
    if (dir.back() != '/') dir += '/';
    if (several) {
      std::vector<std::string> engines;
      for (const auto& engine : resolved.engines) engines.push_back(engine.engine + "/");
      std::cout << "wrote " << dir << ": comparison.txt, comparison.json, " << join_names(engines) << " (each: "
                << join_names(run::run_file_names()) << ")\n";
    } else {
      std::cout << "wrote " << dir << ": " << join_names(run::run_file_names()) << "\n";
    }
  }
  if (!files.json_path.empty()) std::cout << "wrote " << files.json_path << (several ? " (the comparison)" : "") << "\n";
  if (!files.timeline_path.empty()) std::cout << "wrote " << files.timeline_path << " (open in ui.perfetto.dev)\n";
  if (!files.vcd_path.empty()) {
    std::vector<std::string> vcds;
    for (const auto& engine : resolved.engines) vcds.push_back(several ? run::with_engine(files.vcd_path, engine.engine) : files.vcd_path);
    std::cout << "wrote " << join_names(vcds) << "\n";
  }
}

}  // namespace

int run_run_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  add_run_options(options);
  po::variables_map values;
  if (!parse_options("run", "npusim run [--config FILE] [--workload FILE | --model NAME [--tokens N] [--full]] "
                            "[--engines LIST] [--linear mau|lutnn] [--set key.path=value]... [--out DIR [--force]] [--json FILE] [--timeline FILE] "
                            "[--vcd FILE] [--functional] [--sensitivity] [--generate PROMPT,NEW [--onnx MODEL.onnx]]",
                     options, args, values)) {
    return kExitOk;
  }
  if (asks_for_generation(values)) return run_generation(values);
  const run::ResolvedRun resolved = run::resolve(run_request(values));
  if (run::generates(resolved.engines.front().config)) return run_generation(values);  // generate.* in the --config file
  if (!resolved.defaults_note.empty() && !values["no-defaults-note"].as<bool>()) {
    std::cerr << "npusim: note: " << resolved.defaults_note << "\n";
  }
  if (values["sensitivity"].as<bool>()) {
    if (!resolved.outputs.out_dir.empty() || !resolved.outputs.json_path.empty() || !resolved.outputs.timeline_path.empty() ||
        !resolved.outputs.vcd_path.empty() || resolved.options.functional) {
      throw UsageError("run: --sensitivity writes no files and checks no outputs: drop --out, --json, --timeline, --vcd and --functional");
    }
    std::cout << run::sensitivity_text(run::sensitivity(resolved, hw::calibrated_constants()));
    return kExitOk;
  }
  const run::RunResult result = run::execute(resolved);
  if (resolved.engines.size() == 1) {
    print_warnings(result.engines.front().result);
    std::cout << hw::summary_text(result.engines.front().result.report);
    print_written(resolved);
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
  print_written(resolved);
  // Each engine's functional checks are in its report; a mismatch fails the run as it fails a single one.
  return result.ok() ? kExitOk : kExitError;
}

}  // namespace npusim::cli
