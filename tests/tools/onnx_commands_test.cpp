// npusim import, infer and calibrate end to end on a small Transformer-like block, and every class of
// bad input as one line with exit code 1 (2 for bad usage).
#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "common/npy.hpp"
#include "tests/onnx_builder.hpp"
#include "tests/transformer_exports.hpp"
#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

using testing::CliResult;
using testing::run_npusim;

struct Fixture {
  std::string dir = testing::make_temp_dir("npusim_onnx_cli");
  std::string model = dir + "/block.onnx";
  std::string input = dir + "/x.npy";
  Fixture() {
    testing::tiny_block_model().save(model);
    npy::write_float32(input, {1, 4, 8}, testing::test_weights(32, 99, 2.0f));
  }
};

int lines(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

TEST(OnnxCommands, ImportWritesATraceThatRunReads) {
  const Fixture f;
  const CliResult r = run_npusim("import " + f.model + " -o " + f.dir + "/t.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("layernorm (ReduceMean-Sub-Pow-ReduceMean-Add-Sqrt-Div-Mul-Add)  9"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("gelu (Div-Erf-Add-Mul-Mul)"), std::string::npos) << r.out;
  const CliResult run = run_npusim("run --workload " + f.dir + "/t.yaml --engines dsp,lut");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("speedup vs dsp"), std::string::npos);
  const CliResult strict = run_npusim("import " + f.model + " --strict -o " + f.dir + "/t2.yaml");
  EXPECT_EQ(strict.exit_code, 0) << strict.err;  // everything in the block has a dedicated model
}

TEST(OnnxCommands, InferWritesOutputsAndDumps) {
  const Fixture f;
  const CliResult r = run_npusim("infer " + f.model + " --input " + f.input + " --methods fp32,bespoke,ibert --out " + f.dir +
                                 "/out --dump " + f.dir + "/dump --json " + f.dir + "/r.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("probs"), std::string::npos);
  const npy::FloatArray y = npy::read_float32(f.dir + "/out/bespoke/y.npy");
  EXPECT_EQ(y.shape, (std::vector<int64_t>{1, 4, 8}));
  EXPECT_EQ(npy::read_float32(f.dir + "/out/fp32/y.npy").shape, y.shape);
  EXPECT_EQ(npy::read_float32(f.dir + "/dump/probs.npy").shape, (std::vector<int64_t>{4, 4}));
  EXPECT_EQ(npy::read_float32(f.dir + "/dump/ln.npy").shape, (std::vector<int64_t>{4, 8}));
  EXPECT_EQ(npy::read_float32(f.dir + "/dump/gelu.npy").shape, (std::vector<int64_t>{4, 16}));
  const std::string json = testing::read_whole_file(f.dir + "/r.json");
  EXPECT_NE(json.find("\"cosine\""), std::string::npos);
}

TEST(OnnxCommands, CalibrateFeedsInferAndTheWorkloadCommands) {
  const Fixture f;
  const std::string samples = f.dir + "/samples";
  ASSERT_EQ(std::system(("mkdir -p " + samples).c_str()), 0);
  for (uint32_t k = 0; k < 3; ++k) npy::write_float32(samples + "/s" + std::to_string(k) + ".npy", {1, 4, 8}, testing::test_weights(32, 200 + k, 2.0f));
  const CliResult cal = run_npusim("calibrate " + f.model + " --inputs " + samples + " -o " + f.dir + "/cal.yaml");
  ASSERT_EQ(cal.exit_code, 0) << cal.err;
  EXPECT_NE(cal.out.find("reciprocal"), std::string::npos);
  ASSERT_EQ(run_npusim("import " + f.model + " -o " + f.dir + "/t.yaml").exit_code, 0);
  const CliResult inventory = run_npusim("lut-inventory --workload " + f.dir + "/t.yaml --calibration " + f.dir + "/cal.yaml");
  EXPECT_EQ(inventory.exit_code, 0) << inventory.err;
  EXPECT_NE(inventory.out.find("calibration file"), std::string::npos);
  const CliResult golden = run_npusim("golden --instance probs --workload " + f.dir + "/t.yaml --calibration " + f.dir +
                                      "/cal.yaml --codes 50 --out " + f.dir + "/golden");
  EXPECT_EQ(golden.exit_code, 0) << golden.err;
  const CliResult infer = run_npusim("infer " + f.model + " --input " + f.input + " --methods bespoke --calibration " + f.dir + "/cal.yaml");
  EXPECT_EQ(infer.exit_code, 0) << infer.err;
  EXPECT_NE(infer.out.find("from " + f.dir + "/cal.yaml for 4"), std::string::npos) << infer.out;
}

TEST(OnnxCommands, BadInputIsOneLineAndExitOne) {
  const Fixture f;
  // A .npy of the wrong dtype and of the wrong shape.
  npy::write_int8(f.dir + "/int8.npy", {1, 4, 8}, std::vector<int8_t>(32, 1));
  CliResult r = run_npusim("infer " + f.model + " --input " + f.dir + "/int8.npy");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_EQ(r.err, "npusim: error: " + f.dir + "/int8.npy: input 'x' takes float32, the file holds int8 (save it with arr.astype(np.float32))\n");
  npy::write_float32(f.dir + "/wide.npy", {1, 4, 9}, std::vector<float>(36, 0.5f));
  r = run_npusim("infer " + f.model + " --input " + f.dir + "/wide.npy");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "npusim: error: " + f.dir + "/wide.npy: does not fit the model (" + f.model +
                       ": input 'x' has shape [1, 4, 8], given [1, 4, 9])\n");
  // A file that is no model, a truncated model, an unknown opset.
  std::ofstream(f.dir + "/text.onnx") << "not a model\n";
  r = run_npusim("import " + f.dir + "/text.onnx");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "npusim: error: " + f.dir + "/text.onnx: not an ONNX model (the protobuf does not parse: truncated or another kind of file)\n");
  const std::string bytes = testing::tiny_block_model().bytes();
  std::ofstream(f.dir + "/cut.onnx", std::ios::binary) << bytes.substr(0, bytes.size() - 200);
  r = run_npusim("infer " + f.dir + "/cut.onnx --input " + f.input);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find(f.dir + "/cut.onnx: not an ONNX model"), std::string::npos) << r.err;
  testing::OnnxBuilder future(42);
  future.input("x", {2}).output("y", 1);
  future.node("Relu", {"x"}, {"y"});
  future.save(f.dir + "/future.onnx");
  r = run_npusim("import " + f.dir + "/future.onnx");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "npusim: error: " + f.dir + "/future.onnx: opset 42 of the default ONNX domain is not supported (this build reads 1..17)\n");
  // A dynamic input without --input-shape.
  testing::OnnxBuilder dynamic(13);
  dynamic.input("tokens", {-1, 8}).output("y", 2);
  dynamic.node("Relu", {"tokens"}, {"y"});
  dynamic.save(f.dir + "/dynamic.onnx");
  r = run_npusim("import " + f.dir + "/dynamic.onnx");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "npusim: error: " + f.dir + "/dynamic.onnx: input 'tokens' has shape [dynamic, 8]: give its dimensions with "
                                                "--input-shape tokens=D0,D1,...\n");
  EXPECT_EQ(run_npusim("import " + f.dir + "/dynamic.onnx --input-shape tokens=3,8 -o " + f.dir + "/d.yaml").exit_code, 0);
  // Bad usage: exit 2.
  EXPECT_EQ(run_npusim("import " + f.dir + "/dynamic.onnx --input-shape tokens=3,x").exit_code, 2);
  EXPECT_EQ(run_npusim("infer " + f.model + " --input " + f.input + " --methods bespok").exit_code, 2);
  EXPECT_EQ(run_npusim("calibrate " + f.model + " -o " + f.dir + "/c.yaml").exit_code, 2);
  r = run_npusim("calibrate " + f.model + " --inputs " + f.dir + "/none -o " + f.dir + "/c.yaml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "npusim: error: " + f.dir + "/none: cannot read the folder\n");
}

