#include "tools/sweep/point_record.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/json.hpp"
#include "common/sha256.hpp"

namespace npusim::cli {

namespace {

constexpr const char* kPointFormat = "npusim-sweep-point";
constexpr const char* kSweepFormat = "npusim-sweep-state";

std::string digest_of_file(const std::string& path) {
  try {
    return sha256_hex(read_file(path));
  } catch (const Error& e) {
    return std::string("unreadable: ") + e.what();
  }
}

bool exists(const std::string& path) {
  std::error_code code;
  return std::filesystem::exists(path, code);
}

}  // namespace

PointRecord PointRecords::expected(const hw::SweepPoint& point) {
  PointRecord record;
  record.run_args = spec_.run_args(point);
  std::vector<std::string> inputs;
  if (!spec_.base_config.empty()) inputs.push_back(spec_.base_config);
  const hw::SweepWorkload& workload = spec_.workloads[static_cast<size_t>(point.workload)];
  if (!workload.trace.empty()) inputs.push_back(workload.trace);
  for (const auto& path : inputs) {
    auto it = digests_.find(path);
    if (it == digests_.end()) it = digests_.emplace(path, digest_of_file(path)).first;
    record.input_sha256[path] = it->second;
  }
  return record;
}

std::string point_record_json(const PointRecord& record) {
  nlohmann::ordered_json j;
  j["format"] = kPointFormat;
  j["version"] = 1;
  j["run"] = record.run_args;
  j["input_sha256"] = record.input_sha256;
  j["result_sha256"] = record.result_sha256;
  return j.dump(2) + "\n";
}

namespace {

// The record in `point_dir`, or why there is none usable.
std::string read_record(const std::string& point_dir, PointRecord& recorded) {
  const std::string record_path = point_dir + "/point.json";
  if (!exists(record_path)) return "no point.json (the run was interrupted before the sweep recorded it)";
  try {
    const nlohmann::json j = nlohmann::json::parse(read_file(record_path));
    if (j.at("format").get<std::string>() != kPointFormat || j.at("version").get<int>() != 1) return "point.json is not a point record";
    recorded.run_args = j.at("run").get<std::vector<std::string>>();
    recorded.input_sha256 = j.at("input_sha256").get<std::map<std::string, std::string>>();
    recorded.result_sha256 = j.at("result_sha256").get<std::string>();
  } catch (const std::exception& e) {  // nlohmann's parse and type errors, npusim::Error from read_file
    return std::string("point.json is unreadable (") + e.what() + ")";
  }
  return "";
}

std::string record_mismatch(const PointRecord& recorded, const PointRecord& expected) {
  if (recorded.run_args != expected.run_args) return "computed for another spec (other workload, engine or axis values)";
  for (const auto& [path, digest] : expected.input_sha256) {
    const auto it = recorded.input_sha256.find(path);
    if (it == recorded.input_sha256.end() || it->second != digest) return path + " changed since the point was computed";
  }
  return "";
}

}  // namespace

std::string check_point_result(const std::string& point_dir, const PointRecord& expected, hw::RunReport& report) {
  const std::string result_path = point_dir + "/result.json";
  if (!exists(result_path)) return "no result";
  PointRecord recorded;
  std::string problem = read_record(point_dir, recorded);
  if (problem.empty()) problem = record_mismatch(recorded, expected);
  if (!problem.empty()) return problem;
  std::string content;
  try {
    content = read_file(result_path);
  } catch (const Error& e) {
    return e.what();
  }
  if (sha256_hex(content) != recorded.result_sha256) return "result.json is torn or was changed after its run";
  try {
    report = hw::report_from_json(json::parse(content, result_path), result_path);
  } catch (const Error& e) {
    return std::string("result.json is unreadable: ") + e.what();
  }
  return "";
}

bool failure_recorded_for(const std::string& point_dir, const PointRecord& expected) {
  PointRecord recorded;
  return exists(point_dir + "/error.txt") && read_record(point_dir, recorded).empty() && record_mismatch(recorded, expected).empty();
}

void clear_point(const std::string& point_dir) {
  std::error_code code;
  // The record first: a run killed after this leaves no record, so nothing vouches for what is left.
  for (const char* name : {"point.json", "result.json", "error.txt"}) std::filesystem::remove(point_dir + "/" + name, code);
  std::vector<std::filesystem::path> leftovers;  // temporary files of writes a kill interrupted
  for (const auto& entry : std::filesystem::directory_iterator(point_dir, code)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp.") != std::string::npos || (name.size() > 5 && name.compare(name.size() - 5, 5, ".part") == 0)) {
      leftovers.push_back(entry.path());
    }
  }
  for (const auto& path : leftovers) std::filesystem::remove(path, code);
}

void write_sweep_record(const std::string& out_dir, const std::string& spec_path, const std::string& spec_sha256) {
  nlohmann::ordered_json j;
  j["format"] = kSweepFormat;
  j["version"] = 1;
  j["spec"] = spec_path;
  j["spec_sha256"] = spec_sha256;
  write_file_atomically((std::filesystem::path(out_dir) / "sweep.json").string(), j.dump(2) + "\n");
}

std::string recorded_spec_sha256(const std::string& out_dir) {
  try {
    const nlohmann::json j = nlohmann::json::parse(read_file((std::filesystem::path(out_dir) / "sweep.json").string()));
    return j.at("spec_sha256").get<std::string>();
  } catch (const std::exception&) {
    return "";
  }
}

}  // namespace npusim::cli
