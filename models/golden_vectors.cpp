#include "models/golden_vectors.hpp"

#include <algorithm>
#include <filesystem>
#include <random>

#include "models/io/atomic_file.hpp"
#include "models/io/json.hpp"
#include "models/io/readmemh.hpp"
#include "models/lut_export.hpp"

namespace npusim {

std::vector<uint16_t> corner_codes(const BespokeLut& lut) {
  const int width = lut.codes_per_interval();
  std::vector<int> corners = {0, 1, width - 1, width, width + 1, 32767, 32768, 65536 - width - 1, 65536 - width, 65534, 65535};
  if (lut.has_dual_range()) {
    const int sub = std::max(1, width / 16);
    for (int k = 1; k < 16; ++k) {
      corners.push_back(k * sub - 1);
      corners.push_back(k * sub);
    }
  }
  std::vector<uint16_t> codes;
  for (const int c : corners) {
    if (c >= 0 && c <= 65535 && std::find(codes.begin(), codes.end(), c) == codes.end()) {
      codes.push_back(static_cast<uint16_t>(c));
    }
  }
  return codes;
}

std::vector<uint16_t> make_stimulus(const BespokeLut& lut, const GoldenStimulus& stimulus) {
  std::vector<uint16_t> codes;
  if (stimulus.all_codes) {
    codes.resize(65536);
    for (uint32_t u = 0; u < 65536; ++u) codes[u] = static_cast<uint16_t>(u);
    return codes;
  }
  codes = corner_codes(lut);
  std::mt19937_64 rng(stimulus.seed);
  std::uniform_int_distribution<int> any(0, 65535);
  for (int64_t i = 0; i < stimulus.random_codes; ++i) codes.push_back(static_cast<uint16_t>(any(rng)));
  return codes;
}

namespace {

GoldenFiles write_golden_files(const BespokeLut& lut, const std::vector<uint16_t>& codes, json::Value stimulus_info,
                               const std::string& dir) {
  ensure_writable_directory(dir);
  const std::filesystem::path folder(dir);
  std::vector<int16_t> expected(codes.size());
  // The spec's own statement of the lookup, one code at a time.
  for (size_t i = 0; i < codes.size(); ++i) expected[i] = interpolate_one(lut.packed(), codes[i]);
  std::vector<int16_t> stimulus_words(codes.begin(), codes.end());

  write_file_atomically((folder / "base.hex").string(), format_readmemh(lut.base_table()));
  if (lut.has_dual_range()) write_file_atomically((folder / "dual.hex").string(), format_readmemh(lut.dual_table()));
  GoldenFiles files;
  files.stimulus_path = (folder / "stimulus.hex").string();
  files.expected_path = (folder / "expected.hex").string();
  files.manifest_path = (folder / "manifest.json").string();
  files.count = static_cast<int64_t>(codes.size());
  write_file_atomically(files.stimulus_path, format_readmemh(stimulus_words));
  write_file_atomically(files.expected_path, format_readmemh(expected));

  json::Value manifest = lut_manifest(lut, "base.hex", "dual.hex");
  manifest.set("format", "npusim-golden");
  manifest.set("version", kGoldenFormatVersion);
  manifest.set("unit", "bespoke_lut");
  json::Value file_list = json::Value::object();
  file_list.set("base", "base.hex");
  if (lut.has_dual_range()) file_list.set("dual", "dual.hex");
  file_list.set("stimulus", "stimulus.hex");
  file_list.set("expected", "expected.hex");
  manifest.set("files", file_list);
  stimulus_info.set("count", files.count);
  manifest.set("stimulus", stimulus_info);
  write_file_atomically(files.manifest_path, json::write(manifest));
  return files;
}

}  // namespace

GoldenFiles write_lut_golden(const BespokeLut& lut, const GoldenStimulus& stimulus, const std::string& dir) {
  json::Value info = json::Value::object();
  info.set("kind", stimulus.all_codes ? "all 65536 codes in order" : "corner codes, then seeded random codes");
  if (!stimulus.all_codes) info.set("seed", static_cast<double>(stimulus.seed));
  return write_golden_files(lut, make_stimulus(lut, stimulus), info, dir);
}

GoldenFiles write_lut_golden_codes(const BespokeLut& lut, const std::vector<uint16_t>& codes, const std::string& label,
                                   const std::string& dir) {
  json::Value info = json::Value::object();
  info.set("kind", label);
  return write_golden_files(lut, codes, info, dir);
}

GoldenFiles write_nnlut_golden(const NnLutTable& table, int64_t random_inputs, uint64_t seed, const std::string& dir) {
  ensure_writable_directory(dir);
  const std::filesystem::path folder(dir);
  std::vector<int32_t> inputs(table.breakpoints_q.begin(), table.breakpoints_q.end());
  const double span = table.range_max - table.range_min;
  for (const double x : {table.range_min, table.range_max, table.range_min - span, table.range_max + span, 0.0}) {
    inputs.push_back(table.quantize_input(x));
  }
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> any(table.range_min - span / 4, table.range_max + span / 4);
  for (int64_t i = 0; i < random_inputs; ++i) inputs.push_back(table.quantize_input(any(rng)));
  std::vector<int32_t> expected;
  for (const int32_t x : inputs) expected.push_back(table.evaluate_q(x));

  write_file_atomically((folder / "breakpoints.hex").string(), format_readmemh32(table.breakpoints_q));
  write_file_atomically((folder / "slopes.hex").string(), format_readmemh32(table.slopes_q));
  write_file_atomically((folder / "intercepts.hex").string(), format_readmemh32(table.intercepts_q));
  GoldenFiles files;
  files.stimulus_path = (folder / "stimulus.hex").string();
  files.expected_path = (folder / "expected.hex").string();
  files.manifest_path = (folder / "manifest.json").string();
  files.count = static_cast<int64_t>(inputs.size());
  write_file_atomically(files.stimulus_path, format_readmemh32(inputs));
  write_file_atomically(files.expected_path, format_readmemh32(expected));

  json::Value m = json::Value::object();
  m.set("format", "npusim-golden");
  m.set("version", kGoldenFormatVersion);
  m.set("unit", "nnlut");
  m.set("function", std::string(function_name(table.function)));
  json::Value range = json::Value::array();
  range.push_back(table.range_min);
  range.push_back(table.range_max);
  m.set("range", range);
  m.set("segments", static_cast<int>(table.slopes.size()));
  m.set("word_bits", 32);
  m.set("x_frac_bits", table.x_frac_bits);
  m.set("slope_frac_bits", table.slope_frac_bits);
  m.set("out_frac_bits", table.out_frac_bits);
  m.set("shift", table.x_frac_bits + table.slope_frac_bits - table.out_frac_bits);
  m.set("rounding", "k = number of breakpoints <= x; y = ((s_k * x + 2^(shift-1)) >> shift) + t_k in 64 bits, "
                    "arithmetic shift, saturated to INT32");
  json::Value file_list = json::Value::object();
  file_list.set("breakpoints", "breakpoints.hex");
  file_list.set("slopes", "slopes.hex");
  file_list.set("intercepts", "intercepts.hex");
  file_list.set("stimulus", "stimulus.hex");
  file_list.set("expected", "expected.hex");
  m.set("files", file_list);
  json::Value stimulus_info = json::Value::object();
  stimulus_info.set("count", files.count);
  stimulus_info.set("seed", static_cast<double>(seed));
  m.set("stimulus", stimulus_info);
  write_file_atomically(files.manifest_path, json::write(m));
  return files;
}

}  // namespace npusim
