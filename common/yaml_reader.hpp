// Strict reading of untrusted YAML files (hardware configs, traces, calibration files, sweep specs): every
// error names file:line:column, unknown keys get a did-you-mean, types and ranges are checked.
//
// yaml-cpp silently keeps one of two equal keys in a map and expands aliases (a few lines of anchors
// and aliases can stand for an exponential number of nodes), so before the tree is built a pass over
// the parser's events rejects duplicate keys (naming both positions), aliases and a second document.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <vector>

namespace npusim::workloads {

class YamlFile {
 public:
  // Parses `text`; a syntax error, a duplicate key, an alias or a second document throws npusim::Error
  // at its position.
  YamlFile(const std::string& text, std::string source_name);

  const YAML::Node& root() const { return root_; }
  const std::string& source_name() const { return source_name_; }
  // True when the file holds nothing but whitespace and comments (or an explicit null).
  bool empty() const { return !root_.IsDefined() || root_.IsNull(); }

  [[noreturn]] void fail(const YAML::Node& at, const std::string& message) const;

  void expect_map(const YAML::Node& node, const std::string& what) const;
  void expect_sequence(const YAML::Node& node, const std::string& what) const;
  // Rejects keys of `map` not in `allowed`, pointing at the key.
  void reject_unknown(const YAML::Node& map, const std::vector<std::string>& allowed) const;
  YAML::Node require(const YAML::Node& map, const std::string& key) const;

  std::string string(const YAML::Node& node, const std::string& what) const;
  double number(const YAML::Node& node, const std::string& what) const;  // finite
  int64_t integer(const YAML::Node& node, const std::string& what, int64_t min, int64_t max) const;
  std::vector<int64_t> integers(const YAML::Node& node, const std::string& what, int64_t min, int64_t max) const;

 private:
  std::string source_name_;
  YAML::Node root_;
};

// "line L, column C" of a node, for messages that point back at an earlier place in the same file.
std::string position_text(const YAML::Node& node);

}  // namespace npusim::workloads
