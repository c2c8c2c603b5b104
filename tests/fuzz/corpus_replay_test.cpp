// The fuzz smoke run of the ordinary suite: every harness over its checked-in corpus and over the
// inputs fuzzing found (each kept as a regression input after its fix), under whatever sanitizers the
// build has. Long fuzzing runs use the libFuzzer binaries (docs/development.md, "Fuzzing").
#include <gtest/gtest.h>

#include <filesystem>

#include "common/atomic_file.hpp"
#include "tests/fuzz/harnesses.hpp"

namespace npusim::fuzz {
namespace {

class CorpusReplay : public ::testing::TestWithParam<Harness> {};

TEST_P(CorpusReplay, EveryInputEndsInAResultOrAClearError) {
  const Harness& harness = GetParam();
  int inputs = 0;
  for (const char* kind : {"corpus", "regressions"}) {
    const std::filesystem::path folder = std::filesystem::path(NPUSIM_SOURCE_DIR) / "tests" / "fuzz" / kind / harness.name;
    std::error_code code;
    if (!std::filesystem::is_directory(folder, code)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      if (!entry.is_regular_file()) continue;
      SCOPED_TRACE(entry.path().string());
      harness.run(read_file(entry.path().string()));
      ++inputs;
    }
  }
  EXPECT_GT(inputs, 0) << "no corpus for " << harness.name;
}

INSTANTIATE_TEST_SUITE_P(Readers, CorpusReplay, ::testing::ValuesIn(harnesses()),
                         [](const ::testing::TestParamInfo<Harness>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace npusim::fuzz
