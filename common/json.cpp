#include "common/json.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <set>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/did_you_mean.hpp"

namespace npusim::json {

Value& Value::push_back(Value v) {
  items_.push_back(std::move(v));
  return items_.back();
}

Value& Value::set(const std::string& key, Value v) {
  for (auto& member : members_) {
    if (member.first == key) {
      member.second = std::move(v);
      return member.second;
    }
  }
  members_.emplace_back(key, std::move(v));
  return members_.back().second;
}

const Value* Value::find(const std::string& key) const {
  for (const auto& member : members_) {
    if (member.first == key) return &member.second;
  }
  return nullptr;
}

// ---------------------------------------------------------------- writing

namespace {

// Whole numbers are written as integers (no ".0", no exponent); the rest in nlohmann's round-trip form.
nlohmann::ordered_json to_nlohmann(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::null: return nullptr;
    case Value::Kind::boolean: return v.as_bool();
    case Value::Kind::number: {
      const double d = v.as_number();
      if (!std::isfinite(d)) return nullptr;  // JSON has no NaN or infinity
      constexpr double kTwoTo63 = 9223372036854775808.0;
      if (d == std::floor(d) && d >= -kTwoTo63 && d < kTwoTo63) return static_cast<int64_t>(d);
      return d;
    }
    case Value::Kind::string: return v.as_string();
    case Value::Kind::array: {
      nlohmann::ordered_json array = nlohmann::ordered_json::array();
      for (const auto& item : v.items()) array.push_back(to_nlohmann(item));
      return array;
    }
    case Value::Kind::object: {
      nlohmann::ordered_json object = nlohmann::ordered_json::object();
      for (const auto& [key, member] : v.members()) object[key] = to_nlohmann(member);
      return object;
    }
  }
  return nullptr;
}

}  // namespace

std::string write(const Value& value) {
  // Bytes that are not UTF-8 (a path from a Latin-1 file system, say) become U+FFFD, so what is written
  // always reads back.
  return to_nlohmann(value).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + '\n';
}

// ---------------------------------------------------------------- parsing

namespace {

constexpr int kMaxDepth = 256;

// The byte iterator nlohmann's parser reads through: it remembers how far the parser has read, which
// gives each SAX event its place in the text (nlohmann 3.11 keeps no positions per value).
class TrackedChar {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackedChar(const char* at, const char** furthest) : at_(at), furthest_(furthest) {}
  reference operator*() const { return *at_; }
  TrackedChar& operator++() {
    ++at_;
    if (at_ > *furthest_) *furthest_ = at_;
    return *this;
  }
  TrackedChar operator++(int) {
    TrackedChar before = *this;
    ++*this;
    return before;
  }
  bool operator==(const TrackedChar& other) const { return at_ == other.at_; }
  bool operator!=(const TrackedChar& other) const { return at_ != other.at_; }

 private:
  const char* at_;
  const char** furthest_;
};

}  // namespace

// Builds json::Value from nlohmann's SAX events, giving each value the line and column of its first byte.
class ValueBuilder {
 public:
  using json_type = nlohmann::ordered_json;
  using number_integer_t = json_type::number_integer_t;
  using number_unsigned_t = json_type::number_unsigned_t;
  using number_float_t = json_type::number_float_t;
  using string_t = json_type::string_t;
  using binary_t = json_type::binary_t;

  ValueBuilder(const std::string& text, const std::string& source) : text_(text), source_(source), read_end_(text.data()) {}

  const char** read_end() { return &read_end_; }
  Value take_root() { return std::move(root_); }

  bool null() { return add(Value()); }
  bool boolean(bool b) { return add(Value(b)); }
  bool number_integer(number_integer_t i) { return add(Value(static_cast<double>(i))); }
  bool number_unsigned(number_unsigned_t u) { return add(Value(static_cast<double>(u))); }
  bool number_float(number_float_t d, const string_t& /*text*/) { return add(Value(d)); }
  bool string(string_t& s) { return add(Value(std::move(s))); }
  bool binary(binary_t& /*bytes*/) { return false; }  // not produced by the JSON text parser

