#include "report/run_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

#include "common/error.hpp"
#include "report/run_figures.hpp"
#include "report/text_format.hpp"
#include "workloads/trace_stats.hpp"

namespace npusim::hw {

namespace {

bool is_dram_transfer(const Activity& a) { return a.role == UnitRole::dma; }

std::string op_engine(const PlannedOp& op) {
  switch (op.work) {
    case OpWork::gemm: return op.lutnn ? "lutnn" : "mau";
    case OpWork::vector: return "mau.vector";
    case OpWork::nonlinear: return std::string(engine_name(op.engine));
    case OpWork::none: return "none";
  }
  return "?";
}

// "dma.0" -> "dma_0": unit names as column names.
std::string column_name(std::string unit) {
  std::replace(unit.begin(), unit.end(), '.', '_');
  return unit;
}

std::string energy_parts_text(const EnergyBreakdown& e) {
  std::string text;
  for (const EnergyPart& part : energy_parts()) text += (text.empty() ? "" : ", ") + std::string(part.label) + " " + fixed(e.*part.uj, 1);
  return text;
}

void add_categories(json::Value& object, const CategoryTimes& busy) {
  for (int c = 0; c < kCategoryCount; ++c) {
    object.set(std::string(category_name(static_cast<Category>(c))) + "_ns", busy[static_cast<size_t>(c)]);
  }
}

}  // namespace

std::string engines_description(const HwConfig& config) {
  std::set<NonlinearEngine> used;
  for (const NonlinearKind kind : all_nonlinear_kinds()) used.insert(config.nonlinear.engine_for(kind));
  if (used.size() == 1) return std::string(engine_name(*used.begin()));
  std::string text;
  for (const NonlinearKind kind : all_nonlinear_kinds()) {
    if (!text.empty()) text += ",";
    text += std::string(nonlinear_kind_name(kind)) + "=" + std::string(engine_name(config.nonlinear.engine_for(kind)));
  }
  return text;
}

ReportBuilder::ReportBuilder(const HwConfig& config, const ExecutionPlan& plan) : plan_(plan) {
  RunReport& r = report_;
  r.workload = plan.workload;
  r.config_name = config.name;
  r.engines = engines_description(config);
  r.cycle_ns = config.cycle_ns();
  peak_macs_per_ns_ = static_cast<double>(config.mau.rows) * config.mau.cols / config.cycle_ns();
  energy_config_ = config.energy;
  vector_lanes_ = config.mau.vector_lanes;
  dsp_lanes_ = config.dsp.lanes;
  const int passes = config.mau.int16_operand_passes;
  r.ops.resize(plan.ops.size());
  for (size_t i = 0; i < plan.ops.size(); ++i) {
    OpReport& o = r.ops[i];
    const PlannedOp& p = plan.ops[i];
    o.index = static_cast<int>(i);
    o.id = p.id;
    o.layer = p.layer;
    o.type = p.type;
    o.engine = op_engine(p);
    o.array_cycles = p.array_cycles();
    if (p.work == OpWork::nonlinear && (p.engine == NonlinearEngine::lut || p.engine == NonlinearEngine::nnlut)) {
      const int64_t lookups = NonlinearTiming::lookups(p.nonlinear);
      r.table_lookups += lookups;
      (p.engine == NonlinearEngine::lut ? events_.lut_lookups : events_.nnlut_lookups) += lookups;
    }
    if (p.lutnn) events_.lutnn_lookups += p.lutnn_cost.counts.lookup_ops;
    events_.int8_macs += p.macs() * (p.gemm.input_int16 ? passes : 1) * (p.gemm.weight_int16 ? passes : 1);
    r.sram += sram_traffic(p);
    o.start_ns = -1.0;
  }
}

void ReportBuilder::on_units(const std::vector<UnitInfo>& units) {
  units_.clear();
  for (const UnitInfo& unit : units) units_.push_back({unit.name, {}});
}

void ReportBuilder::on_activity(const Activity& a, double final_before_ns) {
  RunReport& r = report_;
  const size_t c = static_cast<size_t>(a.category);
  r.busy_ns[c] += a.duration_ns();
  r.macs += a.macs;
  critical_path_.add(a.category, a.start_ns, a.end_ns);
  critical_path_.close_before(final_before_ns);
  for (auto& [unit, busy] : units_) {
    if (unit == a.unit) busy.add(a.start_ns, a.end_ns, final_before_ns);
  }
  if (a.role == UnitRole::mau_vector) vector_busy_ns_ += a.duration_ns();
  if (a.role == UnitRole::dsp) dsp_busy_ns_ += a.duration_ns();
  if (a.role == UnitRole::lut || a.role == UnitRole::nnlut) r.table_busy_ns += a.duration_ns();
  const bool dram = is_dram_transfer(a);
  if (dram) r.dram_bytes_by_kind[static_cast<size_t>(a.traffic)] += a.bytes;
  if (a.op_index < 0 || a.op_index >= static_cast<int>(r.ops.size())) return;
  OpReport& o = r.ops[static_cast<size_t>(a.op_index)];
  if (dram) (a.dram_write ? o.dram_write_bytes : o.dram_read_bytes) += a.bytes;
  o.busy_ns[c] += a.duration_ns();
  o.start_ns = o.start_ns < 0 ? a.start_ns : std::min(o.start_ns, a.start_ns);
  o.end_ns = std::max(o.end_ns, a.end_ns);
  o.bytes += a.bytes;
  o.macs += a.macs;
  o.elements += a.elements;
}

// Inserts into the open union, merging what overlaps, then closes what no later activity can reach.
void ReportBuilder::IntervalUnion::add(double start, double end, double final_before_ns) {
  insert_merged(open_, start, end);
  while (!open_.empty() && open_.front().second <= final_before_ns) {
    closed_ns_ += open_.front().second - open_.front().first;
    open_.erase(open_.begin());
  }
}

double ReportBuilder::IntervalUnion::total_ns() const {
  double total = closed_ns_;
  for (const auto& [start, end] : open_) total += end - start;
  return total;
}

RunReport ReportBuilder::finish(double total_ns, const std::vector<FunctionalResult>& functional) {
  RunReport r = report_;
  r.total_ns = total_ns;
  r.functional = functional;
  for (const int64_t bytes : r.dram_bytes_by_kind) r.dram_bytes += bytes;
  // An op no unit worked on (a reshape, a folded batchnorm) takes the time its inputs were ready, so
  // it cannot pull its layer group's start back to 0.
  for (size_t i = 0; i < r.ops.size(); ++i) {
    OpReport& o = r.ops[i];
    if (o.start_ns >= 0) continue;
    double ready_ns = 0.0;
    for (const int dep : plan_.ops[i].deps) ready_ns = std::max(ready_ns, r.ops[static_cast<size_t>(dep)].end_ns);
    o.start_ns = o.end_ns = ready_ns;
  }
  r.nonlinear_ns = r.busy_ns[static_cast<size_t>(Category::nonlinear_compute)] +
                   r.busy_ns[static_cast<size_t>(Category::decomposition)];
  r.communication_ns = r.busy_ns[static_cast<size_t>(Category::activation_dma)] +
                       r.busy_ns[static_cast<size_t>(Category::mau_dsp_communication)];
  r.nonlinear_share = total_ns > 0 ? r.nonlinear_ns / total_ns : 0.0;
  r.mau_utilization = total_ns > 0 ? static_cast<double>(r.macs) / (peak_macs_per_ns_ * total_ns) : 0.0;
  const CriticalPathTimes critical = critical_path_.finish(total_ns);
  for (size_t c = 0; c < r.critical_ns.size(); ++c) r.critical_ns[c] = critical.critical_ns[c];
  r.critical_idle_ns = critical.idle_ns;
  r.overlapped_ns = critical.overlapped_ns;
  for (const auto& [unit, busy] : units_) r.unit_busy_fraction.push_back({unit, total_ns > 0 ? busy.total_ns() / total_ns : 0.0});
  EnergyEvents events = events_;
  events.vector_lane_cycles = std::llround(vector_busy_ns_ / r.cycle_ns) * vector_lanes_;
  events.dsp_lane_cycles = std::llround(dsp_busy_ns_ / r.cycle_ns) * dsp_lanes_;
  events.sram = r.sram;
  events.dram_bytes = r.dram_bytes;
  r.energy = EnergyModel(energy_config_).energy(events);
  r.has_energy = true;

  std::map<std::string, size_t> layer_index;
  for (const OpReport& o : r.ops) {
    const std::string group = workloads::layer_group(o.layer);
    auto it = layer_index.find(group);
    if (it == layer_index.end()) {
      it = layer_index.emplace(group, r.layers.size()).first;
      LayerReport l;
      l.layer = group;
      l.start_ns = o.start_ns;
      r.layers.push_back(l);
    }
    LayerReport& l = r.layers[it->second];
    l.start_ns = std::min(l.start_ns, o.start_ns);
    l.end_ns = std::max(l.end_ns, o.end_ns);
    for (size_t c = 0; c < l.busy_ns.size(); ++c) l.busy_ns[c] += o.busy_ns[c];
    l.bytes += o.bytes;
    l.macs += o.macs;
    l.elements += o.elements;
  }
  return r;
}

std::string summary_text(const RunReport& r) {
  std::ostringstream out;
  out << "workload " << r.workload << "  config " << r.config_name << "  non-linear engine " << r.engines << "\n";
  // The breakdown first, under the names of every output (report/run_figures.hpp): the total and its
  // critical path (with each part's share), then busy times, up to the traffic figures printed below.
  for (const RunFigure& f : run_figures({r})) {
    if (f.key == "dram_bytes") break;
    out << "  " << f.label;
    if (!f.heading()) {
      const double v = f.value(r).value_or(0.0);
      out << std::string(f.label.size() < 30 ? 30 - f.label.size() : 1, ' ') << std::setw(10) << fixed(v * f.scale, f.decimals);
      if (f.key.rfind("critical_", 0) == 0) out << "  " << std::setw(5) << fixed(r.total_ms() > 0 ? 100.0 * v / r.total_ms() : 0.0, 1) << " %";
    }
    out << "\n";
  }
  out << "    by category (ms):";
  for (int c = 0; c < kCategoryCount; ++c) {
    out << " " << category_name(static_cast<Category>(c)) << " " << fixed(r.busy_ns[static_cast<size_t>(c)] * 1e-6);
  }
  out << "\n";
  out << "  DRAM traffic         " << fixed(static_cast<double>(r.dram_bytes) / 1e6, 3) << " MB:";
  for (int k = 0; k < kTrafficKindCount; ++k) {
    out << " " << traffic_kind_name(static_cast<TrafficKind>(k)) << " "
        << fixed(static_cast<double>(r.dram_bytes_by_kind[static_cast<size_t>(k)]) / 1e6, 3);
  }
  out << "\n  MACs                 " << fixed(static_cast<double>(r.macs) / 1e9, 3) << " G, MAU utilisation "
      << fixed(100.0 * r.mau_utilization, 1) << " % of peak\n";
  out << "  unit busy (% of total)";
  for (const auto& [unit, fraction] : r.unit_busy_fraction) out << " " << unit << " " << fixed(100.0 * fraction, 1);
  out << "\n  SRAM traffic (MB)   ";
  for (int b = 0; b < kSramBufferCount; ++b) {
    out << " " << sram_buffer_name(static_cast<SramBuffer>(b)) << " read " << fixed(static_cast<double>(r.sram.read_bytes[static_cast<size_t>(b)]) / 1e6, 3)
        << " written " << fixed(static_cast<double>(r.sram.write_bytes[static_cast<size_t>(b)]) / 1e6, 3) << ";";
  }
  out << " DSP local memory " << fixed(static_cast<double>(r.sram.dsp_local_bytes) / 1e6, 3) << "\n";
  out << "  energy               " << fixed(r.energy.total_uj(), 1) << " uJ: " << energy_parts_text(r.energy) << "\n";
  if (r.table_lookups > 0) {
    out << "  table unit           " << r.table_lookups << " lookups, " << fixed(r.table_lookups_per_cycle(), 2)
        << " per cycle while busy\n";
  }
  if (!r.functional.empty()) {
    int64_t checked = 0, mismatches = 0;
    for (const auto& f : r.functional) {
      checked += f.checked;
      mismatches += f.mismatches;
    }
    out << "  functional check     " << r.functional.size() << " units-ops, " << checked << " outputs, " << mismatches
        << " mismatches" << (mismatches == 0 ? " (pass)" : " (FAIL)") << "\n";
    for (const auto& f : r.functional) {
      if (f.mismatches != 0) out << "    " << f.unit << " op " << f.op_index << " " << f.what << ": " << f.first_mismatch << "\n";
    }
  }
  return out.str();
}

std::string ops_csv(const RunReport& r) {
  std::ostringstream out;
  out << "index,id,layer,type,engine,start_ns,end_ns";
  for (int c = 0; c < kCategoryCount; ++c) out << ",busy_" << category_name(static_cast<Category>(c)) << "_ns";
  out << ",bytes,macs,elements,array_cycles,dram_read_bytes,dram_write_bytes\n";
  for (const OpReport& o : r.ops) {
    out << o.index << "," << csv_field(o.id) << "," << csv_field(o.layer) << "," << o.type << "," << o.engine << ","
        << fixed(o.start_ns) << "," << fixed(o.end_ns);
    for (const double v : o.busy_ns) out << "," << fixed(v);
    out << "," << o.bytes << "," << o.macs << "," << o.elements << "," << o.array_cycles << "," << o.dram_read_bytes << ","
        << o.dram_write_bytes << "\n";
  }
  return out.str();
}

std::string layers_csv(const RunReport& r) {
  std::ostringstream out;
  out << "layer,start_ns,end_ns";
  for (int c = 0; c < kCategoryCount; ++c) out << ",busy_" << category_name(static_cast<Category>(c)) << "_ns";
  out << ",bytes,macs,elements\n";
  for (const LayerReport& l : r.layers) {
    out << csv_field(l.layer) << "," << fixed(l.start_ns) << "," << fixed(l.end_ns);
    for (const double v : l.busy_ns) out << "," << fixed(v);
    out << "," << l.bytes << "," << l.macs << "," << l.elements << "\n";
  }
  return out.str();
}

std::string summary_csv(const RunReport& r) {
  std::ostringstream out;
  out << "workload,config,engines,total_ms";
  for (int c = 0; c < kCategoryCount; ++c) out << ",critical_" << category_name(static_cast<Category>(c)) << "_ms";
  out << ",critical_idle_ms,nonlinear_ms,communication_ms,nonlinear_share,overlapped_ms";
  for (int c = 0; c < kCategoryCount; ++c) out << ",busy_" << category_name(static_cast<Category>(c)) << "_ms";
  out << ",dram_bytes";
  for (int k = 0; k < kTrafficKindCount; ++k) out << ",dram_" << traffic_kind_name(static_cast<TrafficKind>(k)) << "_bytes";
  out << ",macs,mau_utilization";
  for (const auto& unit : r.unit_busy_fraction) out << "," << column_name(unit.first) << "_busy_fraction";
  for (int b = 0; b < kSramBufferCount; ++b) {
    const std::string name(sram_buffer_name(static_cast<SramBuffer>(b)));
    out << "," << name << "_sram_read_bytes," << name << "_sram_write_bytes";
  }
  out << ",dsp_local_memory_bytes,energy_uj";
  for (const EnergyPart& part : energy_parts()) out << "," << part.column;
  out << "\n";
  out << csv_field(r.workload) << "," << csv_field(r.config_name) << "," << csv_field(r.engines) << "," << fixed(r.total_ms(), 6);
  for (const double v : r.critical_ns) out << "," << fixed(v * 1e-6, 6);
  out << "," << fixed(r.critical_idle_ns * 1e-6, 6) << "," << fixed(r.nonlinear_ns * 1e-6, 6) << "," << fixed(r.communication_ns * 1e-6, 6)
      << "," << fixed(r.nonlinear_share, 6) << "," << fixed(r.overlapped_ns * 1e-6, 6);
  for (const double v : r.busy_ns) out << "," << fixed(v * 1e-6, 6);
  out << "," << r.dram_bytes;
  for (const int64_t b : r.dram_bytes_by_kind) out << "," << b;
  out << "," << r.macs << "," << fixed(r.mau_utilization, 6);
  for (const auto& unit : r.unit_busy_fraction) out << "," << fixed(unit.second, 6);
  for (size_t b = 0; b < r.sram.read_bytes.size(); ++b) out << "," << r.sram.read_bytes[b] << "," << r.sram.write_bytes[b];
  const EnergyBreakdown& e = r.energy;
  out << "," << r.sram.dsp_local_bytes;
  out << "," << fixed(e.total_uj(), 3);
  for (const EnergyPart& part : energy_parts()) out << "," << fixed(e.*part.uj, 3);
  out << "\n";
  return out.str();
}

json::Value report_json(const RunReport& r) {
  json::Value root = json::Value::object();
  root.set("format", "npusim-run-report");
  root.set("version", 1);
  json::Value summary = json::Value::object();
  summary.set("workload", r.workload);
  summary.set("config", r.config_name);
  summary.set("engines", r.engines);
  summary.set("total_ms", r.total_ms());
  summary.set("total_ns", r.total_ns);
  json::Value critical = json::Value::object();
  add_categories(critical, r.critical_ns);
  critical.set("idle_ns", r.critical_idle_ns);
  summary.set("critical_path", critical);
  json::Value busy_time = json::Value::object();
  add_categories(busy_time, r.busy_ns);
  summary.set("busy_time", busy_time);
  summary.set("overlapped_ns", r.overlapped_ns);
  summary.set("nonlinear_ns", r.nonlinear_ns);
  summary.set("communication_ns", r.communication_ns);
  summary.set("nonlinear_share", r.nonlinear_share);
  summary.set("dram_bytes", r.dram_bytes);
  json::Value by_kind = json::Value::object();
  for (int k = 0; k < kTrafficKindCount; ++k) {
    by_kind.set(std::string(traffic_kind_name(static_cast<TrafficKind>(k))), r.dram_bytes_by_kind[static_cast<size_t>(k)]);
  }
  summary.set("dram_bytes_by_kind", by_kind);
  summary.set("macs", r.macs);
  summary.set("mau_utilization", r.mau_utilization);
  summary.set("table_lookups", r.table_lookups);
  summary.set("table_busy_ns", r.table_busy_ns);
  summary.set("cycle_ns", r.cycle_ns);
  json::Value busy = json::Value::object();
  for (const auto& [unit, fraction] : r.unit_busy_fraction) busy.set(unit, fraction);
  summary.set("unit_busy_fraction", busy);
  json::Value sram = json::Value::object();
  for (int b = 0; b < kSramBufferCount; ++b) {
    json::Value buffer = json::Value::object();
    buffer.set("read_bytes", r.sram.read_bytes[static_cast<size_t>(b)]);
    buffer.set("write_bytes", r.sram.write_bytes[static_cast<size_t>(b)]);
    sram.set(std::string(sram_buffer_name(static_cast<SramBuffer>(b))), buffer);
  }
  summary.set("sram", sram);
  summary.set("dsp_local_memory_bytes", r.sram.dsp_local_bytes);
  summary.set("energy_uj", r.energy.total_uj());
  json::Value energy = json::Value::object();
  for (const EnergyPart& part : energy_parts()) energy.set(part.json_key, r.energy.*part.uj);
  summary.set("energy", energy);
  root.set("summary", summary);
  json::Value layers = json::Value::array();
  for (const LayerReport& l : r.layers) {
    json::Value v = json::Value::object();
    v.set("layer", l.layer);
    v.set("start_ns", l.start_ns);
    v.set("end_ns", l.end_ns);
    json::Value layer_busy = json::Value::object();
    add_categories(layer_busy, l.busy_ns);
    v.set("busy_time", layer_busy);
    v.set("bytes", l.bytes);
    v.set("macs", l.macs);
    v.set("elements", l.elements);
    layers.push_back(v);
  }
  root.set("layers", layers);
  json::Value ops = json::Value::array();
  for (const OpReport& o : r.ops) {
    json::Value v = json::Value::object();
    v.set("id", o.id);
    v.set("layer", o.layer);
    v.set("type", o.type);
    v.set("engine", o.engine);
    v.set("start_ns", o.start_ns);
    v.set("end_ns", o.end_ns);
    json::Value op_busy = json::Value::object();
    add_categories(op_busy, o.busy_ns);
    v.set("busy_time", op_busy);
    v.set("bytes", o.bytes);
    v.set("macs", o.macs);
    v.set("elements", o.elements);
    v.set("array_cycles", o.array_cycles);
    v.set("dram_read_bytes", o.dram_read_bytes);
    v.set("dram_write_bytes", o.dram_write_bytes);
    ops.push_back(v);
  }
  root.set("ops", ops);
  json::Value checks = json::Value::array();
  for (const FunctionalResult& f : r.functional) {
    json::Value v = json::Value::object();
    v.set("op_index", f.op_index);
    v.set("unit", f.unit);
    v.set("what", f.what);
    v.set("checked", f.checked);
    v.set("mismatches", f.mismatches);
    v.set("max_abs_error", f.max_abs_error);
    if (!f.first_mismatch.empty()) v.set("first_mismatch", f.first_mismatch);
    checks.push_back(v);
  }
  root.set("functional", checks);
  return root;
}

RunReport report_from_json(const json::Value& value, const std::string& source_name) {
  constexpr int64_t kMaxCount = int64_t{1} << 62;  // bytes, MACs and lookups: whole, non-negative, and fit an int64
  const json::Reader root(value, source_name);
  if (root.string("format") != "npusim-run-report") root.fail(root.require("format"), "not an npusim run report");
  const json::Reader s(root.require("summary"), source_name);
  RunReport r;
  r.workload = s.string("workload");
  r.config_name = s.string("config");
  r.engines = s.string("engines");
  r.total_ns = s.number("total_ns");
  r.nonlinear_ns = s.number("nonlinear_ns");
  r.communication_ns = s.number("communication_ns");
  r.nonlinear_share = s.number("nonlinear_share");
  // Reports written before busy_time had each category's busy time beside total_ns.
  const json::Reader busy_time(s.has("busy_time") ? s.require("busy_time") : root.require("summary"), source_name);
  for (int c = 0; c < kCategoryCount; ++c) {
    r.busy_ns[static_cast<size_t>(c)] = busy_time.number(std::string(category_name(static_cast<Category>(c))) + "_ns");
  }
  r.dram_bytes = s.integer("dram_bytes", 0, kMaxCount);
  const json::Reader by_kind(s.require("dram_bytes_by_kind"), source_name);
  for (int k = 0; k < kTrafficKindCount; ++k) {
    r.dram_bytes_by_kind[static_cast<size_t>(k)] =
        by_kind.integer(std::string(traffic_kind_name(static_cast<TrafficKind>(k))), 0, kMaxCount);
  }
  r.macs = s.integer("macs", 0, kMaxCount);
  r.mau_utilization = s.number("mau_utilization");
  r.table_lookups = s.integer("table_lookups", 0, kMaxCount);
  r.table_busy_ns = s.number("table_busy_ns");
  r.cycle_ns = s.number("cycle_ns");
  if (s.has("critical_path")) {  // absent from reports written before it existed
    const json::Reader critical(s.require("critical_path"), source_name);
    for (int c = 0; c < kCategoryCount; ++c) {
      r.critical_ns[static_cast<size_t>(c)] = critical.number(std::string(category_name(static_cast<Category>(c))) + "_ns");
    }
    r.critical_idle_ns = critical.number("idle_ns");
    r.overlapped_ns = s.number("overlapped_ns");
  }
  // Reports written before these were added lack them (a resumed sweep reads its earlier points).
  if (s.has("unit_busy_fraction")) {
    const json::Reader busy(s.require("unit_busy_fraction"), source_name);
    for (const auto& member : s.require("unit_busy_fraction").members()) {
      r.unit_busy_fraction.push_back({member.first, busy.number(member.first)});
    }
  }
  if (s.has("sram")) {
    const json::Reader sram(s.require("sram"), source_name);
    for (int b = 0; b < kSramBufferCount; ++b) {
      const json::Reader buffer(sram.require(std::string(sram_buffer_name(static_cast<SramBuffer>(b)))), source_name);
      r.sram.read_bytes[static_cast<size_t>(b)] = buffer.integer("read_bytes", 0, kMaxCount);
      r.sram.write_bytes[static_cast<size_t>(b)] = buffer.integer("write_bytes", 0, kMaxCount);
    }
    r.sram.dsp_local_bytes = s.integer("dsp_local_memory_bytes", 0, kMaxCount);
  }
  if (s.has("energy")) {
    const json::Reader e(s.require("energy"), source_name);
    for (const EnergyPart& part : energy_parts()) {
      // lutnn_uj is absent from reports written before LUT-NN lookups were counted.
      r.energy.*part.uj = e.has(part.json_key) || std::string(part.json_key) != "lutnn_uj" ? e.number(part.json_key) : 0.0;
    }
    r.has_energy = true;
  }
  // The per-layer, per-op and functional parts, so a report read back is the report written (a side-by-side
  // run's workers hand theirs back this way); absent from summaries written by hand.
  constexpr int64_t kCount = int64_t{1} << 53;  // counts a JSON number holds exactly
  // What a layer and an op both report: their interval, busy time per category, bytes, MACs, elements.
  const auto read_extent = [&](const json::Value& item, auto& part) {
    const json::Reader reader(item, source_name);
    part.start_ns = reader.number("start_ns");
    part.end_ns = reader.number("end_ns");
    // Reports written before busy_time had each category's busy time beside start_ns.
    const json::Reader busy(reader.has("busy_time") ? reader.require("busy_time") : item, source_name);
    for (int c = 0; c < kCategoryCount; ++c) {
      part.busy_ns[static_cast<size_t>(c)] = busy.number(std::string(category_name(static_cast<Category>(c))) + "_ns");
    }
    part.bytes = reader.integer("bytes", 0, kCount);
    part.macs = reader.integer("macs", 0, kCount);
    part.elements = reader.integer("elements", 0, kCount);
  };
  if (root.has("layers")) {
    for (const json::Value& item : root.array("layers")) {
      const json::Reader l(item, source_name);
      LayerReport layer;
      layer.layer = l.string("layer");
      read_extent(item, layer);
      r.layers.push_back(layer);
    }
  }
  if (root.has("ops")) {
    for (const json::Value& item : root.array("ops")) {
      const json::Reader o(item, source_name);
      OpReport op;
      op.index = static_cast<int>(r.ops.size());
      op.id = o.string("id");
      op.layer = o.string("layer");
      op.type = o.string("type");
      op.engine = o.string("engine");
      read_extent(item, op);
      op.array_cycles = o.integer("array_cycles", 0, kCount);
      op.dram_read_bytes = o.integer("dram_read_bytes", 0, kCount);
      op.dram_write_bytes = o.integer("dram_write_bytes", 0, kCount);
      r.ops.push_back(op);
    }
  }
  if (root.has("functional")) {
    for (const json::Value& item : root.array("functional")) {
      const json::Reader f(item, source_name);
      FunctionalResult check;
      check.op_index = static_cast<int>(f.integer("op_index", -1, kCount));
      check.unit = f.string("unit");
      check.what = f.string("what");
      check.checked = f.integer("checked", 0, kCount);
      check.mismatches = f.integer("mismatches", 0, kCount);
      check.max_abs_error = f.require("max_abs_error").is_null() ? std::nan("") : f.number("max_abs_error");  // NaN is written as null
      if (f.has("first_mismatch")) check.first_mismatch = f.string("first_mismatch");
      r.functional.push_back(check);
    }
  }
  return r;
}

std::string comparison_text(const std::vector<RunReport>& runs) {
  std::ostringstream out;
  if (runs.empty()) return "";
  out << "workload " << runs.front().workload << "  config " << runs.front().config_name << "\n\n";
  const auto row = [&](const std::string& label, const std::function<std::string(const RunReport&)>& cell) {
    out << "  " << label << std::string(label.size() < 30 ? 30 - label.size() : 1, ' ');
    for (const RunReport& r : runs) {
      const std::string c = cell(r);
      out << std::string(c.size() < 14 ? 14 - c.size() : 1, ' ') << c;
    }
    out << "\n";
  };
  row("engine", [](const RunReport& r) { return r.engines; });
  for (const RunFigure& f : run_figures(runs)) {
    if (f.heading()) {
      out << "  " << f.label << "\n";
      continue;
    }
    row(f.label, [&f](const RunReport& r) {
      const std::optional<double> v = f.value(r);
      return v ? fixed(*v * f.scale, f.decimals) : std::string("-");
    });
  }
  const double baseline = runs.front().total_ns;
  row("speedup vs " + runs.front().engines, [&](const RunReport& r) { return fixed(baseline / r.total_ns, 2) + "x"; });
  const double baseline_uj = runs.front().energy.total_uj();
  row("energy vs " + runs.front().engines, [&](const RunReport& r) {
    return r.has_energy && runs.front().has_energy && baseline_uj > 0 ? fixed(r.energy.total_uj() / baseline_uj, 2) + "x"
                                                                      : std::string("-");
  });
  return out.str();
}

}  // namespace npusim::hw
