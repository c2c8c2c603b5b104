// npusim with no arguments: the paper's comparison - one ViT-Base block on the paper NPU at 3 GB/s,
// non-linear ops on the DSP and on the Bespoke LUT unit side by side.
#include "tools/commands.hpp"

namespace npusim::cli {

int run_default_command(const std::vector<std::string>&) {
  return run_run_command({"--model", "vit_base", "--engines", "dsp,lut"});
}

}  // namespace npusim::cli
