#include "run/generation.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "hw/config/hw_config_io.hpp"
#include "run/child_process.hpp"
#include "run/run_point.hpp"
#include "run/scratch_folder.hpp"
#include "run/worker_pool.hpp"
#include "workloads/model_zoo.hpp"

namespace npusim::run {

namespace {

bool parse_count(const std::string& text, int64_t& value) {
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && result.ec == std::errc() && result.ptr == text.data() + text.size();
}

// Sorts a run's DRAM bytes by what they carry: a cache read is a load of a model input (the cache
// tensors are inputs of the step's trace) by an attention matmul, a cache write a store of a
// cache-write op; weights and tables by their traffic kind; everything else is activations.
class GenerationBytesSink : public RunSink {
 public:
  void begin(const hw::HwConfig&, const hw::ExecutionPlan& plan) override {
    reads_cache_.clear(), writes_cache_.clear();
    for (const auto& op : plan.ops) {
      reads_cache_.push_back(workloads::reads_kv_cache(op.layer));
      writes_cache_.push_back(workloads::writes_kv_cache(op.layer));
    }
  }
  void on_activity(const hw::Activity& a, double) override {
    if (a.role != hw::UnitRole::dma || a.op_index < 0) return;
    const size_t i = static_cast<size_t>(a.op_index);
    if (a.traffic == hw::TrafficKind::weights) {
      bytes.weights += a.bytes;
    } else if (a.traffic == hw::TrafficKind::tables) {
      bytes.tables += a.bytes;
    } else if (a.traffic == hw::TrafficKind::activations && !a.dram_write && i < reads_cache_.size() && reads_cache_[i]) {
      bytes.kv_reads += a.bytes;
    } else if (a.dram_write && i < writes_cache_.size() && writes_cache_[i]) {
      bytes.kv_writes += a.bytes;
    } else {
      bytes.activations += a.bytes;
    }
  }
  hw::GenerationBytes bytes;

