#include "run/generation.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <sstream>

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

bool parse_token_count(const std::string& text, int64_t& value) {
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

// One simulated pass: its figures and its report (added to the whole generation's as often as it counts).
struct Simulated {
  hw::PassCost cost;
  hw::RunReport report;
};

Simulated simulate_pass(const hw::HwConfig& config, const workloads::Trace& trace, const RunPointOptions& options) {
  GenerationBytesSink sink;
  Simulated s;
  s.report = run_point(config, trace, options, {&sink}).report;
  s.cost.total_ns = s.report.total_ns;
  s.cost.nonlinear_ns = s.report.nonlinear_ns;
  s.cost.energy_uj = s.report.energy.total_uj();
  s.cost.macs = s.report.macs;
  s.cost.bytes = sink.bytes;
  if (s.cost.bytes.total() != s.report.dram_bytes) {
    throw Error("generation: the DRAM bytes sorted by kind (" + std::to_string(s.cost.bytes.total()) + ") differ from the run's (" +
                std::to_string(s.report.dram_bytes) + ")");
  }
  s.report.ops.clear(), s.report.layers.clear();  // the whole generation's report keeps totals only
  return s;
}

// What a pass's simulation depends on besides the config, in two parts. The structure: its ops without
// their names and ranges. The tables: the sizes the plan gives each op's tables (a layer's calibration
// decides whether a table carries its dual-range part); they depend on the layer's ranges, not on the
// context, so a layer's are read once. Two decoder layers with the same signature are the same work.
std::string structure_signature(const workloads::Trace& trace) {
  std::map<std::string, size_t> index;
  std::ostringstream out;
  const auto shape = [&](const std::vector<int64_t>& v) {
    for (const int64_t d : v) out << d << 'x';
    out << ';';
  };
  for (size_t i = 0; i < trace.ops.size(); ++i) {
    const workloads::TraceOp& op = trace.ops[i];
    index[op.id] = i;
    out << workloads::op_type_name(op.type) << ':';
    for (const auto& input : op.inputs) shape(input);
    shape(op.output);
    shape(op.weights);
    shape(op.kernel);
    out << op.stride[0] << ',' << op.stride[1] << ',' << op.padding[0] << ',' << op.padding[1] << ',' << op.padding[2] << ',' << op.padding[3]
        << ',' << op.groups << ',' << static_cast<int>(op.input_precision) << static_cast<int>(op.output_precision)
        << static_cast<int>(op.weight_precision) << '<';
    for (const auto& dep : op.deps) out << index.at(dep) << ',';
    out << '\n';
  }
  return out.str();
}

std::string table_signature(const hw::HwConfig& config, const workloads::Trace& trace) {
  std::ostringstream out;
  for (const auto& op : plan_run(config, trace).ops) {
    for (const auto& table : op.tables) out << '[' << static_cast<int>(table.function) << ',' << table.bytes << ',' << table.range_reduced << ']';
    out << ';';
  }
  return out.str();
}

}  // namespace

void parse_generate(const std::string& text, GenerationRequest& request) {
  const size_t comma = text.find(',');
  int64_t prompt = 0, fresh = 0;
  if (comma == std::string::npos || !parse_token_count(text.substr(0, comma), prompt) || !parse_token_count(text.substr(comma + 1), fresh)) {
    throw Error("--generate takes PROMPT_TOKENS,NEW_TOKENS (two whole numbers, e.g. 512,256), got '" + text + "'");
  }
  request.prompt_tokens = prompt;
  request.new_tokens = fresh;
}

workloads::DecoderShape check_generation(const GenerationRequest& request) {
  const workloads::DecoderShape shape = request.imported ? *request.imported : workloads::decoder_shape(request.model);
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
    throw Error(shape.model + " has " + std::to_string(shape.layers) + " layers, asked for " + std::to_string(request.layers));
  }
  return shape;
}

bool generates(const hw::HwConfig& config) { return config.generate.prompt_tokens > 0 || config.generate.new_tokens > 0; }

GenerationRequest generation_of(const std::string& model, const hw::HwConfig& config) {
  GenerationRequest request;
  request.model = model;
  request.prompt_tokens = config.generate.prompt_tokens;
  request.new_tokens = config.generate.new_tokens;
  return request;
}

workloads::KvCacheLayout kv_layout(const hw::HwConfig& config) {
  workloads::KvCacheLayout kv;
  kv.dtype = config.kv_cache.dtype == hw::KvDtype::int16 ? workloads::Precision::int16 : workloads::Precision::int8;
  kv.page_tokens = config.kv_cache.page_tokens;
  return kv;
}

namespace {

// Weight and KV-cache bytes and MACs of one decode step with exactly `context_tokens` cache rows.
std::pair<int64_t, int64_t> step_bytes_and_macs(const workloads::DecoderShape& shape, int layers, int64_t context_tokens,
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
  return {bytes, macs};
}

}  // namespace

