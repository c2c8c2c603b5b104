// npusim check-rtl: compare an RTL run's output dump with golden expected outputs.
#include <filesystem>
#include <iostream>

#include "common/error.hpp"
#include "models/rtl/golden_lookup_path.hpp"
#include "models/rtl/golden_vectors.hpp"
#include "common/atomic_file.hpp"
#include "common/readmemh.hpp"
#include "models/rtl/rtl_check.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "report/text_table.hpp"

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

  // The golden set is checked against its manifest (word counts, word widths, digests) before any
  // comparison, so a mismatched or torn set is an error, not a PASS.
  const GoldenSet golden = read_golden_set(values["expected"].as<std::string>());
  const int64_t word_bits = golden.manifest.word_bits;
  const std::string actual_path = values["actual"].as<std::string>();
  // Exactly word_bits / 4 digits a word, like the golden files: a dump of narrower words is refused.
  const std::vector<int32_t> actual = parse_readmemh_exact(read_file(actual_path, read_limits::rtl_dump), actual_path, static_cast<int>(word_bits));
  if (actual.size() != golden.expected.size()) {
    throw Error(actual_path + ": " + std::to_string(actual.size()) + " words, but the golden set has " +
                std::to_string(golden.expected.size()) + " expected outputs");
  }

  const RtlCheckResult r = compare_rtl_outputs(golden.stimulus, golden.expected, actual, tolerance, static_cast<size_t>(show));
  std::cout << (r.passed ? "PASS" : "FAIL") << ": " << r.matched << " of " << r.compared << " outputs match"
            << (tolerance > 0 ? " within " + std::to_string(tolerance) + " LSB" : "") << " (" << r.exact << " exactly)\n";
  if (!r.first_mismatches.empty()) {
    // Each row names the datapath step that produced the expected value: the table, interval j and
    // weight w (and bespoke-rr's exponent e and mantissa code u; NN-LUT's segment k).
    const bool range_reduced = golden.manifest.unit == "bespoke_rr_lut", nnlut = golden.manifest.unit == "nnlut";
    std::vector<std::string> header = {"index", "input"};
    if (range_reduced) header.insert(header.end(), {"e", "u"});
    header.insert(header.end(), {"table", nnlut ? "segment k" : "j"});
    if (!nnlut) header.push_back("w");
    header.insert(header.end(), {"expected", "actual", "difference"});
    TextTable table(header);
    for (const RtlMismatch& x : r.first_mismatches) {
      const LookupPath path = golden_lookup_path(golden, static_cast<int32_t>(x.stimulus));
      std::vector<std::string> row = {std::to_string(x.index), hex_word(x.stimulus, word_bits)};
      if (range_reduced) row.insert(row.end(), {std::to_string(path.exponent), hex_word(path.table_code, 16)});
      row.insert(row.end(), {path.table, std::to_string(path.interval)});
      if (!nnlut) row.push_back(std::to_string(path.weight));
      row.insert(row.end(), {hex_word(x.expected, word_bits), hex_word(x.actual, word_bits), std::to_string(x.actual - x.expected)});
      table.add_row(row);
    }
    std::cout << "\nfirst mismatches:\n" << table.render();
  }
  TextTable histogram({"|error| (LSB)", "outputs"});
  for (const auto& [bucket, count] : r.histogram) histogram.add_row({bucket, std::to_string(count)});
  std::cout << "\nerror histogram:\n" << histogram.render();
  return r.passed ? kExitOk : kExitError;
}

}  // namespace npusim::cli
