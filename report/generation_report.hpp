// What an LLM generation run measured (docs/generation.md): the prompt's pass, the first token's head,
// and the decode steps grouped by KV-cache page (steps whose cache reads cover the same pages run the
// same trace, so one simulation stands for all of them). Plain data with the figures derived from it
// (TTFT, TPOT, tokens per second, energy and DRAM bytes per token), and its text, CSV, JSON and chart.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/run_report.hpp"

namespace npusim::hw {

// DRAM bytes (read + written) by what they carry.
struct GenerationBytes {
  int64_t weights = 0;
  int64_t kv_reads = 0;     // KV-cache rows the attention reads
  int64_t kv_writes = 0;    // KV-cache rows written (this token's, or the prompt's)
  int64_t activations = 0;  // everything else that is not a table: inputs, spills, MAU<->DSP exchange
  int64_t tables = 0;       // LUT / NN-LUT table loads
  int64_t total() const { return weights + kv_reads + kv_writes + activations + tables; }
  GenerationBytes& operator+=(const GenerationBytes& o);
};
GenerationBytes operator*(const GenerationBytes& b, int64_t times);

// One simulated trace.
struct PassCost {
  double total_ns = 0.0;
  double nonlinear_ns = 0.0;  // busy: non-linear compute + decomposition steps
  double energy_uj = 0.0;
  int64_t macs = 0;
  GenerationBytes bytes;
  double nonlinear_share() const { return total_ns > 0 ? nonlinear_ns / total_ns : 0.0; }
  // Passes one after another (a decode step's layers and head).
  PassCost& operator+=(const PassCost& o);
};

// The decode steps whose contexts (cache rows after the step's own row is appended) lie in
// [first_context, last_context]: they all read `cache_rows` rows, and cost `step` each.
struct DecodeBucket {
  int64_t first_context = 0, last_context = 0;
  int64_t cache_rows = 0;
  PassCost step;
  // The roofline bound of a step: max((weight + KV-cache bytes) / bandwidth, MACs / peak), at the first
  // and the last context (it grows with the context; the last is the bucket's largest).
  double roofline_first_ns = 0.0, roofline_last_ns = 0.0;
  int64_t steps() const { return last_context - first_context + 1; }
};

struct GenerationResult {
  std::string engine;        // "dsp", "lut", or "config"
  std::string model;
  std::string config_label;
  int64_t prompt_tokens = 0, new_tokens = 0;
  int layers = 0;
  std::string kv_dtype;
  int64_t page_tokens = 0;
  double bandwidth_gbps = 0.0;
  PassCost prefill;            // the prompt's pass, the cache written
  PassCost head;               // final norm, LM head and argmax on the prompt's last row
  std::vector<DecodeBucket> decode;  // in context order; new_tokens - 1 steps in all
  int simulations = 0;         // traces simulated to produce this result
  // The whole generation as one run's report (what a sweep point records): every pass's totals, busy
  // and critical-path times, DRAM bytes, energy and SRAM traffic added up, each decode page's times
  // its steps; no per-op or per-layer rows.
  RunReport whole;

  double ttft_ns() const { return prefill.total_ns + head.total_ns; }
  int64_t decode_steps() const;
  double decode_ns() const;
  double decode_nonlinear_ns() const;
  double tpot_mean_ns() const;
  double tpot_first_ns() const;
  double tpot_last_ns() const;
  double total_ns() const { return ttft_ns() + decode_ns(); }
  double tokens_per_s() const;         // new tokens over the whole generation, prefill included
  double decode_tokens_per_s() const;  // 1 / mean TPOT
  double energy_uj() const;            // prefill, head and every decode step
  double energy_per_token_uj() const;  // over the new tokens
  GenerationBytes decode_bytes() const;  // every decode step's
  std::vector<double> step_ns() const;   // one entry per decode step, in order
};

// Adds `times` runs of `pass` to `whole` (totals, categories, bytes, energy, units' busy time).
void add_to_whole(RunReport& whole, const RunReport& pass, int64_t times);

// Several engines' results side by side (the first the baseline of the speedups).
std::string generation_text(const std::vector<GenerationResult>& results);
// One row per engine and decode bucket.
std::string generation_csv(const std::vector<GenerationResult>& results);
nlohmann::ordered_json generation_json(const std::vector<GenerationResult>& results);
nlohmann::ordered_json generation_result_json(const GenerationResult& result);
// Reads what generation_result_json wrote; throws npusim::Error naming `source` when it cannot.
GenerationResult generation_result_from_json(const nlohmann::json& value, const std::string& source);
// TPOT (with the roofline bound) and the non-linear share of a decode step against context length.
std::string generation_svg(const std::vector<GenerationResult>& results);

}  // namespace npusim::hw
