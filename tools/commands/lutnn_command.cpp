// npusim lutnn: LUT-NN linear layers (table lookups in place of multiplications, SPEC 2.7).
//   eval    one layer's error as int8 / pq / lutnn against FP32, its operations and table bytes
//   export  one layer's centroids, tables, codes and outputs as .npy files plus manifest.json
//   cost    a workload's matmuls and convs as LUT-NN against the dense MAU, by the cost models
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hw/plan/buffer_plan.hpp"
#include "hw/config/hw_config.hpp"
#include "hw/config/hw_config_io.hpp"
#include "hw/cost/lutnn_timing.hpp"
#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/npy.hpp"
#include "common/output_folder.hpp"
#include "models/lutnn/activation_distribution.hpp"
#include "models/lutnn/layer_evaluation.hpp"
#include "models/lutnn/lutnn_export.hpp"
#include "models/lutnn/synthetic_weights.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "report/text_table.hpp"
#include "run/run_point.hpp"
#include "tools/workload_options.hpp"

namespace npusim::cli {

namespace {

using Json = nlohmann::ordered_json;
using lutnn::Matrix;

constexpr int64_t kMaxRows = int64_t{1} << 20;
constexpr int64_t kMaxElements = int64_t{1} << 28;  // per matrix: 1 GiB of float32

std::string with_commas(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<size_t>(i), ",");
  return (v < 0 ? "-" : "") + digits;
}

// ---- eval and export: one layer

void add_layer_options(po::options_description& options) {
  options.add_options()
      ("in-features", po::value<int64_t>()->default_value(768), "D, inputs of the synthetic layer")
      ("out-features", po::value<int64_t>()->default_value(3072), "M, outputs of the synthetic layer")
      ("tokens", po::value<int64_t>()->default_value(128), "N, evaluation rows of synthetic activations")
      ("calibration-tokens", po::value<int64_t>()->default_value(1024), "rows the centroids and scales are fitted on")
      ("subvector", po::value<int64_t>()->default_value(lutnn::kDefaultSubvectorFc), "v, sub-vector length (must divide D)")
      ("centroids", po::value<int64_t>()->default_value(lutnn::kDefaultCentroids), "K, centroids per codebook (2..256)")
      ("dist", po::value<std::string>()->default_value(lutnn::default_activation_distribution().text()),
       "synthetic activations: normal, clustered[:G,NOISE], lowrank[:R,NOISE], outliers[:COUNT,SCALE]")
      ("seed", po::value<uint64_t>()->default_value(1), "seed of the synthetic layer and of k-means")
      ("iterations", po::value<int>()->default_value(lutnn::CentroidLearningOptions{}.iterations), "centroid-learning updates")
      ("learning-rate", po::value<double>()->default_value(lutnn::CentroidLearningOptions{}.learning_rate),
       "Adam step, as a fraction of the calibration rows' RMS value")
      ("temperature", po::value<std::string>()->default_value("1,0.02"), "soft-assignment temperature START,END (annealed)")
      ("input", po::value<std::string>(), "your activations, float32 .npy [N, D] (replaces --dist, --tokens)")
      ("weights", po::value<std::string>(), "your weights, float32 .npy [D, M] (replaces the synthetic weights)")
      ("calibration-input", po::value<std::string>(), "calibration activations, float32 .npy [N_cal, D] (default: --input's rows)");
}

Matrix read_matrix(const std::string& path) {
  npy::FloatArray a = npy::read_float32(path, 2);
  Matrix m;
  m.rows = a.shape[0];
  m.cols = a.shape[1];
  if (m.rows < 1 || m.cols < 1) throw Error(path + ": expected a non-empty matrix, found shape " + npy::shape_text(a.shape));
  for (const float v : a.values) {
    if (!std::isfinite(v)) throw Error(path + ": holds NaN or infinity");
  }
  m.values = std::move(a.values);
  return m;
}

std::string matrix_text(const std::string& path, const Matrix& m) {
  return path + " [" + std::to_string(m.rows) + ", " + std::to_string(m.cols) + "]";
}

void reject_shape_options(const po::variables_map& values, const std::string& command, const std::string& file_option,
                          std::initializer_list<const char*> options) {
  for (const char* option : options) {
    if (!values[option].defaulted()) {
      throw UsageError(command + ": --" + option + " does not apply with --" + file_option + " (the file gives the shape)");
    }
  }
}

void check_size(int64_t rows, int64_t cols, const std::string& what) {
  if (rows < 1 || cols < 1 || rows > kMaxRows || cols > kMaxRows || rows * cols > kMaxElements) {
    throw Error(what + " of " + std::to_string(rows) + " x " + std::to_string(cols) + " is outside 1..2^20 per side and 2^28 elements");
  }
}

struct LayerSetup {
  lutnn::LayerData data;
  lutnn::EvaluationOptions options;
  std::string source;
  int64_t calibration_rows = 0;
};

LayerSetup layer_setup(const po::variables_map& values, const std::string& command) {
  LayerSetup s;
  lutnn::EvaluationOptions& o = s.options;
  o.subvector = values["subvector"].as<int64_t>();
  o.centroids = values["centroids"].as<int64_t>();
  o.seed = values["seed"].as<uint64_t>();
  o.learning.iterations = values["iterations"].as<int>();
  o.learning.learning_rate = values["learning-rate"].as<double>();
  std::tie(o.learning.temperature_start, o.learning.temperature_end) = parse_range("temperature", values["temperature"].as<std::string>());
  const lutnn::ActivationDistribution dist = lutnn::parse_activation_distribution(values["dist"].as<std::string>());

  const bool has_input = values.count("input") > 0, has_weights = values.count("weights") > 0;
  if (has_input) {
    reject_shape_options(values, command, "input", {"tokens", "in-features", "dist"});
    s.data.input = read_matrix(values["input"].as<std::string>());
  }
  if (has_weights) {
    reject_shape_options(values, command, "weights", {"in-features", "out-features"});
    s.data.weights = read_matrix(values["weights"].as<std::string>());
  }
  if (has_input && has_weights && s.data.input.cols != s.data.weights.rows) {
    throw Error(matrix_text(values["weights"].as<std::string>(), s.data.weights) + " does not fit " +
                matrix_text(values["input"].as<std::string>(), s.data.input) + ": the weights' rows must equal the input's columns");
  }
  const int64_t d = has_input ? s.data.input.cols : has_weights ? s.data.weights.rows : values["in-features"].as<int64_t>();
  const int64_t m = has_weights ? s.data.weights.cols : values["out-features"].as<int64_t>();
  const int64_t n = has_input ? s.data.input.rows : values["tokens"].as<int64_t>();
  check_size(n, d, "the input");
  check_size(d, m, "the weights");
  check_size(n, m, "the output");
  lutnn::CodebookShape{d, m, o.subvector, o.centroids}.validate();  // before any work: v | D, K in 2..256
  if (d > lutnn::kMaxLearningFeatures) {
    throw Error("in_features " + std::to_string(d) + " is above the " + std::to_string(lutnn::kMaxLearningFeatures) +
                " centroid learning handles (it holds a D x D matrix)");
  }

  if (values.count("calibration-input")) {
    const std::string path = values["calibration-input"].as<std::string>();
    s.data.calibration = read_matrix(path);
    if (s.data.calibration.cols != d) {
      throw Error(matrix_text(path, s.data.calibration) + " has " + std::to_string(s.data.calibration.cols) +
                  " columns, the layer's input has " + std::to_string(d));
    }
    if (!values["calibration-tokens"].defaulted()) throw UsageError(command + ": --calibration-tokens does not apply with --calibration-input");
  } else if (has_input) {
    s.data.calibration = s.data.input;
  } else {
    const int64_t rows = values["calibration-tokens"].as<int64_t>();
    check_size(rows, d, "the calibration set");
    s.data.calibration = lutnn::sample_activations(dist, d, rows, o.seed, lutnn::RowSet::calibration);
  }
  if (!has_input) s.data.input = lutnn::sample_activations(dist, d, n, o.seed, lutnn::RowSet::evaluation);
  if (!has_weights) s.data.weights = lutnn::synthetic_weights(d, m, o.seed);
  s.calibration_rows = s.data.calibration.rows;

  const std::string seed = std::to_string(o.seed);
  const std::string activations = has_input ? values["input"].as<std::string>() : dist.text() + " activations (synthetic, seed " + seed + ")";
  const std::string weights = has_weights ? values["weights"].as<std::string>() : "synthetic weights (seed " + seed + ")";
  const std::string calibration = values.count("calibration-input") ? "calibrated on " + values["calibration-input"].as<std::string>()
                                  : has_input                        ? "calibrated on the input's own rows"
                                                                     : "calibrated on " + std::to_string(s.calibration_rows) + " further rows";
  s.source = activations + ", " + weights + ", " + calibration;
  return s;
}

void print_evaluation(const LayerSetup& setup, const lutnn::LayerEvaluation& e) {
  const lutnn::LayerCosts& c = e.costs;
  std::cout << "LUT-NN layer " << e.shape.in_features << " -> " << e.shape.out_features << ", " << e.tokens << " rows (v = "
            << e.shape.subvector << ", K = " << e.shape.centroids << ": " << e.shape.codebooks() << " codebooks)\n"
            << "  " << setup.source << "\n\n";
  TextTable errors({"method", "rel error", "with float tables"});
  for (const auto& r : e.methods) {
    errors.add_row({r.name, format_number(r.rel_error), r.rel_error_float_tables < 0 ? "-" : format_number(r.rel_error_float_tables)});
  }
  std::cout << errors.render() << "  rel error = ||Y - Y_fp32||_F / ||Y_fp32||_F on the evaluation rows\n"
            << "  centroid learning on " << setup.calibration_rows - e.held_out_rows << " calibration rows, kept update "
            << e.learning_best_update << " of " << setup.options.learning.iterations << ": held-out rows' error "
            << format_number(e.held_out_rel_error_pq) << " (k-means) -> " << format_number(e.held_out_rel_error_lutnn) << "\n\n";
  TextTable costs({"", "dense", "LUT-NN"});
  costs.add_row({"operations", with_commas(c.dense_ops), with_commas(c.lutnn_ops())});
  costs.add_row({"  distances / argmin / lookups", "", with_commas(c.distance_ops) + " / " + with_commas(c.argmin_ops) + " / " + with_commas(c.lookup_ops)});
  costs.add_row({"  reduction", "", format_number(c.ops_reduction(), 4) + "x"});
  costs.add_row({"weight / table bytes (INT8)", with_commas(c.weight_bytes), with_commas(c.table_bytes)});
  costs.add_row({"  + column scales, centroids", "", with_commas(c.table_scale_bytes) + " + " + with_commas(c.centroid_bytes)});
  std::cout << costs.render();
}

Json evaluation_json(const LayerSetup& setup, const lutnn::LayerEvaluation& e) {
  Json methods = Json::array();
  for (const auto& r : e.methods) {
    Json m = {{"name", r.name}, {"rel_error", r.rel_error}};
    if (r.rel_error_float_tables >= 0) m["rel_error_float_tables"] = r.rel_error_float_tables;
    methods.push_back(m);
  }
  const lutnn::LayerCosts& c = e.costs;
  return Json{
      {"methods", methods},
      {"flops_reduction", c.ops_reduction()},
      {"table_bytes", c.table_bytes},
      {"weight_bytes", c.weight_bytes},
      {"format", "npusim-lutnn-eval"},
      {"version", 1},
      {"layer",
       {{"tokens", e.tokens}, {"in_features", e.shape.in_features}, {"out_features", e.shape.out_features},
        {"subvector", e.shape.subvector}, {"centroids", e.shape.centroids}, {"codebooks", e.shape.codebooks()},
        {"calibration_rows", setup.calibration_rows}, {"source", setup.source}, {"seed", setup.options.seed}}},
      {"flops", {{"dense", c.dense_ops}, {"lutnn", c.lutnn_ops()}, {"distances", c.distance_ops}, {"argmin", c.argmin_ops}, {"lookups", c.lookup_ops}}},
      {"table_scale_bytes", c.table_scale_bytes},
      {"centroid_bytes", c.centroid_bytes},
      {"centroid_learning",
       {{"iterations", setup.options.learning.iterations}, {"learning_rate", setup.options.learning.learning_rate},
        {"temperature", {setup.options.learning.temperature_start, setup.options.learning.temperature_end}},
        {"held_out_rows", e.held_out_rows}, {"held_out_rel_error_pq", e.held_out_rel_error_pq},
        {"held_out_rel_error_lutnn", e.held_out_rel_error_lutnn}, {"kept_update", e.learning_best_update}}},
  };
}

int lutnn_eval(const std::vector<std::string>& args) {
  po::options_description options("options");
  add_layer_options(options);
  options.add_options()("json", po::value<std::string>(), "write the results as JSON");
  po::variables_map values;
  if (!parse_options("lutnn eval", "npusim lutnn eval [--in-features D --out-features M --tokens N --dist DIST | --input X.npy --weights W.npy] [options]",
                     options, args, values)) {
    return kExitOk;
  }
  const LayerSetup setup = layer_setup(values, "lutnn eval");
  const lutnn::LayerEvaluation e = lutnn::evaluate_layer(setup.data, setup.options);
  print_evaluation(setup, e);
  if (values.count("json")) write_file_atomically(values["json"].as<std::string>(), evaluation_json(setup, e).dump(2) + "\n");
  return kExitOk;
}

int lutnn_export(const std::vector<std::string>& args) {
  po::options_description options("options");
  add_layer_options(options);
  options.add_options()
      ("out", po::value<std::string>()->required(), "folder for the .npy files and manifest.json (an earlier export there is replaced)")
      ("force", po::bool_switch(), "write into a folder holding another kind of result or files npusim did not write (npusim's files there are replaced, the others kept)")
      ("method", po::value<std::string>()->default_value("lutnn"), "whose centroids and tables: lutnn or pq");
  po::variables_map values;
  if (!parse_options("lutnn export", "npusim lutnn export --out DIR [layer options as for 'lutnn eval']", options, args, values)) {
    return kExitOk;
  }
  const std::string method = values["method"].as<std::string>();
  if (method != "lutnn" && method != "pq") throw UsageError("lutnn export: --method takes lutnn or pq, got '" + method + "'");
  const LayerSetup setup = layer_setup(values, "lutnn export");
  const lutnn::LayerEvaluation e = lutnn::evaluate_layer(setup.data, setup.options);
  print_evaluation(setup, e);
  OutputFolder folder = OutputFolder::prepare(values["out"].as<std::string>(), "lutnn-export", "npusim lutnn export", {values["force"].as<bool>(), false});
  const lutnn::ExportedLayer files = lutnn::export_lut_layer(values["out"].as<std::string>(), method, setup.source, setup.data, e);
  folder.commit();
  std::cout << "\nexported the " << method << " layer:\n";
  for (const auto& f : files.files) std::cout << "  " << f << "\n";
  std::cout << "  " << files.manifest_path << "\n";
  return kExitOk;
}

// ---- cost: a workload's linear layers

std::vector<double> parse_bandwidths(const std::string& text) {
  std::vector<double> list;
  std::stringstream split(text);
  for (std::string item; std::getline(split, item, ',');) {
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end);
    if (item.empty() || *end != '\0' || !(v > 0) || !std::isfinite(v)) {
      throw UsageError("lutnn cost: --bandwidth takes GB/s values > 0 separated by commas, got '" + text + "'");
    }
    list.push_back(v);
  }
  if (list.empty()) throw UsageError("lutnn cost: --bandwidth needs at least one value");
  return list;
}