// Token ids as NumPy saves them: int64 (or int32) arrays.
void write_ints(const std::string& path, const std::vector<int64_t>& shape, const std::vector<int64_t>& values, npy::DType dtype) {
  npy::Array a;
  a.dtype = dtype;
  a.shape = shape;
  for (const int64_t v : values) {
    for (int b = 0; b < npy::dtype_bytes(dtype); ++b) a.bytes.push_back(static_cast<uint8_t>(static_cast<uint64_t>(v) >> (8 * b)));
  }
  npy::write(path, a);
}

double max_difference(const std::vector<float>& actual, const std::vector<double>& expected) {
  EXPECT_EQ(actual.size(), expected.size());
  double worst = 0.0;
  for (size_t i = 0; i < std::min(actual.size(), expected.size()); ++i) worst = std::max(worst, std::fabs(actual[i] - expected[i]));
  return worst;
}

// A Llama-style decoder as PyTorch exports it: int64 token ids, RMSNorm, rotary embeddings, a causal mask,
// SwiGLU. Every non-linear op is matched (--strict), and infer's FP32 run equals the maths.
TEST(OnnxCommands, LlamaStyleDecoderImportsMatchedAndRunsAsItsDefinition) {
  const Fixture f;
  const testing::DecoderWeights w = testing::decoder_weights();
  testing::llama_decoder_model(w).save(f.dir + "/decoder.onnx");
  const std::vector<int64_t> ids = {3, 17, 5, 29, 0, 11};
  write_ints(f.dir + "/ids.npy", {1, 6}, ids, npy::DType::int64);
  const CliResult imported = run_npusim("import " + f.dir + "/decoder.onnx --input-shape input_ids=1,6 --strict -o " + f.dir + "/t.yaml");
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  for (const char* row : {"rmsnorm (Pow-ReduceMean-Add-Sqrt-Div-Mul-Cast-Mul)", "softmax (Softmax)", "silu (Sigmoid-Mul)"}) {
    EXPECT_NE(imported.out.find(row), std::string::npos) << row << "\n" << imported.out;
  }
  EXPECT_EQ(imported.out.find("did not recognise"), std::string::npos) << imported.out;
  const CliResult fp32 = run_npusim("infer " + f.dir + "/decoder.onnx --input " + f.dir + "/ids.npy --methods fp32 --out " + f.dir + "/out");
  ASSERT_EQ(fp32.exit_code, 0) << fp32.err;
  const npy::FloatArray logits = npy::read_float32(f.dir + "/out/fp32/logits.npy");
  EXPECT_EQ(logits.shape, (std::vector<int64_t>{1, 6, w.vocab}));
  EXPECT_LE(max_difference(logits.values, testing::llama_decoder_reference(w, ids)), 1e-4);
  const CliResult all = run_npusim("infer " + f.dir + "/decoder.onnx --input " + f.dir + "/ids.npy");
  EXPECT_EQ(all.exit_code, 0) << all.err;
  std::cout << all.out;
}

