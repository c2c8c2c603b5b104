#include "models/rtl/golden_vectors.hpp"

#include <algorithm>
#include <filesystem>
#include <random>

#include "common/error.hpp"
#include "models/rtl/golden_port_protocol.hpp"
#include "common/atomic_file.hpp"
#include "common/json.hpp"
#include "common/readmemh.hpp"
#include "common/sha256.hpp"
#include "models/lut/lut_export.hpp"

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

std::vector<WrittenGoldenFile> write_golden_set_files(const std::string& folder, const std::vector<GoldenFile>& files) {
  const std::filesystem::path dir(folder);
  std::error_code code;
  std::filesystem::remove(dir / "manifest.json", code);
  std::vector<WrittenGoldenFile> written;
  for (const GoldenFile& file : files) {
    write_file_atomically((dir / file.name).string(), file.content);
    written.push_back({file.role, file.name, sha256_hex(file.content)});
  }
  return written;
}

namespace {

// The manifest's "files" (role -> name) and "files_sha256" (role -> digest).
void set_files(json::Value& manifest, const std::vector<WrittenGoldenFile>& written) {
  json::Value names = json::Value::object(), digests = json::Value::object();
  for (const WrittenGoldenFile& file : written) {
    names.set(file.role, file.name);
    digests.set(file.role, file.sha256);
  }
  manifest.set("files", names);
  manifest.set("files_sha256", digests);
}

GoldenFiles write_golden_files(const BespokeLut& lut, const std::vector<uint16_t>& codes, json::Value stimulus_info,
                               const std::string& dir) {
  ensure_writable_directory(dir);
  const std::filesystem::path folder(dir);
  std::vector<int16_t> expected(codes.size());
  // The spec's own statement of the lookup, one code at a time.
  for (size_t i = 0; i < codes.size(); ++i) expected[i] = interpolate_one(lut.packed(), codes[i]);
  std::vector<int16_t> stimulus_words(codes.begin(), codes.end());

  std::vector<GoldenFile> contents = {{"base", "base.hex", format_readmemh(lut.base_table())}};
  if (lut.has_dual_range()) contents.push_back({"dual", "dual.hex", format_readmemh(lut.dual_table())});
  contents.push_back({"stimulus", "stimulus.hex", format_readmemh(stimulus_words)});
  contents.push_back({"expected", "expected.hex", format_readmemh(expected)});
  const std::vector<WrittenGoldenFile> written = write_golden_set_files(dir, contents);
  GoldenFiles files;
  files.stimulus_path = (folder / "stimulus.hex").string();
  files.expected_path = (folder / "expected.hex").string();
  files.manifest_path = (folder / "manifest.json").string();
  files.count = static_cast<int64_t>(codes.size());

  json::Value manifest = lut_manifest(lut, "base.hex", "dual.hex");
  manifest.set("format", "npusim-golden");
  manifest.set("version", kGoldenFormatVersion);
  manifest.set("unit", "bespoke_lut");
  manifest.set("word_bits", 16);
  set_files(manifest, written);
  PortProtocolParameters protocol;
  protocol.index_bits = lut.index_bits();
  protocol.has_dual = lut.has_dual_range();
  manifest.set("port_protocol", json::from_nlohmann(golden_port_protocol("bespoke_lut", protocol)));
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

  const std::vector<WrittenGoldenFile> written = write_golden_set_files(dir, {{"breakpoints", "breakpoints.hex", format_readmemh32(table.breakpoints_q)},
                                                                              {"slopes", "slopes.hex", format_readmemh32(table.slopes_q)},
                                                                              {"intercepts", "intercepts.hex", format_readmemh32(table.intercepts_q)},
                                                                              {"stimulus", "stimulus.hex", format_readmemh32(inputs)},
                                                                              {"expected", "expected.hex", format_readmemh32(expected)}});
  GoldenFiles files;
  files.stimulus_path = (folder / "stimulus.hex").string();
  files.expected_path = (folder / "expected.hex").string();
  files.manifest_path = (folder / "manifest.json").string();
  files.count = static_cast<int64_t>(inputs.size());

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
  set_files(m, written);
  PortProtocolParameters protocol;
  protocol.segments = static_cast<int>(table.slopes_q.size());
  protocol.shift = table.x_frac_bits + table.slope_frac_bits - table.out_frac_bits;
  m.set("port_protocol", json::from_nlohmann(golden_port_protocol("nnlut", protocol)));
  json::Value stimulus_info = json::Value::object();
  stimulus_info.set("count", files.count);
  stimulus_info.set("seed", static_cast<double>(seed));
  m.set("stimulus", stimulus_info);
  write_file_atomically(files.manifest_path, json::write(m));
  return files;
}

GoldenManifest parse_golden_manifest(const std::string& text, const std::string& source_name) {
  const json::Value root = json::parse(text, source_name);
  const json::Reader m(root, source_name);
  if (m.string("format") != "npusim-golden") m.fail(m.require("format"), "not a golden-vector manifest (format must be npusim-golden)");
  const int64_t version = m.integer("version", 1, 1000000);
  if (version != kGoldenFormatVersion) {
    m.fail(m.require("version"), version == 1 ? "a version 1 manifest keys its digests by file name, which does not tie a file to its role: "
                                                "write the set again with this npusim (npusim golden)"
                                              : "golden-vector manifest version " + std::to_string(version) + " is not supported (this npusim reads version " +
                                                    std::to_string(kGoldenFormatVersion) + ")");
  }
  GoldenManifest manifest;
  manifest.unit = m.string("unit");
  // Word width of each unit's stimulus and expected files (bespoke_rr_lut packs mantissa and exponent in 32 bits).
  const int unit_bits = manifest.unit == "bespoke_lut" ? 16 : manifest.unit == "nnlut" || manifest.unit == "bespoke_rr_lut" ? 32 : 0;
  if (unit_bits == 0) m.fail(m.require("unit"), "unit must be bespoke_lut, bespoke_rr_lut or nnlut, got '" + manifest.unit + "'");
  manifest.word_bits = m.has("word_bits") ? static_cast<int>(m.integer("word_bits", 1, 64)) : unit_bits;
  if (manifest.word_bits != unit_bits) {
    m.fail(m.require("word_bits"), "word_bits " + std::to_string(manifest.word_bits) + " does not match unit " + manifest.unit + " (" +
                                       std::to_string(unit_bits) + "-bit words)");
  }
  if (m.has("function")) manifest.function = m.string("function");
  if (manifest.unit == "bespoke_rr_lut" && manifest.function != "reciprocal" && manifest.function != "rsqrt") {
    m.fail(m.require("function"), "a bespoke_rr_lut set's function must be reciprocal or rsqrt, got '" + manifest.function + "'");
  }
  if (m.has("index_bits")) manifest.index_bits = static_cast<int>(m.integer("index_bits", 4, 13));
  const json::Reader stimulus(m.require("stimulus"), source_name);
  manifest.count = stimulus.integer("count", 0, int64_t{1} << 32);
  const json::Reader files(m.require("files"), source_name);
  std::map<std::string, std::string> role_of_name;
  for (const auto& [role, value] : m.require("files").members()) {
    const std::string& name = files.string_of(value, "files." + role);
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos || name.find('\0') != std::string::npos) {
      files.fail(value, "files." + role + " must name a file in the manifest's folder, got '" + name + "'");
    }
    if (!role_of_name.emplace(name, role).second) files.fail(value, "files." + role + " names the file of files." + role_of_name[name]);
    manifest.files[role] = name;
  }
  for (const char* role : {"stimulus", "expected"}) files.require(role);
  // A digest per role, so a manifest whose file names were swapped no longer matches its files.
  const json::Reader digests(m.require("files_sha256"), source_name);
  for (const auto& [role, value] : m.require("files_sha256").members()) {
    if (manifest.files.count(role) == 0) digests.fail(value, "files_sha256." + role + " is the digest of no role in files");
    const std::string& digest = digests.string_of(value, "files_sha256." + role);
    if (digest.size() != 64 || digest.find_first_not_of("0123456789abcdef") != std::string::npos) {
      digests.fail(value, "files_sha256." + role + " must be 64 lowercase hex digits");
    }
    manifest.files_sha256[role] = digest;
  }
  for (const auto& [role, name] : manifest.files) digests.require(role);
  return manifest;
}

