#include "report/run_comparison.hpp"

#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

#include "report/run_figures.hpp"
#include "report/text_format.hpp"

namespace npusim::hw {

namespace {

struct Compared {
  std::optional<double> a, b, difference, ratio;
};

Compared compared(const RunFigure& f, const RunPair& p) {
  Compared c{f.value(p.a), f.value(p.b), std::nullopt, std::nullopt};
  if (c.a && c.b) {
    c.difference = *c.b - *c.a;
    if (*c.a != 0) c.ratio = *c.b / *c.a;
  }
  return c;
}

std::string cell(const std::optional<double>& v, const RunFigure& f, bool signed_value = false) {
  if (!v) return "-";
  const std::string text = fixed(*v * f.scale, f.decimals);
  return signed_value && *v * f.scale >= 0 ? "+" + text : text;
}

std::string row(const std::string& label, const std::vector<std::string>& cells) {
  std::string line = "  " + label + std::string(label.size() < 30 ? 30 - label.size() : 1, ' ');
  for (const auto& c : cells) line += std::string(c.size() < 14 ? 14 - c.size() : 1, ' ') + c;
  return line + "\n";
}

}  // namespace

std::vector<RunPair> pair_runs(const std::vector<RunReport>& a, const std::vector<RunReport>& b, std::vector<std::string>& unpaired) {
  std::vector<RunPair> pairs;
  for (const RunReport& ra : a) {
    bool found = false;
    for (const RunReport& rb : b) {
      if (rb.engines != ra.engines) continue;
      pairs.push_back({ra.engines, ra, rb});
      found = true;
      break;
    }
    if (!found) unpaired.push_back("engine " + ra.engines + ": only in A");
  }
  for (const RunReport& rb : b) {
    bool found = false;
    for (const RunReport& ra : a) found = found || ra.engines == rb.engines;
    if (!found) unpaired.push_back("engine " + rb.engines + ": only in B");
  }
  // One run on each side with different engines: compare them anyway (the engine is the question).
  if (pairs.empty() && a.size() == 1 && b.size() == 1) {
    pairs.push_back({a.front().engines + " / " + b.front().engines, a.front(), b.front()});
    unpaired.clear();
  }
  return pairs;
}

std::string compare_text(const std::string& a_name, const std::string& b_name, const std::vector<RunPair>& pairs) {
  std::ostringstream out;
  out << "A: " << a_name << "\nB: " << b_name << "\n";
  for (const RunPair& p : pairs) {
    out << "\nengine " << p.engine << "\n";
    out << "  A: " << p.a.workload << ", config " << p.a.config_name << "\n  B: " << p.b.workload << ", config " << p.b.config_name << "\n";
    if (p.a.workload != p.b.workload) out << "  note: A and B ran different workloads\n";
    out << row("", {"A", "B", "B - A", "B / A"});
    for (const RunFigure& f : run_figures({p.a, p.b})) {
      if (f.heading()) {
        out << "  " << f.label << "\n";
        continue;
      }
      const Compared c = compared(f, p);
      out << row(f.label, {cell(c.a, f), cell(c.b, f), cell(c.difference, f, true), c.ratio ? fixed(*c.ratio, 3) + "x" : "-"});
    }
  }
  return out.str();
}

std::string compare_csv(const std::vector<RunPair>& pairs) {
  std::ostringstream out;
  out << "engine,figure,a,b,difference,ratio\n";
  const auto value = [](const std::optional<double>& v) { return v ? fixed(*v, 9) : std::string(); };
  for (const RunPair& p : pairs) {
    for (const RunFigure& f : run_figures({p.a, p.b})) {
      if (f.heading()) continue;
      const Compared c = compared(f, p);
      out << csv_field(p.engine) << "," << f.key << "," << value(c.a) << "," << value(c.b) << "," << value(c.difference) << ","
          << value(c.ratio) << "\n";
    }
  }
  return out.str();
}

json::Value compare_json(const std::string& a_name, const std::string& b_name, const std::vector<RunPair>& pairs) {
  json::Value root = json::Value::object();
  root.set("format", "npusim-run-comparison");
  root.set("version", 1);
  root.set("a", a_name);
  root.set("b", b_name);
  json::Value list = json::Value::array();
  const auto value = [](const std::optional<double>& v) { return v ? json::Value(*v) : json::Value(); };
  for (const RunPair& p : pairs) {
    json::Value pair = json::Value::object();
    pair.set("engine", p.engine);
    pair.set("a_workload", p.a.workload);
    pair.set("b_workload", p.b.workload);
    pair.set("a_config", p.a.config_name);
    pair.set("b_config", p.b.config_name);
    json::Value figures = json::Value::object();
    for (const RunFigure& f : run_figures({p.a, p.b})) {
      if (f.heading()) continue;
      const Compared c = compared(f, p);
      json::Value v = json::Value::object();
      v.set("a", value(c.a));
      v.set("b", value(c.b));
      v.set("difference", value(c.difference));
      v.set("ratio", value(c.ratio));
      figures.set(f.key, v);
    }
    pair.set("figures", figures);
    list.push_back(pair);
  }
  root.set("pairs", list);
  return root;
}

}  // namespace npusim::hw
