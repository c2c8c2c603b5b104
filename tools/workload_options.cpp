#include "tools/workload_options.hpp"

#include <cstdlib>

#include "common/did_you_mean.hpp"
#include "workloads/model_zoo.hpp"

namespace npusim::cli {

void add_workload_options(po::options_description& options, bool with_workload_file) {
  if (with_workload_file) {
    options.add_options()("workload", po::value<std::string>(), "a trace file (YAML)");
  }
  options.add_options()
      ("model", po::value<std::string>(), ("a zoo model: " + join_names(workloads::zoo_model_names())).c_str())
      ("tokens", po::value<int64_t>(), "sequence length (DETR, EfficientFormer: image side in pixels)")
      ("blocks", po::value<std::string>(), "blocks A:B (A included, B excluded), or A for one block")
      ("full", po::bool_switch(), "the whole model: embeddings or stem, every block, final norm, head")
      ("batch", po::value<int64_t>()->default_value(1), "sequences per run")
      ("calibration", po::value<std::string>(), "calibration file whose ranges replace the trace's");
}

namespace {

int parse_block(const std::string& text, const std::string& command) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < 0 || v > 100000) {
    throw UsageError(command + ": --blocks takes A:B or A with whole numbers >= 0");
  }
  return static_cast<int>(v);
}

}  // namespace

run::WorkloadRequest workload_request(const po::variables_map& values, const std::string& command) {
  const bool has_file = values.count("workload") > 0, has_model = values.count("model") > 0;
  if (has_file == has_model) throw UsageError(command + ": give either --workload FILE or --model NAME");
  run::WorkloadRequest request;
  if (values.count("calibration")) request.calibration_file = values["calibration"].as<std::string>();
  if (has_file) {
    for (const char* option : {"tokens", "blocks"}) {
      if (values.count(option)) throw UsageError(command + ": --" + option + " applies to --model, not to --workload");
    }
    if (values["full"].as<bool>()) throw UsageError(command + ": --full applies to --model, not to --workload");
    if (!values["batch"].defaulted()) throw UsageError(command + ": --batch applies to --model, not to --workload");
    request.trace_file = values["workload"].as<std::string>();
    return request;
  }
  request.model = values["model"].as<std::string>();
  workloads::ZooOptions& options = request.zoo;
  if (values.count("tokens")) {
    options.tokens = values["tokens"].as<int64_t>();
    if (options.tokens <= 0) throw UsageError(command + ": --tokens must be > 0");
  }
  options.batch = values["batch"].as<int64_t>();
  options.full = values["full"].as<bool>();
  if (values.count("blocks")) {
    if (options.full) throw UsageError(command + ": --blocks and --full exclude each other");
    const std::string text = values["blocks"].as<std::string>();
    const size_t colon = text.find(':');
    options.first_block = parse_block(text.substr(0, colon), command);
    options.last_block = colon == std::string::npos ? options.first_block + 1 : parse_block(text.substr(colon + 1), command);
  }
  return request;
}

workloads::Trace load_workload(const po::variables_map& values, const std::string& command) {
  return run::load_trace(workload_request(values, command));
}

}  // namespace npusim::cli
