// LLM generation on the run API (docs/generation.md): the prompt's pass, the first token's head, then
// one decode step per further token, each a trace simulated with run_point. Cost follows the work, not
// the token count: decode steps whose KV-cache reads cover the same pages run the same trace, so one
// simulation per page stands for all of them (tests/run/generation_test checks it against simulating
// every step, to the nanosecond).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hw/config/hw_config.hpp"
#include "report/generation_report.hpp"
#include "run/side_by_side.hpp"
#include "workloads/decode_trace.hpp"

namespace npusim::run {

struct GenerationRequest {
  std::string model;          // a decoder-only zoo model (or the imported model's name)
  // An imported decoder's sizes (read off its ONNX graph: workloads/onnx/decoder_shape_reader.hpp);
  // none: the zoo's `model`.
  std::optional<workloads::DecoderShape> imported;
  int64_t prompt_tokens = 0;  // >= 1
  int64_t new_tokens = 0;     // >= 2: the first comes from the prefill, the rest from decode steps
  int layers = 0;             // the first N layers only (tests); 0: every layer
};

// Whether `config` asks for a generation (generate.prompt_tokens or generate.new_tokens set), and the
// generation of `model` it asks for.
bool generates(const hw::HwConfig& config);
GenerationRequest generation_of(const std::string& model, const hw::HwConfig& config);

// "PROMPT,NEW" (--generate) into `request`; throws npusim::Error saying what is wrong.
void parse_generate(const std::string& text, GenerationRequest& request);

// The request's model, its shape (the imported one, or the zoo's) and its checks (token counts, the zoo's limits), ahead of any simulation.
workloads::DecoderShape check_generation(const GenerationRequest& request);

struct GenerationOptions {
  bool every_step = false;    // simulate every decode step on its own trace (the reference the fast path is checked against)
  std::string engine = "config";
  std::string config_label;   // "": config.name
};

// The roofline bound of one decode step at `context_tokens`: max((weight bytes + the KV-cache bytes of
// exactly that context) / bandwidth, MACs / the array's peak). Read off the step's trace.
double decode_roofline_ns(const hw::HwConfig& config, const workloads::DecoderShape& shape, int layers, int64_t context_tokens,
                          int64_t calibration_tokens, const workloads::KvCacheLayout& kv);

// The same bound for every context at once: bytes and MACs are a fixed part plus a part per cache row
// (read off the step's traces at 1 and 2 rows; tests check it against decode_roofline_ns).
struct DecodeRoofline {
  int64_t fixed_bytes = 0, bytes_per_row = 0;
  int64_t fixed_macs = 0, macs_per_row = 0;
  double ns(const hw::HwConfig& config, int64_t context_tokens) const;
};
DecodeRoofline decode_roofline(const workloads::DecoderShape& shape, int layers, int64_t calibration_tokens, const workloads::KvCacheLayout& kv);

workloads::KvCacheLayout kv_layout(const hw::HwConfig& config);

// Simulates one engine's generation in this process (simulations one after another). Throws npusim::Error.
hw::GenerationResult simulate_generation(const hw::HwConfig& config, const GenerationRequest& request, const GenerationOptions& options);

struct GenerationOutcome {
  std::string engine;
  bool ok = false;
  hw::GenerationResult result;  // when ok
  std::string error;            // when not
};

// Each engine's generation in a worker process of its own, all at once; the caller must be
// single-threaded and must not have simulated.
std::vector<GenerationOutcome> generate_side_by_side(const std::vector<EngineRun>& engines, const GenerationRequest& request,
                                                     const std::string& config_label);

// The files write_generation_files writes, in the order `npusim run --generate --out` lists them.
const std::vector<std::string>& generation_file_names();

// Writes generation.json, generation.csv, generation.svg and config.yaml (the first engine's) in `out_dir`.
void write_generation_files(const std::string& out_dir, const std::vector<hw::GenerationResult>& results, const hw::HwConfig& config);

}  // namespace npusim::run
