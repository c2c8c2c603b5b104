// Trace generators for the model zoo of SPEC 5, under one name each everywhere a model is named:
// vit_base, deit_tiny, efficientformer_l1, efficientformer_l3, detr_r50, bert_base, tinyllama, smollm,
// opt_1_3b.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/trace.hpp"

namespace npusim::workloads {

// Documented limits (docs/user-guide.md, "Workloads"), refused up front with the limit named: attention grows with
// tokens^2, so a whole TinyLlama at 65,536 tokens already takes minutes to simulate.
constexpr int64_t kMaxTokens = 65536;      // tokens per sequence
constexpr int64_t kMaxBatch = 1024;        // sequences per run
constexpr int64_t kMaxTokenRows = 65536;   // tokens x batch: the rows of every projection
constexpr int64_t kMaxImageSide = 8192;    // DETR and EfficientFormer: --tokens is the image side in pixels

struct ZooOptions {
  int64_t tokens = 0;      // sequence length (0: the model's default); DETR: image side in pixels
  bool full = false;       // the whole model: embeddings or stem, every block, final norm, head
  int first_block = -1;    // blocks [first_block, last_block); -1: the model's default single block
  int last_block = -1;
  int64_t batch = 1;       // sequences per run (token models)
};

const std::vector<std::string>& zoo_model_names();

struct ZooModelInfo {
  std::string name;
  std::string description;  // the SPEC 5 row
  int blocks = 0;           // selectable blocks (DETR: encoder then decoder layers; EfficientFormer: all stages)
  int default_block = 0;    // the block a single-block trace holds by default
  int64_t default_tokens = 0;
};
ZooModelInfo zoo_model_info(const std::string& name);  // throws for an unknown name (did-you-mean)

// Throws npusim::Error for an unknown model, a block range outside the model, tokens or batch <= 0 or
// above the limits.
Trace generate_model(const std::string& name, const ZooOptions& options);

}  // namespace npusim::workloads
