// lut_unit.range_reduced: reciprocal and rsqrt on the model-wide bespoke-rr table. Table bytes, keys and
// the extra pipeline cycle against hand counts; the config field's YAML and --set forms.
#include <gtest/gtest.h>

#include "hw/config/hw_config_io.hpp"
#include "hw/cost/nonlinear_timing.hpp"
#include "hw/plan/plan_builder.hpp"
#include "common/error.hpp"

namespace npusim::hw {
namespace {

using workloads::OpType;

// Two blocks, each a softmax [197, 197] and a layernorm [197, 768].
workloads::Trace two_blocks() {
  workloads::Trace trace;
  trace.model = "two_blocks";
  for (const std::string block : {"blocks.0", "blocks.1"}) {
    workloads::TraceOp softmax;
    softmax.id = softmax.layer = block + ".softmax";
    softmax.type = OpType::softmax;
    softmax.inputs = {{197, 197}};
    softmax.output = {197, 197};
    softmax.ranges[Function::exp] = {-12.0, 0.0, {}, {}};
    softmax.ranges[Function::reciprocal] = {1.0, 197.0, {}, {}};
    if (!trace.ops.empty()) softmax.deps = {trace.ops.back().id};
    trace.ops.push_back(softmax);
    workloads::TraceOp norm;
    norm.id = norm.layer = block + ".norm";
    norm.type = OpType::layernorm;
    norm.inputs = {{197, 768}};
    norm.output = {197, 768};
    norm.ranges[Function::rsqrt] = {0.01, 400.0, {}, {}};
    norm.deps = {softmax.id};
    trace.ops.push_back(norm);
  }
  return trace;
}

TEST(RangeReducedPlan, ReducedFunctionsShareOneTableModelWide) {
  HwConfig config;
  config.lut_unit.range_reduced = {"reciprocal", "rsqrt"};
  const ExecutionPlan plan = build_plan(two_blocks(), config);
  for (const PlannedOp& op : plan.ops) {
    for (const TableUse& t : op.tables) {
      if (t.function == Function::exp) {
        EXPECT_FALSE(t.range_reduced);
        EXPECT_EQ(t.key, op.layer + ".exp");  // still one per layer
        continue;
      }
      EXPECT_TRUE(t.range_reduced);
      EXPECT_EQ(t.key, "bespoke_rr." + std::string(function_name(t.function)));
      EXPECT_EQ(t.bytes, 257 * 2);  // 257 INT16 entries over one octave, no dual-range table
    }
  }
  // Unreduced, every layer has its own reciprocal and rsqrt tables.
  const ExecutionPlan per_layer = build_plan(two_blocks(), HwConfig{});
  EXPECT_EQ(per_layer.ops[0].tables[1].key, "blocks.0.softmax.reciprocal");
  EXPECT_EQ(per_layer.ops[3].tables[0].key, "blocks.1.norm.rsqrt");
  EXPECT_FALSE(per_layer.ops[3].tables[0].range_reduced);
}

TEST(RangeReducedPlan, OnlyTheListedFunctionIsReduced) {
  HwConfig config;
  config.lut_unit.range_reduced = {"rsqrt"};
  const ExecutionPlan plan = build_plan(two_blocks(), config);
  EXPECT_EQ(plan.ops[0].tables[1].key, "blocks.0.softmax.reciprocal");
  EXPECT_EQ(plan.ops[1].tables[0].key, "bespoke_rr.rsqrt");
}

TEST(RangeReducedPlan, TheLeadingOneStageAddsOneCycleOfLatencyNotThroughput) {
  HwConfig plain;  // 8 lanes, 2-cycle lookups
  plain.lut_unit.command_cycles = 0;  // the command's fixed cost is the same either way
  HwConfig reduced = plain;
  reduced.lut_unit.range_reduced = {"reciprocal", "rsqrt"};
  const NonlinearWork norm{NonlinearKind::layernorm, 197 * 768, 197};
  const NonlinearWork softmax{NonlinearKind::softmax, 197 * 197, 197};
  const NonlinearWork gelu{NonlinearKind::gelu, 197 * 3072, 197};
  // 197 rsqrt lookups over 8 lanes: 25 issue cycles + (2 - 1) latency; reduced + 1.
  EXPECT_EQ(NonlinearTiming(plain).cost(NonlinearEngine::lut, norm).lookup_cycles, 26);
  EXPECT_EQ(NonlinearTiming(reduced).cost(NonlinearEngine::lut, norm).lookup_cycles, 27);
  // 197 x 197 exp + 197 reciprocal lookups: ceil(39006 / 8) = 4876 issue cycles.
  EXPECT_EQ(NonlinearTiming(plain).cost(NonlinearEngine::lut, softmax).lookup_cycles, 4877);
  EXPECT_EQ(NonlinearTiming(reduced).cost(NonlinearEngine::lut, softmax).lookup_cycles, 4878);
  EXPECT_EQ(NonlinearTiming(reduced).cost(NonlinearEngine::lut, gelu).lookup_cycles,
            NonlinearTiming(plain).cost(NonlinearEngine::lut, gelu).lookup_cycles);
  // Another engine is not affected.
  EXPECT_EQ(NonlinearTiming(reduced).cost(NonlinearEngine::nnlut, norm).lookup_cycles,
            NonlinearTiming(plain).cost(NonlinearEngine::nnlut, norm).lookup_cycles);
}

TEST(RangeReducedPlan, TheConfigFieldTakesASequenceOrCommaText) {
  HwConfig config = parse_hw_config("lut_unit:\n  range_reduced: [rsqrt, reciprocal]\n", "c.yaml");
  EXPECT_EQ(config.lut_unit.range_reduced, (std::vector<std::string>{"reciprocal", "rsqrt"}));
  EXPECT_EQ(find_config_field("lut_unit.range_reduced")->get(config), "reciprocal,rsqrt");
  EXPECT_EQ(parse_hw_config(dump_hw_config(config), "dump.yaml").lut_unit.range_reduced, config.lut_unit.range_reduced);
  EXPECT_TRUE(parse_hw_config("lut_unit:\n  range_reduced: []\n", "c.yaml").lut_unit.range_reduced.empty());
  EXPECT_TRUE(HwConfig{}.lut_unit.range_reduced.empty());
  apply_overrides(config, {"lut_unit.range_reduced=rsqrt"});
  EXPECT_EQ(config.lut_unit.range_reduced, (std::vector<std::string>{"rsqrt"}));
  apply_overrides(config, {"lut_unit.range_reduced=none"});
  EXPECT_TRUE(config.lut_unit.range_reduced.empty());
  const auto error_of = [](const std::string& yaml) {
    try {
      parse_hw_config(yaml, "c.yaml");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(error_of("lut_unit:\n  range_reduced: [rsqrt, exp]\n"),
            "c.yaml:2:26: lut_unit.range_reduced lists names from reciprocal, rsqrt, got 'exp'");
  EXPECT_EQ(error_of("lut_unit:\n  range_reduced: [rsqrt, rsqrt]\n"), "c.yaml:2:26: lut_unit.range_reduced lists rsqrt twice");
  EXPECT_EQ(error_of("lut_unit:\n  range_reduced: {a: 1}\n"),
            "c.yaml:2:18: lut_unit.range_reduced takes a single value, not a list or a map");
  EXPECT_THROW(apply_overrides(config, {"lut_unit.range_reduced=exp"}), Error);
}

}  // namespace
}  // namespace npusim::hw
