// LLM generation on the run API: the page-bucketed fast path against simulating every decode step, to
// the nanosecond; TPOT never below the roofline bound; the KV cache's traffic in the bytes, counted by
// hand; the --generate text's errors. Each test is its own process (gtest_discover_tests).
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "run/effective_config.hpp"
#include "run/generation.hpp"
#include "tests/error_text.hpp"

namespace npusim::run {
namespace {

hw::HwConfig config_on(hw::NonlinearEngine engine, const std::vector<std::string>& overrides = {}) {
  return on_engine(with_overrides(hw::HwConfig{}, overrides).config, engine);
}

GenerationRequest request(int64_t prompt, int64_t fresh, int layers) {
  GenerationRequest r;
  r.model = "tinyllama";
  r.prompt_tokens = prompt;
  r.new_tokens = fresh;
  r.layers = layers;
  return r;
}

// 8 prompt + 16 new tokens: decode contexts 9..23 in pages of 4 rows, so the fast path simulates each
// distinct layer once per page (9..12, 13..16, 17..20, 21..23) and the head once, where the reference
// simulates every layer and the head of all 15 steps.
TEST(Generation, PageBucketsGiveEveryStepsTimeToTheNanosecond) {
  for (const auto engine : {hw::NonlinearEngine::dsp, hw::NonlinearEngine::lut}) {
    const hw::HwConfig config = config_on(engine, {"kv_cache.page_tokens=4"});
    GenerationOptions every;
    every.every_step = true;
    const hw::GenerationResult fast = simulate_generation(config, request(8, 16, 2), {});
    const hw::GenerationResult full = simulate_generation(config, request(8, 16, 2), every);
    EXPECT_EQ(full.simulations, 2 + 15 * (2 + 1));  // prefill, head, then per step both layers and the head
    EXPECT_LE(fast.simulations, 2 + 4 * 2);         // per page, each distinct layer once
    EXPECT_EQ(fast.ttft_ns(), full.ttft_ns());
    ASSERT_EQ(fast.step_ns().size(), 15u);
    EXPECT_EQ(fast.step_ns(), full.step_ns());
    EXPECT_NEAR(fast.decode_ns(), full.decode_ns(), 1e-3);  // a product against a sum of the same steps
    EXPECT_EQ(fast.tpot_first_ns(), full.tpot_first_ns());
    EXPECT_EQ(fast.tpot_last_ns(), full.tpot_last_ns());
    EXPECT_EQ(fast.decode_bytes().total(), full.decode_bytes().total());
    EXPECT_EQ(fast.decode_bytes().kv_reads, full.decode_bytes().kv_reads);
    EXPECT_DOUBLE_EQ(fast.energy_per_token_uj(), full.energy_per_token_uj());
    // The steps of a page cost the same, and a longer cache costs more.
    EXPECT_LT(fast.decode.front().step.total_ns, fast.decode.back().step.total_ns);
  }
}

// The bound reads exactly the context's cache rows and every weight once; the simulated step reads
// at least that, at no more than the DRAM's bandwidth, on an array of at most its peak.
TEST(Generation, TpotIsNeverBelowTheRooflineBound) {
  for (const char* bandwidth : {"dram.bandwidth_gbps=3", "dram.bandwidth_gbps=20"}) {
    for (const auto engine : {hw::NonlinearEngine::dsp, hw::NonlinearEngine::lut}) {
      const hw::GenerationResult r = simulate_generation(config_on(engine, {bandwidth}), request(500, 200, 3), {});
      ASSERT_EQ(r.decode.size(), 4u);  // contexts 501..699: pages ending at 512, 576, 640, 704
      for (const auto& b : r.decode) {
        EXPECT_GE(b.step.total_ns, b.roofline_last_ns) << bandwidth << " context " << b.last_context;
        EXPECT_GE(b.roofline_last_ns, b.roofline_first_ns);
        EXPECT_GT(b.roofline_first_ns, 0.0);
      }
    }
  }
}

// The linear form of the bound against the step's trace counted at each context.
TEST(Generation, TheRooflineIsLinearInTheContext) {
  const workloads::DecoderShape shape = workloads::decoder_shape("tinyllama");
  workloads::KvCacheLayout kv;
  kv.dtype = workloads::Precision::int16;
  const DecodeRoofline linear = decode_roofline(shape, 22, 512, kv);
  EXPECT_EQ(linear.bytes_per_row, 22 * 2 * 4 * 64 * 2);  // K and V rows of every layer, INT16
  for (const char* bandwidth : {"dram.bandwidth_gbps=3", "dram.bandwidth_gbps=2000"}) {
    const hw::HwConfig config = config_on(hw::NonlinearEngine::lut, {bandwidth});
    for (const int64_t c : {1, 700, 8192}) EXPECT_DOUBLE_EQ(linear.ns(config, c), decode_roofline_ns(config, shape, 22, c, 512, kv)) << c;
  }
}

// DRAM bytes of one decode step by kind, against the cache's size counted by hand: K and V of
// kv_heads x head_dim per row per layer, read in whole pages, and one new row written per layer.
TEST(Generation, TheCachesTrafficIsInTheBytesAndGrowsWithTheContext) {
  const int layers = 2;
  const int64_t kv_row = 4 * 64;  // TinyLlama: 4 KV heads of 64
  for (const auto& [dtype, bytes] : {std::pair{"int8", 1}, std::pair{"int16", 2}}) {
    const hw::HwConfig config = config_on(hw::NonlinearEngine::lut, {std::string("kv_cache.dtype=") + dtype});
    const hw::GenerationResult short_context = simulate_generation(config, request(64, 2, layers), {});
    const hw::GenerationResult long_context = simulate_generation(config, request(1000, 2, layers), {});
    const hw::GenerationBytes& a = short_context.decode.at(0).step.bytes;
    const hw::GenerationBytes& b = long_context.decode.at(0).step.bytes;
    EXPECT_EQ(short_context.decode.at(0).cache_rows, 128);  // context 65 in pages of 64
    // K and V rows at the cache's width: each operand of the context matmul moves in its producer's
    // precision (the probabilities' INT8 does not widen V).
    const int v_bytes = bytes;
    EXPECT_EQ(a.kv_reads, layers * kv_row * 128 * (bytes + v_bytes)) << dtype;
    EXPECT_EQ(b.kv_reads, layers * kv_row * 1024 * (bytes + v_bytes)) << dtype;
    EXPECT_EQ(a.kv_writes, layers * 2 * kv_row * bytes) << dtype;
    EXPECT_EQ(b.kv_writes, a.kv_writes);
    // At long context a cached head no longer fits the weight buffer; still read once per step.
    const hw::GenerationResult longer = simulate_generation(config, request(4000, 2, layers), {});
    EXPECT_EQ(longer.decode.at(0).step.bytes.kv_reads, layers * kv_row * 4032 * (bytes + v_bytes)) << dtype;
    EXPECT_EQ(a.weights, b.weights);  // the weights do not depend on the context
    // The prompt's pass wrote its rows, and read none.
    EXPECT_EQ(long_context.prefill.bytes.kv_writes, layers * 2 * kv_row * 1000 * bytes);
    EXPECT_EQ(long_context.prefill.bytes.kv_reads, 0);
  }
}

TEST(Generation, BadRequestsAreClearErrors) {
  GenerationRequest r;
  r.model = "tinyllama";
  using testing::error_of;
  const std::string usage = "--generate takes PROMPT_TOKENS,NEW_TOKENS (two whole numbers, e.g. 512,256), got ";
  EXPECT_EQ(error_of([&] { parse_generate("abc", r); }), usage + "'abc'");
  EXPECT_EQ(error_of([&] { parse_generate("512", r); }), usage + "'512'");
  EXPECT_EQ(error_of([&] { parse_generate("512,", r); }), usage + "'512,'");
  EXPECT_EQ(error_of([&] { parse_generate("5,2x", r); }), usage + "'5,2x'");
  EXPECT_EQ(error_of([&] { parse_generate("-5,2", r); parse_generate("5,-2", r); check_generation(r); }),
            "--generate: at least 2 new tokens (the first comes from the prefill, the time per output token from the decode steps), got -2");
  parse_generate("0,5", r);
  EXPECT_EQ(error_of([&] { check_generation(r); }), "--generate: the prompt needs at least 1 token, got 0");
  parse_generate("65000,1000", r);
  EXPECT_EQ(error_of([&] { check_generation(r); }), "--generate: 65000 prompt + 1000 new tokens is above the limit of 65536 tokens per sequence");
  parse_generate("8,4", r);
  r.model = "bert_base";
  EXPECT_EQ(error_of([&] { check_generation(r); }),
            "generation needs a decoder-only model; 'bert_base' is not one (decoders: tinyllama, smollm, opt_1_3b)");
}

}  // namespace
}  // namespace npusim::run
