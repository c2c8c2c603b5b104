#include "common/readmemh.hpp"

#include <cstdio>

#include "common/error.hpp"

namespace npusim {

std::string format_readmemh32(const std::vector<int32_t>& words) {
  std::string out;
  out.reserve(words.size() * 9);
  char buffer[12];
  for (const int32_t w : words) {
    std::snprintf(buffer, sizeof buffer, "%08x\n", static_cast<unsigned>(static_cast<uint32_t>(w)));
    out += buffer;
  }
  return out;
}

std::string format_readmemh(const std::vector<int16_t>& words) {
  std::string out;
  out.reserve(words.size() * 5);
  char buffer[8];
  for (const int16_t w : words) {
    std::snprintf(buffer, sizeof buffer, "%04x\n", static_cast<unsigned>(static_cast<uint16_t>(w)));
    out += buffer;
  }
  return out;
}

namespace {
int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::vector<uint32_t> parse_words(const std::string& text, const std::string& source_name, size_t max_digits, bool exact = false) {
  std::vector<uint32_t> words;
  int line = 1;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string content = text.substr(pos, end - pos);
    if (!content.empty() && content.back() == '\r') content.pop_back();
    const size_t comment = content.find("//");
    if (comment != std::string::npos) content.resize(comment);
    size_t first = content.find_first_not_of(" \t");
    if (first != std::string::npos) {
      size_t last = first;
      uint32_t value = 0;
      while (last < content.size() && content[last] != ' ' && content[last] != '\t') {
        const int digit = hex_digit(content[last]);
        if (digit < 0) {
          throw error_at(source_name, line, static_cast<int>(last) + 1,
                         std::string("'") + content[last] + "' is not a hex digit");
        }
        if (last - first >= max_digits) {
          throw error_at(source_name, line, static_cast<int>(first) + 1,
                         "more than " + std::to_string(max_digits) + " hex digits in a " + std::to_string(4 * max_digits) + "-bit word");
        }
        value = value * 16 + static_cast<uint32_t>(digit);
        ++last;
      }
      const size_t rest = content.find_first_not_of(" \t", last);
      if (rest != std::string::npos) {
        throw error_at(source_name, line, static_cast<int>(rest) + 1, "one word per line expected");
      }
      if (exact && last - first != max_digits) {
        throw error_at(source_name, line, static_cast<int>(first) + 1,
                       "a " + std::to_string(4 * max_digits) + "-bit word has " + std::to_string(max_digits) + " hex digits, this one has " +
                           std::to_string(last - first));
      }
      words.push_back(value);
    }
    pos = end + 1;
    ++line;
  }
  return words;
}

}  // namespace

std::vector<int16_t> parse_readmemh(const std::string& text, const std::string& source_name) {
  std::vector<int16_t> words;
  for (const uint32_t w : parse_words(text, source_name, 4)) words.push_back(static_cast<int16_t>(static_cast<uint16_t>(w)));
  return words;
}

std::vector<int32_t> parse_readmemh_exact(const std::string& text, const std::string& source_name, int word_bits) {
  if (word_bits != 16 && word_bits != 32) throw Error(source_name + ": words are 16 or 32 bits, not " + std::to_string(word_bits));
  std::vector<int32_t> words;
  for (const uint32_t w : parse_words(text, source_name, static_cast<size_t>(word_bits / 4), true)) {
    words.push_back(word_bits == 16 ? static_cast<int16_t>(static_cast<uint16_t>(w)) : static_cast<int32_t>(w));
  }
  return words;
}

std::vector<int32_t> parse_readmemh32(const std::string& text, const std::string& source_name) {
  std::vector<int32_t> words;
  for (const uint32_t w : parse_words(text, source_name, 8)) words.push_back(static_cast<int32_t>(w));
  return words;
}

}  // namespace npusim
