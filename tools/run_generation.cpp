#include "tools/run_generation.hpp"

#include <iostream>

#include "common/atomic_file.hpp"
#include "run/generation.hpp"
#include "run/run_request.hpp"
#include "tools/run_options.hpp"

namespace npusim::cli {

bool asks_for_generation(const po::variables_map& values) {
  if (values.count("generate")) return true;
  if (values.count("set") == 0) return false;
  for (const auto& set : values["set"].as<std::vector<std::string>>()) {
    if (set.rfind("generate.", 0) == 0) return true;
  }
  return false;
}

int run_generation(const po::variables_map& values) {
  // What a generation does not take: it makes its own traces from a decoder zoo model.
  for (const char* option : {"workload", "tokens", "blocks", "calibration", "timeline", "vcd"}) {
    if (values.count(option)) throw UsageError(std::string("run: --") + option + " does not apply to --generate (it makes its own traces of the --model)");
  }
  if (values["full"].as<bool>()) throw UsageError("run: --full does not apply to --generate (generation runs the whole model)");
  if (values["functional"].as<bool>()) throw UsageError("run: --functional does not apply to --generate");
  if (!values["batch"].defaulted()) throw UsageError("run: --batch does not apply to --generate (one sequence)");
  if (values.count("model") == 0) throw UsageError("run: --generate needs --model (a decoder: tinyllama, smollm, opt_1_3b)");
  const std::string model = values["model"].as<std::string>();
  run::RunRequest request = run_request(values);
  if (values.count("generate")) {
    run::GenerationRequest asked;
    asked.model = model;
    run::parse_generate(values["generate"].as<std::string>(), asked);
    run::check_generation(asked);  // before anything is read or simulated
    // The same fields a config or --set gives (the effective config.yaml records them).
    request.overrides.push_back("generate.prompt_tokens=" + std::to_string(asked.prompt_tokens));
    request.overrides.push_back("generate.new_tokens=" + std::to_string(asked.new_tokens));
  }
  const run::ResolvedRun resolved = run::resolve(request);
  if (!resolved.defaults_note.empty() && !values["no-defaults-note"].as<bool>()) std::cerr << "npusim: note: " << resolved.defaults_note << "\n";
  const run::GenerationRequest generation = run::generation_of(model, resolved.engines.front().config);
  run::check_generation(generation);
  std::vector<hw::GenerationResult> results;
  if (resolved.engines.size() == 1) {
    run::GenerationOptions options;
    options.engine = resolved.engines.front().engine;
    options.config_label = resolved.options.config_label;
    results.push_back(run::simulate_generation(resolved.engines.front().config, generation, options));
  } else {
    bool failed = false;
    for (auto& outcome : run::generate_side_by_side(resolved.engines, generation, resolved.options.config_label)) {
      if (!outcome.ok) {
        std::cerr << "npusim: the " << outcome.engine << " generation failed: " << outcome.error << "\n";
        failed = true;
      }
      results.push_back(outcome.result);
    }
    if (failed) return kExitError;
  }
  std::cout << hw::generation_text(results);
  if (!resolved.outputs.out_dir.empty()) run::write_generation_files(resolved.outputs.out_dir, results, resolved.engines.front().config);
  if (!resolved.outputs.json_path.empty()) write_file_atomically(resolved.outputs.json_path, hw::generation_json(results).dump(2) + "\n");
  return kExitOk;
}

}  // namespace npusim::cli
