// The total latency in ms of one `npusim run`, read from its JSON report.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "common/atomic_file.hpp"
#include "common/json.hpp"
#include "tests/cli_runner.hpp"

namespace npusim::testing {

// -1 (and a test failure) when the run fails.
inline double run_total_ms(const std::string& args) {
  const std::string dir = make_temp_dir("npusim_run_total");
  const auto r = run_npusim("run --no-defaults-note " + args + " --json " + dir + "/r.json");
  EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  if (r.exit_code != 0) return -1;
  const json::Value report = json::parse(read_file(dir + "/r.json"), "r.json");
  std::filesystem::remove_all(dir);
  return report.find("summary")->find("total_ms")->as_number();
}

}  // namespace npusim::testing
