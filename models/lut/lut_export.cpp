#include "models/lut/lut_export.hpp"

#include <filesystem>

#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/readmemh.hpp"

namespace npusim {

namespace {
constexpr const char* kFormatName = "npusim-lut-export";
}

json::Value lut_manifest(const BespokeLut& lut, const std::string& base_file, const std::string& dual_file) {
  const int base_shift = 16 - lut.index_bits();
  const int dual_shift = kMaxDualIndexBits - lut.index_bits();
  json::Value m = json::Value::object();
  m.set("format", kFormatName);
  m.set("version", kLutExportFormatVersion);
  m.set("function", std::string(function_name(lut.function())));
  json::Value range = json::Value::array();
  range.push_back(lut.range_min());
  range.push_back(lut.range_max());
  m.set("range", range);
  m.set("input_step", lut.input_step());
  m.set("out_scale", lut.out_scale());
  m.set("index_bits", lut.index_bits());
  m.set("input_code", "u in [0, 65535] stands for x = range[0] + u * input_step");
  m.set("word_format", "16-bit two's complement, 4 hex digits per line");
  json::Value rounding = json::Value::object();
  rounding.set("table_entries", "clamp(round_half_away_from_zero(f(x) / out_scale), -32768, 32767)");
  rounding.set("base_lookup", "j = u >> " + std::to_string(base_shift) + ", w = u & " +
                                  std::to_string((1 << base_shift) - 1) + ", y = ((" +
                                  std::to_string(1 << base_shift) + " - w) * L[j] + w * L[j+1] + " +
                                  std::to_string((1 << base_shift) >> 1) + ") >> " + std::to_string(base_shift) +
                                  " (arithmetic shift)");
  if (lut.has_dual_range()) {
    rounding.set("dual_lookup", "for u < " + std::to_string(1 << base_shift) + ": k = u >> " +
                                    std::to_string(dual_shift) + ", w = u & " +
                                    std::to_string((1 << dual_shift) - 1) + ", y = ((" +
                                    std::to_string(1 << dual_shift) + " - w) * D[k] + w * D[k+1] + " +
                                    std::to_string((1 << dual_shift) >> 1) + ") >> " + std::to_string(dual_shift) +
                                    " (arithmetic shift)");
  }
  m.set("rounding", rounding);
  m.set("dual_range", lut.has_dual_range());
  m.set("mape0_base", lut.mape0_base());
  m.set("mape0", lut.mape0());
  json::Value entries = json::Value::object();
  entries.set("base", static_cast<int>(lut.base_table().size()));
  entries.set("dual", static_cast<int>(lut.dual_table().size()));
  m.set("entries", entries);
  json::Value files = json::Value::object();
  files.set("base", base_file);
  if (lut.has_dual_range()) files.set("dual", dual_file);
  m.set("files", files);
  return m;
}

ExportedLutFiles export_lut(const BespokeLut& lut, const std::string& dir, const std::string& stem) {
  ensure_writable_directory(dir);
  const std::filesystem::path folder(dir);
  const std::string base_file = stem + "_base.hex";
  const std::string dual_file = lut.has_dual_range() ? stem + "_dual.hex" : "";
  ExportedLutFiles files;
  files.base_path = (folder / base_file).string();
  write_file_atomically(files.base_path, format_readmemh(lut.base_table()));
  if (lut.has_dual_range()) {
    files.dual_path = (folder / dual_file).string();
    write_file_atomically(files.dual_path, format_readmemh(lut.dual_table()));
  }
  // The manifest goes last: its presence says the tables beside it are complete.
  files.manifest_path = (folder / (stem + ".json")).string();
  write_file_atomically(files.manifest_path, json::write(lut_manifest(lut, base_file, dual_file)));
  return files;
}

BespokeLut import_lut(const std::string& manifest_path) {
  const json::Value root = json::parse(read_file(manifest_path, read_limits::lut_export), manifest_path);
  const json::Reader m(root, manifest_path);
  if (m.string("format") != kFormatName) m.fail(m.require("format"), std::string("not a LUT export (format must be '") + kFormatName + "')");
  if (m.integer("version", 0, 1000000) != kLutExportFormatVersion) {
    m.fail(m.require("version"), "LUT export version is not supported (this npusim reads version " +
                                     std::to_string(kLutExportFormatVersion) + ")");
  }
  const auto& range = m.array("range");
  if (range.size() != 2) m.fail(m.require("range"), "'range' must be [min, max]");
  const json::Reader files(m.require("files"), manifest_path);
  files.reject_unknown({"base", "dual"});
  const std::filesystem::path folder = std::filesystem::path(manifest_path).parent_path();
  const auto load_table = [&](const std::string& key) {
    const std::string path = (folder / files.string(key)).string();
    return parse_readmemh(read_file(path, read_limits::hex_words), path);
  };
  std::vector<int16_t> base = load_table("base");
  std::vector<int16_t> dual;
  if (m.boolean("dual_range")) dual = load_table("dual");
  try {
    return BespokeLut::from_tables(parse_function(m.string("function")), m.number_of(range[0], "range min"),
                                   m.number_of(range[1], "range max"),
                                   static_cast<int>(m.integer("index_bits", 0, 64)), m.number("out_scale"),
                                   std::move(base), std::move(dual));
  } catch (const Error& e) {
    const std::string message = e.what();
    if (message.rfind(manifest_path + ":", 0) == 0) throw;
    m.fail(root, message);
  }
}

}  // namespace npusim
