#include "workloads/model_zoo.hpp"

#include <functional>

#include "common/error.hpp"
#include "common/did_you_mean.hpp"
#include "workloads/trace_builder.hpp"

namespace npusim::workloads {

namespace {

struct TransformerShape {
  int64_t hidden, heads, kv_heads, mlp;
  OpType activation;  // gelu, silu (gated MLP) or relu
  OpType norm;        // layernorm or rmsnorm
  bool post_norm;     // BERT / DETR: norm after the residual add
  bool causal = false;  // decoders: the additive causal mask before softmax (every ONNX export of a Llama adds one)
};

std::string block_name(const std::string& prefix, int index) { return prefix + "." + std::to_string(index); }

// Self-attention over `x` ([T, D]) with separate Q, K, V projections; returns the projected output.
// With `sequences` > 1 the rows hold several sequences of equal length, each attending to itself.
std::string attention(TraceBuilder& b, const std::string& p, const std::string& x, const std::string& kv_source,
                      const TransformerShape& s, double depth, int64_t q_dim_per_head, int64_t v_dim_per_head,
                      int64_t sequences = 1) {
  const int64_t tq = b.shape_of(x)[0];
  const int64_t tk = b.shape_of(kv_source)[0];
  const std::string q = b.linear(p + ".q_proj", x, s.heads * q_dim_per_head);
  const std::string k = b.linear(p + ".k_proj", kv_source, s.kv_heads * q_dim_per_head);
  const std::string v = b.linear(p + ".v_proj", kv_source, s.kv_heads * v_dim_per_head);
  const std::string qh = b.reshape(p + ".q_heads", q, {sequences * s.heads, tq / sequences, q_dim_per_head});
  const std::string kt = b.reshape(p + ".k_transpose", k, {sequences * s.kv_heads, q_dim_per_head, tk / sequences});
  const std::string vh = b.reshape(p + ".v_heads", v, {sequences * s.kv_heads, tk / sequences, v_dim_per_head});
  std::string scores = b.batched_matmul(p + ".scores", qh, kt);
  if (s.causal) scores = b.causal_mask(p + ".causal_mask", scores);
  const std::string probs = b.nonlinear(OpType::softmax, p + ".softmax", scores, depth);
  const std::string context = b.batched_matmul(p + ".context", probs, vh);
  const std::string merged = b.reshape(p + ".merge_heads", context, {tq, s.heads * v_dim_per_head});
  return b.linear(p + ".out_proj", merged, s.hidden);
}

std::string mlp(TraceBuilder& b, const std::string& p, const std::string& x, const TransformerShape& s, double depth) {
  return b.mlp(p, x, s.activation, s.mlp, s.hidden, depth);
}

std::string norm(TraceBuilder& b, const std::string& layer, const std::string& x, const TransformerShape& s, double depth) {
  return b.nonlinear(s.norm, layer, x, depth);
}

// One encoder/decoder-only block; returns its output.
std::string transformer_block(TraceBuilder& b, const std::string& p, const std::string& x, const TransformerShape& s,
                              double depth, int64_t sequences = 1) {
  const int64_t head_dim = s.hidden / s.heads;
  if (s.post_norm) {
    const std::string attn = attention(b, p + ".attn", x, x, s, depth, head_dim, head_dim, sequences);
    const std::string h = norm(b, p + ".norm1", b.add(p + ".attn_residual", x, attn), s, depth);
    const std::string m = mlp(b, p + ".mlp", h, s, depth);
    return norm(b, p + ".norm2", b.add(p + ".mlp_residual", h, m), s, depth);
  }
  const std::string normed = norm(b, p + ".norm1", x, s, depth);
  const std::string attn = attention(b, p + ".attn", normed, normed, s, depth, head_dim, head_dim, sequences);
  const std::string h = b.add(p + ".attn_residual", x, attn);
  const std::string m = mlp(b, p + ".mlp", norm(b, p + ".norm2", h, s, depth), s, depth);
  return b.add(p + ".mlp_residual", h, m);
}

struct BlockRange {
  int first, last;
};

BlockRange select_blocks(const ZooOptions& o, const ZooModelInfo& info) {
  if (o.full) return {0, info.blocks};
  if (o.first_block < 0) return {info.default_block, info.default_block + 1};
  const int last = o.last_block < 0 ? o.first_block + 1 : o.last_block;
  if (o.first_block >= info.blocks || last > info.blocks || last <= o.first_block) {
    throw Error(info.name + " has blocks 0.." + std::to_string(info.blocks - 1) + "; --blocks " +
                std::to_string(o.first_block) + ":" + std::to_string(last) + " selects none or too many");
  }
  return {o.first_block, last};
}

double depth_of(int block, int blocks) { return blocks > 1 ? static_cast<double>(block) / (blocks - 1) : 0.0; }

// ViT-Base, DeiT-Tiny, BERT-base and the decoder LLMs: a stack of identical blocks.
Trace token_model(const ZooModelInfo& info, const ZooOptions& o, const TransformerShape& s, ModelFamily family,
                  const std::string& source, int64_t vocab_or_classes, bool classifier) {
  const int64_t tokens = (o.tokens > 0 ? o.tokens : info.default_tokens) * o.batch;
  TraceBuilder b(info.name, source, SyntheticRanges(family, tokens / o.batch));
  const BlockRange r = select_blocks(o, info);
  std::string x;
  if (o.full) {
    if (info.name == "vit_base" || info.name == "deit_tiny") {
      // Patch embedding as a matmul of flattened 16x16x3 patches (the class-token row rides along).
      x = b.linear("patch_embed", b.input("patches", {tokens, 16 * 16 * 3}), s.hidden);
    } else {
      x = b.input("embeddings", {tokens, s.hidden}, Precision::int16);  // token (+ position) embedding lookups
      if (info.name == "bert_base") x = norm(b, "embeddings.norm", x, s, 0.0);
    }
  } else {
    x = b.input(block_name("blocks", r.first) + ".input", {tokens, s.hidden}, Precision::int16);  // the residual stream
  }
  if (s.heads % s.kv_heads != 0) throw Error("heads must be a multiple of kv heads");
  for (int i = r.first; i < r.last; ++i) {
    // Tokens of all sequences in the batch share the projections; attention is per sequence and head.
    x = transformer_block(b, block_name("blocks", i), x, s, depth_of(i, info.blocks), o.batch);
  }
  if (o.full && info.name != "bert_base") {
    x = norm(b, "final_norm", x, s, 1.0);
    if (classifier) {
      x = b.linear("head", x, vocab_or_classes);
    } else {
      b.linear("lm_head", x, vocab_or_classes);
    }
  }
  return b.finish("synthetic");
}

// EfficientFormer: Meta4D blocks (pooling mixer, conv MLP with BN and GELU) in four stages, the last
// blocks of stage 4 Meta3D (attention on the 7x7 tokens).
Trace efficientformer(const ZooModelInfo& info, const ZooOptions& o, const std::vector<int>& depths,
                      const std::vector<int64_t>& widths, int attention_blocks) {
  if (o.batch != 1) throw Error(info.name + " traces are per image: --batch must be 1");
  const int64_t image = o.tokens > 0 ? o.tokens : 224;
  if (image % 32 != 0) throw Error(info.name + ": the image side must be a multiple of 32, got " + std::to_string(image));
  TraceBuilder b(info.name, "EfficientFormer (Li et al., NeurIPS 2022), " + std::to_string(image) + "x" + std::to_string(image) + " input",
                 SyntheticRanges(ModelFamily::vision, (image / 32) * (image / 32)));
  const BlockRange r = select_blocks(o, info);
  std::string x;
  int block = 0;
  int64_t side = image / 4;
  for (size_t stage = 0; stage < depths.size(); ++stage) {
    for (int in_stage = 0; in_stage < depths[stage]; ++in_stage, ++block) {
      const bool selected = block >= r.first && block < r.last;
      const bool meta3d = block >= info.blocks - attention_blocks;
      const int64_t c = widths[stage];
      const std::string p = block_name("blocks", block);
      if (!selected) continue;
      if (x.empty()) {
        if (o.full) {  // stem: two 3x3 stride-2 convs with BN and ReLU
          x = b.input("image", {3, image, image});
          x = b.relu("stem.relu1", b.batchnorm("stem.bn1", b.conv("stem.conv1", x, widths[0] / 2, 3, 2, 1)));
          x = b.relu("stem.relu2", b.batchnorm("stem.bn2", b.conv("stem.conv2", x, widths[0], 3, 2, 1)));
        } else if (meta3d) {
          x = b.input(p + ".input", {side * side, c}, Precision::int16);
        } else {
          x = b.input(p + ".input", {in_stage == 0 && stage > 0 ? widths[stage - 1] : c,
                                     in_stage == 0 && stage > 0 ? side * 2 : side, in_stage == 0 && stage > 0 ? side * 2 : side});
        }
      }
      if (in_stage == 0 && stage > 0 && b.shape_of(x).size() == 3 && b.shape_of(x)[0] != c) {
        // Downsampling between stages: 3x3 stride-2 conv with BN.
        x = b.batchnorm(p + ".downsample.bn", b.conv(p + ".downsample.conv", x, c, 3, 2, 1));
      }
      const double depth = depth_of(block, info.blocks);
      if (meta3d) {
        if (b.shape_of(x).size() == 3) x = b.reshape(p + ".flatten", x, {side * side, c});
        const TransformerShape s{c, 8, 8, 4 * c, OpType::gelu, OpType::layernorm, false};
        // Meta3D attention: 8 heads, query/key dimension 32, value dimension 4 x 32 per head.
        const std::string normed = b.nonlinear(OpType::layernorm, p + ".norm1", x, depth);
        const std::string attn = attention(b, p + ".attn", normed, normed, s, depth, 32, 128);
        const std::string h = b.add(p + ".attn_residual", x, attn);
        const std::string m = mlp(b, p + ".mlp", b.nonlinear(OpType::layernorm, p + ".norm2", h, depth), s, depth);
        x = b.add(p + ".mlp_residual", h, m);
      } else {
        // Meta4D: x + (avgpool3x3(x) - x), then x + conv-MLP(x) with BN and GELU.
        const std::string pooled = b.pooling(p + ".token_mixer.pool", x, 3, 1, 1);
        x = b.add(p + ".token_mixer.residual", x, pooled);
        const std::string fc1 = b.batchnorm(p + ".mlp.bn1", b.conv(p + ".mlp.fc1", x, 4 * c, 1, 1, 0));
        const std::string act = b.nonlinear(OpType::gelu, p + ".mlp.gelu", fc1, depth);
        const std::string fc2 = b.batchnorm(p + ".mlp.bn2", b.conv(p + ".mlp.fc2", act, c, 1, 1, 0));
        x = b.add(p + ".mlp_residual", x, fc2);
      }
    }
    if (stage + 1 < depths.size()) side /= 2;
  }
  if (o.full) {
    const int64_t c = widths.back();
    x = b.nonlinear(OpType::layernorm, "final_norm", x, 1.0);
    x = b.reshape("to_channels", x, {c, side, side});
    x = b.reshape("pool_flatten", b.pooling("global_pool", x, side, 1, 0), {1, c});
    b.linear("head", x, 1000);
  }
  return b.finish("synthetic");
}

// ResNet-50 bottleneck stages as convs with BN and ReLU.
std::string resnet50(TraceBuilder& b, std::string x) {
  x = b.relu("backbone.stem.relu", b.batchnorm("backbone.stem.bn", b.conv("backbone.stem.conv", x, 64, 7, 2, 3)));
  x = b.pooling("backbone.stem.maxpool", x, 3, 2, 1);
  const int blocks[] = {3, 4, 6, 3};
  const int64_t widths[] = {64, 128, 256, 512};
  for (int stage = 0; stage < 4; ++stage) {
    for (int i = 0; i < blocks[stage]; ++i) {
      const std::string p = "backbone.layer" + std::to_string(stage + 1) + "." + std::to_string(i);
      const int64_t w = widths[stage];
      const int64_t stride = (i == 0 && stage > 0) ? 2 : 1;
      std::string y = b.relu(p + ".relu1", b.batchnorm(p + ".bn1", b.conv(p + ".conv1", x, w, 1, 1, 0)));
      y = b.relu(p + ".relu2", b.batchnorm(p + ".bn2", b.conv(p + ".conv2", y, w, 3, stride, 1)));
      y = b.batchnorm(p + ".bn3", b.conv(p + ".conv3", y, 4 * w, 1, 1, 0));
      const std::string shortcut =
          i == 0 ? b.batchnorm(p + ".downsample.bn", b.conv(p + ".downsample.conv", x, 4 * w, 1, stride, 0)) : x;
      x = b.relu(p + ".relu3", b.add(p + ".residual", y, shortcut));
    }
  }
  return x;
}

// DETR-R50: ResNet-50 backbone (full model only), 6 encoder and 6 decoder layers (post-norm), 100 queries.
Trace detr(const ZooModelInfo& info, const ZooOptions& o) {
  if (o.batch != 1) throw Error("detr_r50 traces are per image: --batch must be 1");
  const int64_t image = o.tokens > 0 ? o.tokens : 800;
  if (image % 32 != 0) throw Error("detr_r50: the image side must be a multiple of 32, got " + std::to_string(image));
  const int64_t side = image / 32, tokens = side * side, queries = 100, hidden = 256;
  TraceBuilder b(info.name, "DETR-R50 (Carion et al., ECCV 2020), " + std::to_string(image) + "x" + std::to_string(image) +
                                " image, 100 queries",
                 SyntheticRanges(ModelFamily::detection, tokens));
  const TransformerShape s{hidden, 8, 8, 2048, OpType::relu, OpType::layernorm, true};
  const BlockRange r = select_blocks(o, info);
  std::string memory;
  if (o.full) {
    const std::string features = resnet50(b, b.input("image", {3, image, image}));
    memory = b.reshape("input_proj.flatten", b.conv("input_proj", features, hidden, 1, 1, 0), {tokens, hidden});
  } else if (r.first < 6) {
    memory = b.input(block_name("encoder.layers", r.first) + ".input", {tokens, hidden}, Precision::int16);
  } else {
    memory = b.input("encoder.memory", {tokens, hidden}, Precision::int16);
  }
  for (int i = std::max(r.first, 0); i < std::min(r.last, 6); ++i) {
    memory = transformer_block(b, block_name("encoder.layers", i), memory, s, depth_of(i, 12));
  }
  if (r.last > 6) {
    std::string x = b.input(r.first <= 6 ? "decoder.queries" : block_name("decoder.layers", r.first - 6) + ".input",
                            {queries, hidden}, Precision::int16);
    for (int i = std::max(r.first, 6); i < r.last; ++i) {
      const std::string p = block_name("decoder.layers", i - 6);
      const double depth = depth_of(i, 12);
      const std::string self = attention(b, p + ".self_attn", x, x, s, depth, hidden / 8, hidden / 8);
      x = norm(b, p + ".norm1", b.add(p + ".self_residual", x, self), s, depth);
      const std::string cross = attention(b, p + ".cross_attn", x, memory, s, depth, hidden / 8, hidden / 8);
      x = norm(b, p + ".norm2", b.add(p + ".cross_residual", x, cross), s, depth);
      x = norm(b, p + ".norm3", b.add(p + ".mlp_residual", x, mlp(b, p + ".mlp", x, s, depth)), s, depth);
    }
    if (o.full) {
      x = norm(b, "decoder.final_norm", x, s, 1.0);
      b.linear("class_head", x, 92);
      b.linear("box_head.fc3", b.relu("box_head.relu2", b.linear("box_head.fc2", b.relu("box_head.relu1", b.linear("box_head.fc1", x, hidden)), hidden)), 4);
    }
  }
  return b.finish("synthetic");
}

struct ZooEntry {
  ZooModelInfo info;
  std::function<Trace(const ZooModelInfo&, const ZooOptions&)> generate;
};

const std::vector<ZooEntry>& zoo() {
  static const std::vector<ZooEntry> entries = {
      {{"vit_base", "ViT-Base/16: 12 layers, hidden 768, 12 heads, MLP 3072, GELU / LayerNorm, 197 tokens", 12, 0, 197},
       [](const ZooModelInfo& i, const ZooOptions& o) {
         return token_model(i, o, {768, 12, 12, 3072, OpType::gelu, OpType::layernorm, false}, ModelFamily::vision,
                            "ViT-Base/16 (Dosovitskiy et al., ICLR 2021)", 1000, true);
       }},
      {{"deit_tiny", "DeiT-Tiny: 12 layers, hidden 192, 3 heads, MLP 768, GELU / LayerNorm, 197 tokens", 12, 0, 197},
       [](const ZooModelInfo& i, const ZooOptions& o) {
         return token_model(i, o, {192, 3, 3, 768, OpType::gelu, OpType::layernorm, false}, ModelFamily::vision,
                            "DeiT-Tiny (Touvron et al., ICML 2021)", 1000, true);
       }},
      {{"efficientformer_l1", "EfficientFormer-L1: stages 3,2,6,4, widths 48,96,224,448, last block attention, 224x224", 15, 14, 224},
       [](const ZooModelInfo& i, const ZooOptions& o) { return efficientformer(i, o, {3, 2, 6, 4}, {48, 96, 224, 448}, 1); }},
      {{"efficientformer_l3", "EfficientFormer-L3: stages 4,4,12,6, widths 64,128,320,512, last 4 blocks attention, 224x224", 26, 22, 224},
       [](const ZooModelInfo& i, const ZooOptions& o) { return efficientformer(i, o, {4, 4, 12, 6}, {64, 128, 320, 512}, 4); }},
      {{"detr_r50", "DETR-R50: 6 encoder + 6 decoder layers, hidden 256, 8 heads, FFN 2048, ReLU / LayerNorm, 100 queries; --tokens is the image side (800)", 12, 0, 800},
       [](const ZooModelInfo& i, const ZooOptions& o) { return detr(i, o); }},
      {{"bert_base", "BERT-base: 12 layers, hidden 768, 12 heads, MLP 3072, GELU / LayerNorm (post-norm), 128 tokens", 12, 0, 128},
       [](const ZooModelInfo& i, const ZooOptions& o) {
         return token_model(i, o, {768, 12, 12, 3072, OpType::gelu, OpType::layernorm, true}, ModelFamily::encoder_language,
                            "BERT-base (Devlin et al., NAACL 2019)", 0, false);
       }},
      {{"tinyllama", "TinyLlama-1.1B: 22 layers, hidden 2048, 32 heads (4 kv), MLP 5632, SiLU / RMSNorm, 2048 tokens", 22, 0, 2048},
       [](const ZooModelInfo& i, const ZooOptions& o) {
         return token_model(i, o, {2048, 32, 4, 5632, OpType::silu, OpType::rmsnorm, false, true}, ModelFamily::decoder_language,
                            "TinyLlama-1.1B (Zhang et al., 2024)", 32000, false);
       }},
      {{"smollm", "SmolLM-1.7B: 24 layers, hidden 2048, 32 heads (32 kv), MLP 8192, SiLU / RMSNorm, 2048 tokens", 24, 0, 2048},
       [](const ZooModelInfo& i, const ZooOptions& o) {
         return token_model(i, o, {2048, 32, 32, 8192, OpType::silu, OpType::rmsnorm, false, true}, ModelFamily::decoder_language,
                            "SmolLM-1.7B (Hugging Face, 2024)", 49152, false);
       }},
      {{"opt_1_3b", "OPT-1.3B: 24 layers, hidden 2048, 32 heads, FFN 8192, ReLU / LayerNorm, 2048 tokens", 24, 0, 2048},
       [](const ZooModelInfo& i, const ZooOptions& o) {
         return token_model(i, o, {2048, 32, 32, 8192, OpType::relu, OpType::layernorm, false, true}, ModelFamily::decoder_language,
                            "OPT-1.3B (Zhang et al., 2022)", 50272, false);
       }},
  };
  return entries;
}

const ZooEntry& entry(const std::string& name) {
  for (const auto& e : zoo()) {
    if (e.info.name == name) return e;
  }
  throw Error("unknown model '" + name + "'" + did_you_mean(name, zoo_model_names()) + "; known: " +
              join_names(zoo_model_names()));
}

}  // namespace

const std::vector<std::string>& zoo_model_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& e : zoo()) n.push_back(e.info.name);
    return n;
  }();
  return names;
}