// A BERT-style encoder as tf2onnx exports a Keras model: int32 ids and mask, Keras's and tf2onnx's
// LayerNorm forms, tf2onnx's GELU, a Tanh pooler.
TEST(OnnxCommands, Tf2onnxStyleEncoderImportsMatchedAndRunsAsItsDefinition) {
  const Fixture f;
  const testing::EncoderWeights w = testing::encoder_weights();
  testing::tf2onnx_encoder_model(w).save(f.dir + "/encoder.onnx");
  const std::vector<int64_t> ids = {2, 31, 7, 19, 0, 0}, mask = {1, 1, 1, 1, 0, 0};
  write_ints(f.dir + "/ids.npy", {1, 6}, ids, npy::DType::int32);
  write_ints(f.dir + "/mask.npy", {1, 6}, mask, npy::DType::int32);
  const CliResult imported =
      run_npusim("import " + f.dir + "/encoder.onnx --input-shape input_ids:0=1,6 --input-shape attention_mask:0=1,6 --strict -o " + f.dir + "/t.yaml");
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  for (const char* row : {"layernorm (ReduceMean-Sub-Mul-ReduceMean-Add-Sqrt-Reciprocal-Mul-Mul-Mul-Sub-Add)", "layernorm (ReduceMean-Sub-Pow-ReduceMean-Add-Sqrt-Reciprocal-Mul-Mul-Add)",
                          "gelu (Mul-Div-Erf-Add-Mul)", "softmax (Softmax)", "tanh (Tanh)"}) {
    EXPECT_NE(imported.out.find(row), std::string::npos) << row << "\n" << imported.out;
  }
  EXPECT_EQ(imported.out.find("did not recognise"), std::string::npos) << imported.out;
  const std::string inputs = " --input input_ids:0=" + f.dir + "/ids.npy --input attention_mask:0=" + f.dir + "/mask.npy";
  const CliResult fp32 = run_npusim("infer " + f.dir + "/encoder.onnx" + inputs + " --methods fp32 --out " + f.dir + "/out");
  ASSERT_EQ(fp32.exit_code, 0) << fp32.err;
  const auto [sequence, pooled] = testing::tf2onnx_encoder_reference(w, ids, mask);
  EXPECT_LE(max_difference(npy::read_float32(f.dir + "/out/fp32/sequence_output_0.npy").values, sequence), 1e-4);
  EXPECT_LE(max_difference(npy::read_float32(f.dir + "/out/fp32/pooled_output_0.npy").values, pooled), 1e-4);
  const CliResult all = run_npusim("infer " + f.dir + "/encoder.onnx" + inputs);
  EXPECT_EQ(all.exit_code, 0) << all.err;
  std::cout << all.out;
  // calibrate takes a multi-input model's samples as folders of NAME.npy.
  for (int k = 0; k < 2; ++k) {
    const std::string sample = f.dir + "/samples/s" + std::to_string(k);
    std::filesystem::create_directories(sample);
    write_ints(sample + "/input_ids:0.npy", {1, 5}, {1 + k, 8, 9, 12, 3}, npy::DType::int32);
    write_ints(sample + "/attention_mask:0.npy", {1, 5}, {1, 1, 1, 1, k}, npy::DType::int32);
  }
  const CliResult cal = run_npusim("calibrate " + f.dir + "/encoder.onnx --inputs " + f.dir + "/samples -o " + f.dir + "/cal.yaml");
  ASSERT_EQ(cal.exit_code, 0) << cal.err;
  EXPECT_NE(cal.out.find("over 2 sample(s)"), std::string::npos) << cal.out;
  const CliResult calibrated = run_npusim("infer " + f.dir + "/encoder.onnx" + inputs + " --methods bespoke --calibration " + f.dir + "/cal.yaml");
  EXPECT_EQ(calibrated.exit_code, 0) << calibrated.err;
  EXPECT_NE(calibrated.out.find("from " + f.dir + "/cal.yaml for 5"), std::string::npos) << calibrated.out;  // the tanh is no trace op
}

