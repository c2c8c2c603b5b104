#include "tools/run_generation.hpp"

#include <iostream>

#include "common/atomic_file.hpp"
#include "common/did_you_mean.hpp"
#include "run/generation.hpp"
#include "run/run_request.hpp"
#include "tools/onnx_options.hpp"
#include "tools/run_options.hpp"
#include "workloads/onnx/decoder_shape_reader.hpp"

namespace npusim::cli {

namespace {

bool asks_for_generation_by_set(const po::variables_map& values) {
  if (values.count("set") == 0) return false;
  for (const auto& set : values["set"].as<std::vector<std::string>>()) {
    if (set.rfind("generate.", 0) == 0) return true;
  }
  return false;
}

}  // namespace

bool asks_for_generation(const po::variables_map& values) {
  // An ONNX decoder is a workload of generation only.
  return values.count("generate") || values.count("onnx") || asks_for_generation_by_set(values);
}

int run_generation(const po::variables_map& values) {
  // What a generation does not take: it makes its own traces from a decoder's sizes.
  for (const char* option : {"workload", "tokens", "blocks", "calibration", "timeline", "vcd"}) {
    if (values.count(option)) {
      throw UsageError(std::string("run: --") + option + " does not apply to --generate (it makes its own traces of the --model or --onnx decoder)");
    }
  }
  if (values["full"].as<bool>()) throw UsageError("run: --full does not apply to --generate (generation runs the whole model)");
  if (values["functional"].as<bool>()) throw UsageError("run: --functional does not apply to --generate");
  if (!values["batch"].defaulted()) throw UsageError("run: --batch does not apply to --generate (one sequence)");
  run::RunRequest request = run_request(values);
  if (values.count("model") == 0 && request.workload.onnx_file.empty()) {
    throw UsageError("run: --generate needs --model (a decoder: " + join_names(workloads::decoder_model_names()) + ") or --onnx FILE (a decoder ONNX model)");
  }
  const auto only_generation = [] {
    return UsageError("run: --onnx takes --generate PROMPT,NEW (a decoder ONNX model is a workload of generation only; to time its own graph, "
                      "npusim import it and run the trace with --workload)");
  };
  // Without --generate or --set generate.*, only a --config file can ask for a generation.
  const bool set_generate = values.count("generate") || asks_for_generation_by_set(values);
  if (!request.workload.onnx_file.empty() && !set_generate && request.config_file.empty()) throw only_generation();
  run::GenerationRequest asked;
  if (!request.workload.onnx_file.empty()) {
    // Its sizes, read off the graph before anything else is read or simulated.
    asked.imported = onnx_import::load_decoder_shape(request.workload.onnx_file, model_name_of(request.workload.onnx_file));
    asked.model = asked.imported->model;
  } else {
    asked.model = values["model"].as<std::string>();
  }
  if (values.count("generate")) {
    run::parse_generate(values["generate"].as<std::string>(), asked);
    run::check_generation(asked);  // before anything is read or simulated
    // The same fields a config or --set gives (the effective config.yaml records them).
    request.overrides.push_back("generate.prompt_tokens=" + std::to_string(asked.prompt_tokens));
    request.overrides.push_back("generate.new_tokens=" + std::to_string(asked.new_tokens));
  }
  const run::ResolvedRun resolved = run::resolve(request);
  if (!resolved.defaults_note.empty() && !values["no-defaults-note"].as<bool>()) std::cerr << "npusim: note: " << resolved.defaults_note << "\n";
  if (!run::generates(resolved.engines.front().config)) throw only_generation();
  run::GenerationRequest generation = run::generation_of(asked.model, resolved.engines.front().config);
  generation.imported = asked.imported;
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
  if (!resolved.outputs.out_dir.empty()) {
    run::write_generation_files(resolved.outputs.out_dir, results, resolved.engines.front().config);
    run::commit_outputs(resolved);  // the next writer of the folder replaces these files
    std::string dir = resolved.outputs.out_dir;
    if (dir.back() != '/') dir += '/';
    std::cout << "wrote " << dir << ": " << join_names(run::generation_file_names()) << "\n";
  }
  if (!resolved.outputs.json_path.empty()) {
    write_file_atomically(resolved.outputs.json_path, hw::generation_json(results).dump(2) + "\n");
    std::cout << "wrote " << resolved.outputs.json_path << "\n";
  }
  return kExitOk;
}

}  // namespace npusim::cli
