#include "models/lut/table_set.hpp"

#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/json.hpp"

namespace npusim {

namespace {

constexpr const char* kFormatName = "npusim-table-set";

json::Value table_array(const std::vector<int16_t>& entries) {
  json::Value array = json::Value::array();
  for (const int16_t e : entries) array.push_back(static_cast<int>(e));
  return array;
}

std::vector<int16_t> read_table(const json::Reader& reader, const std::string& key) {
  std::vector<int16_t> entries;
  for (const auto& item : reader.array(key)) {
    entries.push_back(static_cast<int16_t>(reader.integer_of(item, "a table entry", -32768, 32767)));
  }
  return entries;
}

}  // namespace

void TableSet::add(std::string layer, BespokeLut lut) {
  if (layer.empty()) throw Error("a table needs a layer name");
  if (find(layer) != nullptr) throw Error("layer '" + layer + "' already has a table");
  tables_.push_back({std::move(layer), std::move(lut)});
}

const BespokeLut* TableSet::find(const std::string& layer) const {
  for (const auto& t : tables_) {
    if (t.layer == layer) return &t.lut;
  }
  return nullptr;
}

size_t TableSet::dual_table_count() const {
  size_t count = 0;
  for (const auto& t : tables_) count += t.lut.has_dual_range() ? 1 : 0;
  return count;
}

size_t TableSet::total_bytes() const {
  size_t bytes = 0;
  for (const auto& t : tables_) bytes += t.lut.table_bytes();
  return bytes;
}

std::string TableSet::to_json() const {
  json::Value root = json::Value::object();
  root.set("format", kFormatName);
  root.set("version", kFormatVersion);
  root.set("model", model_);
  json::Value& tables = root.set("tables", json::Value::array());
  for (const auto& t : tables_) {
    json::Value entry = json::Value::object();
    entry.set("layer", t.layer);
    entry.set("function", std::string(function_name(t.lut.function())));
    json::Value range = json::Value::array();
    range.push_back(t.lut.range_min());
    range.push_back(t.lut.range_max());
    entry.set("range", range);
    entry.set("index_bits", t.lut.index_bits());
    entry.set("out_scale", t.lut.out_scale());
    entry.set("base", table_array(t.lut.base_table()));
    entry.set("dual", table_array(t.lut.dual_table()));
    tables.push_back(entry);
  }
  return json::write(root);
}

TableSet TableSet::from_json(const std::string& text, const std::string& source_name) {
  const json::Value root = json::parse(text, source_name);
  const json::Reader reader(root, source_name);
  reader.reject_unknown({"format", "version", "model", "tables"});
  if (reader.string("format") != kFormatName) {
    reader.fail(reader.require("format"), std::string("not a table set (format must be '") + kFormatName + "')");
  }
  const int64_t version = reader.integer("version", 1, 1000000);
  if (version != kFormatVersion) {
    reader.fail(reader.require("version"), "table set version " + std::to_string(version) +
                                               " is not supported (this npusim reads version " +
                                               std::to_string(kFormatVersion) + ")");
  }
  TableSet set(reader.string("model"));
  for (const auto& item : reader.array("tables")) {
    const json::Reader table(item, source_name);
    table.reject_unknown({"layer", "function", "range", "index_bits", "out_scale", "base", "dual"});
    const std::string layer = table.string("layer");
    const auto& range = table.array("range");
    if (range.size() != 2) table.fail(table.require("range"), "'range' must be [min, max]");
    try {
      BespokeLut lut = BespokeLut::from_tables(
          parse_function(table.string("function")), table.number_of(range[0], "range min"),
          table.number_of(range[1], "range max"), static_cast<int>(table.integer("index_bits", 0, 64)),
          table.number("out_scale"), read_table(table, "base"), read_table(table, "dual"));
      set.add(layer, std::move(lut));
    } catch (const Error& e) {
      // Errors from the table builder carry no position: point them at the table.
      const std::string message = e.what();
      if (message.rfind(source_name + ":", 0) == 0) throw;
      table.fail(item, "table '" + layer + "': " + message);
    }
  }
  return set;
}

void TableSet::save(const std::string& path) const { write_file_atomically(path, to_json()); }

TableSet TableSet::load(const std::string& path) { return from_json(read_file(path, read_limits::table_set), path); }

bool TableSet::operator==(const TableSet& other) const {
  if (model_ != other.model_ || tables_.size() != other.tables_.size()) return false;
  for (size_t i = 0; i < tables_.size(); ++i) {
    if (tables_[i].layer != other.tables_[i].layer || !(tables_[i].lut == other.tables_[i].lut)) return false;
  }
  return true;
}

}  // namespace npusim