DecodeRoofline decode_roofline(const workloads::DecoderShape& shape, int layers, int64_t calibration_tokens, const workloads::KvCacheLayout& kv) {
  const auto [bytes1, macs1] = step_bytes_and_macs(shape, layers, 1, calibration_tokens, kv);
  const auto [bytes2, macs2] = step_bytes_and_macs(shape, layers, 2, calibration_tokens, kv);
  DecodeRoofline r;
  r.bytes_per_row = bytes2 - bytes1;
  r.macs_per_row = macs2 - macs1;
  r.fixed_bytes = bytes1 - r.bytes_per_row;
  r.fixed_macs = macs1 - r.macs_per_row;
  return r;
}

double DecodeRoofline::ns(const hw::HwConfig& config, int64_t context_tokens) const {
  const double bytes = static_cast<double>(fixed_bytes + bytes_per_row * context_tokens);
  const double macs = static_cast<double>(fixed_macs + macs_per_row * context_tokens);
  const double peak_macs_per_ns = static_cast<double>(config.mau.rows) * config.mau.cols * config.clock_ghz;
  return std::max(bytes / config.dram.bandwidth_gbps, macs / peak_macs_per_ns);
}

double decode_roofline_ns(const hw::HwConfig& config, const workloads::DecoderShape& shape, int layers, int64_t context_tokens,
                          int64_t calibration_tokens, const workloads::KvCacheLayout& kv) {
  const auto [bytes, macs] = step_bytes_and_macs(shape, layers, context_tokens, calibration_tokens, kv);
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
  r.whole.workload = shape.model + " generation, " + std::to_string(prompt) + " prompt + " + std::to_string(request.new_tokens) + " new tokens";
  r.whole.config_name = r.config_label;
  const auto count = [&](const Simulated& pass, int64_t times) {
    hw::add_to_whole(r.whole, pass.report, times);
    ++r.simulations;
    return pass.cost;
  };
  r.prefill = count(simulate_pass(config, workloads::prefill_trace(shape, layers, prompt, kv), run_options), 1);
  const Simulated head = simulate_pass(config, workloads::head_trace(shape, prompt), run_options);
  r.head = count(head, 1);
  // A decode step runs its layers one after another, then the head. Layers whose work is the same (the
  // same signature) at the same cache length are simulated once; every_step simulates all of them.
  std::map<std::string, Simulated> layers_done;
  std::vector<std::string> layer_tables(static_cast<size_t>(layers));  // table_signature of each layer, once
  const DecodeRoofline roofline = decode_roofline(shape, layers, prompt, kv);
  // Decode step j (1 .. new - 1) feeds the token generated before it: the cache then holds prompt + j rows.
  const int64_t last_context = prompt + request.new_tokens - 1;
  for (int64_t c = prompt + 1; c <= last_context;) {
    hw::DecodeBucket bucket;
    bucket.first_context = c;
    bucket.cache_rows = kv.padded(c);
    bucket.last_context = options.every_step ? c : std::min(bucket.cache_rows, last_context);
    const int64_t steps = bucket.steps();
    for (int i = 0; i < layers; ++i) {
      const workloads::Trace layer = workloads::decode_layer_trace(shape, i, c, prompt, kv);
      if (options.every_step) {
        bucket.step += count(simulate_pass(config, layer, run_options), steps);
        continue;
      }
      std::string& tables = layer_tables[static_cast<size_t>(i)];
      if (tables.empty()) tables = table_signature(config, layer) + "|";
      const std::string key = tables + structure_signature(layer);
      auto done = layers_done.find(key);
      if (done == layers_done.end()) {
        done = layers_done.emplace(key, simulate_pass(config, layer, run_options)).first;
        ++r.simulations;
      }
      hw::add_to_whole(r.whole, done->second.report, steps);
      bucket.step += done->second.cost;
    }
    if (options.every_step) {
      bucket.step += count(simulate_pass(config, workloads::head_trace(shape, prompt), run_options), steps);
    } else {
      hw::add_to_whole(r.whole, head.report, steps);
      bucket.step += head.cost;
    }
    bucket.roofline_first_ns = roofline.ns(config, bucket.first_context);
    bucket.roofline_last_ns = roofline.ns(config, bucket.last_context);
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

const std::vector<std::string>& generation_file_names() {
  static const std::vector<std::string> names = {"generation.json", "generation.csv", "generation.svg", "config.yaml"};
  return names;
}

void write_generation_files(const std::string& out_dir, const std::vector<hw::GenerationResult>& results, const hw::HwConfig& config) {
  const std::filesystem::path dir(out_dir);
  const std::string contents[] = {hw::generation_json(results).dump(2) + "\n", hw::generation_csv(results), hw::generation_svg(results),
                                  hw::dump_hw_config(config)};
  for (size_t i = 0; i < generation_file_names().size(); ++i) write_file_atomically((dir / generation_file_names()[i]).string(), contents[i]);
}

}  // namespace npusim::run
