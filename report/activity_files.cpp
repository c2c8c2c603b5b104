#include "report/activity_files.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <tuple>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "hw/metrics/critical_path.hpp"
#include "report/text_format.hpp"

namespace npusim::hw {

namespace {

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

// A wire's edges before the horizon are final: a rising edge once its interval has started, a falling
// edge once its interval has ended (a later activity could still extend an interval ending at the
// horizon). They are collected from every wire and written in time order.
void VcdFile::emit_before(int64_t horizon_ns) {
  std::vector<std::tuple<int64_t, int, std::string>> changes;  // time, 0 = falling first, "1!"
  for (auto& [unit, wire] : wires_) {
    while (!wire.busy.empty() && wire.busy.front().first < static_cast<double>(horizon_ns)) {
      const auto start = static_cast<int64_t>(wire.busy.front().first), end = static_cast<int64_t>(wire.busy.front().second);
      if (!wire.front_risen) changes.emplace_back(start, 1, "1" + wire.id);
      wire.front_risen = true;
      if (end >= horizon_ns) break;
      changes.emplace_back(end, 0, "0" + wire.id);
      wire.busy.erase(wire.busy.begin());
      wire.front_risen = false;
    }
  }
  std::sort(changes.begin(), changes.end());
  for (const auto& [time, falling_first, change] : changes) {
    if (time != last_timestamp_ns_) file_.write("#" + std::to_string(time) + "\n");
    last_timestamp_ns_ = time;
    file_.write(change + "\n");
  }
  written_until_ns_ = std::max(written_until_ns_, horizon_ns);
}

void VcdFile::on_activity(const Activity& a, double final_before_ns) {
  const auto it = wires_.find(a.unit);
  if (it != wires_.end()) {
    // Outwards to whole nanoseconds; an activity recorded out of order cannot reach before what is written.
    const int64_t start = std::max(static_cast<int64_t>(std::floor(a.start_ns)), written_until_ns_);
    const int64_t end = std::max(start, static_cast<int64_t>(std::ceil(a.end_ns)));
    // Whole nanoseconds: exact as doubles far beyond any run's length.
    if (end > start) insert_merged(it->second.busy, static_cast<double>(start), static_cast<double>(end));
  }
  emit_before(static_cast<int64_t>(std::floor(final_before_ns)));
}

void VcdFile::commit() {
  emit_before(std::numeric_limits<int64_t>::max());
  file_.commit();
}

}  // namespace npusim::hw
