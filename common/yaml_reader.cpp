#include "common/yaml_reader.hpp"

#include <yaml-cpp/eventhandler.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <unordered_map>

#include "common/error.hpp"
#include "common/did_you_mean.hpp"

namespace npusim::workloads {

namespace {

int line_of(const YAML::Mark& mark) { return mark.line >= 0 ? mark.line + 1 : 1; }
int column_of(const YAML::Mark& mark) { return mark.column >= 0 ? mark.column + 1 : 1; }

// Walks the parser's events (no tree), rejecting what the tree would hide: a key given twice in one
// map, aliases, a second document.
class StrictnessCheck : public YAML::EventHandler {
 public:
  explicit StrictnessCheck(const std::string& source) : source_(source) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) throw error_at(source_, line_of(mark), column_of(mark), "a second YAML document is not accepted here");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { node(mark, true, "~"); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    throw error_at(source_, line_of(mark), column_of(mark), "aliases (*name) are not accepted: write the value out");
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string& value) override {
    node(mark, true, value);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(mark, false, "");
    frames_.push_back({false, false, {}});
  }
  void OnSequenceEnd() override { frames_.pop_back(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    node(mark, false, "");
    frames_.push_back({true, true, {}});
  }
  void OnMapEnd() override { frames_.pop_back(); }

 private:
  struct Frame {
    bool map;
    bool expect_key;
    std::unordered_map<std::string, YAML::Mark> keys;
  };

  // Every node starts here; inside a map nodes alternate between keys and values.
  void node(const YAML::Mark& mark, bool scalar, const std::string& value) {
    if (frames_.empty() || !frames_.back().map) return;
    Frame& map = frames_.back();
    const bool is_key = map.expect_key;
    map.expect_key = !map.expect_key;
    if (!is_key || !scalar) return;
    const auto [it, inserted] = map.keys.emplace(value, mark);
    if (!inserted) {
      throw error_at(source_, line_of(mark), column_of(mark),
                     "duplicate key '" + value + "' (first given at line " + std::to_string(line_of(it->second)) +
                         ", column " + std::to_string(column_of(it->second)) + ")");
    }
  }

  const std::string& source_;
  int documents_ = 0;
  std::vector<Frame> frames_;
};

}  // namespace

YamlFile::YamlFile(const std::string& text, std::string source_name) : source_name_(std::move(source_name)) {
  try {
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    StrictnessCheck check(source_name_);
    while (parser.HandleNextDocument(check)) {
    }
    root_ = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw error_at(source_name_, line_of(e.mark), column_of(e.mark), e.msg);
  }
}

std::string position_text(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return "line " + std::to_string(line_of(mark)) + ", column " + std::to_string(column_of(mark));
}

void YamlFile::fail(const YAML::Node& at, const std::string& message) const {
  const YAML::Mark mark = at.Mark();
  throw error_at(source_name_, line_of(mark), column_of(mark), message);
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
