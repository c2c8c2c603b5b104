// Golden vectors for RTL validation of a LUT unit: the tables, a stimulus of input codes and the
// expected outputs computed by the reference, with a JSON manifest an RTL testbench reads.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "models/lut/bespoke_lut.hpp"
#include "models/nnlut/nn_lut.hpp"

namespace npusim {

struct GoldenStimulus {
  bool all_codes = true;      // every one of the 65,536 codes, in order
  int64_t random_codes = 0;   // otherwise: this many seeded random codes after the corner codes
  uint64_t seed = 1;
};

// The corner codes of a table: both ends of the input grid, interval boundaries around the first
// and last intervals, the middle, and with a dual-range table its sub-interval boundaries.
std::vector<uint16_t> corner_codes(const BespokeLut& lut);

std::vector<uint16_t> make_stimulus(const BespokeLut& lut, const GoldenStimulus& stimulus);

struct GoldenFiles {
  std::string manifest_path;
  std::string stimulus_path;
  std::string expected_path;
  int64_t count = 0;
};

// Version 2 keys files_sha256 by role (version 1 keyed it by file name, so a manifest whose stimulus and
// expected names were swapped still matched its digests).
constexpr int kGoldenFormatVersion = 2;

// What a golden-vector folder's manifest.json promises about the files beside it.
struct GoldenManifest {
  std::string unit;                                 // bespoke_lut (16-bit words) or nnlut (32-bit words)
  int word_bits = 16;
  int64_t count = 0;                                // stimulus words, and as many expected words
  std::map<std::string, std::string> files;         // role (stimulus, expected, base, ...) -> file name
  std::map<std::string, std::string> files_sha256;  // role -> SHA-256 of that role's file
  std::string function;                             // the table's function, when the manifest names it
  int index_bits = 8;                               // Bespoke tables: N (2^N + 1 entries)
};

// Strict: the format, version 2, a known unit, word_bits matching the unit, a count, plain and distinct
// file names (no folders), a well-formed digest for every role and none for another; errors are
// "file:line:column: message".
GoldenManifest parse_golden_manifest(const std::string& text, const std::string& source_name);

// A golden-vector folder read for a check: the manifest, then stimulus.hex and expected.hex, each with
// exactly `count` words of exactly word_bits / 4 hex digits and matching its SHA-256. A folder whose
// golden run was interrupted (no manifest, or files of two runs) or whose manifest was edited is an
// error naming the file, never a PASS against the wrong vectors.
struct GoldenSet {
  GoldenManifest manifest;
  std::vector<int32_t> stimulus;
  std::vector<int32_t> expected;
  std::vector<int32_t> breakpoints;  // NN-LUT sets: the unit's breakpoints (to name each input's segment)
};
GoldenSet read_golden_set(const std::string& dir);

// One file of a golden set: what it is for (the manifest's key), its name and its content.
struct GoldenFile {
  std::string role, name, content;
};
struct WrittenGoldenFile {
  std::string role, name, sha256;
};

// Writes a golden set's files into `folder`, each atomically, after removing its manifest.json (the
// caller writes that last, so an interrupted run leaves a folder check-rtl refuses); returns each file's
// role, name and SHA-256, in the order given, for the manifest's "files" and "files_sha256".
std::vector<WrittenGoldenFile> write_golden_set_files(const std::string& folder, const std::vector<GoldenFile>& files);

// Writes <dir>/manifest.json, base.hex, dual.hex (if attached), stimulus.hex, expected.hex. The manifest
// (with every file's SHA-256) is removed first and written last, so an interrupted run leaves no manifest.
GoldenFiles write_lut_golden(const BespokeLut& lut, const GoldenStimulus& stimulus, const std::string& dir);
// The same with the stimulus given code by code (lookups at the unit's boundary of a real op).
GoldenFiles write_lut_golden_codes(const BespokeLut& lut, const std::vector<uint16_t>& codes, const std::string& label,
                                   const std::string& dir);

// NN-LUT unit: breakpoints.hex, slopes.hex, intercepts.hex (32-bit words), stimulus.hex (the fixed-point
// inputs: every breakpoint, the range's ends and beyond, then seeded random inputs over the range and a
// quarter beyond each end), expected.hex and manifest.json (with the rounding shift).
GoldenFiles write_nnlut_golden(const NnLutTable& table, int64_t random_inputs, uint64_t seed, const std::string& dir);

}  // namespace npusim
