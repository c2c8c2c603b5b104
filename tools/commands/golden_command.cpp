// npusim golden: golden vectors of one non-linear instance for an RTL testbench.
#include <filesystem>
#include <iostream>

#include "models/lut/bespoke_lut.hpp"
#include "models/rtl/golden_vectors.hpp"
#include "models/nnlut/nn_lut.hpp"
#include "models/lut/range_reduced_lut.hpp"
#include "models/composite/composite_ops.hpp"
#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/output_folder.hpp"
#include "report/text_table.hpp"
#include "tools/workload_options.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"

namespace npusim::cli {

namespace {

// A golden folder written before npusim kept npusim_output.json: the files its golden manifests
// (manifest.json in the folder and in its subfolders, one per table) name, so that the folder counts as
// an earlier golden result and its stale files go.
std::vector<std::string> legacy_golden_files(const std::filesystem::path& dir) {
  std::vector<std::string> files;
  std::error_code code;
  std::vector<std::filesystem::path> folders = {dir};
  for (const auto& entry : std::filesystem::directory_iterator(dir, code)) {
    if (entry.is_directory(code) && !entry.is_symlink(code)) folders.push_back(entry.path());
  }
  for (const auto& folder : folders) {
    const std::filesystem::path manifest = folder / "manifest.json";
    if (!std::filesystem::is_regular_file(manifest, code)) continue;
    try {
      const GoldenManifest m = parse_golden_manifest(read_file(manifest.string()), manifest.string());
      const std::filesystem::path prefix = folder.lexically_relative(dir);
      files.push_back((prefix / "manifest.json").lexically_normal().generic_string());
      for (const auto& [role, name] : m.files) files.push_back((prefix / name).lexically_normal().generic_string());
    } catch (const Error&) {
      // not a golden manifest: its folder's files count as the user's
    }
  }
  return files;
}

}  // namespace

int run_golden_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()
      ("unit", po::value<std::string>()->default_value("lut"), "lut (the Bespoke LUT unit), nnlut (the NN-LUT unit) or bespoke-rr (the range-reduced LUT unit: reciprocal, rsqrt)")
      ("function", po::value<std::string>(), "function (see 'npusim lut --help')")
      ("range", po::value<std::string>(), "calibrated input range MIN,MAX (lut; the NN-LUT table has its global range)")
      ("bits", po::value<int>()->default_value(8), "index bits (the RTL unit has 8)")
      ("dual-range", po::value<std::string>()->default_value("auto"), "auto, on or off")
      ("threshold", po::value<double>()->default_value(kDefaultDualThreshold), "MAPE_0 threshold for auto")
      ("out-scale", po::value<double>(), "output scale s_out (default: from the base samples)")
      ("codes", po::value<std::string>()->default_value("all"), "stimulus: all (65,536 codes) or N seeded random codes after the corner codes")
      ("seed", po::value<uint64_t>()->default_value(1), "seed of the random stimulus")
      ("op", po::value<std::string>(), "softmax, layernorm or rmsnorm: the LUT unit's lookups for seeded rows, one folder per table")
      ("shape", po::value<std::string>()->default_value("197,197"), "rows,columns of the rows (with --op)")
      ("dist", po::value<std::string>()->default_value("normal:0,3"), "normal:MEAN,STD or uniform:A,B (with --op)")
      ("instance", po::value<std::string>(), "a non-linear op's layer in the workload: its tables, one folder per function")
      ("out", po::value<std::string>()->required(), "folder for the vectors and manifest.json (an earlier golden set there is replaced)")
      ("force", po::bool_switch(), "write into a folder holding another kind of result or files npusim did not write (npusim's files there are replaced, the others kept)");
  add_workload_options(options, true);
  po::variables_map values;
  if (!parse_options("golden", "npusim golden (--function F --range A,B | --instance LAYER --model NAME | --op OP) --out DIR [options]",
                     options, args, values)) {
    return kExitOk;
  }
  const std::string unit = values["unit"].as<std::string>();
  const std::filesystem::path out_dir(values["out"].as<std::string>());
  // Called once the inputs are checked: clears the folder's earlier golden set, so no stale file of it
  // (a dual.hex the new table does not have) is read with the new vectors.
  const auto prepare_out = [&] {
    return OutputFolder::prepare(out_dir.string(), "golden", "npusim golden", {values["force"].as<bool>(), false, legacy_golden_files(out_dir)});
  };
  if (values.count("op")) {
    const auto [r, c] = parse_range("shape", values["shape"].as<std::string>());
    const Rows rows = random_rows(static_cast<int64_t>(r), static_cast<int64_t>(c), values["dist"].as<std::string>(),
                                  values["seed"].as<uint64_t>());
    const CompositeOp op = parse_composite_op(values["op"].as<std::string>());
    OutputFolder folder = prepare_out();
    std::cout << "golden vectors at the LUT unit's boundary of " << composite_op_name(op) << " on " << values["shape"].as<std::string>() << " rows:\n";
    for (const LookupStream& stream : bespoke_lookup_streams(op, rows)) {
      const std::string name(function_name(stream.lut.function()));
      const GoldenFiles files = write_lut_golden_codes(stream.lut, stream.codes, std::string(composite_op_name(op)) + " " + name + " lookups", (out_dir / name).string());
      std::cout << "  " << name << ": " << files.count << " lookups, " << files.manifest_path << "\n";
    }
    folder.commit();
    return kExitOk;
  }
  if (values.count("instance")) {
    const workloads::Trace trace = load_workload(values, "golden");
    const std::string layer = values["instance"].as<std::string>();
    const workloads::TraceOp* op = nullptr;
    for (const auto& candidate : trace.ops) {
      if ((candidate.layer == layer || candidate.id == layer) && !candidate.ranges.empty()) op = &candidate;
    }
    if (op == nullptr) throw Error("no non-linear op of " + trace.model + " has layer '" + layer + "'");
    OutputFolder folder = prepare_out();
    for (const auto& [function, range] : op->ranges) {
      const BespokeLut lut = BespokeLut::build(function, range.min, range.max);
      const std::string name(function_name(function));
      const GoldenFiles files = write_lut_golden(lut, GoldenStimulus(), (out_dir / name).string());
      std::cout << layer << " " << name << " on " << format_range(range.min, range.max) << ": " << files.manifest_path << "\n";
    }
    folder.commit();
    return kExitOk;
  }
  if (!values.count("function")) throw UsageError("golden: give --function F, --instance LAYER or --op OP");
  if (unit == "nnlut") {
    const std::string codes_text = values["codes"].as<std::string>();
    const int64_t count = codes_text == "all" ? 65536 : std::strtoll(codes_text.c_str(), nullptr, 10);
    if (count < 0 || count > 100000000) throw UsageError("golden: --codes takes 'all' or a count");
    const NnLutTable table = build_nnlut(parse_function(values["function"].as<std::string>()));
    OutputFolder folder = prepare_out();
    const GoldenFiles files = write_nnlut_golden(table, count, values["seed"].as<uint64_t>(), values["out"].as<std::string>());
    std::cout << "golden vectors for the NN-LUT unit: " << function_name(table.function) << ", " << files.count
              << " inputs\n  " << files.manifest_path << "\n  " << files.stimulus_path << "\n  " << files.expected_path << "\n";
    folder.commit();
    return kExitOk;
  }
  if (unit == "bespoke-rr") {
    // Every X in [2^14, 2^18) and the corner codes, then seeded random 32-bit codes (65,536 for 'all').
    const std::string codes_text = values["codes"].as<std::string>();
    const int64_t count = codes_text == "all" ? 65536 : std::strtoll(codes_text.c_str(), nullptr, 10);
    if (count < 0 || count > 1000000) throw UsageError("golden: --codes takes 'all' or a count up to 1,000,000 for bespoke-rr");
    const RangeReducedLut lut = RangeReducedLut::build(parse_function(values["function"].as<std::string>()));
    OutputFolder folder = prepare_out();
    const RangeReducedGoldenFiles files =
        write_range_reduced_golden(lut, range_reduced_stimulus(count, values["seed"].as<uint64_t>()), values["out"].as<std::string>());
    std::cout << "golden vectors for the range-reduced LUT unit: " << function_name(lut.function()) << ", " << files.count
              << " codes\n  " << files.manifest_path << "\n  " << files.stimulus_path << "\n  " << files.expected_path << "\n";
    folder.commit();
    return kExitOk;
  }
  if (unit != "lut") throw UsageError("golden: --unit takes lut, nnlut or bespoke-rr, got '" + unit + "'");
  if (!values.count("range")) throw UsageError("golden: the lut unit needs --range A,B");
  LutOptions lut_options;
  lut_options.index_bits = values["bits"].as<int>();
  lut_options.dual_range = parse_dual_range_mode(values["dual-range"].as<std::string>());
  lut_options.threshold = values["threshold"].as<double>();
  if (values.count("out-scale")) lut_options.out_scale = values["out-scale"].as<double>();
  const auto [range_min, range_max] = parse_range("range", values["range"].as<std::string>());
  const BespokeLut lut = BespokeLut::build(parse_function(values["function"].as<std::string>()), range_min, range_max, lut_options);