// float16 images and bool masks go in as the model's inputs take them.
TEST(OnnxCommands, InferTakesFloat16AndBoolInputs) {
  const Fixture f;
  testing::OnnxBuilder b(13);
  b.input("image", {1, 4}, ::onnx::TensorProto::FLOAT16).input("keep", {1, 4}, ::onnx::TensorProto::BOOL).output("y", 2);
  b.scalar("zero", 0.0f);
  testing::OnnxBuilder::attribute(b.node("Cast", {"image"}, {"x"}), "to", int64_t{::onnx::TensorProto::FLOAT});
  b.node("Where", {"keep", "x", "zero"}, {"kept"});
  testing::OnnxBuilder::attribute(b.node("Softmax", {"kept"}, {"y"}), "axis", int64_t{-1});
  b.save(f.dir + "/mixed.onnx");
  npy::Array half;
  half.dtype = npy::DType::float16;
  half.shape = {1, 4};
  for (const uint16_t h : {0x3c00, 0xc000, 0x3800, 0x0000}) {  // 1, -2, 0.5, 0
    half.bytes.push_back(static_cast<uint8_t>(h & 0xff));
    half.bytes.push_back(static_cast<uint8_t>(h >> 8));
  }
  npy::write(f.dir + "/image.npy", half);
  write_ints(f.dir + "/keep.npy", {1, 4}, {1, 1, 0, 1}, npy::DType::boolean);
  const CliResult r = run_npusim("infer " + f.dir + "/mixed.onnx --input image=" + f.dir + "/image.npy --input keep=" + f.dir + "/keep.npy --methods fp32 --out " + f.dir + "/out");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<double> x = {1.0, -2.0, 0.0, 0.0};
  double sum = 0.0;
  for (const double v : x) sum += std::exp(v);
  const npy::FloatArray y = npy::read_float32(f.dir + "/out/fp32/y.npy");
  for (size_t k = 0; k < 4; ++k) EXPECT_NEAR(y.values[k], std::exp(x[k]) / sum, 1e-6);
  // A bool file for the float16 input: the input and both dtypes are named.
  const CliResult bad = run_npusim("infer " + f.dir + "/mixed.onnx --input image=" + f.dir + "/keep.npy --input keep=" + f.dir + "/keep.npy");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.err, "npusim: error: " + f.dir + "/keep.npy: input 'image' takes float16, the file holds bool (save it with arr.astype(np.float16))\n");
}

