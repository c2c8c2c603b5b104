#include "report/activity_files.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/error.hpp"

namespace npusim::hw {

namespace {

std::string fixed(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.3f", v);
  return buffer;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string quoted = "\"";
  for (const char c : s) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

const PlannedOp* op_of(const ExecutionPlan& plan, int index) {
  return index >= 0 && index < static_cast<int>(plan.ops.size()) ? &plan.ops[static_cast<size_t>(index)] : nullptr;
}

}  // namespace

ActivitiesCsvFile::ActivitiesCsvFile(const std::string& path, const ExecutionPlan& plan) : plan_(plan), file_(path) {
  file_.write("op_index,op_id,layer,unit,category,start_ns,end_ns,bytes,macs,elements\n");
}

void ActivitiesCsvFile::on_activity(const Activity& a, double) {
  const PlannedOp* op = op_of(plan_, a.op_index);
  file_.write(std::to_string(a.op_index) + "," + (op ? csv_field(op->id) : "") + "," + (op ? csv_field(op->layer) : "") + "," +
              a.unit + "," + std::string(category_name(a.category)) + "," + fixed(a.start_ns) + "," + fixed(a.end_ns) + "," +
              std::to_string(a.bytes) + "," + std::to_string(a.macs) + "," + std::to_string(a.elements) + "\n");
}

namespace {

// The timeline document, {"traceEvents": [...], "displayTimeUnit": "ns"}, as nlohmann writes it, cut where
// the events go: the first line opens it, the last closes it, and the events (each written by nlohmann)
// stream in between, one per line, so a run of any length is never held whole in memory.
struct TimelineEnvelope {
  std::string head, tail;  // without their line breaks
  TimelineEnvelope() {
    const std::string whole =
        nlohmann::ordered_json{{"traceEvents", nlohmann::ordered_json::array()}, {"displayTimeUnit", "ns"}}.dump();
    const size_t cut = whole.find("[]") + 1;
    head = whole.substr(0, cut);
    tail = whole.substr(cut);
  }
};

const TimelineEnvelope& envelope() {
  static const TimelineEnvelope e;
  return e;
}

}  // namespace

TimelineFile::TimelineFile(const std::string& path, const ExecutionPlan& plan, double dram_bandwidth_gbps,
                           const std::string& process_name)
    : plan_(plan), dram_bandwidth_gbps_(dram_bandwidth_gbps), file_(path) {
  file_.write(envelope().head + "\n");
  event(nlohmann::ordered_json{{"name", "process_name"}, {"ph", "M"}, {"pid", 1}, {"args", {{"name", process_name}}}}.dump());
}

void TimelineFile::event(const std::string& json) {
  file_.write((first_event_ ? "" : ",\n") + json);
  first_event_ = false;
}

// A track per unit, numbered in the order units first appear; its name is announced then.
int TimelineFile::track(const std::string& unit) {
  const auto [it, added] = tracks_.emplace(unit, static_cast<int>(tracks_.size()) + 1);
  if (added) {
    nlohmann::ordered_json meta = {{"name", "thread_name"}, {"ph", "M"}, {"pid", 1}, {"tid", it->second}, {"args", {{"name", unit}}}};
    event(meta.dump());
  }
  return it->second;
}

void TimelineFile::on_activity(const Activity& a, double) {
  const PlannedOp* op = op_of(plan_, a.op_index);
  nlohmann::ordered_json e = {{"name", op ? op->id : std::string(category_name(a.category))},
                              {"cat", std::string(category_name(a.category))},
                              {"ph", "X"},
                              {"pid", 1},
                              {"tid", track(a.unit)},
                              {"ts", a.start_ns / 1000.0},  // trace events count microseconds
                              {"dur", a.duration_ns() / 1000.0}};
  nlohmann::ordered_json args = nlohmann::ordered_json::object();
  if (op) args["layer"] = op->layer;
  if (a.bytes) args["bytes"] = a.bytes;
  if (a.macs) args["macs"] = a.macs;
  if (a.elements) args["elements"] = a.elements;
  e["args"] = args;
  event(e.dump());
}

void TimelineFile::on_dram_busy(double start_ns, double end_ns) {
  for (const auto& [ts, gbps] : {std::pair<double, double>{start_ns, dram_bandwidth_gbps_}, {end_ns, 0.0}}) {
    nlohmann::ordered_json c = {{"name", "DRAM bandwidth in use (GB/s)"}, {"ph", "C"}, {"pid", 1}, {"ts", ts / 1000.0},
                                {"args", {{"GB/s", gbps}}}};
    event(c.dump());
  }
}

void TimelineFile::commit() {
  file_.write("\n" + envelope().tail + "\n");
  file_.commit();
}

void merge_timelines(const std::vector<std::string>& parts, const std::string& path) {
  AtomicFileWriter out(path);
  out.write(envelope().head + "\n");
  bool first = true;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::ifstream in(parts[i]);
    if (!in) throw Error("cannot read " + parts[i]);
    const int pid = static_cast<int>(i) + 1;
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line == envelope().head || line == envelope().tail) continue;
      if (line.back() == ',') line.pop_back();
      nlohmann::ordered_json e = nlohmann::ordered_json::parse(line, nullptr, false);
      if (e.is_discarded() || !e.is_object()) throw Error(parts[i] + ": not a timeline event: " + line.substr(0, 80));
      e["pid"] = pid;
      out.write((first ? "" : ",\n") + e.dump());
      first = false;
      if (e.value("name", "") == "process_name" && e.value("ph", "") == "M") {
        out.write(",\n" + nlohmann::ordered_json{{"name", "process_sort_index"}, {"ph", "M"}, {"pid", pid},
                                                  {"args", {{"sort_index", pid}}}}.dump());
      }
    }
  }
  out.write("\n" + envelope().tail + "\n");
  out.commit();
}

