// The traces under workloads/traces are what the generators produce today, and read back cleanly.
#include <gtest/gtest.h>

#include "common/atomic_file.hpp"
#include "workloads/model_zoo.hpp"
#include "workloads/trace_yaml.hpp"

namespace npusim::workloads {
namespace {

TEST(CheckedInTraces, MatchTheGeneratorsAndParse) {
  for (const auto& model : zoo_model_names()) {
    for (const bool whole : {false, true}) {
      const std::string path = std::string(NPUSIM_SOURCE_DIR) + "/workloads/traces/" + model + (whole ? "_full" : "_block") + ".yaml";
      SCOPED_TRACE(path);
      ZooOptions options;
      options.full = whole;
      const std::string text = read_file(path);
      EXPECT_EQ(text, trace_to_yaml(generate_model(model, options)))
          << "regenerate with: npusim trace --model " << model << (whole ? " --full" : "") << " -o " << path;
      EXPECT_EQ(trace_to_yaml(parse_trace(text, path)), text);
    }
  }
}

}  // namespace
}  // namespace npusim::workloads