// A non-linear pattern npusim does not know is listed with its node counts; --strict refuses it.
TEST(OnnxCommands, ImportListsUnmatchedNonlinearPatterns) {
  const Fixture f;
  testing::OnnxBuilder b(13);
  b.input("x", {2, 8}).output("y", 2);
  testing::OnnxBuilder::attribute(b.node("ReduceMean", {"x"}, {"mean"}), "axes", std::vector<int64_t>{-1});
  b.node("Sub", {"x", "mean"}, {"d"});
  b.node("Mul", {"d", "d"}, {"sq"});
  testing::OnnxBuilder::attribute(b.node("ReduceMean", {"sq"}, {"var"}), "axes", std::vector<int64_t>{-1});
  b.node("Sqrt", {"var"}, {"std"});
  b.node("Div", {"d", "std"}, {"y"});
  b.save(f.dir + "/odd_norm.onnx");
  CliResult r = run_npusim("import " + f.dir + "/odd_norm.onnx -o " + f.dir + "/t.yaml");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ReduceMean-Sub-Mul-ReduceMean-Sqrt-Div  1            6      ReduceMean 'mean_node'"), std::string::npos) << r.out;
  r = run_npusim("import " + f.dir + "/odd_norm.onnx --strict -o " + f.dir + "/t.yaml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "npusim: error: " + f.dir + "/odd_norm.onnx: 1 non-linear pattern(s) not matched: ReduceMean-Sub-Mul-ReduceMean-Sqrt-Div x1 "
                   "(without --strict they run as generic vector ops)\n");
}

// ---- model-level choices

TEST(OnnxCommands, InferTakesAMethodPerOpKindAndTheTableOptions) {
  const Fixture f;
  const CliResult r = run_npusim("infer " + f.model + " --input " + f.input + " --method softmax=nnlut,gelu=bespoke --method default=bespoke-rr --index-bits 10 "
                                 "--dual-range off --json " + f.dir + "/r.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("tables: 10 index bits, dual-range table off"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("configuration softmax=nnlut,gelu=bespoke: fp32 for layernorm, rmsnorm, silu, sigmoid, tanh; bespoke for gelu; nnlut for softmax;"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bespoke-rr: range-reduced tables for reciprocal (softmax) and rsqrt (norms)"), std::string::npos) << r.out;
  const auto j = nlohmann::json::parse(testing::read_whole_file(f.dir + "/r.json"));
  EXPECT_EQ(j["index_bits"], 10);
  for (const char* name : {"fp32", "softmax=nnlut,gelu=bespoke", "default=bespoke-rr"}) {
    EXPECT_TRUE(j["outputs"][0]["configurations"].contains(name)) << name;
  }
  // bespoke-rr's SiLU is the per-layer Bespoke table, not FP32.
  for (const auto& i : j["instances"]) {
    if (i["op"] == "silu") EXPECT_GT(i["methods"]["bespoke-rr"]["max_abs_error"].get<double>(), 0.0);
  }
  for (const std::string bad : {"--method softmx=nnlut", "--method softmax", "--index-bits 3", "--dual-range maybe", "--linear int4",
                                "--linear lutnn", "--lutnn-layers 2"}) {
    const CliResult e = run_npusim("infer " + f.model + " --input " + f.input + " " + bad);
    EXPECT_EQ(e.exit_code, 2) << bad << "\n" << e.err;
    EXPECT_EQ(lines(e.err), 1) << e.err;
  }
}

