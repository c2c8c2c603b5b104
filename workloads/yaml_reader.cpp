#include "workloads/yaml_reader.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "models/error.hpp"
#include "models/io/did_you_mean.hpp"

namespace npusim::workloads {

YamlFile::YamlFile(const std::string& text, std::string source_name) : source_name_(std::move(source_name)) {
  try {
    root_ = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw error_at(source_name_, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
}

void YamlFile::fail(const YAML::Node& at, const std::string& message) const {
  const YAML::Mark mark = at.Mark();
  const int line = mark.line >= 0 ? mark.line + 1 : 1;
  const int column = mark.column >= 0 ? mark.column + 1 : 1;
  throw error_at(source_name_, line, column, message);
}

void YamlFile::expect_map(const YAML::Node& node, const std::string& what) const {
  if (!node.IsMap()) fail(node, what + " must be a map of keys");
}

void YamlFile::expect_sequence(const YAML::Node& node, const std::string& what) const {
  if (!node.IsSequence()) fail(node, what + " must be a list");
}

void YamlFile::reject_unknown(const YAML::Node& map, const std::vector<std::string>& allowed) const {
  for (const auto& item : map) {
    const std::string key = item.first.IsScalar() ? item.first.Scalar() : std::string();
    bool known = false;
    for (const auto& a : allowed) known = known || a == key;
    if (!known) fail(item.first, "unknown key '" + key + "'" + did_you_mean(key, allowed));
  }
}

YAML::Node YamlFile::require(const YAML::Node& map, const std::string& key) const {
  const YAML::Node value = map[key];
  if (!value.IsDefined() || value.IsNull()) fail(map, "missing key '" + key + "'");
  return value;
}

std::string YamlFile::string(const YAML::Node& node, const std::string& what) const {
  if (!node.IsScalar()) fail(node, what + " must be a single value");
  return node.Scalar();
}

double YamlFile::number(const YAML::Node& node, const std::string& what) const {
  const std::string text = string(node, what);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v)) {
    fail(node, what + " must be a finite number, got '" + text + "'");
  }
  return v;
}

int64_t YamlFile::integer(const YAML::Node& node, const std::string& what, int64_t min, int64_t max) const {
  const std::string text = string(node, what);
  int64_t v = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size()) {
    fail(node, what + " must be a whole number, got '" + text + "'");
  }
  if (v < min || v > max) {
    fail(node, what + " must be in " + std::to_string(min) + ".." + std::to_string(max) + ", got " + text);
  }
  return v;
}

std::vector<int64_t> YamlFile::integers(const YAML::Node& node, const std::string& what, int64_t min, int64_t max) const {
  expect_sequence(node, what);
  std::vector<int64_t> values;
  for (const auto& item : node) values.push_back(integer(item, what + " entries", min, max));
  return values;
}

}  // namespace npusim::workloads
