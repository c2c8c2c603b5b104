// npusim run --generate: both engines side by side with their speedups, the files of --out, and clear
// errors for bad token counts, a model that is not a decoder and options that do not apply.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/cli_runner.hpp"

namespace npusim::testing {
namespace {

TEST(NpusimRunGenerate, PrintsBothEnginesWithTheirSpeedupsAndWritesTheFiles) {
  const std::string dir = make_temp_dir("npusim_generate");
  const auto r = run_npusim("run --model tinyllama --generate 16,8 --engines dsp,lut --out " + dir + " --json " + dir + "/g.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* line : {"tinyllama generation: 16 prompt + 8 new tokens, 22 layers, KV cache int8 in pages of 64 tokens", "TTFT (ms)",
                           "TPOT mean (ms)", "tokens/s (decode)", "energy per token (mJ)", "KV reads", "lut over dsp: prefill ", "roofline"}) {
    EXPECT_TRUE(contains(r.out, line)) << line << "\n" << r.out;
  }
  for (const char* file : {"generation.json", "generation.csv", "generation.svg", "config.yaml", "g.json"}) {
    EXPECT_TRUE(std::filesystem::exists(dir + "/" + file)) << file;
  }
  const nlohmann::json j = nlohmann::json::parse(read_whole_file(dir + "/generation.json"));
  EXPECT_EQ(j.at("format"), "npusim-generation");
  ASSERT_EQ(j.at("runs").size(), 2u);
  EXPECT_EQ(j.at("runs")[1].at("engine"), "lut");
  // Contexts 17..23 lie in one page: one decode simulation per engine.
  EXPECT_EQ(j.at("runs")[1].at("decode").size(), 1u);
  EXPECT_GT(j.at("speedup_over_dsp").at("lut").at("decode").get<double>(), 1.0);
  EXPECT_EQ(read_whole_file(dir + "/g.json"), read_whole_file(dir + "/generation.json"));
  std::filesystem::remove_all(dir);
}

// generate.* and kv_cache.* are config fields, so a sweep takes them as axes: each point a generation,
// its result.json the whole generation as one run's report, generation.json beside it.
TEST(NpusimRunGenerate, SweepAxesOverGenerationFields) {
  const std::string dir = make_temp_dir("npusim_generate_sweep");
  {
    std::ofstream spec(dir + "/gen.yaml");
    spec << "format: npusim-sweep\nversion: 1\nworkloads:\n  - {model: tinyllama}\nengines: [lut]\naxes:\n"
            "  - {path: generate.prompt_tokens, values: [8]}\n  - {path: generate.new_tokens, values: [2, 3]}\n"
            "  - {path: kv_cache.dtype, values: [int8, int16]}\n";
  }
  const auto r = run_npusim("sweep " + dir + "/gen.yaml --out " + dir + "/out --jobs 2 --keep-points");
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const std::string summary = read_whole_file(dir + "/out/summary.csv");
  EXPECT_EQ(std::count(summary.begin(), summary.end(), '\n'), 5) << summary;
  int points = 0, int16_points = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir + "/out/points")) {
    const std::string folder = entry.path().string();
    ASSERT_TRUE(std::filesystem::exists(folder + "/generation.json")) << folder;
    const nlohmann::json j = nlohmann::json::parse(read_whole_file(folder + "/generation.json"));
    const nlohmann::json& run = j.at("runs")[0];
    const nlohmann::json result = nlohmann::json::parse(read_whole_file(folder + "/result.json"));
    // The whole generation's total is TTFT plus every decode step.
    EXPECT_NEAR(result.at("summary").at("total_ns").get<double>(), run.at("ttft_ns").get<double>() + run.at("tpot_mean_ns").get<double>() * (run.at("new_tokens").get<double>() - 1),
                1.0);
    ++points;
    int16_points += run.at("kv_dtype") == "int16" ? 1 : 0;
  }
  EXPECT_EQ(points, 4);
  EXPECT_EQ(int16_points, 2);
  std::filesystem::remove_all(dir);
}

TEST(NpusimRunGenerate, BadInputIsAClearError) {
  struct Case {
    const char* args;
    int exit_code;
    const char* message;
  };
  const Case cases[] = {
      {"--model tinyllama --generate 0,5", 1, "--generate: the prompt needs at least 1 token, got 0"},
      {"--model tinyllama --generate abc", 1, "--generate takes PROMPT_TOKENS,NEW_TOKENS (two whole numbers, e.g. 512,256), got 'abc'"},
      {"--model vit_base --generate 8,4", 1, "'vit_base' is not one (decoders: tinyllama, smollm, opt_1_3b)"},
      {"--model tinyllama --generate 8,4 --tokens 16", 2, "--tokens does not apply to --generate"},
      {"--model tinyllama --generate 8,4 --set kv_cache.dtype=fp8", 1, "kv_cache.dtype must be one of int8, int16, got 'fp8'"},
      {"--model tinyllama --set generate.new_tokens=1", 1, "--generate: the prompt needs at least 1 token, got 0"},
  };
  for (const Case& c : cases) {
    const auto r = run_npusim(std::string("run ") + c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args;
    EXPECT_TRUE(contains(r.err, c.message)) << c.args << ": " << r.err;
  }
}

}  // namespace
}  // namespace npusim::testing
