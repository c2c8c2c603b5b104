// npusim check-rtl: compare an RTL run's output dump with golden expected outputs.
#include <filesystem>
#include <iostream>

#include "models/io/atomic_file.hpp"
#include "models/io/json.hpp"
#include "models/io/readmemh.hpp"
#include "models/rtl_check.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/text_table.hpp"

namespace npusim::cli {

namespace {
std::string hex_word(int64_t v, int64_t word_bits) {
  char buffer[16];
  if (word_bits == 32) {
    std::snprintf(buffer, sizeof buffer, "%08x", static_cast<unsigned>(static_cast<uint32_t>(v)));
  } else {
    std::snprintf(buffer, sizeof buffer, "%04x", static_cast<unsigned>(static_cast<uint16_t>(v)));
  }
  return buffer;
}
}  // namespace

int run_check_rtl_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()
      ("expected", po::value<std::string>()->required(), "golden-vector folder (with manifest.json)")
      ("actual", po::value<std::string>()->required(), "the RTL's output dump: one hex word per line")
      ("tolerance", po::value<int64_t>()->default_value(0), "accepted |actual - expected| in LSB")
      ("show", po::value<int>()->default_value(10), "how many mismatches to list");
  po::variables_map values;
  if (!parse_options("check-rtl", "npusim check-rtl --expected DIR --actual FILE [--tolerance LSB]", options, args,
                     values)) {
    return kExitOk;
  }
  const int64_t tolerance = values["tolerance"].as<int64_t>();
  const int show = values["show"].as<int>();
  if (tolerance < 0) throw UsageError("check-rtl: --tolerance must be >= 0");
  if (show < 0) throw UsageError("check-rtl: --show must be >= 0");

  const std::filesystem::path folder(values["expected"].as<std::string>());
  const std::string manifest_path = (folder / "manifest.json").string();
  const json::Value manifest = json::parse(read_file(manifest_path), manifest_path);
  const json::Reader m(manifest, manifest_path);
  if (m.string("format") != "npusim-golden") m.fail(m.require("format"), "not a golden-vector manifest");
  const json::Reader files(m.require("files"), manifest_path);
  const int64_t word_bits = m.has("word_bits") ? m.integer("word_bits", 16, 32) : 16;
  if (word_bits != 16 && word_bits != 32) m.fail(m.require("word_bits"), "word_bits must be 16 or 32");
  const auto read_words = [&](const std::string& path) {
    if (word_bits == 32) return parse_readmemh32(read_file(path), path);
    const std::vector<int16_t> narrow = parse_readmemh(read_file(path), path);
    return std::vector<int32_t>(narrow.begin(), narrow.end());
  };
  const std::vector<int32_t> stimulus = read_words((folder / files.string("stimulus")).string());
  const std::vector<int32_t> expected = read_words((folder / files.string("expected")).string());
  const std::vector<int32_t> actual = read_words(values["actual"].as<std::string>());

  const RtlCheckResult r = compare_rtl_outputs(stimulus, expected, actual, tolerance, static_cast<size_t>(show));
  std::cout << (r.passed ? "PASS" : "FAIL") << ": " << r.matched << " of " << r.compared << " outputs match"
            << (tolerance > 0 ? " within " + std::to_string(tolerance) + " LSB" : "") << " (" << r.exact << " exactly)\n";
  if (!r.first_mismatches.empty()) {
    TextTable table({"index", "input", "expected", "actual", "difference"});
    for (const RtlMismatch& x : r.first_mismatches) {
      table.add_row({std::to_string(x.index), hex_word(x.stimulus, word_bits), hex_word(x.expected, word_bits), hex_word(x.actual, word_bits),
                     std::to_string(x.actual - x.expected)});
    }
    std::cout << "\nfirst mismatches:\n" << table.render();
  }
  TextTable histogram({"|error| (LSB)", "outputs"});
  for (const auto& [bucket, count] : r.histogram) histogram.add_row({bucket, std::to_string(count)});
  std::cout << "\nerror histogram:\n" << histogram.render();
  return r.passed ? kExitOk : kExitError;
}

}  // namespace npusim::cli
