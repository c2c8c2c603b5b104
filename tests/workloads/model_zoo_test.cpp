#include "workloads/model_zoo.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"
#include "tests/error_text.hpp"
#include "workloads/lut_inventory.hpp"
#include "workloads/trace_stats.hpp"
#include "workloads/trace_yaml.hpp"

namespace npusim::workloads {
namespace {

ZooOptions full() {
  ZooOptions o;
  o.full = true;
  return o;
}

TEST(ModelZoo, TableVCountsOfTheVisionModels) {
  // SPEC 4: base tables only, 514 bytes each.
  const struct { const char* model; int64_t tables; int64_t bytes; } expected[] = {
      {"vit_base", 61, 31354}, {"deit_tiny", 61, 31354}, {"efficientformer_l1", 20, 10280},
      {"efficientformer_l3", 43, 22102}, {"detr_r50", 67, 34438}};
  for (const auto& e : expected) {
    const LutInventory inv = lut_inventory(generate_model(e.model, full()), 0.1);
    EXPECT_EQ(inv.tables, e.tables) << e.model;
    EXPECT_EQ(inv.base_bytes, e.bytes) << e.model;
  }
}

TEST(ModelZoo, LanguageModelsCountWhatTheirStructureGives) {
  // Per block: two norms, softmax's exp and reciprocal, and the MLP activation if it has a table.
  EXPECT_EQ(lut_inventory(generate_model("bert_base", full()), 0.1).tables, 12 * 5 + 1);   // + embedding LayerNorm
  EXPECT_EQ(lut_inventory(generate_model("tinyllama", full()), 0.1).tables, 22 * 5 + 1);   // + final RMSNorm
  EXPECT_EQ(lut_inventory(generate_model("smollm", full()), 0.1).tables, 24 * 5 + 1);
  EXPECT_EQ(lut_inventory(generate_model("opt_1_3b", full()), 0.1).tables, 24 * 4 + 1);    // ReLU: no table
  // Near-zero rsqrt and reciprocal inputs give the LLMs dual-range tables; more at a lower threshold.
  const Trace llama = generate_model("tinyllama", full());
  EXPECT_GE(lut_inventory(llama, 0.1).dual_tables, 22 * 2);
  EXPECT_GE(lut_inventory(llama, 0.0).dual_tables, lut_inventory(llama, 0.1).dual_tables);
  EXPECT_EQ(lut_inventory(llama, 0.1).dual_bytes, 34 * lut_inventory(llama, 0.1).dual_tables);
}

TEST(ModelZoo, DecodersMaskTheirScoresBeforeSoftmax) {
  for (const char* model : {"tinyllama", "smollm", "opt_1_3b"}) {
    const Trace t = generate_model(model, ZooOptions{});
    const TraceOp* mask = t.find("blocks.0.attn.causal_mask");
    ASSERT_NE(mask, nullptr) << model;
    EXPECT_EQ(mask->type, OpType::causal_mask);
    EXPECT_EQ(mask->deps, (std::vector<std::string>{"blocks.0.attn.scores"}));
    EXPECT_EQ(t.find("blocks.0.attn.softmax")->deps, (std::vector<std::string>{"blocks.0.attn.causal_mask"}));
  }
  for (const char* model : {"vit_base", "bert_base", "detr_r50"}) {
    for (const TraceOp& op : generate_model(model, ZooOptions{}).ops) EXPECT_NE(op.type, OpType::causal_mask) << model << " " << op.id;
  }
}

// Independent count of one pre-norm block's MACs: Q, K, V, O projections, QK^T and AV per head, MLP.
int64_t block_macs(int64_t t, int64_t d, int64_t heads, int64_t kv_heads, int64_t mlp, bool gated) {
  const int64_t dh = d / heads;
  const int64_t projections = t * d * d * 2 + 2 * t * d * (kv_heads * dh);
  const int64_t attention = 2 * heads * t * t * dh;
  const int64_t feed_forward = (gated ? 3 : 2) * t * d * mlp;
  return projections + attention + feed_forward;
}

TEST(ModelZoo, BlockMacsMatchHandCounts) {
  const auto macs = [](const char* model, int64_t tokens) {
    ZooOptions o;
    o.tokens = tokens;
    return trace_stats(generate_model(model, o)).total.macs;
  };
  // ViT-Base block: 4 * 197 * 768^2 + 2 * 12 * 197^2 * 64 + 2 * 197 * 768 * 3072 = 1,453,954,560.
  EXPECT_EQ(macs("vit_base", 197), 1453954560);
  EXPECT_EQ(macs("vit_base", 197), block_macs(197, 768, 12, 12, 3072, false));
  EXPECT_EQ(macs("deit_tiny", 197), block_macs(197, 192, 3, 3, 768, false));
  EXPECT_EQ(macs("bert_base", 128), block_macs(128, 768, 12, 12, 3072, false));
  EXPECT_EQ(macs("tinyllama", 2048), block_macs(2048, 2048, 32, 4, 5632, true));
  EXPECT_EQ(macs("smollm", 512), block_macs(512, 2048, 32, 32, 8192, true));
  EXPECT_EQ(macs("opt_1_3b", 256), block_macs(256, 2048, 32, 32, 8192, false));
}

TEST(ModelZoo, WholeModelsAddUp) {
  const TraceStats vit = trace_stats(generate_model("vit_base", full()));
  const int64_t patch = 197LL * 768 * 768, head = 1LL * 197 * 768 * 1000;
  EXPECT_EQ(vit.total.macs, 12 * block_macs(197, 768, 12, 12, 3072, false) + patch + head);
  // ViT-Base has about 86 M parameters.
  const LutInventory inv = lut_inventory(generate_model("vit_base", full()), 0.1);
  EXPECT_NEAR(static_cast<double>(inv.parameters), 86.4e6, 0.5e6);
  // Non-linear elements of one ViT-Base block: GELU 197 x 3072, softmax 12 x 197 x 197, two LayerNorms.
  ZooOptions one;
  const TraceStats block = trace_stats(generate_model("vit_base", one));
  EXPECT_EQ(block.total.nonlinear_elements[0], 197 * 3072);
  EXPECT_EQ(block.total.nonlinear_elements[2], 12 * 197 * 197);
  EXPECT_EQ(block.total.nonlinear_elements[3], 2 * 197 * 768);
  EXPECT_EQ(block.total.weight_bytes, 4 * 768 * 768 + 2 * 768 * 3072);
}

TEST(ModelZoo, EveryModelGeneratesValidTracesThatRoundTrip) {
  for (const auto& name : zoo_model_names()) {
    SCOPED_TRACE(name);
    const ZooModelInfo info = zoo_model_info(name);
    ZooOptions last;
    last.first_block = info.blocks - 1;
    for (const ZooOptions& o : {ZooOptions(), last, full()}) {
      if (o.full && (name == "tinyllama" || name == "smollm" || name == "opt_1_3b")) continue;  // large: covered above
      const Trace trace = generate_model(name, o);
      const std::string text = trace_to_yaml(trace);
      EXPECT_EQ(trace_to_yaml(parse_trace(text, name + ".yaml")), text);
    }
  }
}

TEST(ModelZoo, BadOptionsAreClearErrors) {
  EXPECT_THROW(generate_model("vit_large", {}), Error);
  try {
    generate_model("vit_bse", {});
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'vit_base'"), std::string::npos);
  }
  ZooOptions blocks;
  blocks.first_block = 12;
  EXPECT_THROW(generate_model("vit_base", blocks), Error);
  ZooOptions batch;
  batch.batch = 0;
  EXPECT_THROW(generate_model("vit_base", batch), Error);
  batch.batch = 2;
  EXPECT_THROW(generate_model("detr_r50", batch), Error);
  ZooOptions image;
  image.tokens = 100;
  EXPECT_THROW(generate_model("efficientformer_l1", image), Error);
}

// Regression (issue 13): --tokens 1048576 was accepted and the run then took hours (attention grows with
// tokens^2); --batch had no cap, and tokens x batch wrapped to a negative row count.
TEST(ModelZoo, TokenBatchAndImageLimitsAreRefusedUpFrontWithTheLimitNamed) {
  using testing::error_of;
  const auto with = [](int64_t tokens, int64_t batch) {
    ZooOptions o;
    o.tokens = tokens;
    o.batch = batch;
    return o;
  };
  EXPECT_EQ(error_of([&] { generate_model("tinyllama", with(1048576, 1)); }),
            "--tokens 1048576 is above the limit of 65536 tokens per sequence");
  EXPECT_EQ(error_of([&] { generate_model("vit_base", with(0, 1025)); }), "--batch 1025 is above the limit of 1024 sequences");
  EXPECT_EQ(error_of([&] { generate_model("vit_base", with(0, int64_t{1} << 62)); }),
            "--batch 4611686018427387904 is above the limit of 1024 sequences");
  EXPECT_EQ(error_of([&] { generate_model("tinyllama", with(2048, 64)); }),
            "--tokens 2048 x --batch 64 = 131072 token rows is above the limit of 65536");
  EXPECT_EQ(error_of([&] { generate_model("detr_r50", with(16384, 1)); }),
            "detr_r50: the image side (--tokens) 16384 is above the limit of 8192 pixels");
  EXPECT_EQ(generate_model("tinyllama", with(65536, 1)).ops.front().output.front(), 65536);
  EXPECT_EQ(generate_model("bert_base", with(64, 1024)).ops.front().output.front(), 64 * 1024);
}

TEST(ModelZoo, BatchesAttendPerSequence) {
  ZooOptions two;
  two.batch = 2;
  ZooOptions one;
  EXPECT_EQ(trace_stats(generate_model("bert_base", two)).total.macs, 2 * trace_stats(generate_model("bert_base", one)).total.macs);
}

}  // namespace
}  // namespace npusim::workloads