GoldenSet read_golden_set(const std::string& dir) {
  const std::filesystem::path folder(dir);
  const std::string manifest_path = (folder / "manifest.json").string();
  std::error_code code;
  if (!std::filesystem::exists(manifest_path, code)) {
    throw Error(manifest_path + ": missing (not a golden-vector folder, or its golden run did not finish)");
  }
  GoldenSet set;
  set.manifest = parse_golden_manifest(read_file(manifest_path, read_limits::golden_manifest), manifest_path);
  const auto read_words = [&](const std::string& role, int word_bits, bool whole_stimulus) {
    const std::string name = set.manifest.files.at(role);
    const std::string path = (folder / name).string();
    const std::string content = read_file(path, read_limits::hex_words);
    if (set.manifest.files_sha256.at(role) != sha256_hex(content)) {
      throw Error(path + ": does not match the SHA-256 of files." + role + " in " + manifest_path +
                  " (written by another golden run, changed since, or named for another role; run npusim golden again)");
    }
    std::vector<int32_t> words = parse_readmemh_exact(content, path, word_bits);
    if (whole_stimulus && static_cast<int64_t>(words.size()) != set.manifest.count) {
      throw Error(path + ": " + std::to_string(words.size()) + " words, but " + manifest_path + " says stimulus.count " +
                  std::to_string(set.manifest.count));
    }
    return words;
  };
  set.stimulus = read_words("stimulus", set.manifest.word_bits, true);
  set.expected = read_words("expected", set.manifest.word_bits, true);
  if (set.manifest.unit == "nnlut" && set.manifest.files.count("breakpoints")) set.breakpoints = read_words("breakpoints", 32, false);
  return set;
}

}  // namespace npusim