// Calibrated on some inputs, evaluated on another that goes beyond them: the clamped inputs are counted
// and warned about.
TEST(OnnxCommands, InferWarnsWhenInputsFallOutsideTheCalibratedTables) {
  const Fixture f;
  const std::string samples = f.dir + "/samples";
  std::filesystem::create_directories(samples);
  for (uint32_t k = 0; k < 3; ++k) npy::write_float32(samples + "/s" + std::to_string(k) + ".npy", {1, 4, 8}, testing::test_weights(32, 300 + k, 0.5f));
  npy::write_float32(f.dir + "/wide.npy", {1, 4, 8}, testing::test_weights(32, 400, 4.0f));
  const CliResult r = run_npusim("infer " + f.model + " --input " + f.dir + "/wide.npy --calibration-inputs " + samples + " --methods bespoke --json " + f.dir + "/r.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("the 3 calibration sample(s) in " + samples + " for 4"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("warning: inputs outside their table's range"), std::string::npos) << r.out;
  const auto j = nlohmann::json::parse(testing::read_whole_file(f.dir + "/r.json"));
  int64_t clamped = 0;
  for (const auto& i : j["instances"]) {
    if (!i.contains("clamped")) continue;
    for (const auto& [function, count] : i["clamped"]["bespoke"].items()) clamped += count["outside"].get<int64_t>();
  }
  EXPECT_GT(clamped, 0);
  const CliResult same = run_npusim("infer " + f.model + " --input " + samples + "/s0.npy --calibration-inputs " + samples + " --methods bespoke");
  EXPECT_EQ(same.out.find("warning: inputs outside"), std::string::npos) << same.out;  // a calibration sample stays inside
}

// INT8 linear layers and LUT-NN on a sweep of layer counts, codebooks learned on other inputs.
TEST(OnnxCommands, InferRunsLinearLayersInInt8AndLutnn) {
  const Fixture f;
  const std::string samples = f.dir + "/samples";
  std::filesystem::create_directories(samples);
  for (uint32_t k = 0; k < 6; ++k) npy::write_float32(samples + "/s" + std::to_string(k) + ".npy", {1, 4, 8}, testing::test_weights(32, 500 + k, 2.0f));
  CliResult r = run_npusim("infer " + f.model + " --input " + f.input + " --calibration-inputs " + samples + " --linear int8 --methods fp32,bespoke --json " +
                           f.dir + "/i.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("linear layers: 5 in INT8"), std::string::npos) << r.out;
  auto j = nlohmann::json::parse(testing::read_whole_file(f.dir + "/i.json"));
  EXPECT_EQ(j["linear_layers"].size(), 5u);  // q, k, v and the MLP (the two products of activations stay)
  EXPECT_GT(j["outputs"][0]["configurations"]["fp32"]["max_abs_error"].get<double>(), 0.0);  // INT8 layers, FP32 non-linear ops
  r = run_npusim("infer " + f.model + " --input " + f.input + " --calibration-inputs " + samples + " --linear lutnn --lutnn-layers 1,50%,/^h$/ "
                 "--lutnn-centroids 4 --lutnn-iterations 5 --methods fp32 --out " + f.dir + "/out --json " + f.dir + "/l.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name : {"fp32 +lutnn 1", "fp32 +lutnn 3 (50%)", "fp32 +lutnn /^h$/"}) EXPECT_NE(r.out.find(name), std::string::npos) << name << "\n" << r.out;
  j = nlohmann::json::parse(testing::read_whole_file(f.dir + "/l.json"));
  EXPECT_GT(j["outputs"][0]["configurations"]["fp32 +lutnn 1"]["max_abs_error"].get<double>(), 0.0);
  EXPECT_EQ(npy::read_float32(f.dir + "/out/reference/y.npy").shape, (std::vector<int64_t>{1, 4, 8}));
  EXPECT_EQ(npy::read_float32(f.dir + "/out/fp32__lutnn_1/y.npy").shape, (std::vector<int64_t>{1, 4, 8}));
  r = run_npusim("infer " + f.model + " --input " + f.input + " --calibration-inputs " + samples + " --linear lutnn --lutnn-layers 6");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--lutnn-layers 6: the model has 5 layers LUT-NN can replace"), std::string::npos) << r.err;
}

// ---- issue 27, items 8, 9 and 13: inputs and models that used to run for minutes, write NaN ranges or
// fail without naming the file; the models and inputs are kept in tests/data/issue27.

std::string issue27(const std::string& name) { return std::string(NPUSIM_SOURCE_DIR) + "/tests/data/issue27/" + name; }

// A sample folder holding one file.
std::string samples_of(const std::string& dir, const std::string& file) {
  const std::string samples = dir + "/samples_" + std::to_string(std::hash<std::string>()(file) % 100000);
  std::filesystem::create_directories(samples);
  std::filesystem::copy_file(file, samples + "/" + std::filesystem::path(file).filename().string(), std::filesystem::copy_options::overwrite_existing);
  return samples;
}

TEST(OnnxCommands, CalibrateRefusesWhatWouldGiveNaNRanges) {
  const Fixture f;
  // A NaN pixel: the file and the element are named.
  CliResult r = run_npusim("calibrate " + issue27("nan_batchnorm_epsilon.onnx") + " --inputs " + samples_of(f.dir, issue27("nan_pixel.npy")) + " -o " +
                           f.dir + "/c.yaml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(lines(r.err), 1) << r.err;
  EXPECT_NE(r.err.find("nan_pixel.npy: element [0, 1, 2, 3] is NaN; npusim takes finite inputs"), std::string::npos) << r.err;
  // A NaN BatchNorm epsilon and NaN weights: the node and what of it is NaN.
  r = run_npusim("calibrate " + issue27("nan_batchnorm_epsilon.onnx") + " --inputs " + samples_of(f.dir, issue27("image.npy")) + " -o " + f.dir + "/c.yaml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "npusim: error: " + issue27("nan_batchnorm_epsilon.onnx") +
                       ": BatchNormalization 'bn_node' computes NaN from inputs without NaN (its attribute 'epsilon' is NaN)\n");
  npy::write_float32(f.dir + "/row.npy", {1, 4}, {1, 2, 3, 4});
  r = run_npusim("calibrate " + issue27("nan_weights.onnx") + " --inputs " + samples_of(f.dir, f.dir + "/row.npy") + " -o " + f.dir + "/c.yaml");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "npusim: error: " + issue27("nan_weights.onnx") + ": MatMul 'h_node' computes NaN from inputs without NaN (its constant input 'w' holds NaN)\n");
  EXPECT_FALSE(std::filesystem::exists(f.dir + "/c.yaml"));  // nothing written
}

TEST(OnnxCommands, InferNamesTheFileAndElementOfANaNInput) {
  const CliResult r = run_npusim("infer " + issue27("nan_batchnorm_epsilon.onnx") + " --input " + issue27("nan_pixel.npy"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "npusim: error: " + issue27("nan_pixel.npy") + ": element [0, 1, 2, 3] is NaN; npusim takes finite inputs\n");
}

TEST(OnnxCommands, InputsPastTheLimitsAreRefusedWhereTheyEnter) {
  const Fixture f;
  // 4 KiB of input that the model tiles into 4 GiB of activations: refused before anything runs.
  npy::write_float32(f.dir + "/x1024.npy", {1, 1024}, std::vector<float>(1024, 0.0f));
  CliResult r = run_npusim("infer " + issue27("tile_past_the_activation_limit.onnx") + " --input " + f.dir + "/x1024.npy");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "npusim: error: " + f.dir + "/x1024.npy: the model's activations for this input take 4,096 MiB (largest: 'tiled' of Tile "
                   "'tiled_node', 536,870,912 elements); infer and calibrate take at most 1,024 MiB (a smaller input or batch fits)\n");
  // A shape only known when the model runs: the op that would exceed the limit is named.
  npy::write_float32(f.dir + "/one.npy", {1}, {1.0f});
  write_ints(f.dir + "/shape.npy", {2}, {1 << 20, 1 << 10}, npy::DType::int64);
  r = run_npusim("infer " + issue27("expand_by_an_input_shape.onnx") + " --input x=" + f.dir + "/one.npy --input shape=" + f.dir + "/shape.npy");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "npusim: error: Expand 'y_node': would compute 1,073,741,824 elements (4,096 MiB); infer and calibrate take at most 1,024 MiB of activations\n");
  // An input of more than 2^24 elements (one byte each).
  npy::Array big;
  big.dtype = npy::DType::boolean;
  big.shape = {(int64_t{1} << 24) + 1};
  big.bytes.assign(static_cast<size_t>(big.shape[0]), 0);
  npy::write(f.dir + "/big.npy", big);
  r = run_npusim("infer " + issue27("expand_by_an_input_shape.onnx") + " --input x=" + f.dir + "/big.npy --input shape=" + f.dir + "/shape.npy");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "npusim: error: " + f.dir + "/big.npy: 16,777,217 elements; infer and calibrate take at most 16,777,216 per input\n");
}

}  // namespace
}  // namespace npusim