ZooModelInfo zoo_model_info(const std::string& name) { return entry(name).info; }

Trace generate_model(const std::string& name, const ZooOptions& options) {
  const ZooEntry& e = entry(name);
  if (options.tokens < 0) throw Error("--tokens must be > 0");
  if (options.batch <= 0) throw Error("--batch must be > 0");
  if (options.tokens > kMaxTokens) {
    throw Error("--tokens " + std::to_string(options.tokens) + " is above the limit of " + std::to_string(kMaxTokens) +
                " tokens per sequence");
  }
  if (options.batch > kMaxBatch) {
    throw Error("--batch " + std::to_string(options.batch) + " is above the limit of " + std::to_string(kMaxBatch) + " sequences");
  }
  const int64_t tokens = options.tokens > 0 ? options.tokens : e.info.default_tokens;
  const bool image_model = name == "detr_r50" || name.rfind("efficientformer", 0) == 0;
  if (image_model && tokens > kMaxImageSide) {
    throw Error(name + ": the image side (--tokens) " + std::to_string(tokens) + " is above the limit of " +
                std::to_string(kMaxImageSide) + " pixels");
  }
  if (!image_model && tokens * options.batch > kMaxTokenRows) {
    throw Error("--tokens " + std::to_string(tokens) + " x --batch " + std::to_string(options.batch) + " = " +
                std::to_string(tokens * options.batch) + " token rows is above the limit of " + std::to_string(kMaxTokenRows));
  }
  return e.generate(e.info, options);
}

}  // namespace npusim::workloads
