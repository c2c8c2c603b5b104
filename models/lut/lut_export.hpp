// Export of a Bespoke LUT for an RTL testbench: $readmemh tables plus a JSON manifest.
#pragma once

#include <string>

#include "models/lut/bespoke_lut.hpp"
#include "common/json.hpp"

namespace npusim {

struct ExportedLutFiles {
  std::string manifest_path;
  std::string base_path;
  std::string dual_path;  // empty when no dual-range table is attached
};

constexpr int kLutExportFormatVersion = 1;

// The manifest describing `lut` and the file names its tables were written to.
json::Value lut_manifest(const BespokeLut& lut, const std::string& base_file, const std::string& dual_file);

// Writes <stem>_base.hex, <stem>_dual.hex (if attached) and <stem>.json into `dir` (created if
// missing), each atomically. Throws npusim::Error when the folder cannot be written.
ExportedLutFiles export_lut(const BespokeLut& lut, const std::string& dir, const std::string& stem);

// Reads an exported manifest and its tables back, checking every field.
BespokeLut import_lut(const std::string& manifest_path);

}  // namespace npusim
