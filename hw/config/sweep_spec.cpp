#include "hw/config/sweep_spec.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <unordered_set>

#include "hw/config/hw_config_io.hpp"
#include "common/checked_size.hpp"
#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "workloads/model_zoo.hpp"
#include "common/yaml_reader.hpp"

namespace npusim::hw {

namespace {

// What a value means for a design point: "3", "3.0" and "0x3" are one number; other text is itself.
std::string value_identity(const std::string& text) {
  char* end = nullptr;
  const double x = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || std::isnan(x)) return "text " + text;
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "number %a", x == 0 ? 0.0 : x);  // -0 is 0
  return buffer;
}

std::string value_text(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", v);
  return buffer;
}

std::string limit_text(int64_t v) { return std::to_string(v); }

// The values of a range, counted before any is generated: a step that is tiny next to the bounds, or a
// factor of 1.0000000000000002, asks for more values than the limit and is refused at once; a step or
// factor that does not advance a double (1e16 + 1 == 1e16) or whose values print alike is refused too.
// Returns "" and fills `values`, or the problem.
std::string range_values(double from, double to, double step, double factor, std::vector<std::string>& values) {
  const bool geometric = factor != 0.0;
  const double count_estimate = geometric ? std::floor(std::log(to / from) / std::log(factor) + 1e-9) + 1.0
                                          : std::floor((to - from) / step + 1e-9) + 1.0;
  if (!(count_estimate <= static_cast<double>(kMaxAxisValues))) {
    const std::string count = !std::isfinite(count_estimate) ? "unboundedly many"
                              : count_estimate < 9e18        ? std::to_string(static_cast<int64_t>(count_estimate))
                                                             : value_text(count_estimate);
    return "the range has " + count +
           " values, more than the limit of " + limit_text(kMaxAxisValues) + " per axis";
  }
  double v = from;
  const double last = to + std::fabs(to) * 1e-12;  // `to` itself despite rounding in the steps
  for (int64_t i = 0; i <= static_cast<int64_t>(count_estimate) && v <= last; ++i) {
    const std::string text = value_text(v);
    if (!values.empty() && text == values.back()) {
      return std::string("the ") + (geometric ? "factor " + value_text(factor) : "step " + value_text(step)) +
             " does not advance " + text + " (consecutive values print alike at 10 significant digits)";
    }
    values.push_back(text);
    v = geometric ? v * factor : from + static_cast<double>(i + 1) * step;
  }
  return "";
}

}  // namespace

int64_t SweepSpec::point_count() const {
  int64_t combinations = 1;
  if (zipped && !axes.empty()) {
    combinations = static_cast<int64_t>(axes.front().values.size());
  } else {
    for (const auto& axis : axes) combinations = checked::mul(combinations, static_cast<int64_t>(axis.values.size()), "sweep points");
  }
  return checked::mul(checked::mul(static_cast<int64_t>(workloads.size()), static_cast<int64_t>(engines.size()), "sweep points"),
                      combinations, "sweep points");
}

std::string SweepWorkload::label() const {
  if (!model.empty()) return model + (tokens > 0 ? "@" + std::to_string(tokens) : "") + (full ? "-full" : "");
  return std::filesystem::path(trace).filename().string();
}

std::vector<SweepPoint> SweepSpec::points() const {
  // Axis value combinations, the last axis varying fastest.
  std::vector<std::vector<std::string>> combinations = {{}};
  if (zipped && !axes.empty()) {
    combinations.clear();
    for (size_t i = 0; i < axes.front().values.size(); ++i) {
      std::vector<std::string> c;
      for (const auto& axis : axes) c.push_back(axis.values[i]);
      combinations.push_back(c);
    }
  } else {
    for (const auto& axis : axes) {
      std::vector<std::vector<std::string>> next;
      for (const auto& c : combinations) {
        for (const auto& v : axis.values) {
          auto extended = c;
          extended.push_back(v);
          next.push_back(extended);
        }
      }
      combinations = next;
    }
  }
  std::vector<SweepPoint> result;
  for (size_t w = 0; w < workloads.size(); ++w) {
    for (const auto& engine : engines) {
      for (const auto& c : combinations) {
        SweepPoint p;
        p.index = static_cast<int>(result.size());
        char id[16];
        std::snprintf(id, sizeof id, "p%05d", p.index);
        p.id = id;
        p.workload = static_cast<int>(w);
        p.engine = engine;
        p.values = c;
        result.push_back(p);
      }
    }
  }
  return result;
}

