// Area proxy of an RTL unit: Yosys synthesis to its generic gate library, cells counted by type and
// weighted in NAND2 equivalents (a technology-independent estimate).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace npusim::cli {

struct AreaEstimate {
  std::string unit;
  int64_t cells = 0;
  int64_t flip_flops = 0;
  double nand2_equivalents = 0.0;
  std::map<std::string, int64_t> cells_by_type;
};

// Parses the last "Printing statistics" section of a Yosys log; throws npusim::Error when absent.
AreaEstimate parse_yosys_stat(const std::string& log_text, const std::string& unit);

// The NAND2-equivalent weight of a Yosys generic cell type ($_AND_, $_DFFE_PP_, ...).
double nand2_weight(const std::string& cell_type);

// The synthesis step a line of Yosys's log starts ("3.4. Executing PROC pass." -> "PROC"), or "" when
// the line starts none: the second-level steps of `synth` (the first level is the script's commands).
std::string synthesis_step(const std::string& yosys_line);

// Synthesises `top` from `sources` with `parameters` (name=value) in a temporary folder; throws
// npusim::Error when yosys is missing or fails. `on_step` hears of each synthesis step as it starts.
AreaEstimate synthesize_area(const std::string& unit, const std::vector<std::string>& sources, const std::string& top,
                             const std::vector<std::pair<std::string, int>>& parameters,
                             const std::function<void(const std::string& step)>& on_step = {});

}  // namespace npusim::cli
