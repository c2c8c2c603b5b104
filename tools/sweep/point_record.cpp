#include "tools/sweep/point_record.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/json.hpp"
#include "common/sha256.hpp"
#include "hw/config/hw_config_io.hpp"
#include "run/effective_config.hpp"
#include "run/generation.hpp"

namespace npusim::cli {

namespace {

// What ends every line: the digest of the record before it.
constexpr std::string_view kDigestKey = ",\"sha256\":\"";
constexpr size_t kDigestSuffix = kDigestKey.size() + 64 + 2;  // key, hex digits, "}

std::string digest_of_file(const std::string& path) {
  try {
    return sha256_hex(read_file(path));
  } catch (const Error& e) {
    return std::string("unreadable: ") + e.what();
  }
}

// The report's summary as compact JSON: what the sweep's table and charts read back.
nlohmann::ordered_json summary_json(const hw::RunReport& report) {
  hw::RunReport summary = report;
  summary.ops.clear();
  summary.layers.clear();
  summary.functional.clear();
  return nlohmann::ordered_json::parse(json::write(hw::report_json(summary)));
}

// A generation's figures in a record, under these keys (in this order), each a finite number >= 0.
struct FigureKey {
  const char* key;
  double GenerationFigures::*value;
};
constexpr FigureKey kFigureKeys[] = {
    {"ttft_ns", &GenerationFigures::ttft_ns},
    {"tpot_mean_ns", &GenerationFigures::tpot_mean_ns},
    {"tpot_first_ns", &GenerationFigures::tpot_first_ns},
    {"tpot_last_ns", &GenerationFigures::tpot_last_ns},
    {"decode_tokens_per_s", &GenerationFigures::decode_tokens_per_s},
    {"energy_per_token_uj", &GenerationFigures::energy_per_token_uj},
};

nlohmann::ordered_json figures_json(const GenerationFigures& figures) {
  nlohmann::ordered_json j;
  for (const FigureKey& f : kFigureKeys) j[f.key] = figures.*f.value;
  return j;
}

GenerationFigures figures_from(const nlohmann::ordered_json& j) {
  const bool every_key = j.is_object() && std::all_of(std::begin(kFigureKeys), std::end(kFigureKeys), [&](const FigureKey& f) { return j.contains(f.key); });
  if (!every_key || j.size() != std::size(kFigureKeys)) {
    throw Error("generation: an object with exactly ttft_ns, tpot_mean_ns, tpot_first_ns, tpot_last_ns, decode_tokens_per_s, energy_per_token_uj");
  }
  GenerationFigures figures;
  for (const FigureKey& f : kFigureKeys) {
    const nlohmann::ordered_json& v = j.at(f.key);
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0) {
      throw Error(std::string("generation.") + f.key + ": a number >= 0, got " + v.dump());
    }
    figures.*f.value = v.get<double>();
  }
  return figures;
}

}  // namespace

// The point's config as it runs (a value the config refuses: it fails when it runs, and is no generation).
bool PointRecords::generates(const hw::SweepPoint& point) {
  if (!base_) {
    try {
      base_ = spec_.base_config.empty() ? hw::HwConfig() : hw::load_hw_config(spec_.base_config);
    } catch (const Error&) {
      base_ = hw::HwConfig();  // its digest is "unreadable: ...", so no record of it is used anyway
    }
  }
  std::vector<std::string> overrides;
  for (size_t a = 0; a < spec_.axes.size(); ++a) overrides.push_back(spec_.axes[a].path + "=" + point.values[a]);
  try {
    return run::generates(run::with_overrides(*base_, overrides).config);
  } catch (const Error&) {
    return false;
  }
}

PointRecord PointRecords::expected(const hw::SweepPoint& point) {
  PointRecord record;
  record.point = point.id;
  record.generates = generates(point);
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

std::string record_line(const PointRecord& record) {
  nlohmann::ordered_json j;
  j["point"] = record.point;
  j["run"] = record.run_args;
  j["input_sha256"] = record.input_sha256;
  j["status"] = record.ok ? "ok" : "failed";
  if (record.ok) {
    j["warnings"] = record.warnings;
    j["result"] = summary_json(record.report);
    if (record.generation) j["generation"] = figures_json(*record.generation);
    if (!record.result_json_sha256.empty()) j["result_json_sha256"] = record.result_json_sha256;
  } else {
    j["error"] = record.error;
  }
  // Bytes that are not UTF-8 (an error naming a Latin-1 path) become U+FFFD, so every line reads back.
  std::string text = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  const std::string digest = sha256_hex(text);
  text.pop_back();  // the closing brace, put back after the digest
  return text + std::string(kDigestKey) + digest + "\"}\n";
}

std::string parse_record_line(const std::string& line, const std::string& where, PointRecord& record) {
  if (line.size() <= kDigestSuffix || line.compare(line.size() - kDigestSuffix, kDigestKey.size(), kDigestKey) != 0 ||
      line.compare(line.size() - 2, 2, "\"}") != 0) {
    return "a torn or foreign line (no digest at its end)";
  }
  const std::string text = line.substr(0, line.size() - kDigestSuffix) + "}";
  if (sha256_hex(text) != line.substr(line.size() - 2 - 64, 64)) return "a torn or edited line (its digest does not match)";
  try {
    const nlohmann::ordered_json j = nlohmann::ordered_json::parse(text);
    record = PointRecord();
    record.point = j.at("point").get<std::string>();
    record.run_args = j.at("run").get<std::vector<std::string>>();
    record.input_sha256 = j.at("input_sha256").get<std::map<std::string, std::string>>();
    const std::string status = j.at("status").get<std::string>();
    if (status != "ok" && status != "failed") return "a record with status '" + status + "'";
    record.ok = status == "ok";
    if (record.ok) {
      record.warnings = j.at("warnings").get<std::vector<std::string>>();
      record.report = hw::report_from_json(json::from_nlohmann(j.at("result")), where);
      if (j.contains("generation")) record.generation = figures_from(j.at("generation"));
      if (j.contains("result_json_sha256")) record.result_json_sha256 = j.at("result_json_sha256").get<std::string>();
    } else {
      record.error = j.at("error").get<std::string>();
      if (j.contains("generation")) return "a failed record with a generation's figures";
    }
  } catch (const std::exception& e) {  // nlohmann's parse and type errors, npusim::Error from the report reader
    return std::string("an unreadable record (") + e.what() + ")";
  }
  return "";
}

std::string record_mismatch(const PointRecord& recorded, const PointRecord& expected) {
  for (const auto& [path, digest] : expected.input_sha256) {
    const auto it = recorded.input_sha256.find(path);
    if (it == recorded.input_sha256.end()) return "computed from other input files (not " + path + ")";
    if (it->second != digest) return path + " changed since the point was computed";
  }
  if (recorded.input_sha256.size() != expected.input_sha256.size()) return "computed from other input files";
  if (recorded.ok && expected.generates && !recorded.generation) {
    return "its generation was recorded without TTFT and TPOT (by an npusim from before sweeps kept them)";
  }
  if (recorded.ok && !expected.generates && recorded.generation) return "it holds a generation's figures, but the point is no generation";
  return "";
}

}  // namespace npusim::cli
