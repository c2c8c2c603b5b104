// npusim accuracy: every method side by side on one function over a range, or on a composite op over
// seeded rows (or the user's own rows): text table, CSV, JSON and an error-against-x chart.
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "models/methods/approximation_error.hpp"
#include "models/composite/composite_error.hpp"
#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "models/methods/method_tables.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "report/svg_chart.hpp"
#include "report/text_table.hpp"

namespace npusim::cli {

namespace {

struct Row {
  Method method = Method::fp32;
  double max_abs = 0, mean_abs = 0;
  double mape = std::nan("");  // NaN: nothing measured
  std::string worst;           // interval or row
  std::string input;           // op mode: the input the method receives
  std::string tables;          // op mode: the table methods' input ranges
  int64_t table_bytes = 0;
  double cycles = 0;
  std::vector<double> series_x, series_y;  // for the chart
};

std::string mape_text(double mape) { return std::isnan(mape) ? "n/a" : format_error(mape); }

std::vector<Method> parse_methods(const po::variables_map& values) {
  if (!values.count("methods")) return all_methods();
  std::vector<Method> methods;
  std::stringstream split(values["methods"].as<std::string>());
  for (std::string name; std::getline(split, name, ',');) methods.push_back(parse_method(name));
  if (methods.empty()) throw UsageError("accuracy: --methods needs at least one method");
  return methods;
}

std::vector<Function> parse_range_reduced(const std::string& text) {
  std::vector<Function> functions;
  if (text == "none") return functions;
  std::stringstream split(text);
  for (std::string name; std::getline(split, name, ',');) {
    const Function f = parse_function(name);
    if (!RangeReducedLut::supports(f)) throw Error("--range-reduced takes reciprocal and rsqrt (or none), got '" + name + "'");
    functions.push_back(f);
  }
  return functions;
}

std::vector<Row> function_rows(Function f, double a, double b, const std::vector<Method>& methods, const ApproximationOptions& options,
                               std::vector<std::string>& notes) {
  std::vector<Row> rows;
  for (const Method m : methods) {
    std::optional<Approximation> approximation;
    try {
      approximation = approximate(m, f, a, b, options);
    } catch (const Error& e) {
      notes.push_back(std::string(method_name(m)) + " is not applicable here: " + e.what());
      continue;
    }
    if (!approximation) {
      notes.push_back(std::string(method_name(m)) + " has no kernel for " + std::string(function_name(f)) +
                      (m == Method::bespoke_rr ? " (it range-reduces reciprocal and rsqrt; see bespoke for the others)"
                       : f == Function::exp    ? " above 0"
                                               : " (it computes it inside its softmax or LayerNorm)"));
      continue;
    }
    if (!approximation->outside_domain.empty()) {
      const ApproximationError e = measure_approximation(*approximation, f, a, b);
      notes.push_back(std::string(method_name(m)) + " is outside its published domain here: " + approximation->outside_domain +
                      " (its max abs error would read " + format_error(e.max_abs_error) + ", which measures the mismatch, not the method)");
      continue;
    }
    const InputRange d = approximation->domain;
    const double below = d.min > a && clamps(*approximation, f, a) ? std::min(d.min, b) - a : 0.0;
    const double above = d.max < b ? b - std::max(d.max, a) : 0.0;
    if (below + above > 0) {
      notes.push_back(std::string(method_name(m)) + " clamps " + format_number(100.0 * (below + above) / (b - a), 3) + " % of the range to its table's " +
                      format_range(d.min, d.max) + ": the error there is the clamp's");
    }
    const ApproximationError e = measure_approximation(*approximation, f, a, b);
    Row r;
    r.method = m;
    r.max_abs = e.max_abs_error;
    r.mean_abs = e.mean_abs_error;
    r.mape = e.mape;
    const double width = (b - a) / static_cast<double>(e.interval_mape.size());
    const double start = e.interval_start[static_cast<size_t>(e.worst_interval)];
    r.worst = format_range(start, start + width) + " " + mape_text(e.interval_mape[static_cast<size_t>(e.worst_interval)]);
    r.table_bytes = e.table_bytes;
    r.cycles = e.cycles_per_lookup;
    for (size_t j = 0; j < e.interval_mape.size(); ++j) {
      r.series_x.push_back(e.interval_start[j] + width / 2);
      r.series_y.push_back(e.interval_mape[j]);
    }
    rows.push_back(r);
  }
  return rows;
}

std::vector<Row> op_rows(CompositeOp op, const Rows& input, const std::vector<Method>& methods, const CompositeOptions& options,
                         std::vector<std::string>& notes) {
  std::vector<Row> rows;
  for (const Method m : methods) {
    try {
      const CompositeComputation computation(m, op, input, options);
      const CompositeError e = measure_composite(computation);
      Row r;
      r.method = m;
      r.input = computation.input();
      r.max_abs = e.max_abs_error;
      r.mean_abs = e.mean_abs_error;
      r.mape = e.mape;
      r.worst = "row " + std::to_string(e.worst_row) + " " + format_error(e.max_abs_error);
      r.table_bytes = computation.table_bytes();
      r.cycles = method_cycles(m);
      r.tables = computation.tables();
      for (const auto& [f, count] : computation.clamped()) {
        if (count.outside > 0) {
          notes.push_back(std::string(method_name(m)) + " clamps " + std::to_string(count.outside) + " of " + std::to_string(count.total) + " " +
                          std::string(function_name(f)) + " inputs to its table (outside its range)");
        }
      }
      for (size_t row = 0; row < e.row_max_error.size(); ++row) {
        r.series_x.push_back(static_cast<double>(row));
        r.series_y.push_back(e.row_max_error[row]);
      }
      rows.push_back(r);
    } catch (const Error& e) {
      notes.push_back(std::string(method_name(m)) + " is not applicable here: " + e.what());
    }
  }
  return rows;
}

std::string csv_text(const std::vector<Row>& rows) {
  std::ostringstream out;
  out << "method,max_abs_error,mean_abs_error,mape,worst,input,table_bytes,cycles_per_lookup\n";
  for (const Row& r : rows) {
    out << method_name(r.method) << "," << r.max_abs << "," << r.mean_abs << "," << (std::isnan(r.mape) ? "n/a" : format_error(r.mape))
        << ",\"" << r.worst << "\"," << r.input << "," << r.table_bytes << "," << r.cycles << "\n";
  }
  return out.str();
}

std::string json_text(const std::string& subject, const std::vector<Row>& rows, const std::vector<std::string>& notes) {
  nlohmann::ordered_json root;
  root["format"] = "npusim-accuracy";
  root["version"] = 2;
  root["subject"] = subject;
  root["methods"] = nlohmann::ordered_json::array();
  for (const Row& r : rows) {
    nlohmann::ordered_json v;
    v["method"] = std::string(method_name(r.method));
    v["summary"] = std::string(method_summary(r.method));
    v["max_abs_error"] = r.max_abs;
    v["mean_abs_error"] = r.mean_abs;
    v["mape"] = std::isnan(r.mape) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.mape);  // null: not measured
    v["worst"] = r.worst;
    if (!r.input.empty()) v["input"] = r.input;
    if (!r.tables.empty()) v["tables"] = r.tables;
    v["table_bytes"] = r.table_bytes;
    v["cycles_per_lookup"] = r.cycles;
    root["methods"].push_back(v);
  }
  root["notes"] = notes;
  return root.dump(2) + "\n";
}

Rows op_input(const po::variables_map& values, std::string& description) {
  if (values.count("input")) {
    if (!values["shape"].defaulted() || !values["dist"].defaulted()) {
      throw UsageError("accuracy: --input takes the rows from the file; leave out --shape and --dist");
    }
    const std::string path = values["input"].as<std::string>();
    const Rows rows = rows_from_npy(path);
    description = std::to_string(rows.rows) + "," + std::to_string(rows.cols) + " rows of " + path;
    return rows;
  }
  const auto [r, c] = parse_range("shape", values["shape"].as<std::string>());
  check_row_shape(r, c);  // before any conversion: the limits are named in the message
  const std::string dist = values["dist"].as<std::string>();
  description = values["shape"].as<std::string>() + " rows of " + dist;
  return random_rows(static_cast<int64_t>(r), static_cast<int64_t>(c), dist, values["seed"].as<uint64_t>());
}

}  // namespace

