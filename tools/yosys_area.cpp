#include "tools/yosys_area.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>
#include <unistd.h>

#include "common/error.hpp"
#include "common/atomic_file.hpp"

namespace npusim::cli {

double nand2_weight(const std::string& type) {
  // Typical standard-cell areas relative to a 2-input NAND.
  if (type.rfind("$_DFF", 0) == 0 || type.rfind("$_SDFF", 0) == 0 || type.rfind("$_DLATCH", 0) == 0) {
    const bool plain = type == "$_DFF_P_" || type == "$_DFF_N_";
    return plain ? 4.5 : 5.5;  // enables and resets add a gate in front
  }
  static const std::map<std::string, double> weights = {
      {"$_NOT_", 0.67},   {"$_BUF_", 1.0},    {"$_NAND_", 1.0},  {"$_NOR_", 1.0},  {"$_AND_", 1.33},
      {"$_OR_", 1.33},    {"$_ANDNOT_", 1.33}, {"$_ORNOT_", 1.33}, {"$_XOR_", 2.33}, {"$_XNOR_", 2.33},
      {"$_MUX_", 2.33},   {"$_NMUX_", 2.0},   {"$_AOI3_", 1.33}, {"$_OAI3_", 1.33}, {"$_AOI4_", 1.67},
      {"$_OAI4_", 1.67}};
  const auto it = weights.find(type);
  return it != weights.end() ? it->second : 2.0;
}

AreaEstimate parse_yosys_stat(const std::string& log_text, const std::string& unit) {
  const size_t section = log_text.rfind("Printing statistics");
  if (section == std::string::npos) throw Error("yosys printed no statistics for " + unit);
  std::istringstream lines(log_text.substr(section));
  AreaEstimate a;
  a.unit = unit;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string first;
    words >> first;
    if (first == "Number") {
      std::string of, what;
      words >> of >> what;
      if (what == "cells:") words >> a.cells;
    } else if (first.rfind("$_", 0) == 0) {
      int64_t count = 0;
      words >> count;
      a.cells_by_type[first] += count;
      a.nand2_equivalents += nand2_weight(first) * static_cast<double>(count);
      if (first.find("DFF") != std::string::npos) a.flip_flops += count;
    }
  }
  if (a.cells == 0) throw Error("yosys statistics for " + unit + " list no cells");
  return a;
}

std::string synthesis_step(const std::string& line) {
  static const std::regex step(R"(^\d+\.\d+\. Executing (\S+) pass(?: \((.*)\))?\.?\s*$)");
  std::smatch match;
  if (!std::regex_match(line, match, step)) return "";
  return match[1].str() + (match[2].matched ? " (" + match[2].str() + ")" : "");
}

AreaEstimate synthesize_area(const std::string& unit, const std::vector<std::string>& sources, const std::string& top,
                             const std::vector<std::pair<std::string, int>>& parameters,
                             const std::function<void(const std::string& step)>& on_step) {
  char pattern[] = "/tmp/npusim_yosys_XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw Error("cannot create a temporary folder for yosys");
  const std::string dir = pattern;
  std::ostringstream script;
  for (const auto& s : sources) script << "read_verilog " << s << "\n";
  for (const auto& [name, value] : parameters) script << "chparam -set " << name << " " << value << " " << top << "\n";
  script << "synth -flatten -top " << top << "\nstat\n";
  write_file_atomically(dir + "/area.ys", script.str());
  // Yosys's log is followed as it is written, so each step can be announced when it starts.
  const std::string command = "yosys -s " + dir + "/area.ys -l " + dir + "/area.log 2>" + dir + "/stdout.txt";
  FILE* log = ::popen(command.c_str(), "r");
  if (log == nullptr) throw Error("cannot start yosys");
  char buffer[4096];
  std::string errors;
  while (std::fgets(buffer, sizeof buffer, log) != nullptr) {
    if (std::string(buffer).rfind("ERROR", 0) == 0) errors += buffer;
    const std::string step = on_step ? synthesis_step(buffer) : std::string();
    if (!step.empty()) on_step(step);
  }
  const int status = ::pclose(log);
  if (status != 0) {
    std::string details = errors;
    try {
      details += read_file(dir + "/stdout.txt");
    } catch (const Error&) {
    }
    std::filesystem::remove_all(dir);
    throw Error("yosys failed on " + unit + " (is it installed? tools/setup.sh installs it)" +
                (details.empty() ? "" : ": " + details.substr(0, 400)));
  }
  const AreaEstimate a = parse_yosys_stat(read_file(dir + "/area.log"), unit);
  std::filesystem::remove_all(dir);
  return a;
}

}  // namespace npusim::cli
