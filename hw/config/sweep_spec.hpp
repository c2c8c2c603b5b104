// Sweep specs: a base config, workloads, non-linear engines and parameter axes (config paths with
// explicit values or ranges, combined as a cartesian product or zipped), expanded into numbered
// design points in a fixed order - the same on every machine, so shards and resumed runs agree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hw/config/hw_config.hpp"

namespace npusim::hw {

// Documented limits (docs/user-guide.md, "Sweeps"), refused before anything is built, with the limit named.
constexpr int64_t kMaxAxisValues = 100000;   // values of one axis (explicit or from a range)
constexpr int64_t kMaxSweepPoints = 100000;  // workloads x engines x axis combinations

struct SweepWorkload {
  std::string model;      // a zoo model, or
  std::string trace;      // a trace file (relative paths are relative to the spec)
  int64_t tokens = 0;     // 0: the model's default
  bool full = false;
  std::string label() const;  // "vit_base", "tinyllama@2048", "my_trace.yaml"
};

struct SweepAxis {
  std::string path;                 // a config path, e.g. dram.bandwidth_gbps
  std::vector<std::string> values;  // as text, validated against the config schema
};

struct SweepPoint {
  int index = 0;
  std::string id;                   // "p0007"
  int workload = 0;                 // into SweepSpec::workloads
  std::string engine;
  std::vector<std::string> values;  // one per axis
};

struct SweepSpec {
  std::string source;               // the spec file
  std::string base_config;          // path, or "" for the built-in paper NPU
  std::vector<SweepWorkload> workloads;
  std::vector<std::string> engines;
  std::vector<SweepAxis> axes;
  bool zipped = false;
  std::vector<std::string> base_config_not_given;  // fields the base config leaves at the defaults

  // workloads x engines x combinations, overflow-checked, without building the points.
  int64_t point_count() const;
  std::vector<SweepPoint> points() const;  // workloads x engines x (axes cartesian or zipped)
  // The point's `npusim run` arguments (without outputs).
  std::vector<std::string> run_args(const SweepPoint& point) const;
};

// Strict reading: unknown keys (did-you-mean), duplicate keys, unknown config paths, values the schema
// rejects, empty lists, zipped axes of different lengths, an axis path, engine, workload or value given
// twice, bad ranges (a step or factor that does not advance a double, more values or points than the
// limits: counted before any value is generated) - "file:line:column: message".
SweepSpec parse_sweep_spec(const std::string& yaml_text, const std::string& source_name);
SweepSpec load_sweep_spec(const std::string& path);

// Points of shard `shard` of `shards` (index modulo shards): every point in exactly one shard.
std::vector<SweepPoint> shard_points(const std::vector<SweepPoint>& points, int shard, int shards);

}  // namespace npusim::hw