 private:
  std::vector<bool> reads_cache_, writes_cache_;
};

hw::PassCost simulate_pass(const hw::HwConfig& config, const workloads::Trace& trace, const RunPointOptions& options) {
  GenerationBytesSink sink;
  const RunPointResult result = run_point(config, trace, options, {&sink});
  hw::PassCost cost;
  cost.total_ns = result.report.total_ns;
  cost.nonlinear_ns = result.report.nonlinear_ns;
  cost.energy_uj = result.report.energy.total_uj();
  cost.macs = result.report.macs;
  cost.bytes = sink.bytes;
  if (cost.bytes.total() != result.report.dram_bytes) {
    throw Error("generation: the DRAM bytes sorted by kind (" + std::to_string(cost.bytes.total()) + ") differ from the run's (" +
                std::to_string(result.report.dram_bytes) + ")");
  }
  return cost;
}

}  // namespace

void parse_generate(const std::string& text, GenerationRequest& request) {
  const size_t comma = text.find(',');
  int64_t prompt = 0, fresh = 0;
  if (comma == std::string::npos || !parse_count(text.substr(0, comma), prompt) || !parse_count(text.substr(comma + 1), fresh)) {
    throw Error("--generate takes PROMPT_TOKENS,NEW_TOKENS (two whole numbers, e.g. 512,256), got '" + text + "'");
  }
  request.prompt_tokens = prompt;
  request.new_tokens = fresh;
}

workloads::DecoderShape check_generation(const GenerationRequest& request) {
  const workloads::DecoderShape shape = workloads::decoder_shape(request.model);
  if (request.prompt_tokens < 1) throw Error("--generate: the prompt needs at least 1 token, got " + std::to_string(request.prompt_tokens));
  if (request.new_tokens < 2) {
    throw Error("--generate: at least 2 new tokens (the first comes from the prefill, the time per output token from the decode steps), got " +
                std::to_string(request.new_tokens));
  }
  if (request.prompt_tokens > workloads::kMaxTokens - request.new_tokens) {
    throw Error("--generate: " + std::to_string(request.prompt_tokens) + " prompt + " + std::to_string(request.new_tokens) +
                " new tokens is above the limit of " + std::to_string(workloads::kMaxTokens) + " tokens per sequence");
  }
  if (request.layers < 0 || request.layers > shape.layers) {
    throw Error(request.model + " has " + std::to_string(shape.layers) + " layers, asked for " + std::to_string(request.layers));
  }
  return shape;
}

workloads::KvCacheLayout kv_layout(const hw::HwConfig& config) {
  workloads::KvCacheLayout kv;
  kv.dtype = config.kv_cache.dtype == hw::KvDtype::int16 ? workloads::Precision::int16 : workloads::Precision::int8;
  kv.page_tokens = config.kv_cache.page_tokens;
  return kv;
}

double decode_roofline_ns(const hw::HwConfig& config, const workloads::DecoderShape& shape, int layers, int64_t context_tokens,
                          int64_t calibration_tokens, const workloads::KvCacheLayout& kv) {
  workloads::KvCacheLayout exact = kv;
  exact.page_tokens = 1;  // the bound reads exactly the context, no padding
  const workloads::Trace trace = workloads::decode_step_trace(shape, layers, context_tokens, calibration_tokens, exact);
  std::map<std::string, const workloads::TraceOp*> by_id;
  int64_t bytes = 0, macs = 0;
  for (const auto& op : trace.ops) {
    by_id[op.id] = &op;
    if (op.type == workloads::OpType::matmul) {
      bytes += workloads::element_count(op.weights) * workloads::precision_bytes(op.weight_precision);
      macs += workloads::element_count(op.inputs[0]) * op.weights[1];
    } else if (op.type == workloads::OpType::batched_matmul) {
      macs += op.inputs[0][0] * op.inputs[0][1] * op.inputs[0][2] * op.inputs[1][2];
      if (workloads::reads_kv_cache(op.layer)) {
        bytes += workloads::element_count(op.inputs[1]) * workloads::precision_bytes(by_id.at(op.deps[1])->output_precision);
      }
    }
  }
  const double peak_macs_per_ns = static_cast<double>(config.mau.rows) * config.mau.cols * config.clock_ghz;
  return std::max(static_cast<double>(bytes) / config.dram.bandwidth_gbps, static_cast<double>(macs) / peak_macs_per_ns);
}

hw::GenerationResult simulate_generation(const hw::HwConfig& config, const GenerationRequest& request, const GenerationOptions& options) {
  const workloads::DecoderShape shape = check_generation(request);
  const int layers = request.layers > 0 ? request.layers : shape.layers;
  const workloads::KvCacheLayout kv = kv_layout(config);
  const int64_t prompt = request.prompt_tokens;
  RunPointOptions run_options;
  run_options.config_label = options.config_label;
  hw::GenerationResult r;
  r.engine = options.engine;
  r.model = shape.model;
  r.config_label = options.config_label.empty() ? config.name : options.config_label;
  r.prompt_tokens = prompt;
  r.new_tokens = request.new_tokens;
  r.layers = layers;
  r.kv_dtype = std::string(workloads::precision_name(kv.dtype));
  r.page_tokens = kv.page_tokens;
  r.bandwidth_gbps = config.dram.bandwidth_gbps;
  r.prefill = simulate_pass(config, workloads::prefill_trace(shape, layers, prompt, kv), run_options);
  r.head = simulate_pass(config, workloads::head_trace(shape, prompt), run_options);
  r.simulations = 2;
  // Decode step j (1 .. new - 1) feeds the token generated before it: the cache then holds prompt + j rows.
  const int64_t last_context = prompt + request.new_tokens - 1;
  for (int64_t c = prompt + 1; c <= last_context;) {
    hw::DecodeBucket bucket;
    bucket.first_context = c;
    bucket.cache_rows = kv.padded(c);
    bucket.last_context = options.every_step ? c : std::min(bucket.cache_rows, last_context);
    bucket.step = simulate_pass(config, workloads::decode_step_trace(shape, layers, c, prompt, kv), run_options);
    ++r.simulations;
    bucket.roofline_first_ns = decode_roofline_ns(config, shape, layers, bucket.first_context, prompt, kv);
    bucket.roofline_last_ns = decode_roofline_ns(config, shape, layers, bucket.last_context, prompt, kv);
    r.decode.push_back(bucket);
    c = bucket.last_context + 1;
  }
  return r;
}

std::vector<GenerationOutcome> generate_side_by_side(const std::vector<EngineRun>& engines, const GenerationRequest& request,
                                                     const std::string& config_label) {
  const ScratchFolder scratch("npusim_generate_");
  const auto run_engine = [&](size_t i) {
    const EngineRun& engine = engines[i];
    const OutputRedirect logs(scratch.file(engine.engine, ".out"), scratch.file(engine.engine, ".err"));
    nlohmann::ordered_json outcome;
    int code = kChildOk;
    try {
      GenerationOptions options;
      options.engine = engine.engine;
      options.config_label = config_label;
      outcome["result"] = hw::generation_result_json(simulate_generation(engine.config, request, options));
    } catch (const std::exception& e) {
      outcome["error"] = e.what();
      code = kChildFailed;
    }
    write_file_atomically(scratch.file(engine.engine, ".result.json"), outcome.dump());
    return code;
  };
  std::vector<int> status(engines.size(), kChildFailed);
  run_in_workers(engines.size(), static_cast<int>(engines.size()), run_engine,
                 [&](const TaskOutcome& outcome) { status[outcome.task] = outcome.status; });
  std::vector<GenerationOutcome> outcomes(engines.size());
  for (size_t i = 0; i < engines.size(); ++i) {
    GenerationOutcome& o = outcomes[i];
    o.engine = engines[i].engine;
    const std::string path = scratch.file(o.engine, ".result.json");
    std::error_code code;
    if (!std::filesystem::exists(path, code)) {
      o.error = "its worker ended with status " + std::to_string(status[i]) + " and no result";
      continue;
    }
    const nlohmann::json j = nlohmann::json::parse(read_file(path), nullptr, false);
    if (j.is_discarded()) {
      o.error = "its worker's result is unreadable";
    } else if (j.contains("error")) {
      o.error = j["error"].is_string() ? j["error"].get<std::string>() : "unknown error";
    } else {
      o.result = hw::generation_result_from_json(j.at("result"), path);
      o.ok = true;
    }
  }
  return outcomes;
}

void write_generation_files(const std::string& out_dir, const std::vector<hw::GenerationResult>& results, const hw::HwConfig& config) {
  const std::filesystem::path dir(out_dir);
  write_file_atomically((dir / "generation.json").string(), hw::generation_json(results).dump(2) + "\n");
  write_file_atomically((dir / "generation.csv").string(), hw::generation_csv(results));
  write_file_atomically((dir / "generation.svg").string(), hw::generation_svg(results));
  write_file_atomically((dir / "config.yaml").string(), hw::dump_hw_config(config));
}

}  // namespace npusim::run
