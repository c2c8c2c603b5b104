// npusim import: an ONNX model as a workload trace, with the report of how every node was mapped.
#include <iostream>

#include "common/error.hpp"
#include "tools/commands.hpp"
#include "tools/onnx_options.hpp"
#include "report/text_table.hpp"
#include "workloads/onnx/onnx_import.hpp"
#include "workloads/trace_yaml.hpp"

namespace npusim::cli {

int run_import_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  po::positional_options_description positional;
  add_onnx_options(options, positional);
  options.add_options()("output,o", po::value<std::string>(), "write the trace here (default: standard output)")(
      "name", po::value<std::string>(), "the trace's model name (default: the file name)")(
      "strict", "refuse the model (exit 1) when a non-linear pattern is not matched (it would run as generic vector ops)");
  po::variables_map values;
  if (!parse_options("import", "npusim import MODEL.onnx [-o trace.yaml] [--input-shape NAME=D0,D1,...] [--name NAME] [--strict]",
                     options, args, values, &positional)) {
    return kExitOk;
  }
  const std::string path = model_path(values, "import");
  const onnx_import::Model model = onnx_import::load_model(path, input_shapes(values, "import"));
  const onnx_import::ImportResult result =
      onnx_import::import_to_trace(model, values.count("name") ? values["name"].as<std::string>() : model_name_of(path));
  const auto generic = result.generic_counts();
  if (values.count("strict") && !result.unmatched.empty()) {
    std::string list;
    for (const auto& u : result.unmatched) list += (list.empty() ? "" : ", ") + u.signature + " x" + std::to_string(u.occurrences);
    throw Error(path + ": " + std::to_string(result.unmatched.size()) + " non-linear pattern(s) not matched: " + list +
                " (without --strict they run as generic vector ops)");
  }
  std::ostream& report = values.count("output") ? std::cout : std::cerr;
  TextTable table({"ONNX", "nodes", "trace op", "ops"});
  int64_t nodes = 0, ops = 0;
  for (const auto& row : result.mapping) {
    table.add_row({row.source, std::to_string(row.nodes), row.target + (row.generic ? " (generic)" : ""), std::to_string(row.ops)});
    nodes += row.nodes;
    ops += row.ops;
  }
  table.add_row({"Constant", std::to_string(result.constant_nodes), "no op (weights and constants)", "0"});
  table.add_row({"total", std::to_string(nodes + result.constant_nodes), "", std::to_string(ops)});
  report << "import of " << path << " (opset " << model.opset << ", " << model.nodes.size() + model.constant_nodes << " nodes, "
         << result.instances.size() << " non-linear instances)\n\n"
         << table.render() << "\n  ranges: " << result.trace.calibration << "\n";
  if (!generic.empty()) {
    report << "  generic vector ops (no dedicated model):";
    for (const auto& [op, count] : generic) report << " " << op << " x" << count;
    report << "\n";
  }
  if (!result.unmatched.empty()) {
    TextTable unmatched({"non-linear pattern not matched", "occurrences", "nodes", "first node"});
    for (const auto& u : result.unmatched) {
      unmatched.add_row({u.signature, std::to_string(u.occurrences), std::to_string(u.nodes), u.example});
    }
    report << "\n  non-linear computation npusim did not recognise (generic vector ops, no LUT; --strict refuses it):\n\n"
           << unmatched.render() << "\n";
  }
  if (values.count("output")) {
    workloads::save_trace(result.trace, values["output"].as<std::string>());
    report << "  wrote " << result.trace.ops.size() << " ops to " << values["output"].as<std::string>() << "\n";
  } else {
    std::cout << workloads::trace_to_yaml(result.trace);
  }
  return kExitOk;
}

}  // namespace npusim::cli
