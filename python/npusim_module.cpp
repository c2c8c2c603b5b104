// The C++ half of `import npusim` (python/npusim/__init__.py is the other): the run API, the sweep, the
// Bespoke LUT and the command line's subcommands, with plain values in and out. Reports cross as JSON
// text (hw::report_json, the report.json schema), which the Python half turns into dicts and DataFrames.
//
// Every simulation runs in a worker process forked from Python's (run/side_by_side.hpp,
// run/worker_pool.hpp): SystemC elaborates one design per process, and this process may be asked for
// many runs. npusim::Error becomes npusim.NpusimError carrying its "file:line:column: message".
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <iostream>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/json.hpp"
#include "common/sha256.hpp"
#include "hw/config/sweep_spec.hpp"
#include "models/lut/bespoke_lut.hpp"
#include "models/lut/lut_error.hpp"
#include "report/run_report.hpp"
#include "run/run_request.hpp"
#include "run/side_by_side.hpp"
#include "tools/cli.hpp"
#include "tools/sweep/sweep_runner.hpp"

namespace py = pybind11;
using namespace npusim;

namespace {

// run(): every engine in a worker of its own, one engine included.
py::dict run_engines(const std::string& model, const std::string& trace, int64_t tokens, bool full, const std::vector<std::string>& engines,
                     const std::string& config, const std::vector<std::string>& overrides, bool functional, uint64_t seed,
                     const std::vector<std::string>& plugins) {
  run::RunRequest request;
  request.plugins = plugins;
  request.workload.model = model;
  request.workload.trace_file = trace;
  request.workload.zoo.tokens = tokens;
  request.workload.zoo.full = full;
  request.config_file = config;
  request.overrides = overrides;
  request.engines = engines;
  request.functional = functional;
  request.seed = seed;
  std::vector<run::EngineOutcome> outcomes;
  std::string defaults_note;
  {
    py::gil_scoped_release release;
    const run::ResolvedRun resolved = run::resolve(request);
    defaults_note = resolved.defaults_note;
    outcomes = run::run_side_by_side(resolved.engines, resolved.trace, resolved.options, {});
  }
  py::list list;
  std::vector<hw::RunReport> reports;
  for (const auto& o : outcomes) {
    py::dict engine;
    engine["engine"] = o.engine;
    engine["ok"] = o.ok;
    engine["error"] = o.error;
    engine["log"] = o.log;
    engine["warnings"] = o.ok ? o.result.warnings : std::vector<std::string>{};
    engine["functional_passed"] = o.ok && o.result.functional_passed();
    engine["report_json"] = o.ok ? json::write(hw::report_json(o.result.report)) : std::string();
    if (o.ok) reports.push_back(o.result.report);
    list.append(engine);
  }
  py::dict result;
  result["engines"] = list;
  result["comparison"] = reports.size() > 1 && reports.size() == outcomes.size() ? hw::comparison_text(reports) : std::string();
  result["defaults_note"] = defaults_note;
  return result;
}

// sweep(): a spec file (or, with `spec_path` empty, the spec's text), run into `out`; the summary is
// OUT/summary.csv.
py::dict run_sweep_spec(const std::string& spec_path, const std::string& spec_text, const std::string& out, int jobs, bool resume, bool keep_points, bool force,
                        bool progress) {
  if (jobs < 1 || jobs > 256) throw Error("sweep: jobs must be in 1..256, got " + std::to_string(jobs));
  cli::SweepRequest request;
  request.spec = spec_path.empty() ? hw::parse_sweep_spec(spec_text, "<dict>") : hw::load_sweep_spec(spec_path);
  request.spec_name = spec_path.empty() ? "<dict>" : spec_path;
  request.spec_sha256 = sha256_hex(spec_path.empty() ? spec_text : read_file(spec_path));
  request.out_dir = out;
  request.jobs = jobs;
  request.resume = resume;
  request.keep_points = keep_points;
  request.force = force;
  request.progress = progress;
  cli::SweepOutcome outcome;
  {
    py::gil_scoped_release release;
    outcome = cli::run_sweep(request);
  }
  py::dict result;
  result["points"] = outcome.results.size();
  result["ran"] = outcome.ran;
  result["failed"] = outcome.failed;
  return result;
}

template <typename T>
py::array_t<T> array_of(const std::vector<T>& v) {
  return py::array_t<T>(static_cast<py::ssize_t>(v.size()), v.data());
}

// lut(): one Bespoke LUT, its tables and its output and error at every input code.
py::dict build_lut(const std::string& function, double range_min, double range_max, int bits, const std::string& dual_range,
                   double threshold) {
  LutOptions options;
  options.index_bits = bits;
  options.dual_range = parse_dual_range_mode(dual_range);
  options.threshold = threshold;
  const Function f = parse_function(function);
  const BespokeLut lut = BespokeLut::build(f, range_min, range_max, options);
  std::vector<double> x(65536), y(65536), error(65536);
  for (int code = 0; code < 65536; ++code) {
    x[code] = lut.input_of(static_cast<uint16_t>(code));
    y[code] = lut.output_value(lut.lookup(static_cast<uint16_t>(code)));
    error[code] = y[code] - evaluate(f, x[code]);
  }
  const LutErrorSummary summary = measure_lut_error(lut);
  py::dict result;
  result["function"] = std::string(function_name(f));
  result["range"] = py::make_tuple(lut.range_min(), lut.range_max());
  result["index_bits"] = lut.index_bits();
  result["out_scale"] = lut.out_scale();
  result["base_table"] = array_of(lut.base_table());
  result["dual_table"] = array_of(lut.dual_table());
  result["table_bytes"] = lut.table_bytes();
  result["x"] = array_of(x);
  result["y"] = array_of(y);
  result["error"] = array_of(error);
  result["max_abs_error"] = summary.max_abs_error;
  result["mean_abs_error"] = summary.mean_abs_error;
  result["mean_relative_error"] = summary.mean_relative_error;
  result["mape0"] = lut.mape0();
  return result;
}

// A subcommand of the command line, in this process, with its console output captured; errors raise.
py::tuple run_command(const std::string& name, const std::vector<std::string>& args) {
  for (const auto& command : cli::subcommands()) {
    if (command.name != name) continue;
    std::ostringstream out;
    std::streambuf* const previous = std::cout.rdbuf(out.rdbuf());
    int code = 0;
    try {
      code = command.run(args);
    } catch (...) {
      std::cout.rdbuf(previous);
      throw;
    }
    std::cout.rdbuf(previous);
    return py::make_tuple(code, out.str());
  }
  throw Error("npusim has no subcommand '" + name + "'");
}

}  // namespace

PYBIND11_MODULE(_npusim, m) {
  m.doc() = "npusim's C++ core; use the npusim package";
  static py::exception<Error> npusim_error(m, "NpusimError", PyExc_RuntimeError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      npusim_error(e.what());
    } catch (const cli::UsageError& e) {
      npusim_error(e.what());
    }
  });
  m.def("run", &run_engines, py::arg("model"), py::arg("trace"), py::arg("tokens"), py::arg("full"), py::arg("engines"), py::arg("config"),
        py::arg("overrides"), py::arg("functional"), py::arg("seed"), py::arg("plugins"));
  m.def("sweep", &run_sweep_spec, py::arg("spec_path"), py::arg("spec_text"), py::arg("out"), py::arg("jobs"), py::arg("resume"), py::arg("keep_points"),
        py::arg("force"), py::arg("progress"));
  m.def("lut", &build_lut, py::arg("function"), py::arg("range_min"), py::arg("range_max"), py::arg("bits"), py::arg("dual_range"),
        py::arg("threshold"));
  m.def("command", &run_command, py::arg("name"), py::arg("args"));
}
