#include "report/text_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace npusim::cli {

std::string TextTable::render(const std::string& indent) const {
  std::vector<size_t> widths(header_.size(), 0);
  for (size_t c = 0; c < header_.size(); ++c) widths[c] = header_[c].size();
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  const auto line = [&](const std::vector<std::string>& cells) {
    std::string out = indent;
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string cell = c < cells.size() ? cells[c] : "";
      out += cell;
      if (c + 1 < widths.size()) out += std::string(widths[c] - cell.size() + 2, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(header_);
  size_t total = 0;
  for (const size_t w : widths) total += w + 2;
  out += indent + std::string(total > 2 ? total - 2 : 0, '-') + "\n";
  for (const auto& row : rows_) out += line(row);
  return out;
}

std::string format_number(double v, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
  return buffer;
}

std::string format_error(double v) {
  if (v == 0.0) return "0";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.3e", v);
  return buffer;
}

std::string format_range(double min, double max) {
  return "[" + format_number(min, 6) + ", " + format_number(max, 6) + "]";
}

}  // namespace npusim::cli
