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

GoldenFiles write_lut_golden(const BespokeLut& lut, const GoldenStimulus& stimulus, const std::string& dir) {
  ensure_writable_directory(dir);
  const std::filesystem::path folder(dir);
  const std::vector<uint16_t> codes = make_stimulus(lut, stimulus);
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
  json::Value stimulus_info = json::Value::object();
  stimulus_info.set("count", files.count);
  stimulus_info.set("kind", stimulus.all_codes ? "all 65536 codes in order" : "corner codes, then seeded random codes");
  if (!stimulus.all_codes) stimulus_info.set("seed", static_cast<double>(stimulus.seed));
  manifest.set("stimulus", stimulus_info);
  write_file_atomically(files.manifest_path, json::write(manifest));
  return files;
}

}  // namespace npusim
