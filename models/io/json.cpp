#include "models/io/json.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "models/error.hpp"
#include "models/io/did_you_mean.hpp"

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

void write_string(const std::string& s, std::string& out) {
  out += '"';
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          out += buffer;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void write_number(double d, std::string& out) {
  if (!std::isfinite(d)) {  // JSON has no NaN or infinity
    out += "null";
    return;
  }
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, d);
  out.append(buffer, result.ptr);
}

bool is_flat_number_array(const Value& v) {
  for (const auto& item : v.items()) {
    if (item.kind() != Value::Kind::number) return false;
  }
  return true;
}

void write_value(const Value& v, int indent, std::string& out) {
  const std::string pad(static_cast<size_t>(indent) * 2, ' ');
  const std::string inner_pad(static_cast<size_t>(indent + 1) * 2, ' ');
  switch (v.kind()) {
    case Value::Kind::null: out += "null"; break;
    case Value::Kind::boolean: out += v.as_bool() ? "true" : "false"; break;
    case Value::Kind::number: write_number(v.as_number(), out); break;
    case Value::Kind::string: write_string(v.as_string(), out); break;
    case Value::Kind::array:
      if (v.items().empty()) {
        out += "[]";
      } else if (is_flat_number_array(v)) {
        out += '[';
        for (size_t i = 0; i < v.items().size(); ++i) {
          if (i > 0) out += ", ";
          write_number(v.items()[i].as_number(), out);
        }
        out += ']';
      } else {
        out += "[\n";
        for (size_t i = 0; i < v.items().size(); ++i) {
          out += inner_pad;
          write_value(v.items()[i], indent + 1, out);
          out += i + 1 < v.items().size() ? ",\n" : "\n";
        }
        out += pad + "]";
      }
      break;
    case Value::Kind::object:
      if (v.members().empty()) {
        out += "{}";
        break;
      }
      out += "{\n";
      for (size_t i = 0; i < v.members().size(); ++i) {
        out += inner_pad;
        write_string(v.members()[i].first, out);
        out += ": ";
        write_value(v.members()[i].second, indent + 1, out);
        out += i + 1 < v.members().size() ? ",\n" : "\n";
      }
      out += pad + "}";
      break;
  }
}

}  // namespace

std::string write(const Value& value) {
  std::string out;
  write_value(value, 0, out);
  out += '\n';
  return out;
}

// ---------------------------------------------------------------- parsing

namespace {

class Parser {
 public:
  Parser(const std::string& text, const std::string& source) : text_(text), source_(source) {}

  Value parse_document() {
    skip_space();
    Value v = parse_value(0);
    skip_space();
    if (pos_ < text_.size()) fail("unexpected text after the JSON value");
    return v;
  }

 private:
  static constexpr int kMaxDepth = 256;

  [[noreturn]] void fail(const std::string& message) const { throw error_at(source_, line_, column_, message); }

  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }
  void skip_space() {
    while (pos_ < text_.size() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) advance();
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    advance();
  }

  Value parse_value(int depth) {
    if (depth > kMaxDepth) fail("nesting deeper than 256 levels");
    const int line = line_, column = column_;
    Value v;
    if (pos_ >= text_.size()) fail("unexpected end of file");
    const char c = peek();
    if (c == '{') {
      v = parse_object(depth);
    } else if (c == '[') {
      v = parse_array(depth);
    } else if (c == '"') {
      v = Value(parse_string());
    } else if (c == 't' || c == 'f' || c == 'n') {
      v = parse_literal();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      v = parse_number();
    } else {
      fail(std::string("unexpected character '") + c + "'");
    }
    v.set_position(line, column);
    return v;
  }

  Value parse_object(int depth) {
    Value v = Value::object();
    expect('{');
    skip_space();
    if (peek() == '}') {
      advance();
      return v;
    }
    while (true) {
      skip_space();
      if (peek() != '"') fail("expected a quoted member name");
      const int line = line_, column = column_;
      std::string key = parse_string();
      if (v.find(key) != nullptr) throw error_at(source_, line, column, "duplicate member '" + key + "'");
      skip_space();
      expect(':');
      skip_space();
      v.set(key, parse_value(depth + 1));
      skip_space();
      if (peek() == ',') {
        advance();
        continue;
      }
      expect('}');
      return v;
    }
  }

  Value parse_array(int depth) {
    Value v = Value::array();
    expect('[');
    skip_space();
    if (peek() == ']') {
      advance();
      return v;
    }
    while (true) {
      skip_space();
      v.push_back(parse_value(depth + 1));
      skip_space();
      if (peek() == ',') {
        advance();
        continue;
      }
      expect(']');
      return v;
    }
  }

  std::string parse_string() {
    expect('"');
    std::string s;
    while (true) {
      if (pos_ >= text_.size()) fail("unterminated string");
      const char c = peek();
      if (c == '"') {
        advance();
        return s;
      }
      if (static_cast<unsigned char>(c) < 0x20) fail("control character inside a string");
      if (c != '\\') {
        s += c;
        advance();
        continue;
      }
      advance();
      const char e = peek();
      switch (e) {
        case '"': s += '"'; break;
        case '\\': s += '\\'; break;
        case '/': s += '/'; break;
        case 'b': s += '\b'; break;
        case 'f': s += '\f'; break;
        case 'n': s += '\n'; break;
        case 'r': s += '\r'; break;
        case 't': s += '\t'; break;
        case 'u': {
          unsigned code = 0;
          for (int i = 0; i < 4; ++i) {
            advance();
            const char h = peek();
            code <<= 4;
            if (h >= '0' && h <= '9') code |= static_cast<unsigned>(h - '0');
            else if (h >= 'a' && h <= 'f') code |= static_cast<unsigned>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') code |= static_cast<unsigned>(h - 'A' + 10);
            else fail("bad \\u escape");
          }
          append_utf8(code, s);
          break;
        }
        default: fail("bad escape in string");
      }
      advance();
    }
  }

  static void append_utf8(unsigned code, std::string& s) {
    if (code < 0x80) {
      s += static_cast<char>(code);
    } else if (code < 0x800) {
      s += static_cast<char>(0xC0 | (code >> 6));
      s += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      s += static_cast<char>(0xE0 | (code >> 12));
      s += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  Value parse_literal() {
    for (const char* word : {"true", "false", "null"}) {
      const std::string w(word);
      if (text_.compare(pos_, w.size(), w) == 0) {
        for (size_t i = 0; i < w.size(); ++i) advance();
        if (w == "true") return Value(true);
        if (w == "false") return Value(false);
        return Value();
      }
    }
    fail("unknown literal");
  }

  Value parse_number() {
    const size_t start = pos_;
    const int line = line_, column = column_;
    if (peek() == '-') advance();
    while (pos_ < text_.size()) {
      const char c = peek();
      if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        advance();
      } else {
        break;
      }
    }
    double d = 0.0;
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    const auto result = std::from_chars(first, last, d);
    if (result.ec != std::errc() || result.ptr != last) throw error_at(source_, line, column, "malformed number");
    return Value(d);
  }

  const std::string& text_;
  const std::string& source_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

Value parse(const std::string& text, const std::string& source_name) {
  return Parser(text, source_name).parse_document();
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
