// npusim run --generate: both engines side by side with their speedups, the files of --out through the
// folder's manifest, an imported decoder ONNX model (--onnx) generating as the shape it was built with,
// and clear errors for bad token counts, a model that is not a decoder and options that do not apply.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/output_folder.hpp"
#include "hw/config/hw_config.hpp"
#include "run/effective_config.hpp"
#include "run/generation.hpp"
#include "tests/cli_runner.hpp"
#include "tests/transformer_exports.hpp"

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

// The folder's manifest records a generation's files: a plain run into the folder then removes them, and
// a generation after it removes the run's; a folder of the user's is refused without --force.
TEST(NpusimRunGenerate, OutGoesThroughTheFoldersManifest) {
  const std::string dir = make_temp_dir("npusim_generate_folder"), out = dir + "/out";
  const std::string generate = "run --model tinyllama --generate 8,3 --set kv_cache.page_tokens=4 --out " + out;
  const auto first = run_npusim(generate + " --engines dsp,lut");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(contains(first.out, "wrote " + out + "/: generation.json, generation.csv, generation.svg, config.yaml\n")) << first.out;
  const auto manifest = [&] { return parse_output_manifest(read_whole_file(out + "/" + kOutputManifestName), "manifest"); };
  EXPECT_TRUE(manifest().complete);
  EXPECT_EQ(manifest().files, (std::vector<std::string>{"config.yaml", "generation.csv", "generation.json", "generation.svg"}));
  const auto run = run_npusim("run --model deit_tiny --engines lut --out " + out);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_FALSE(std::filesystem::exists(out + "/generation.json"));
  EXPECT_TRUE(std::filesystem::exists(out + "/report.json"));
  const auto second = run_npusim(generate);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_FALSE(std::filesystem::exists(out + "/report.json"));
  EXPECT_EQ(manifest().files, (std::vector<std::string>{"config.yaml", "generation.csv", "generation.json", "generation.svg"}));

  const std::string mine = dir + "/mine";
  std::filesystem::create_directories(mine);
  std::ofstream(mine + "/notes.txt") << "my notes\n";
  const auto refused = run_npusim(generate.substr(0, generate.find("--out")) + "--out " + mine);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(contains(refused.err, "--force")) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(mine + "/generation.json"));
  const auto forced = run_npusim(generate.substr(0, generate.find("--out")) + "--force --out " + mine);
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_TRUE(std::filesystem::exists(mine + "/generation.json"));
  EXPECT_EQ(read_whole_file(mine + "/notes.txt"), "my notes\n");
  std::filesystem::remove_all(dir);
}

// An imported decoder generates as the shape typed in from the sizes the export was built with: the
// same TTFT and TPOT to the nanosecond on both engines.
TEST(NpusimRunGenerate, AnImportedDecoderGeneratesAsTheShapeItWasBuiltWith) {
  const std::string dir = make_temp_dir("npusim_generate_onnx");
  const DecoderWeights w = decoder_weights();
  llama_decoder_model(w).save(dir + "/decoder.onnx");
  const auto r = run_npusim("run --onnx " + dir + "/decoder.onnx --generate 12,5 --engines dsp,lut --set kv_cache.page_tokens=4 --json " + dir +
                            "/g.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "decoder generation: 12 prompt + 5 new tokens, 1 layers")) << r.out;
  const nlohmann::json j = nlohmann::json::parse(read_whole_file(dir + "/g.json"));
  workloads::DecoderShape shape;
  shape.model = "decoder";
  shape.layers = 1;
  shape.hidden = w.hidden, shape.heads = w.heads, shape.kv_heads = w.heads, shape.head_dim = w.head_dim, shape.mlp = w.mlp, shape.vocab = w.vocab;
  shape.activation = workloads::OpType::silu;
  shape.norm = workloads::OpType::rmsnorm;
  run::GenerationRequest request;
  request.model = "decoder";
  request.imported = shape;
  request.prompt_tokens = 12;
  request.new_tokens = 5;
  for (size_t i = 0; i < 2; ++i) {
    const std::string engine = i == 0 ? "dsp" : "lut";
    hw::HwConfig config = run::on_engine(hw::HwConfig{}, hw::parse_engine(engine));
    config.kv_cache.page_tokens = 4;
    const hw::GenerationResult expected = run::simulate_generation(config, request, {});
    const nlohmann::json& got = j.at("runs")[i];
    EXPECT_EQ(got.at("engine"), engine);
    EXPECT_EQ(got.at("ttft_ns").get<double>(), expected.ttft_ns()) << engine;
    EXPECT_EQ(got.at("tpot_mean_ns").get<double>(), expected.tpot_mean_ns()) << engine;
  }
  std::filesystem::remove_all(dir);
}

TEST(NpusimRunGenerate, AnOnnxModelThatIsNoDecoderOrNoGenerationIsAClearError) {
  const std::string dir = make_temp_dir("npusim_generate_onnx_refused");
  tf2onnx_encoder_model(encoder_weights()).save(dir + "/encoder.onnx");
  llama_decoder_model(decoder_weights()).save(dir + "/decoder.onnx");
  const auto encoder = run_npusim("run --onnx " + dir + "/encoder.onnx --generate 8,4 --out " + dir + "/out");
  EXPECT_EQ(encoder.exit_code, 1);
  EXPECT_EQ(encoder.err, "npusim: error: " + dir + "/encoder.onnx: not a decoder npusim can generate with: layer 0 (softmax 'attention/probs:0'): no "
                         "causal mask on the attention scores (a Trilu, a comparison of positions, or a constant triangular mask, added to or "
                         "selected into them)\n");
  EXPECT_FALSE(std::filesystem::exists(dir + "/out")) << "refused before the folder is prepared";
  const auto no_generate = run_npusim("run --onnx " + dir + "/decoder.onnx");
  EXPECT_EQ(no_generate.exit_code, 2);
  EXPECT_TRUE(contains(no_generate.err, "--onnx takes --generate PROMPT,NEW")) << no_generate.err;
  const auto both = run_npusim("run --onnx " + dir + "/decoder.onnx --model tinyllama --generate 8,4");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_TRUE(contains(both.err, "--onnx and --model exclude each other")) << both.err;
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
