// npusim accuracy: every method side by side on one function over a range, or on a composite op over
// seeded random rows: text table, CSV, JSON and an error-against-x chart.
#include <cmath>
#include <iostream>
#include <sstream>

#include "models/approximation_error.hpp"
#include "models/composite_ops.hpp"
#include "models/nn_lut.hpp"
#include "models/io/atomic_file.hpp"
#include "models/io/json.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/svg_chart.hpp"
#include "tools/text_table.hpp"

namespace npusim::cli {

namespace {

struct Row {
  std::string method;
  double max_abs = 0, mean_abs = 0, mape = 0;
  std::string worst;  // interval or row
  int64_t table_bytes = 0;
  double cycles = 0;
  std::vector<double> series_x, series_y;  // for the chart
};

std::vector<Method> parse_methods(const po::variables_map& values) {
  if (!values.count("methods")) return all_methods();
  std::vector<Method> methods;
  std::stringstream split(values["methods"].as<std::string>());
  for (std::string name; std::getline(split, name, ',');) methods.push_back(parse_method(name));
  if (methods.empty()) throw UsageError("accuracy: --methods needs at least one method");
  return methods;
}

std::vector<Row> function_rows(Function f, double a, double b, const std::vector<Method>& methods, int nnlut_hidden,
                               std::vector<std::string>& notes) {
  std::vector<Row> rows;
  for (const Method m : methods) {
    const auto approximation = approximate(m, f, a, b, nnlut_hidden);
    if (!approximation) {
      notes.push_back(std::string(method_name(m)) + " has no kernel for " + std::string(function_name(f)) +
                      (f == Function::exp ? " above 0" : "") + " (it computes it inside its softmax or LayerNorm)");
      continue;
    }
    const ApproximationError e = measure_approximation(*approximation, f, a, b);
    Row r;
    r.method = std::string(method_name(m));
    r.max_abs = e.max_abs_error;
    r.mean_abs = e.mean_abs_error;
    r.mape = e.mape;
    const double width = (b - a) / static_cast<double>(e.interval_mape.size());
    const double start = e.interval_start[static_cast<size_t>(e.worst_interval)];
    r.worst = format_range(start, start + width) + " " + format_error(e.interval_mape[static_cast<size_t>(e.worst_interval)]);
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

std::vector<Row> op_rows(CompositeOp op, const Rows& input, const std::vector<Method>& methods) {
  const std::vector<double> reference = composite_reference(op, input);
  double largest = 0;
  for (const double v : reference) largest = std::max(largest, std::fabs(v));
  std::vector<Row> rows;
  for (const Method m : methods) {
    const std::vector<double> y = composite_run(m, op, input);
    Row r;
    r.method = std::string(method_name(m));
    double rel = 0;
    int64_t counted = 0;
    int64_t worst_row = 0;
    double worst_row_error = -1;
    for (int64_t row = 0; row < input.rows; ++row) {
      double row_error = 0;
      for (int64_t c = 0; c < input.cols; ++c) {
        const size_t k = static_cast<size_t>(row * input.cols + c);
        const double err = std::fabs(y[k] - reference[k]);
        r.max_abs = std::max(r.max_abs, err);
        r.mean_abs += err;
        row_error = std::max(row_error, err);
        if (std::fabs(reference[k]) >= largest / 65534.0 && reference[k] != 0) {
          rel += err / std::fabs(reference[k]);
          ++counted;
        }
      }
      r.series_x.push_back(static_cast<double>(row));
      r.series_y.push_back(row_error);
      if (row_error > worst_row_error) {
        worst_row_error = row_error;
        worst_row = row;
      }
    }
    r.mean_abs /= static_cast<double>(reference.size());
    r.mape = counted ? rel / static_cast<double>(counted) : 0;
    r.worst = "row " + std::to_string(worst_row) + " " + format_error(worst_row_error);
    // Tables the op needs: softmax exp and reciprocal, the norms rsqrt.
    const std::vector<Function> functions =
        op == CompositeOp::softmax ? std::vector<Function>{Function::exp, Function::reciprocal} : std::vector<Function>{Function::rsqrt};
    for (const Function f : functions) {
      const InputRangeDefault d = nnlut_default_range(f);
      if (const auto a = approximate(m, f, d.min, d.max)) {
        r.table_bytes += a->table_bytes;
        r.cycles = a->cycles_per_lookup;
      }
    }
    if (m == Method::ibert || m == Method::ivit) r.cycles = m == Method::ibert ? 3 : 5;
    rows.push_back(r);
  }
  return rows;
}

std::string csv_text(const std::vector<Row>& rows) {
  std::ostringstream out;
  out << "method,max_abs_error,mean_abs_error,mape,worst,table_bytes,cycles_per_lookup\n";
  for (const Row& r : rows) {
    out << r.method << "," << r.max_abs << "," << r.mean_abs << "," << r.mape << ",\"" << r.worst << "\"," << r.table_bytes
        << "," << r.cycles << "\n";
  }
  return out.str();
}

}  // namespace

int run_accuracy_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()
      ("function", po::value<std::string>(), "a function (with --range): exp, reciprocal, rsqrt, gelu, silu, ...")
      ("range", po::value<std::string>(), "calibrated input range MIN,MAX")
      ("op", po::value<std::string>(), "a composite op on random rows: softmax, layernorm, rmsnorm")
      ("shape", po::value<std::string>()->default_value("197,197"), "rows,columns of the random input (with --op)")
      ("dist", po::value<std::string>()->default_value("normal:0,3"), "normal:MEAN,STD or uniform:A,B (with --op)")
      ("seed", po::value<uint64_t>()->default_value(1), "seed of the random rows")
      ("methods", po::value<std::string>(), "methods to compare (default all): fp32,bespoke,universal,nnlut,ibert,ivit")
      ("nnlut-hidden", po::value<int>()->default_value(15), "NN-LUT hidden units (15: 16 segments; 127 for the paper's 128-unit comparison)")
      ("csv", po::value<std::string>(), "write the table as CSV")
      ("json", po::value<std::string>(), "write the table as JSON")
      ("plot", po::value<std::string>(), "draw error against x (or per row) for every method as SVG");
  po::variables_map values;
  if (!parse_options("accuracy", "npusim accuracy --function F --range A,B | --op OP [--shape R,C] [--dist D] [options]",
                     options, args, values)) {
    return kExitOk;
  }
  const bool function_mode = values.count("function") > 0;
  if (function_mode == (values.count("op") > 0)) throw UsageError("accuracy: give either --function F --range A,B or --op OP");
  if (function_mode && !values.count("range")) throw UsageError("accuracy: --function needs --range A,B");
  const std::vector<Method> methods = parse_methods(values);

  std::vector<Row> rows;
  std::vector<std::string> notes;
  std::string title;
  LineChart chart;
  if (function_mode) {
    const Function f = parse_function(values["function"].as<std::string>());
    const auto [a, b] = parse_range("range", values["range"].as<std::string>());
    BespokeLut::build(f, a, b);  // the same range checks as everywhere (min < max, poles, domain)
    const int hidden = values["nnlut-hidden"].as<int>();
    if (hidden < 1 || hidden > 1023) throw UsageError("accuracy: --nnlut-hidden must be in 1..1023");
    rows = function_rows(f, a, b, methods, hidden, notes);
    title = std::string(function_name(f)) + " on " + format_range(a, b);
    chart = {"MAPE per interval: " + title, "x", "MAPE", true, {}};
  } else {
    const CompositeOp op = parse_composite_op(values["op"].as<std::string>());
    const auto [r, c] = parse_range("shape", values["shape"].as<std::string>());
    if (r != std::floor(r) || c != std::floor(c)) throw UsageError("accuracy: --shape takes whole numbers R,C");
    const Rows input = random_rows(static_cast<int64_t>(r), static_cast<int64_t>(c), values["dist"].as<std::string>(),
                                   values["seed"].as<uint64_t>());
    rows = op_rows(op, input, methods);
    title = std::string(composite_op_name(op)) + " on " + values["shape"].as<std::string>() + " rows of " +
            values["dist"].as<std::string>();
    chart = {"largest error per row: " + title, "row", "max |error|", true, {}};
  }

  TextTable table({"method", "max abs err", "mean abs err", "MAPE", function_mode ? "worst interval (MAPE)" : "worst row (max err)",
                   "table bytes", "cycles/lookup"});
  for (const Row& r : rows) {
    table.add_row({r.method, format_error(r.max_abs), format_error(r.mean_abs), format_error(r.mape), r.worst,
                   std::to_string(r.table_bytes), r.cycles > 0 ? format_number(r.cycles) : "-"});
    chart.series.push_back({r.method, r.series_x, r.series_y});
  }
  std::cout << "accuracy of " << title << " against double precision\n\n" << table.render();
  for (const auto& note : notes) std::cout << "  note: " << note << "\n";

  if (values.count("csv")) write_file_atomically(values["csv"].as<std::string>(), csv_text(rows));
  if (values.count("json")) {
    json::Value root = json::Value::object();
    root.set("format", "npusim-accuracy");
    root.set("version", 1);
    root.set("subject", title);
    json::Value list = json::Value::array();
    for (const Row& r : rows) {
      json::Value v = json::Value::object();
      v.set("method", r.method);
      v.set("max_abs_error", r.max_abs);
      v.set("mean_abs_error", r.mean_abs);
      v.set("mape", r.mape);
      v.set("worst", r.worst);
      v.set("table_bytes", r.table_bytes);
      v.set("cycles_per_lookup", r.cycles);
      list.push_back(v);
    }
    root.set("methods", list);
    write_file_atomically(values["json"].as<std::string>(), json::write(root));
  }
  if (values.count("plot")) write_file_atomically(values["plot"].as<std::string>(), render_svg(chart));
  return kExitOk;
}

}  // namespace npusim::cli