std::vector<std::string> SweepSpec::run_args(const SweepPoint& point) const {
  std::vector<std::string> args = {"run", "--engines", point.engine};
  if (!base_config.empty()) args.insert(args.end(), {"--config", base_config});
  const SweepWorkload& w = workloads[static_cast<size_t>(point.workload)];
  if (!w.model.empty()) {
    args.insert(args.end(), {"--model", w.model});
    if (w.tokens > 0) args.insert(args.end(), {"--tokens", std::to_string(w.tokens)});
    if (w.full) args.push_back("--full");
  } else {
    args.insert(args.end(), {"--workload", w.trace});
  }
  for (size_t a = 0; a < axes.size(); ++a) args.insert(args.end(), {"--set", axes[a].path + "=" + point.values[a]});
  return args;
}

SweepSpec parse_sweep_spec(const std::string& yaml_text, const std::string& source_name) {
  const workloads::YamlFile file(yaml_text, source_name);
  const YAML::Node& root = file.root();
  file.expect_map(root, "a sweep spec");
  file.reject_unknown(root, {"format", "version", "base_config", "workloads", "engines", "axes", "combine"});
  const YAML::Node format = file.require(root, "format");
  if (file.string(format, "format") != "npusim-sweep") file.fail(format, "not a sweep spec (format must be npusim-sweep)");
  const YAML::Node version = file.require(root, "version");
  if (file.integer(version, "version", 0, 1000) != 1) file.fail(version, "sweep spec version is not supported (this npusim reads version 1)");
  SweepSpec spec;
  spec.source = source_name;
  const std::filesystem::path folder = std::filesystem::path(source_name).parent_path();
  const auto resolve = [&](const std::string& p) {
    return std::filesystem::path(p).is_absolute() ? p : (folder / p).lexically_normal().string();
  };
  HwConfig base;
  if (root["base_config"]) {
    spec.base_config = resolve(file.string(root["base_config"], "base_config"));
    try {
      base = load_hw_config(spec.base_config, &spec.base_config_not_given);
    } catch (const Error& e) {
      file.fail(root["base_config"], std::string("base_config: ") + e.what());
    }
  }
  const YAML::Node workloads = file.require(root, "workloads");
  file.expect_sequence(workloads, "workloads");
  if (workloads.size() == 0) file.fail(workloads, "workloads must not be empty");
  for (const auto& node : workloads) {
    file.expect_map(node, "a workload");
    file.reject_unknown(node, {"model", "trace", "tokens", "full"});
    SweepWorkload w;
    if (node["model"].IsDefined() == node["trace"].IsDefined()) file.fail(node, "a workload names either a model or a trace");
    if (node["model"]) {
      w.model = file.string(node["model"], "model");
      try {
        workloads::zoo_model_info(w.model);
      } catch (const Error& e) {
        file.fail(node["model"], e.what());
      }
    } else {
      w.trace = resolve(file.string(node["trace"], "trace"));
    }
    if (node["tokens"]) w.tokens = file.integer(node["tokens"], "tokens", 1, workloads::kMaxTokens);
    if (node["full"]) {
      const std::string full = file.string(node["full"], "full");
      if (full != "true" && full != "false") file.fail(node["full"], "full must be true or false");
      w.full = full == "true";
    }
    for (size_t earlier = 0; earlier < spec.workloads.size(); ++earlier) {
      if (spec.workloads[earlier].label() == w.label()) {
        file.fail(node, "workload " + w.label() + " is listed twice (first at " + workloads::position_text(workloads[earlier]) + ")");
      }
    }
    spec.workloads.push_back(w);
  }
  const YAML::Node engines = file.require(root, "engines");
  file.expect_sequence(engines, "engines");
  if (engines.size() == 0) file.fail(engines, "engines must not be empty");
  for (const auto& node : engines) {
    const std::string e = file.string(node, "an engine");
    try {
      parse_engine(e);
    } catch (const Error& error) {
      file.fail(node, error.what());
    }
    if (std::find(spec.engines.begin(), spec.engines.end(), e) != spec.engines.end()) file.fail(node, "engine " + e + " is listed twice");
    spec.engines.push_back(e);
  }
  if (root["combine"]) {
    const std::string combine = file.string(root["combine"], "combine");
    if (combine != "cartesian" && combine != "zipped") file.fail(root["combine"], "combine must be cartesian or zipped, got '" + combine + "'");
    spec.zipped = combine == "zipped";
  }
  if (root["axes"]) {
    const YAML::Node axes = root["axes"];
    file.expect_sequence(axes, "axes");
    for (const auto& node : axes) {
      file.expect_map(node, "an axis");
      file.reject_unknown(node, {"path", "values", "range"});
      SweepAxis axis;
      const YAML::Node path = file.require(node, "path");
      axis.path = file.string(path, "path");
      for (const auto& earlier : spec.axes) {
        if (earlier.path == axis.path) file.fail(path, "axis " + axis.path + " is given twice: give its values in one axis");
      }
      if (node["values"].IsDefined() == node["range"].IsDefined()) file.fail(node, "an axis has either values or a range");
      if (node["values"]) {
        file.expect_sequence(node["values"], "values");
        if (static_cast<int64_t>(node["values"].size()) > kMaxAxisValues) {
          file.fail(node["values"], "an axis has at most " + limit_text(kMaxAxisValues) + " values");
        }
        for (const auto& v : node["values"]) axis.values.push_back(file.string(v, "a value"));
      } else {
        const YAML::Node range = node["range"];
        file.expect_map(range, "range");
        file.reject_unknown(range, {"from", "to", "step", "factor"});
        const double from = file.number(file.require(range, "from"), "from");
        const double to = file.number(file.require(range, "to"), "to");
        if (range["step"].IsDefined() == range["factor"].IsDefined()) file.fail(range, "a range has either a step or a factor");
        if (!(from <= to)) file.fail(range, "a range needs from <= to");
        double step = 0.0, factor = 0.0;
        if (range["step"]) {
          step = file.number(range["step"], "step");
          if (!(step > 0)) file.fail(range["step"], "step must be > 0");
        } else {
          factor = file.number(range["factor"], "factor");
          if (!(factor > 1) || !(from > 0)) file.fail(range["factor"], "a geometric range needs factor > 1 and from > 0");
        }
        const std::string problem = range_values(from, to, step, factor, axis.values);
        if (!problem.empty()) file.fail(range, problem);
      }
      if (axis.values.empty()) file.fail(node, "an axis needs at least one value");
      // The same value twice ("3" and "3.0" too) would run one design point under two point ids. Zipped
      // axes may repeat a value (rows 32 with columns 16, then with 64): there the points must differ.
      std::unordered_set<std::string> seen;
      for (size_t i = 0; i < axis.values.size() && !spec.zipped; ++i) {
        if (!seen.insert(value_identity(axis.values[i])).second) {
          file.fail(node["values"] ? node["values"][i] : path, "value " + axis.values[i] + " is listed twice in axis " + axis.path);
        }
      }
      for (size_t i = 0; i < axis.values.size(); ++i) {
        HwConfig scratch = base;
        try {
          set_config_value(scratch, axis.path, axis.values[i], "axis " + axis.path);
        } catch (const Error& e) {
          file.fail(node["values"] ? node["values"][i] : path, e.what());
        }
      }
      spec.axes.push_back(axis);
    }
    if (spec.zipped) {
      for (const auto& axis : spec.axes) {
        if (axis.values.size() != spec.axes.front().values.size()) file.fail(axes, "zipped axes need the same number of values");
      }
      std::map<std::vector<std::string>, size_t> first_with;
      for (size_t i = 0; !spec.axes.empty() && i < spec.axes.front().values.size(); ++i) {
        std::vector<std::string> identity, shown;
        for (const auto& axis : spec.axes) {
          identity.push_back(value_identity(axis.values[i]));
          shown.push_back(axis.path + "=" + axis.values[i]);
        }
        const auto [earlier, fresh] = first_with.emplace(identity, i);
        if (!fresh) {
          std::string values;
          for (const auto& v : shown) values += (values.empty() ? "" : ", ") + v;
          file.fail(axes, "zipped value " + std::to_string(i + 1) + " (" + values + ") repeats value " +
                              std::to_string(earlier->second + 1) + ": one design point under two point ids");
        }
      }
    }
  }
  // Counted, not built: a 4e13-point product is refused in microseconds.
  std::string points;
  try {
    const int64_t count = spec.point_count();
    if (count <= kMaxSweepPoints) return spec;
    points = std::to_string(count);
  } catch (const checked::SizeOverflow&) {
    points = "more than 2^63";
  }
  file.fail(root, "the sweep has " + points + " points, more than the limit of " + limit_text(kMaxSweepPoints));
}

SweepSpec load_sweep_spec(const std::string& path) { return parse_sweep_spec(read_file(path, read_limits::sweep_spec), path); }

std::vector<SweepPoint> shard_points(const std::vector<SweepPoint>& points, int shard, int shards) {
  if (shards < 1 || shard < 0 || shard >= shards) throw Error("--shard I/N needs 0 <= I < N");
  std::vector<SweepPoint> mine;
  for (const auto& p : points) {
    if (p.index % shards == shard) mine.push_back(p);
  }
  return mine;
}

}  // namespace npusim::hw
