// Column-aligned plain-text tables for terminal reports.
#pragma once

#include <string>
#include <vector>

namespace npusim::cli {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void add_row(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // Columns padded to their widest cell, two spaces apart, a rule under the header.
  std::string render(const std::string& indent = "  ") const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Fixed or scientific notation with `digits` significant digits, whichever reads better.
std::string format_number(double v, int digits = 4);
// "1.2345e-05" style for errors; "0" for zero.
std::string format_error(double v);
std::string format_range(double min, double max);

}  // namespace npusim::cli