// A plan's DRAM bytes between the activation SRAM and DRAM: the op's loads and stores.
int64_t activation_dram_bytes(const hw::PlannedOp& op) {
  int64_t bytes = 0;
  for (const auto& transfers : {&op.loads, &op.stores}) {
    for (const hw::Transfer& t : *transfers) bytes += t.bytes;
  }
  return bytes;
}

// "N x D -> M", and " xG" for a grouped convolution: a LUT-NN op's layer as its plan prices it.
std::string layer_text(const hw::GemmShape& shape) {
  return std::to_string(shape.m) + " x " + std::to_string(shape.k) + " -> " + std::to_string(shape.n) +
         (shape.batch > 1 ? " x" + std::to_string(shape.batch) : "");
}

int lutnn_cost(const std::vector<std::string>& args) {
  po::options_description options("options");
  add_workload_options(options, true);
  options.add_options()
      ("config", po::value<std::string>(), "hardware config (default: the built-in paper NPU)")
      ("bandwidth", po::value<std::string>()->default_value("3,20"), "DRAM bandwidths in GB/s")
      ("lanes", po::value<int>()->default_value(hw::LutnnUnitConfig{}.lanes), "table-lookup lanes")
      ("centroids", po::value<int>()->default_value(hw::LutnnUnitConfig{}.centroids), "K")
      ("subvector", po::value<int>()->default_value(hw::LutnnUnitConfig{}.subvector_fc), "v of matmuls")
      ("json", po::value<std::string>(), "write the estimate as JSON");
  po::variables_map values;
  if (!parse_options("lutnn cost", "npusim lutnn cost --model NAME | --workload FILE [--bandwidth 3,20] [options]", options, args, values)) {
    return kExitOk;
  }
  const workloads::Trace trace = load_workload(values, "lutnn cost");
  hw::HwConfig base = values.count("config") ? hw::load_hw_config(values["config"].as<std::string>()) : hw::HwConfig{};
  const std::vector<double> bandwidths = parse_bandwidths(values["bandwidth"].as<std::string>());
  hw::LutnnUnitConfig& unit = base.lutnn_unit;
  unit.lanes = values["lanes"].as<int>();
  unit.centroids = values["centroids"].as<int>();
  unit.subvector_fc = values["subvector"].as<int>();
  const hw::LutnnTiming timing(unit, base);
  // Both ways of running the linear layers are the timed model's own plans (run/run_point.hpp), the
  // dense one with linear.engine mau and the LUT-NN one with lutnn: the same tiles, the same tensors
  // kept on chip, the same table streaming a `npusim run` of either simulates.
  const auto plan_with = [&](hw::HwConfig config, hw::LinearEngine engine, double bandwidth_gbps) {
    config.linear.engine = engine;
    config.dram.bandwidth_gbps = bandwidth_gbps;
    return run::plan_run(config, trace);
  };
  std::vector<size_t> linear;  // the ops LUT-NN takes: matmuls and convs with weights
  const hw::ExecutionPlan lutnn_plan = plan_with(base, hw::LinearEngine::lutnn, base.dram.bandwidth_gbps);
  for (size_t i = 0; i < lutnn_plan.ops.size(); ++i) {
    if (lutnn_plan.ops[i].lutnn) linear.push_back(i);
  }
  if (linear.empty()) throw Error("the workload has no matmul or conv ops");

  int64_t dense_ops = 0, lutnn_ops = 0, table_bytes = 0, table_memory = 0, largest_table = 0;
  for (const size_t i : linear) {
    const hw::LutnnCost& cost = lutnn_plan.ops[i].lutnn_cost;
    dense_ops += cost.counts.dense_ops;
    lutnn_ops += cost.counts.lutnn_ops();
    table_bytes += cost.table_dram_bytes;
    table_memory += cost.counts.table_bytes + cost.counts.table_scale_bytes + cost.counts.centroid_bytes;
    largest_table = std::max(largest_table, cost.counts.table_bytes);
  }
  std::cout << "LUT-NN cost-model estimate of " << trace.model << "'s " << linear.size() << " matmul/conv ops (K = " << unit.centroids
            << ", v = " << unit.subvector_fc << " for matmuls, " << unit.lanes << " lookup lanes; attention's batched matmuls stay on the"
            << " MAU and are not counted)\n";
  Json json = {{"format", "npusim-lutnn-cost"}, {"version", 1}, {"model", trace.model},
               {"estimate", "cost models over the timed model's plans (hw/plan, hw/cost/lutnn_timing), not a timed simulation"},
               {"lutnn_unit", {{"lanes", unit.lanes}, {"cycles_per_lookup", unit.cycles_per_lookup}, {"table_sram_kib", unit.table_sram_kib},
                               {"centroids", unit.centroids}, {"subvector_fc", unit.subvector_fc}, {"subvector_conv1x1", unit.subvector_conv1x1}}},
               {"ops", static_cast<int64_t>(linear.size())},
               {"flops", {{"dense", dense_ops}, {"lutnn", lutnn_ops}}},
               {"table_dram_bytes", table_bytes},
               {"table_memory_bytes", table_memory},
               {"largest_layer_table_bytes", largest_table}};
  Json per_bandwidth = Json::array();
  for (const double bw : bandwidths) {
    // The planner weighs array cycles against DRAM time: each bandwidth has plans of its own.
    const hw::ExecutionPlan dense = plan_with(base, hw::LinearEngine::mau, bw), lookups = plan_with(base, hw::LinearEngine::lutnn, bw);
    hw::HwConfig config = base;
    config.dram.bandwidth_gbps = bw;
    TextTable per_op({"op", "N x D -> M", "dense cycles", "dense DRAM B", "dense ms", "LUT-NN cycles", "table B", "LUT-NN DRAM B", "LUT-NN ms"});
    double dense_ns = 0, lutnn_ns = 0;
    int64_t dense_bytes = 0, dense_weight_bytes = 0, lutnn_bytes = 0;
    for (const size_t i : linear) {
      const hw::GemmPlan& plan = dense.ops[i].gemm_plan;
      const hw::PlannedOp& l = lookups.ops[i];
      const int64_t activation_bytes = activation_dram_bytes(l);
      const double d_ns = hw::estimated_ns(plan, config), l_ns = timing.latency_ns(l.lutnn_cost, bw, activation_bytes);
      const int64_t l_bytes = l.lutnn_cost.table_dram_bytes + activation_bytes;
      per_op.add_row({l.id, layer_text(l.gemm), with_commas(plan.cost.array_busy_cycles + plan.cost.requant_cycles),
                      with_commas(plan.dram_bytes()), format_number(d_ns * 1e-6), with_commas(l.lutnn_cost.serial_cycles()),
                      with_commas(l.lutnn_cost.counts.table_bytes), with_commas(l_bytes), format_number(l_ns * 1e-6)});
      dense_ns += d_ns;
      lutnn_ns += l_ns;
      dense_bytes += plan.dram_bytes();
      dense_weight_bytes += plan.weight_dram_bytes;
      lutnn_bytes += l_bytes;
    }
    TextTable totals({"at " + format_number(bw) + " GB/s", "dense (MAU)", "LUT-NN", "ratio"});
    totals.add_row({"latency (ms)", format_number(dense_ns * 1e-6), format_number(lutnn_ns * 1e-6),
                    format_number(dense_ns / lutnn_ns, 4) + "x faster"});
    totals.add_row({"DRAM bytes", with_commas(dense_bytes), with_commas(lutnn_bytes), format_number(static_cast<double>(dense_bytes) / lutnn_bytes, 4) + "x fewer"});
    totals.add_row({"  weights / tables", with_commas(dense_weight_bytes), with_commas(table_bytes), ""});
    totals.add_row({"operations", with_commas(dense_ops), with_commas(lutnn_ops), format_number(static_cast<double>(dense_ops) / lutnn_ops, 4) + "x fewer"});
    totals.add_row({"table memory (tables + scales + centroids)", "", with_commas(table_memory), ""});
    std::cout << "\n" << per_op.render() << "\n" << totals.render();
    per_bandwidth.push_back({{"bandwidth_gbps", bw}, {"dense_ms", dense_ns * 1e-6}, {"lutnn_ms", lutnn_ns * 1e-6},
                             {"dense_dram_bytes", dense_bytes}, {"dense_weight_dram_bytes", dense_weight_bytes},
                             {"lutnn_dram_bytes", lutnn_bytes}});
  }
  json["bandwidths"] = per_bandwidth;
  std::cout << "\n  per op: " << (base.sram.double_buffered ? "max(units, DRAM bytes / bandwidth) (double-buffered SRAM)"
                                                             : "units, then DRAM bytes / bandwidth (single-buffered SRAM)")
            << "; tiles, tensors kept on chip and\n"
               "  table streaming as the timed model plans them. Estimates: the timed model refines them.\n";
  if (values.count("json")) write_file_atomically(values["json"].as<std::string>(), json.dump(2) + "\n");
  return kExitOk;
}

}  // namespace

int run_lutnn_command(const std::vector<std::string>& args) {
  const std::string action = args.empty() ? "" : args[0];
  const std::vector<std::string> rest = args.empty() ? args : std::vector<std::string>(args.begin() + 1, args.end());
  if (action == "eval") return lutnn_eval(rest);
  if (action == "export") return lutnn_export(rest);
  if (action == "cost") return lutnn_cost(rest);
  if (action == "--help" || action == "-h") {
    std::cout << "usage: npusim lutnn eval [layer options] [--json FILE]\n"
                 "       npusim lutnn export --out DIR [layer options] [--method lutnn|pq]\n"
                 "       npusim lutnn cost --model NAME | --workload FILE [--bandwidth 3,20]\n"
                 "'npusim lutnn eval --help' lists the layer options.\n";
    return kExitOk;
  }
  throw UsageError("lutnn: give 'eval', 'export' or 'cost' (see 'npusim lutnn --help')");
}

}  // namespace npusim::cli
