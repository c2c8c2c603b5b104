// A small JSON document model: enough to write manifests and reports and to read them back
// strictly (every value remembers its line and column for error messages). Parsing and writing are
// nlohmann-json's; this model adds the positions nlohmann 3.11 does not keep per value.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

namespace npusim::json {

class ValueBuilder;

class Value {
 public:
  enum class Kind { null, boolean, number, string, array, object };

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : kind_(Kind::boolean), boolean_(b) {}
  Value(double d) : kind_(Kind::number), number_(d) {}
  Value(int i) : Value(static_cast<double>(i)) {}
  Value(int64_t i) : Value(static_cast<double>(i)) {}
  Value(uint64_t i) : Value(static_cast<double>(i)) {}
  Value(const char* s) : kind_(Kind::string), string_(s) {}
  Value(std::string s) : kind_(Kind::string), string_(std::move(s)) {}

  static Value array() { Value v; v.kind_ = Kind::array; return v; }
  static Value object() { Value v; v.kind_ = Kind::object; return v; }

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::null; }
  int line() const { return line_; }
  int column() const { return column_; }
  void set_position(int line, int column) { line_ = line; column_ = column; }

  // Building.
  Value& push_back(Value v);                       // arrays
  Value& set(const std::string& key, Value v);     // objects; keeps insertion order

  // Reading (no type checks: use json::Reader for checked access to untrusted input).
  bool as_bool() const { return boolean_; }
  double as_number() const { return number_; }
  const std::string& as_string() const { return string_; }
  const std::vector<Value>& items() const { return items_; }
  const std::vector<std::pair<std::string, Value>>& members() const { return members_; }
  const Value* find(const std::string& key) const;

 private:
  friend class ValueBuilder;  // the parser appends members whose names it has already checked

  Kind kind_ = Kind::null;
  bool boolean_ = false;
  double number_ = 0.0;
  std::string string_;
  std::vector<Value> items_;
  std::vector<std::pair<std::string, Value>> members_;
  int line_ = 0;
  int column_ = 0;
};

// nlohmann's dump with two-space indentation, keys in insertion order; whole numbers as integers, other
// numbers in a form that reads back exactly; NaN and infinity as null.
std::string write(const Value& value);

// Parses `text` (RFC 8259, strictly: no comments, no duplicate member names, at most 256 levels deep);
// a syntax error throws npusim::Error "source:line:column: ...".
Value parse(const std::string& text, const std::string& source_name);

// The same document as nlohmann-json holds it (values get no position); what parse(dump) would give.
Value from_nlohmann(const nlohmann::ordered_json& document);

// Checked access to a parsed object from an untrusted file: every error names file:line:column.
class Reader {
 public:
  Reader(const Value& object, std::string source_name);

  // Rejects members not in `allowed` (with a did-you-mean). Call once after the fields are known.
  void reject_unknown(const std::vector<std::string>& allowed) const;

  const Value& require(const std::string& key) const;
  bool has(const std::string& key) const { return object_.find(key) != nullptr; }

  std::string string(const std::string& key) const;
  double number(const std::string& key) const;
  int64_t integer(const std::string& key, int64_t min, int64_t max) const;
  bool boolean(const std::string& key) const;
  const std::vector<Value>& array(const std::string& key) const;

  // Errors about any value of this file.
  [[noreturn]] void fail(const Value& at, const std::string& message) const;
  const std::string& source_name() const { return source_name_; }

  // Checked conversions of one value.
  double number_of(const Value& v, const std::string& what) const;
  int64_t integer_of(const Value& v, const std::string& what, int64_t min, int64_t max) const;
  const std::string& string_of(const Value& v, const std::string& what) const;

 private:
  const Value& object_;
  std::string source_name_;
};

}  // namespace npusim::json
