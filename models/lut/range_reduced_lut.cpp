#include "models/lut/range_reduced_lut.hpp"

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "common/error.hpp"
#include "models/rtl/golden_port_protocol.hpp"
#include "models/rtl/golden_vectors.hpp"
#include "common/atomic_file.hpp"
#include "common/readmemh.hpp"

namespace npusim {

namespace {

double mantissa_max(Function f) { return f == Function::reciprocal ? 2.0 : 4.0; }

void check_function(Function f) {
  if (!RangeReducedLut::supports(f)) {
    throw Error("the range-reduced Bespoke LUT computes reciprocal and rsqrt, not " + std::string(function_name(f)));
  }
}

int leading_one(uint32_t x) { return 31 - __builtin_clz(x); }

nlohmann::ordered_json arithmetic_description(const RangeReducedLut& lut) {
  const bool reciprocal = lut.function() == Function::reciprocal;
  nlohmann::ordered_json r;
  r["input_code"] = "unsigned 32-bit X standing for x = X * s_in; X = 0 is read as X = 1";
  r["leading_one"] = "p = floor(log2 X), 0..31";
  if (reciprocal) {
    r["shift"] = "e = p";
    r["mantissa_code"] = "u = floor(X * 2^(16 - p)) - 65536 (bits below the 16 after the leading one are truncated)";
  } else {
    r["shift"] = "q = p rounded down to even, e = q / 2";
    r["mantissa_code"] = "M = floor(X * 2^(14 - q)) in [16384, 65536) (truncated), u = floor((4 * (M - 16384) + 1) / 3)";
  }
  r["mantissa_range"] = {1.0, mantissa_max(lut.function())};
  r["table_lookup"] = "j = u >> 8, w = u & 255, y = ((256 - w) * L[j] + w * L[j+1] + 128) >> 8 (arithmetic shift)";
  r["output"] = std::string("y (INT16) and e; f(X) = y * out_scale * 2^-e, f(x) = f(X) / ") + (reciprocal ? "s_in" : "sqrt(s_in)");
  r["output_word"] = "e in bits 20..16, y in bits 15..0";
  return r;
}

nlohmann::ordered_json table_manifest(const RangeReducedLut& lut) {
  nlohmann::ordered_json m;
  m["function"] = std::string(function_name(lut.function()));
  m["range"] = {lut.table().range_min(), lut.table().range_max()};
  m["input_step"] = lut.table().input_step();
  m["out_scale"] = lut.out_scale();
  m["index_bits"] = lut.table().index_bits();
  m["word_format"] = "16-bit two's complement, 4 hex digits per line";
  m["table_entries"] = "L[j] = clamp(round_half_away_from_zero(f(1 + 256 * j * input_step) / out_scale), -32768, 32767)";
  m["dual_range"] = false;
  m["range_reduction"] = arithmetic_description(lut);
  return m;
}

}  // namespace

RangeReducedLut RangeReducedLut::build(Function f) {
  check_function(f);
  LutOptions options;
  options.dual_range = DualRangeMode::off;
  return RangeReducedLut(BespokeLut::build(f, 1.0, mantissa_max(f), options));
}

RangeReducedLut RangeReducedLut::from_table(Function f, std::vector<int16_t> base) {
  check_function(f);
  return RangeReducedLut(BespokeLut::from_tables(f, 1.0, mantissa_max(f), 8, 1.0 / 32767.0, std::move(base), {}));
}

RangeReducedLut::Split RangeReducedLut::split(Function f, uint32_t x) {
  if (x == 0) x = 1;
  const int p = leading_one(x);
  const uint64_t wide = x;
  if (f == Function::reciprocal) {
    const uint64_t normalised = (wide << 16) >> p;  // [2^16, 2^17)
    return {static_cast<uint16_t>(normalised - 65536), p};
  }
  const int q = p & ~1;
  const uint64_t mantissa = (wide << 14) >> q;  // [2^14, 2^16)
  const uint64_t t = mantissa - 16384;
  return {static_cast<uint16_t>((4 * t + 1) / 3), q / 2};
}

double RangeReducedLut::value(uint32_t x) const {
  const Output o = lookup(x);
  return std::ldexp(out_scale() * o.y, -o.shift);
}

double range_reduced_input_scale(Function f, double range_max) {
  check_function(f);
  if (!(range_max > 0) || !std::isfinite(range_max)) throw Error("the range-reduced LUT needs a positive finite range maximum");
  int exponent = std::ilogb(range_max) + 1 - 32;  // range_max < 2^(ilogb + 1) = 2^32 s_in
  if (f == Function::rsqrt && (exponent & 1) != 0) ++exponent;
  return std::ldexp(1.0, exponent);
}

std::vector<uint32_t> range_reduced_stimulus(int64_t random_codes, uint64_t seed) {
  std::vector<uint32_t> codes = {0, 1, 2, 3, 0xFFFFFFFFu};
  for (int p = 1; p < 32; ++p) {
    const uint32_t power = uint32_t{1} << p;
    codes.insert(codes.end(), {power - 1, power, power + 1});
  }
  // Every 16th mantissa code at the exponents where no bit (reciprocal: X in [2^16, 2^17); rsqrt: X in
  // [2^14, 2^16)) or one or two bits are truncated: X in [2^14, 2^18) in steps of 16, plus each step's
  // last code. (Every code is checked against a restatement in the model's tests; this set keeps an RTL
  // simulation short.)
  for (uint32_t x = 1u << 14; x < (1u << 18); x += 16) codes.insert(codes.end(), {x, x + 15});
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<uint32_t> any;
  for (int64_t i = 0; i < random_codes; ++i) codes.push_back(any(rng));
  return codes;
}

ExportedRangeReducedFiles export_range_reduced_lut(const RangeReducedLut& lut, const std::string& dir, const std::string& stem) {
  ensure_writable_directory(dir);
  const std::filesystem::path folder(dir);
  ExportedRangeReducedFiles files;
  files.base_path = (folder / (stem + "_base.hex")).string();
  write_file_atomically(files.base_path, format_readmemh(lut.table().base_table()));
  nlohmann::ordered_json m;
  m["format"] = "npusim-lut-export";
  m["version"] = 1;
  const nlohmann::ordered_json table = table_manifest(lut);
  for (const auto& [key, value] : table.items()) m[key] = value;
  m["entries"] = {{"base", lut.table().base_table().size()}, {"dual", 0}};
  m["files"] = {{"base", stem + "_base.hex"}};
  // The manifest goes last: its presence says the table beside it is complete.
  files.manifest_path = (folder / (stem + ".json")).string();
  write_file_atomically(files.manifest_path, m.dump(2) + "\n");
  return files;
}

RangeReducedGoldenFiles write_range_reduced_golden(const RangeReducedLut& lut, const std::vector<uint32_t>& stimulus,
                                                   const std::string& dir) {
  ensure_writable_directory(dir);
  const std::filesystem::path folder(dir);
  std::vector<int32_t> inputs, expected;
  for (const uint32_t x : stimulus) {
    inputs.push_back(static_cast<int32_t>(x));
    expected.push_back(static_cast<int32_t>(RangeReducedLut::pack(lut.lookup(x))));
  }
  RangeReducedGoldenFiles files;
  files.stimulus_path = (folder / "stimulus.hex").string();
  files.expected_path = (folder / "expected.hex").string();
  files.manifest_path = (folder / "manifest.json").string();
  files.count = static_cast<int64_t>(stimulus.size());
  nlohmann::ordered_json names, digests;
  for (const WrittenGoldenFile& file : write_golden_set_files(dir, {{"base", "base.hex", format_readmemh(lut.table().base_table())},
                                                                    {"stimulus", "stimulus.hex", format_readmemh32(inputs)},
                                                                    {"expected", "expected.hex", format_readmemh32(expected)}})) {
    names[file.role] = file.name;
    digests[file.role] = file.sha256;
  }
  nlohmann::ordered_json m;
  m["format"] = "npusim-golden";
  m["version"] = kGoldenFormatVersion;
  m["unit"] = "bespoke_rr_lut";
  m["word_bits"] = 32;
  const nlohmann::ordered_json table = table_manifest(lut);
  for (const auto& [key, value] : table.items()) m[key] = value;
  m["files"] = names;
  m["stimulus"] = {{"count", files.count}, {"kind", "corner codes, X in [2^14, 2^18) in steps of 16 with each step's last code, seeded random codes"}};
  m["files_sha256"] = digests;
  PortProtocolParameters protocol;
  protocol.rsqrt = lut.function() == Function::rsqrt;
  m["port_protocol"] = golden_port_protocol("bespoke_rr_lut", protocol);
  write_file_atomically(files.manifest_path, m.dump(2) + "\n");
  return files;
}

}  // namespace npusim
