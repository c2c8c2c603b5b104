// All per-layer LUTs of a model, saved to and loaded from one versioned JSON file.
#pragma once

#include <string>
#include <vector>

#include "models/lut/bespoke_lut.hpp"

namespace npusim {

struct LayerTable {
  std::string layer;  // layer path, e.g. "blocks.3.attn.softmax.exp"
  BespokeLut lut;
};

class TableSet {
 public:
  static constexpr int kFormatVersion = 1;

  explicit TableSet(std::string model = "") : model_(std::move(model)) {}

  // Throws for an empty or duplicate layer name.
  void add(std::string layer, BespokeLut lut);

  const std::string& model() const { return model_; }
  const std::vector<LayerTable>& tables() const { return tables_; }
  const BespokeLut* find(const std::string& layer) const;

  size_t dual_table_count() const;
  size_t total_bytes() const;  // base tables plus dual-range tables

  std::string to_json() const;
  static TableSet from_json(const std::string& text, const std::string& source_name);

  void save(const std::string& path) const;  // atomic
  static TableSet load(const std::string& path);

  bool operator==(const TableSet& other) const;

 private:
  std::string model_;
  std::vector<LayerTable> tables_;
};

}  // namespace npusim
