// npusim compare: two run folders (written by `npusim run --out`, one engine or several side by side)
// figure by figure, engine by engine: A, B, B - A and B / A, on the console and with --out as CSV and JSON.
#include <filesystem>
#include <iostream>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/json.hpp"
#include "common/output_folder.hpp"
#include "report/run_comparison.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"

namespace npusim::cli {

namespace {

// The runs of a folder: its report.json (one engine), or the runs its comparison.json holds (several
// side by side); a report.json given by its own path is one run.
std::vector<hw::RunReport> runs_in(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code code;
  const auto read_report = [](const std::string& file) { return hw::report_from_json(json::parse(read_file(file), file), file); };
  if (fs::is_regular_file(path, code)) return {read_report(path)};
  if (!fs::is_directory(path, code)) throw Error(path + ": no such run folder");
  const std::string report = (fs::path(path) / "report.json").string(), comparison = (fs::path(path) / "comparison.json").string();
  if (fs::is_regular_file(report, code)) return {read_report(report)};
  if (!fs::is_regular_file(comparison, code)) {
    throw Error(path + " holds neither report.json nor comparison.json: not a folder written by 'npusim run --out'");
  }
  const json::Value root = json::parse(read_file(comparison), comparison);
  const json::Reader reader(root, comparison);
  if (reader.string("format") != "npusim-comparison") reader.fail(reader.require("format"), "not an npusim comparison");
  std::vector<hw::RunReport> runs;
  for (const json::Value& run : reader.array("runs")) runs.push_back(hw::report_from_json(run, comparison));
  if (runs.empty()) reader.fail(reader.require("runs"), "no runs");
  return runs;
}

std::string engines_of(const std::vector<hw::RunReport>& runs) {
  std::string text;
  for (const auto& r : runs) text += (text.empty() ? "" : ", ") + r.engines;
  return text;
}

}  // namespace

int run_compare_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()
      ("a", po::value<std::string>(), "run A: a folder written by 'npusim run --out' (or its report.json)")
      ("b", po::value<std::string>(), "run B, compared with A")
      ("out", po::value<std::string>(), "folder for compare.txt, compare.csv and compare.json")
      ("force", po::bool_switch(), "write into a folder holding another kind of result or files npusim did not write (npusim's files there are replaced, the others kept)");
  po::positional_options_description positional;
  positional.add("a", 1).add("b", 1);
  po::variables_map values;
  if (!parse_options("compare", "npusim compare A B [--out DIR]  (A, B: folders written by 'npusim run --out')", options, args, values,
                     &positional)) {
    return kExitOk;
  }
  if (!values.count("a") || !values.count("b")) throw UsageError("compare: give two run folders, A and B (see 'npusim compare --help')");
  const std::string a = values["a"].as<std::string>(), b = values["b"].as<std::string>();
  const std::vector<hw::RunReport> runs_a = runs_in(a), runs_b = runs_in(b);
  std::vector<std::string> unpaired;
  const std::vector<hw::RunPair> pairs = hw::pair_runs(runs_a, runs_b, unpaired);
  if (pairs.empty()) throw Error("compare: A and B ran no engine in common (A: " + engines_of(runs_a) + "; B: " + engines_of(runs_b) + ")");
  const std::string text = hw::compare_text(a, b, pairs);
  std::cout << text;
  for (const auto& note : unpaired) std::cout << "note: " << note << "\n";
  if (values.count("out")) {
    const std::string dir = values["out"].as<std::string>();
    OutputFolder folder = OutputFolder::prepare(dir, "compare", "npusim compare", {values["force"].as<bool>(), false});
    write_file_atomically(dir + "/compare.txt", text);
    write_file_atomically(dir + "/compare.csv", hw::compare_csv(pairs));
    write_file_atomically(dir + "/compare.json", json::write(hw::compare_json(a, b, pairs)) + "\n");
    folder.commit();
    std::cout << "compare: " << dir << "/compare.txt, compare.csv, compare.json\n";
  }
  return kExitOk;
}

}  // namespace npusim::cli