  bool start_object(std::size_t /*elements*/) {
    open_.push_back({&add_container(Value::object()), {}});
    return true;
  }
  bool start_array(std::size_t /*elements*/) {
    open_.push_back({&add_container(Value::array()), {}});
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(string_t& key) {
    const size_t at = token_start();
    consumed();
    if (!open_.back().keys.insert(key).second) fail(at, "duplicate member '" + key + "'");
    key_ = std::move(key);
    return true;
  }

  bool parse_error(std::size_t position, const std::string& /*last_token*/, const nlohmann::detail::exception& e) {
    // nlohmann's position counts the bytes read, the offending one included (or one past the end).
    size_t at = position > 0 ? position - 1 : 0;
    if (e.id == 406) at = token_start();  // a number too large for a double: point at the number
    fail(at, message_of(e));
  }

 private:
  struct Open {
    Value* container;
    std::set<std::string> keys;  // of an object, to refuse duplicates
  };

  static bool is_space_or_separator(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ':'; }

  // The first byte of the token the event is about: the parser reads no further than the end of that
  // token (one byte more for a number), so the token starts at the first byte after the previous
  // event's that is neither white space nor a separator.
  size_t token_start() const {
    size_t at = scanned_;
    while (at < text_.size() && is_space_or_separator(text_[at])) ++at;
    return at;
  }
  void consumed() { scanned_ = static_cast<size_t>(read_end_ - text_.data()); }

  Value& add_container(Value v) {
    const size_t at = token_start();
    consumed();
    return place(std::move(v), at);
  }
  bool add(Value v) {
    const size_t at = token_start();
    consumed();
    place(std::move(v), at);
    return true;
  }
  bool close() {
    consumed();
    open_.pop_back();
    return true;
  }

  Value& place(Value v, size_t at) {
    if (static_cast<int>(open_.size()) > kMaxDepth) fail(at, "nesting deeper than " + std::to_string(kMaxDepth) + " levels");
    const auto [line, column] = line_and_column(at);
    v.set_position(line, column);
    if (open_.empty()) {
      root_ = std::move(v);
      return root_;
    }
    Value& parent = *open_.back().container;
    if (parent.kind() == Value::Kind::array) return parent.push_back(std::move(v));
    parent.members_.emplace_back(std::move(key_), std::move(v));  // duplicates were refused in key()
    return parent.members_.back().second;
  }

  // Events come in text order, so lines are counted once, up to the latest position asked for.
  std::pair<int, int> line_and_column(size_t at) {
    if (at < counted_) {
      counted_ = 0;
      line_ = 1;
      line_start_ = 0;
    }
    for (const size_t end = std::min(at, text_.size()); counted_ < end; ++counted_) {
      if (text_[counted_] == '\n') {
        ++line_;
        line_start_ = counted_ + 1;
      }
    }
    return {line_, static_cast<int>(at - line_start_) + 1};
  }

  // nlohmann's text without its "[json.exception...] parse error at line L, column C: " prefix, which
  // repeats what the file:line:column in front says.
  static std::string message_of(const nlohmann::detail::exception& e) {
    std::string message = e.what();
    const size_t bracket = message.find("] ");
    if (message.rfind("[json.exception.", 0) == 0 && bracket != std::string::npos) message.erase(0, bracket + 2);
    if (message.rfind("parse error", 0) == 0) {
      const size_t colon = message.find(": ");
      if (colon != std::string::npos) message.erase(0, colon + 2);
    }
    return message;
  }

  [[noreturn]] void fail(size_t at, const std::string& message) {
    const auto [line, column] = line_and_column(at);
    throw error_at(source_, line, column, message);
  }

  const std::string& text_;
  const std::string& source_;
  const char* read_end_;  // how far nlohmann's parser has read
  size_t scanned_ = 0;    // where the text after the previous event begins
  size_t counted_ = 0;    // lines are counted up to here
  int line_ = 1;
  size_t line_start_ = 0;
  Value root_;
  std::vector<Open> open_;
  std::string key_;
};

Value parse(const std::string& text, const std::string& source_name) {
  ValueBuilder builder(text, source_name);
  const char* first = text.data();
  nlohmann::ordered_json::sax_parse(TrackedChar(first, builder.read_end()), TrackedChar(first + text.size(), builder.read_end()),
                                    &builder);
  return builder.take_root();
}

Value from_nlohmann(const nlohmann::ordered_json& document) {
  using Type = nlohmann::ordered_json::value_t;
  switch (document.type()) {
    case Type::null: return Value();
    case Type::boolean: return Value(document.get<bool>());
    case Type::number_integer: return Value(document.get<int64_t>());
    case Type::number_unsigned: return Value(document.get<uint64_t>());
    case Type::number_float: return Value(document.get<double>());
    case Type::string: return Value(document.get<std::string>());
    case Type::array: {
      Value array = Value::array();
      for (const auto& item : document) array.push_back(from_nlohmann(item));
      return array;
    }
    case Type::object: {
      Value object = Value::object();
      for (const auto& [key, value] : document.items()) object.set(key, from_nlohmann(value));
      return object;
    }
    case Type::binary:
    case Type::discarded: break;
  }
  throw Error("json: a binary or discarded value has no JSON text");
}

// ---------------------------------------------------------------- checked reading

Reader::Reader(const Value& object, std::string source_name) : object_(object), source_name_(std::move(source_name)) {
  if (object.kind() != Value::Kind::object) fail(object, "expected a JSON object");
}

void Reader::fail(const Value& at, const std::string& message) const {
  throw error_at(source_name_, at.line(), at.column(), message);
}

void Reader::reject_unknown(const std::vector<std::string>& allowed) const {
  for (const auto& [key, value] : object_.members()) {
    bool known = false;
    for (const auto& a : allowed) known = known || a == key;
    if (!known) fail(value, "unknown key '" + key + "'" + did_you_mean(key, allowed));
  }
}

const Value& Reader::require(const std::string& key) const {
  const Value* v = object_.find(key);
  if (v == nullptr) fail(object_, "missing key '" + key + "'");
  return *v;
}

std::string Reader::string(const std::string& key) const { return string_of(require(key), "'" + key + "'"); }
double Reader::number(const std::string& key) const { return number_of(require(key), "'" + key + "'"); }
int64_t Reader::integer(const std::string& key, int64_t min, int64_t max) const {
  return integer_of(require(key), "'" + key + "'", min, max);
}
bool Reader::boolean(const std::string& key) const {
  const Value& v = require(key);
  if (v.kind() != Value::Kind::boolean) fail(v, "'" + key + "' must be true or false");
  return v.as_bool();
}
const std::vector<Value>& Reader::array(const std::string& key) const {
  const Value& v = require(key);
  if (v.kind() != Value::Kind::array) fail(v, "'" + key + "' must be an array");
  return v.items();
}

double Reader::number_of(const Value& v, const std::string& what) const {
  if (v.kind() != Value::Kind::number) fail(v, what + " must be a number");
  return v.as_number();
}

int64_t Reader::integer_of(const Value& v, const std::string& what, int64_t min, int64_t max) const {
  const double d = number_of(v, what);
  if (d != std::floor(d)) fail(v, what + " must be a whole number");
  if (d < static_cast<double>(min) || d > static_cast<double>(max)) {
    fail(v, what + " must be in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return static_cast<int64_t>(d);
}

const std::string& Reader::string_of(const Value& v, const std::string& what) const {
  if (v.kind() != Value::Kind::string) fail(v, what + " must be a string");
  return v.as_string();
}

}  // namespace npusim::json