int run_accuracy_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()
      ("function", po::value<std::string>(), "a function (with --range): exp, reciprocal, rsqrt, gelu, silu, ...")
      ("range", po::value<std::string>(), "calibrated input range MIN,MAX")
      ("op", po::value<std::string>(), "a composite op on rows: softmax, layernorm, rmsnorm")
      ("shape", po::value<std::string>()->default_value("197,197"),
       "rows,columns of the random rows (with --op; at most 16,777,216 elements and 131,072 columns)")
      ("dist", po::value<std::string>()->default_value("normal:0,3"), ("distribution of the random rows (with --op): " + row_distribution_help()).c_str())
      ("input", po::value<std::string>(), "the rows from a .npy file of any rank, rows along its last axis (float32, float64 or float16; with --op, instead of --shape and --dist)")
      ("seed", po::value<uint64_t>()->default_value(1), "seed of the random rows")
      ("methods", po::value<std::string>(), "methods to compare (default all): fp32,bespoke,bespoke-rr,universal,nnlut,nnlut-lsq,ibert,ibert8,ivit,ivit+")
      ("range-reduced", po::value<std::string>()->default_value("reciprocal,rsqrt"),
       "the functions bespoke-rr range-reduces (reciprocal, rsqrt, or none); the others use the per-layer table")
      ("nnlut-hidden", po::value<int>()->default_value(15), "NN-LUT hidden units (15: 16 segments; 127 for the paper's 128-unit comparison)")
      ("csv", po::value<std::string>(), "write the table as CSV")
      ("json", po::value<std::string>(), "write the table as JSON")
      ("plot", po::value<std::string>(), "draw error against x (or per row) for every method as SVG");
  po::variables_map values;
  if (!parse_options("accuracy", "npusim accuracy --function F --range A,B | --op OP [--shape R,C] [--dist D | --input X.npy] [options]",
                     options, args, values)) {
    return kExitOk;
  }
  const bool function_mode = values.count("function") > 0;
  if (function_mode == (values.count("op") > 0)) throw UsageError("accuracy: give either --function F --range A,B or --op OP");
  if (function_mode && !values.count("range")) throw UsageError("accuracy: --function needs --range A,B");
  if (function_mode && values.count("input")) throw UsageError("accuracy: --input goes with --op");
  const std::vector<Method> methods = parse_methods(values);
  const int hidden = values["nnlut-hidden"].as<int>();
  if (hidden < 1 || hidden > 1023) throw UsageError("accuracy: --nnlut-hidden must be in 1..1023");

  std::vector<Row> rows;
  std::vector<std::string> notes;
  std::string title;
  LineChart chart;
  if (function_mode) {
    const Function f = parse_function(values["function"].as<std::string>());
    const auto [a, b] = parse_range("range", values["range"].as<std::string>());
    BespokeLut::build(f, a, b);  // the same range checks as everywhere (min < max, poles, domain)
    rows = function_rows(f, a, b, methods, {hidden}, notes);
    title = std::string(function_name(f)) + " on " + format_range(a, b);
    chart = {"MAPE per interval: " + title, "x", "MAPE", true, {}};
  } else {
    const CompositeOp op = parse_composite_op(values["op"].as<std::string>());
    CompositeOptions composite;
    composite.nnlut_hidden_units = hidden;
    composite.range_reduced = parse_range_reduced(values["range-reduced"].as<std::string>());
    std::string description;
    const Rows input = op_input(values, description);
    rows = op_rows(op, input, methods, composite, notes);
    title = std::string(composite_op_name(op)) + " on " + description;
    chart = {"largest error per row: " + title, "row", "max |error|", true, {}};
  }

  std::vector<std::string> header = {"method", "max abs err", "mean abs err", "MAPE", function_mode ? "worst interval (MAPE)" : "worst row (max err)"};
  if (!function_mode) header.push_back("input");
  header.insert(header.end(), {"table bytes", "cycles/lookup"});
  TextTable table(header);
  for (const Row& r : rows) {
    std::vector<std::string> cells = {std::string(method_name(r.method)), format_error(r.max_abs), format_error(r.mean_abs), mape_text(r.mape), r.worst};
    if (!function_mode) cells.push_back(r.input);
    cells.insert(cells.end(), {std::to_string(r.table_bytes), r.cycles > 0 ? format_number(r.cycles) : "-"});
    table.add_row(cells);
    chart.series.push_back({std::string(method_name(r.method)), r.series_x, r.series_y});
  }
  std::cout << "accuracy of " << title << " against double precision"
            << (function_mode ? "" : " on the input each method receives") << "\n\n" << table.render();
  for (const auto& note : notes) std::cout << "  note: " << note << "\n";
  bool tables = false;
  for (const Row& r : rows) {
    if (r.tables.empty()) continue;
    if (!tables) std::cout << "\n  the tables' input ranges (per-layer ones calibrated on these rows):\n";
    tables = true;
    std::cout << "    " << method_name(r.method) << ": " << r.tables << "\n";
  }
  std::cout << "\n";
  for (const Row& r : rows) std::cout << "  " << method_name(r.method) << ": " << method_summary(r.method) << "\n";

  if (values.count("csv")) write_file_atomically(values["csv"].as<std::string>(), csv_text(rows));
  if (values.count("json")) write_file_atomically(values["json"].as<std::string>(), json_text(title, rows, notes));
  if (values.count("plot")) write_file_atomically(values["plot"].as<std::string>(), render_svg(chart));
  return kExitOk;
}

}  // namespace npusim::cli
