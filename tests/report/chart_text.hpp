// Reading a chart's SVG text in tests: fragments, their count, and every match of a pattern's group.
#pragma once

#include <regex>
#include <string>
#include <vector>

namespace npusim::testing {

inline bool contains(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

inline size_t count(const std::string& text, const std::string& fragment) {
  size_t n = 0;
  for (size_t at = text.find(fragment); at != std::string::npos; at = text.find(fragment, at + 1)) ++n;
  return n;
}

// Every match of `pattern`'s first group, in order.
inline std::vector<std::string> all_of(const std::string& text, const std::string& pattern) {
  std::vector<std::string> found;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) found.push_back((*it)[1]);
  return found;
}

}  // namespace npusim::testing