VcdFile::VcdFile(const std::string& path) : file_(path) {}

void VcdFile::on_units(const std::vector<UnitInfo>& units) {
  std::string header = "$timescale 1 ns $end\n$scope module npu $end\n";
  int n = 0;
  for (const UnitInfo& info : units) {
    const std::string& unit = info.name;
    std::string id(1, static_cast<char>('!' + n % 90));
    if (n >= 90) id += static_cast<char>('!' + n / 90);
    ++n;
    wires_[unit].id = id;
    std::string wire = unit;
    std::replace(wire.begin(), wire.end(), '.', '_');
    header += "$var wire 1 " + id + " " + wire + "_busy $end\n";
  }
  header += "$upscope $end\n$enddefinitions $end\n#0\n$dumpvars\n";
  for (const auto& [unit, wire] : wires_) header += "0" + wire.id + "\n";
  file_.write(header + "$end\n");
}

void VcdFile::close(Wire& wire) {
  if (!wire.open) return;
  changes_.emplace(wire.start_ns, order_++, "1" + wire.id);
  changes_.emplace(wire.end_ns, order_++, "0" + wire.id);
  wire.open = false;
}

void VcdFile::emit_before(int64_t time_ns) {
  while (!changes_.empty() && std::get<0>(changes_.top()) < time_ns) {
    const auto [time, order, change] = changes_.top();
    if (time != current_time_) {
      file_.write("#" + std::to_string(time) + "\n");
      current_time_ = time;
    }
    file_.write(change + "\n");
    changes_.pop();
  }
}

// Busy intervals of a unit are merged where they touch (whole nanoseconds, rounded outwards).
void VcdFile::on_activity(const Activity& a, double final_before_ns) {
  const auto it = wires_.find(a.unit);
  if (it != wires_.end()) {
    Wire& wire = it->second;
    const auto start = static_cast<int64_t>(a.start_ns), end = static_cast<int64_t>(a.end_ns + 0.999999);
    if (wire.open && start <= wire.end_ns) {
      wire.end_ns = std::max(wire.end_ns, end);
    } else {
      close(wire);
      wire = {wire.id, true, start, end};
    }
  }
  const auto horizon = static_cast<int64_t>(std::floor(final_before_ns));
  for (auto& [unit, wire] : wires_) {
    if (wire.open && wire.end_ns < horizon) close(wire);
  }
  emit_before(horizon);
}

void VcdFile::commit() {
  for (auto& [unit, wire] : wires_) close(wire);
  emit_before(std::numeric_limits<int64_t>::max());
  file_.commit();
}

}  // namespace npusim::hw
