#include "tools/sweep/point_id.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "common/error.hpp"
#include "common/sha256.hpp"
#include "hw/config/hw_config_io.hpp"
#include "run/effective_config.hpp"

namespace npusim::cli {

namespace {

// A number as the bits of its double (so "20", "20.0" and "2e1" agree); other text as itself.
std::string canonical_value(const std::string& text) {
  char* end = nullptr;
  const double x = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(x)) return text;
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", x == 0 ? 0.0 : x);
  return buffer;
}

}  // namespace

std::string content_id(const hw::SweepSpec& spec, const hw::HwConfig& base, const hw::SweepPoint& point) {
  const hw::SweepWorkload& w = spec.workloads.at(static_cast<size_t>(point.workload));
  nlohmann::ordered_json workload;
  if (!w.model.empty()) {
    workload["model"] = w.model;
    workload["tokens"] = w.tokens;
    workload["full"] = w.full;
  } else {
    workload["trace"] = w.trace;
  }
  std::vector<std::string> overrides;
  for (size_t a = 0; a < spec.axes.size(); ++a) overrides.push_back(spec.axes[a].path + "=" + point.values.at(a));
  nlohmann::ordered_json settings = nlohmann::ordered_json::array();
  try {
    // The resolved config: every field as the simulation sees it (its name aside, which only labels it).
    const hw::HwConfig config = run::on_engine(run::with_overrides(base, overrides).config, hw::parse_engine(point.engine));
    for (const auto& field : hw::config_fields()) {
      if (field.path != "name") settings.push_back({field.path, field.get(config)});
    }
  } catch (const Error&) {
    // A value the config refuses: the point fails when it runs, and is named by its values meanwhile.
    std::vector<std::pair<std::string, std::string>> given;
    for (size_t a = 0; a < spec.axes.size(); ++a) given.emplace_back(spec.axes[a].path, canonical_value(point.values.at(a)));
    std::sort(given.begin(), given.end());
    settings = {"unresolved", given};
  }
  const nlohmann::ordered_json content = {"npusim-sweep-point", workload, point.engine, settings};
  return "p" + sha256_hex(content.dump()).substr(0, 16);
}

std::vector<hw::SweepPoint> sweep_points(const hw::SweepSpec& spec) {
  std::vector<hw::SweepPoint> points = spec.points();
  const hw::HwConfig base = spec.base_config.empty() ? hw::HwConfig() : hw::load_hw_config(spec.base_config);
  std::unordered_map<std::string, size_t> seen;
  for (auto& p : points) {
    p.id = content_id(spec, base, p);
    const auto [it, added] = seen.emplace(p.id, static_cast<size_t>(p.index));
    if (!added) {
      throw Error(spec.source + ": points " + std::to_string(it->second) + " and " + std::to_string(p.index) +
                  " run the same simulation (the same workload, engine and resolved config)");
    }
  }
  return points;
}

}  // namespace npusim::cli
