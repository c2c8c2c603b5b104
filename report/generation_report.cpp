#include "report/generation_report.hpp"

#include <algorithm>

#include "common/error.hpp"
#include "common/json.hpp"
#include "report/svg_chart.hpp"
#include "report/text_format.hpp"
#include "report/text_table.hpp"

namespace npusim::hw {

GenerationBytes& GenerationBytes::operator+=(const GenerationBytes& o) {
  weights += o.weights, kv_reads += o.kv_reads, kv_writes += o.kv_writes, activations += o.activations, tables += o.tables;
  return *this;
}

GenerationBytes operator*(const GenerationBytes& b, int64_t times) {
  return {b.weights * times, b.kv_reads * times, b.kv_writes * times, b.activations * times, b.tables * times};
}

PassCost& PassCost::operator+=(const PassCost& o) {
  total_ns += o.total_ns, nonlinear_ns += o.nonlinear_ns, energy_uj += o.energy_uj, macs += o.macs;
  bytes += o.bytes;
  return *this;
}

int64_t GenerationResult::decode_steps() const {
  int64_t n = 0;
  for (const auto& b : decode) n += b.steps();
  return n;
}

double GenerationResult::decode_ns() const {
  double ns = 0.0;
  for (const auto& b : decode) ns += b.step.total_ns * static_cast<double>(b.steps());
  return ns;
}

double GenerationResult::decode_nonlinear_ns() const {
  double ns = 0.0;
  for (const auto& b : decode) ns += b.step.nonlinear_ns * static_cast<double>(b.steps());
  return ns;
}

double GenerationResult::tpot_mean_ns() const {
  const int64_t n = decode_steps();
  return n > 0 ? decode_ns() / static_cast<double>(n) : 0.0;
}
double GenerationResult::tpot_first_ns() const { return decode.empty() ? 0.0 : decode.front().step.total_ns; }
double GenerationResult::tpot_last_ns() const { return decode.empty() ? 0.0 : decode.back().step.total_ns; }
double GenerationResult::tokens_per_s() const { return total_ns() > 0 ? static_cast<double>(new_tokens) * 1e9 / total_ns() : 0.0; }
double GenerationResult::decode_tokens_per_s() const { return tpot_mean_ns() > 0 ? 1e9 / tpot_mean_ns() : 0.0; }

double GenerationResult::energy_uj() const {
  double uj = prefill.energy_uj + head.energy_uj;
  for (const auto& b : decode) uj += b.step.energy_uj * static_cast<double>(b.steps());
  return uj;
}

double GenerationResult::energy_per_token_uj() const { return new_tokens > 0 ? energy_uj() / static_cast<double>(new_tokens) : 0.0; }

GenerationBytes GenerationResult::decode_bytes() const {
  GenerationBytes total;
  for (const auto& b : decode) total += b.step.bytes * b.steps();
  return total;
}

std::vector<double> GenerationResult::step_ns() const {
  std::vector<double> steps;
  for (const auto& b : decode) steps.insert(steps.end(), static_cast<size_t>(b.steps()), b.step.total_ns);
  return steps;
}

void add_to_whole(RunReport& whole, const RunReport& pass, int64_t times) {
  const double n = static_cast<double>(times);
  const double before_ns = whole.total_ns;
  whole.engines = pass.engines;
  whole.cycle_ns = pass.cycle_ns;
  whole.total_ns += pass.total_ns * n;
  for (int c = 0; c < kCategoryCount; ++c) {
    whole.critical_ns[static_cast<size_t>(c)] += pass.critical_ns[static_cast<size_t>(c)] * n;
    whole.busy_ns[static_cast<size_t>(c)] += pass.busy_ns[static_cast<size_t>(c)] * n;
  }
  whole.critical_idle_ns += pass.critical_idle_ns * n;
  whole.overlapped_ns += pass.overlapped_ns * n;
  whole.nonlinear_ns += pass.nonlinear_ns * n;
  whole.communication_ns += pass.communication_ns * n;
  whole.nonlinear_share = whole.total_ns > 0 ? whole.nonlinear_ns / whole.total_ns : 0.0;
  whole.dram_bytes += pass.dram_bytes * times;
  for (int k = 0; k < kTrafficKindCount; ++k) whole.dram_bytes_by_kind[static_cast<size_t>(k)] += pass.dram_bytes_by_kind[static_cast<size_t>(k)] * times;
  // Utilisation and busy fractions: time-weighted over the passes.
  whole.mau_utilization = whole.total_ns > 0 ? (whole.mau_utilization * before_ns + pass.mau_utilization * pass.total_ns * n) / whole.total_ns : 0.0;
  for (const auto& busy : pass.unit_busy_fraction) {
    const std::string& unit = busy.first;
    auto it = std::find_if(whole.unit_busy_fraction.begin(), whole.unit_busy_fraction.end(), [&](const auto& u) { return u.first == unit; });
    if (it == whole.unit_busy_fraction.end()) it = whole.unit_busy_fraction.insert(whole.unit_busy_fraction.end(), {unit, 0.0});
    it->second = whole.total_ns > 0 ? (it->second * before_ns + busy.second * pass.total_ns * n) / whole.total_ns : 0.0;
  }
  whole.macs += pass.macs * times;
  whole.table_lookups += pass.table_lookups * times;
  whole.table_busy_ns += pass.table_busy_ns * n;
  SramTraffic traffic = pass.sram;
  for (auto& b : traffic.read_bytes) b *= times;
  for (auto& b : traffic.write_bytes) b *= times;
  traffic.dsp_local_bytes *= times;
  whole.sram += traffic;
  whole.has_energy = pass.has_energy && (before_ns == 0.0 || whole.has_energy);
  for (double EnergyBreakdown::*part : {&EnergyBreakdown::mac_uj, &EnergyBreakdown::vector_uj, &EnergyBreakdown::sram_uj, &EnergyBreakdown::dram_uj,
                                        &EnergyBreakdown::lut_uj, &EnergyBreakdown::nnlut_uj, &EnergyBreakdown::lutnn_uj, &EnergyBreakdown::dsp_uj}) {
    whole.energy.*part += pass.energy.*part * n;
  }
}

namespace {

std::string ms(double ns) { return fixed(ns * 1e-6, 3); }
std::string mb(double bytes) { return fixed(bytes / 1e6, 3); }

// Decode DRAM bytes per step, by kind.
double per_step(const GenerationResult& r, int64_t GenerationBytes::*kind) {
  const int64_t n = r.decode_steps();
  return n > 0 ? static_cast<double>(r.decode_bytes().*kind) / static_cast<double>(n) : 0.0;
}

// At most `limit` buckets, evenly spread, the first and the last included.
std::vector<size_t> sampled(size_t count, size_t limit) {
  std::vector<size_t> picks;
  if (count <= limit) {
    for (size_t i = 0; i < count; ++i) picks.push_back(i);
    return picks;
  }
  for (size_t k = 0; k < limit; ++k) picks.push_back(k * (count - 1) / (limit - 1));
  return picks;
}

}  // namespace

std::string generation_text(const std::vector<GenerationResult>& results) {
  if (results.empty()) return "";
  const GenerationResult& first = results.front();
  std::string out = first.model + " generation: " + std::to_string(first.prompt_tokens) + " prompt + " + std::to_string(first.new_tokens) +
                    " new tokens, " + std::to_string(first.layers) + " layers, KV cache " + first.kv_dtype + " in pages of " +
                    std::to_string(first.page_tokens) + " tokens (" + first.config_label + ", " + fixed(first.bandwidth_gbps, 2) + " GB/s)\n";
  std::vector<std::string> header = {"figure"};
  for (const auto& r : results) header.push_back(r.engine);
  cli::TextTable table(header);
  const auto row = [&](const std::string& name, const auto& value) {
    std::vector<std::string> cells = {name};
    for (const auto& r : results) cells.push_back(value(r));
    table.add_row(cells);
  };
  using R = GenerationResult;
  row("TTFT (ms)", [](const R& r) { return ms(r.ttft_ns()); });
  row("  prefill (ms)", [](const R& r) { return ms(r.prefill.total_ns); });
  row("TPOT mean (ms)", [](const R& r) { return ms(r.tpot_mean_ns()); });
  row("TPOT first / last (ms)", [](const R& r) { return ms(r.tpot_first_ns()) + " / " + ms(r.tpot_last_ns()); });
  row("tokens/s (whole generation)", [](const R& r) { return fixed(r.tokens_per_s(), 3); });
  row("tokens/s (decode)", [](const R& r) { return fixed(r.decode_tokens_per_s(), 3); });
  row("energy per token (mJ)", [](const R& r) { return fixed(r.energy_per_token_uj() * 1e-3, 3); });
  row("decode non-linear share", [](const R& r) { return fixed(r.decode_ns() > 0 ? 100.0 * r.decode_nonlinear_ns() / r.decode_ns() : 0.0, 2) + " %"; });
  row("decode MB/token: weights", [](const R& r) { return mb(per_step(r, &GenerationBytes::weights)); });
  row("  KV reads", [](const R& r) { return mb(per_step(r, &GenerationBytes::kv_reads)); });
  row("  KV writes", [](const R& r) { return mb(per_step(r, &GenerationBytes::kv_writes)); });
  row("  activations", [](const R& r) { return mb(per_step(r, &GenerationBytes::activations)); });
  row("  tables", [](const R& r) { return mb(per_step(r, &GenerationBytes::tables)); });
  row("simulations", [](const R& r) { return std::to_string(r.simulations); });
  out += table.render();
  if (results.size() > 1) {
    for (size_t i = 1; i < results.size(); ++i) {
      const GenerationResult& r = results[i];
      out += r.engine + " over " + first.engine + ": prefill " + fixed(first.prefill.total_ns / r.prefill.total_ns, 3) + "x, decode " +
             fixed(r.decode_ns() > 0 ? first.decode_ns() / r.decode_ns() : 0.0, 3) + "x, whole generation " +
             fixed(first.total_ns() / r.total_ns(), 3) + "x\n";
    }
  }
  // Decode steps against the roofline bound, a few contexts.
  std::vector<std::string> steps_header = {"context"};
  for (const auto& r : results) steps_header.push_back(r.engine + " TPOT (ms)");
  steps_header.push_back("roofline (ms)");
  cli::TextTable steps(steps_header);
  for (const size_t i : sampled(first.decode.size(), 8)) {
    const DecodeBucket& b = first.decode[i];
    std::vector<std::string> cells = {std::to_string(b.first_context) + ".." + std::to_string(b.last_context)};
    for (const auto& r : results) cells.push_back(i < r.decode.size() ? ms(r.decode[i].step.total_ns) : "-");
    cells.push_back(ms(b.roofline_first_ns) + ".." + ms(b.roofline_last_ns));
    steps.add_row(cells);
  }
  if (!first.decode.empty()) out += "decode steps (roofline: max(weight + KV bytes / bandwidth, MACs / peak)):\n" + steps.render();
  return out;
}

std::string generation_csv(const std::vector<GenerationResult>& results) {
  std::string out =
      "engine,first_context,last_context,steps,cache_rows,step_ns,roofline_first_ns,roofline_last_ns,nonlinear_share,energy_uj,"
      "weight_bytes,kv_read_bytes,kv_write_bytes,activation_bytes,table_bytes\n";
  for (const auto& r : results) {
    for (const auto& b : r.decode) {
      const GenerationBytes& x = b.step.bytes;
      out += csv_field(r.engine) + "," + std::to_string(b.first_context) + "," + std::to_string(b.last_context) + "," + std::to_string(b.steps()) +
             "," + std::to_string(b.cache_rows) + "," + fixed(b.step.total_ns, 3) + "," + fixed(b.roofline_first_ns, 3) + "," +
             fixed(b.roofline_last_ns, 3) + "," + fixed(b.step.nonlinear_share(), 6) + "," + fixed(b.step.energy_uj, 3) + "," +
             std::to_string(x.weights) + "," + std::to_string(x.kv_reads) + "," + std::to_string(x.kv_writes) + "," +
             std::to_string(x.activations) + "," + std::to_string(x.tables) + "\n";
    }
  }
  return out;
}

namespace {

nlohmann::ordered_json bytes_json(const GenerationBytes& b) {
  return {{"weights", b.weights}, {"kv_reads", b.kv_reads}, {"kv_writes", b.kv_writes}, {"activations", b.activations}, {"tables", b.tables}};
}

nlohmann::ordered_json pass_json(const PassCost& p) {
  return {{"total_ns", p.total_ns}, {"nonlinear_ns", p.nonlinear_ns}, {"energy_uj", p.energy_uj}, {"macs", p.macs}, {"dram_bytes", bytes_json(p.bytes)}};
}

GenerationBytes bytes_from(const nlohmann::json& j) {
  return {j.at("weights").get<int64_t>(), j.at("kv_reads").get<int64_t>(), j.at("kv_writes").get<int64_t>(), j.at("activations").get<int64_t>(),
          j.at("tables").get<int64_t>()};
}

PassCost pass_from(const nlohmann::json& j) {
  PassCost p;
  p.total_ns = j.at("total_ns").get<double>();
  p.nonlinear_ns = j.at("nonlinear_ns").get<double>();
  p.energy_uj = j.at("energy_uj").get<double>();
  p.macs = j.at("macs").get<int64_t>();
  p.bytes = bytes_from(j.at("dram_bytes"));
  return p;
}

}  // namespace

nlohmann::ordered_json generation_result_json(const GenerationResult& r) {
  nlohmann::ordered_json j;
  j["engine"] = r.engine;
  j["model"] = r.model;
  j["config"] = r.config_label;
  j["prompt_tokens"] = r.prompt_tokens;
  j["new_tokens"] = r.new_tokens;
  j["layers"] = r.layers;
  j["kv_dtype"] = r.kv_dtype;
  j["page_tokens"] = r.page_tokens;
  j["bandwidth_gbps"] = r.bandwidth_gbps;
  j["simulations"] = r.simulations;
  j["ttft_ns"] = r.ttft_ns();
  j["tpot_mean_ns"] = r.tpot_mean_ns();
  j["tpot_first_ns"] = r.tpot_first_ns();
  j["tpot_last_ns"] = r.tpot_last_ns();
  j["tokens_per_s"] = r.tokens_per_s();
  j["decode_tokens_per_s"] = r.decode_tokens_per_s();
  j["energy_per_token_uj"] = r.energy_per_token_uj();
  j["decode_dram_bytes"] = bytes_json(r.decode_bytes());
  j["prefill"] = pass_json(r.prefill);
  j["head"] = pass_json(r.head);
  nlohmann::ordered_json buckets = nlohmann::ordered_json::array();
  for (const auto& b : r.decode) {
    buckets.push_back({{"first_context", b.first_context}, {"last_context", b.last_context}, {"cache_rows", b.cache_rows},
                       {"roofline_first_ns", b.roofline_first_ns}, {"roofline_last_ns", b.roofline_last_ns}, {"step", pass_json(b.step)}});
  }
  j["decode"] = buckets;
  j["whole"] = nlohmann::ordered_json::parse(json::write(report_json(r.whole)));
  return j;
}

GenerationResult generation_result_from_json(const nlohmann::json& j, const std::string& source) {
  try {
    GenerationResult r;
    r.engine = j.at("engine").get<std::string>();
    r.model = j.at("model").get<std::string>();
    r.config_label = j.at("config").get<std::string>();
    r.prompt_tokens = j.at("prompt_tokens").get<int64_t>();
    r.new_tokens = j.at("new_tokens").get<int64_t>();
    r.layers = j.at("layers").get<int>();
    r.kv_dtype = j.at("kv_dtype").get<std::string>();
    r.page_tokens = j.at("page_tokens").get<int64_t>();
    r.bandwidth_gbps = j.at("bandwidth_gbps").get<double>();
    r.simulations = j.at("simulations").get<int>();
    r.prefill = pass_from(j.at("prefill"));
    r.head = pass_from(j.at("head"));
    for (const auto& b : j.at("decode")) {
      DecodeBucket bucket;
      bucket.first_context = b.at("first_context").get<int64_t>();
      bucket.last_context = b.at("last_context").get<int64_t>();
      bucket.cache_rows = b.at("cache_rows").get<int64_t>();
      bucket.roofline_first_ns = b.at("roofline_first_ns").get<double>();
      bucket.roofline_last_ns = b.at("roofline_last_ns").get<double>();
      bucket.step = pass_from(b.at("step"));
      r.decode.push_back(bucket);
    }
    r.whole = report_from_json(json::parse(j.at("whole").dump(), source), source);
    return r;
  } catch (const nlohmann::json::exception& e) {
    throw Error(source + ": not a generation result (" + e.what() + ")");
  }
}

nlohmann::ordered_json generation_json(const std::vector<GenerationResult>& results) {
  nlohmann::ordered_json j;
  j["format"] = "npusim-generation";
  j["version"] = 1;
  if (results.size() > 1) {
    const GenerationResult& base = results.front();
    nlohmann::ordered_json speedups = nlohmann::ordered_json::object();
    for (size_t i = 1; i < results.size(); ++i) {
      const GenerationResult& r = results[i];
      speedups[r.engine] = {{"prefill", base.prefill.total_ns / r.prefill.total_ns},
                            {"decode", r.decode_ns() > 0 ? base.decode_ns() / r.decode_ns() : 0.0},
                            {"whole", base.total_ns() / r.total_ns()}};
    }
    j["speedup_over_" + base.engine] = speedups;
  }
  nlohmann::ordered_json runs = nlohmann::ordered_json::array();
  for (const auto& r : results) runs.push_back(generation_result_json(r));
  j["runs"] = runs;
  return j;
}

std::string generation_svg(const std::vector<GenerationResult>& results) {
  cli::SmallMultiples chart;
  if (results.empty()) return "";
  const GenerationResult& first = results.front();
  chart.title = first.model + " decode: " + std::to_string(first.prompt_tokens) + " prompt + " + std::to_string(first.new_tokens) +
                " new tokens, KV " + first.kv_dtype + ", " + fixed(first.bandwidth_gbps, 2) + " GB/s";
  chart.x_label = "context (tokens in the KV cache)";
  chart.columns = 2;
  chart.shared_y = false;
  cli::LineChart tpot, share;
  tpot.title = "time per output token (ms)";
  share.title = "non-linear share of a decode step (%)";
  // Each bucket contributes its two ends, so the steps of the staircase show.
  cli::ChartSeries roofline{"roofline bound", {}, {}};
  for (const auto& b : first.decode) {
    roofline.x.insert(roofline.x.end(), {static_cast<double>(b.first_context), static_cast<double>(b.last_context)});
    roofline.y.insert(roofline.y.end(), {b.roofline_first_ns * 1e-6, b.roofline_last_ns * 1e-6});
  }
  for (const auto& r : results) {
    cli::ChartSeries t{r.engine, {}, {}}, s{r.engine, {}, {}};
    for (const auto& b : r.decode) {
      for (const int64_t c : {b.first_context, b.last_context}) {
        t.x.push_back(static_cast<double>(c));
        t.y.push_back(b.step.total_ns * 1e-6);
        s.x.push_back(static_cast<double>(c));
        s.y.push_back(100.0 * b.step.nonlinear_share());
      }
    }
    tpot.series.push_back(t);
    share.series.push_back(s);
  }
  tpot.series.push_back(roofline);
  chart.panels = {tpot, share};
  return cli::render_svg(chart);
}

}  // namespace npusim::hw