  GoldenStimulus stimulus;
  const std::string codes = values["codes"].as<std::string>();
  if (codes != "all") {
    char* end = nullptr;
    const long long n = std::strtoll(codes.c_str(), &end, 10);
    if (codes.empty() || *end != '\0' || n < 0 || n > 100000000) {
      throw UsageError("golden: --codes takes 'all' or a count of random codes, got '" + codes + "'");
    }
    stimulus.all_codes = false;
    stimulus.random_codes = n;
    stimulus.seed = values["seed"].as<uint64_t>();
  }
  OutputFolder folder = prepare_out();
  const GoldenFiles files = write_lut_golden(lut, stimulus, out_dir.string());
  folder.commit();
  const auto in_out = [&](const char* file) { return (out_dir / file).string(); };
  std::cout << "golden vectors for the Bespoke LUT unit: " << function_name(lut.function()) << ", " << files.count
            << " codes" << (lut.has_dual_range() ? ", dual-range table attached" : ", no dual-range table") << "\n  "
            << files.manifest_path << "\n  " << files.stimulus_path << "\n  " << files.expected_path << "\n"
            << "testbench (hw/rtl/tb/bespoke_lut_tb.cpp; '-': no dual-range table), then the check:\n  bespoke_lut_vtb "
            << in_out("base.hex") << " " << (lut.has_dual_range() ? in_out("dual.hex") : std::string("-")) << " "
            << in_out("stimulus.hex") << " rtl_out.hex\n  npusim check-rtl --expected " << out_dir.string() << " --actual rtl_out.hex\n";
  return kExitOk;
}

}  // namespace npusim::cli
