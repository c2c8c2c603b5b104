// libFuzzer's entry point, compiled once per harness with -DNPUSIM_FUZZ_HARNESS=<harness function>.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/harnesses.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  npusim::fuzz::NPUSIM_FUZZ_HARNESS(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
