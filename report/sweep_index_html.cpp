#include "report/sweep_index_html.hpp"
#include "report/text_format.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include "report/svg_chart.hpp"

namespace npusim::cli {

namespace {

const char* const kStyle = R"(body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1500px;padding:0 1em;color:#222;background:#fafafa}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.meta{color:#555}table{border-collapse:collapse;margin:1em 0;background:white;box-shadow:0 1px 3px rgba(0,0,0,.1)}
th,td{padding:.3em .55em;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}th.group{text-align:center;border-left:2px solid #dde}table.headline{font-size:.92em}.scroll{overflow-x:auto}table.headline td.name{white-space:normal;max-width:15em}th{background:#f0f3f7}td.name,th.name{text-align:left}
td.best{font-weight:bold;color:#1f5fa8}figure{margin:1.5em 0;background:white;padding:1em;box-shadow:0 1px 3px rgba(0,0,0,.1);overflow-x:auto}
figure img{max-width:100%;height:auto}.row{display:flex;gap:1em;flex-wrap:wrap}.row figure{flex:1 1 560px;margin:0}figcaption{color:#444;margin-top:.5em;max-width:900px}.note{color:#8a5300}.failed{color:#b00020}
code{background:#eef;padding:0 .2em}table.generation th{white-space:normal;vertical-align:bottom})";

constexpr size_t kMaxGenerationRows = 64;  // a longer generation sweep: summary.csv has every point

// The axes whose values differ (the others are settings, named under the table).
std::vector<size_t> varied_axes(const hw::SweepSpec& spec) {
  std::vector<size_t> varied;
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    const auto& values = spec.axes[a].values;
    if (std::any_of(values.begin(), values.end(), [&](const std::string& v) { return v != values.front(); })) varied.push_back(a);
  }
  return varied;
}

// A sweep of generations: each point's TTFT and TPOT (the figures a generation is read by), the lowest
// mean TPOT of each workload in bold.
std::string generation_section(const hw::SweepSpec& spec, const std::vector<PointResult>& results) {
  std::vector<const PointResult*> points;
  std::map<int, double> lowest_tpot_ns;
  for (const auto& r : results) {
    if (!r.done || !r.generation) continue;
    points.push_back(&r);
    const auto [it, first] = lowest_tpot_ns.emplace(r.point.workload, r.generation->tpot_mean_ns);
    if (!first) it->second = std::min(it->second, r.generation->tpot_mean_ns);
  }
  if (points.empty()) return "";
  const std::vector<size_t> axes = varied_axes(spec);
  std::ostringstream html;
  const bool workloads = spec.workloads.size() > 1;
  html << "<h2>Generation: time to first token and per output token</h2>\n<div class=\"scroll\"><table class=\"headline generation\"><tr>"
       << (workloads ? "<th class=\"name\">workload</th>" : "") << "<th class=\"name\">engine</th>";
  for (const size_t a : axes) html << "<th class=\"name\">" << escape_xml(spec.axes[a].path) << "</th>";
  html << "<th>TTFT (ms)</th><th>TPOT mean (ms)</th><th>TPOT first / last (ms)</th><th>tokens/s (decode)</th>"
          "<th>energy per token (mJ)</th></tr>\n";
  for (size_t i = 0; i < points.size() && i < kMaxGenerationRows; ++i) {
    const PointResult& r = *points[i];
    const GenerationFigures& g = *r.generation;
    html << "<tr>";
    if (workloads) html << "<td class=\"name\">" << escape_xml(spec.workloads[static_cast<size_t>(r.point.workload)].label()) << "</td>";
    html << "<td class=\"name\">" << escape_xml(r.point.engine) << "</td>";
    for (const size_t a : axes) html << "<td class=\"name\">" << escape_xml(r.point.values[a]) << "</td>";
    const bool lowest = g.tpot_mean_ns == lowest_tpot_ns.at(r.point.workload);
    html << "<td>" << hw::fixed(g.ttft_ns * 1e-6, 3) << "</td><td" << (lowest ? " class=\"best\"" : "") << ">" << hw::fixed(g.tpot_mean_ns * 1e-6, 3)
         << "</td><td>" << hw::fixed(g.tpot_first_ns * 1e-6, 3) << " / " << hw::fixed(g.tpot_last_ns * 1e-6, 3) << "</td><td>"
         << hw::fixed(g.decode_tokens_per_s, 3) << "</td><td>" << hw::fixed(g.energy_per_token_uj * 1e-3, 3) << "</td></tr>\n";
  }
  html << "</table></div>\n<p class=\"meta\">";
  if (points.size() > kMaxGenerationRows) {
    html << "The first " << kMaxGenerationRows << " of " << points.size() << " generation points; summary.csv has every one. ";
  }
  std::vector<std::string> settings;
  for (size_t a = 0; a < spec.axes.size(); ++a) {
    if (std::find(axes.begin(), axes.end(), a) == axes.end()) settings.push_back(spec.axes[a].path + "=" + spec.axes[a].values.front());
  }
  if (!workloads) settings.insert(settings.begin(), spec.workloads.front().label());
  if (!settings.empty()) {
    html << "Every point: ";
    for (size_t k = 0; k < settings.size(); ++k) html << (k ? ", " : "") << escape_xml(settings[k]);
    html << ". ";
  }
  html << "TTFT: the prompt's pass and the first token's head. TPOT: the time of a decode step (one per new token after the "
          "first), mean over the steps, and the first and the last step's; in bold the lowest mean of each workload. Tokens/s "
          "(decode): one over the mean TPOT. Energy per token: the whole generation's energy over the new tokens. The headline's "
          "totals and the charts' total latency are whole generations (TTFT and every decode step).</p>\n";
  return html.str();
}

}  // namespace

std::string sweep_index_html(const hw::SweepSpec& spec, const std::vector<PointResult>& results, const SweepCharts& charts) {
  int done = 0, failed = 0;
  for (const auto& r : results) done += r.done ? 1 : 0, failed += r.failed ? 1 : 0;
  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>npusim sweep: " << escape_xml(spec.source)
       << "</title>\n<style>" << kStyle << "</style></head><body>\n<h1>npusim sweep</h1>\n<p class=\"meta\">spec <code>"
       << escape_xml(spec.source) << "</code>: " << results.size() << " points, " << done << " done, " << failed << " failed"
       << (done + failed < static_cast<int>(results.size()) ? ", the rest not run yet" : "")
       << ". Every point: <a href=\"summary.csv\">summary.csv</a> (one row per point); its run's files under "
       << "<code>points/&lt;id&gt;/</code>. The charts are SVG files in <a href=\"plots/\">plots/</a>, which this page "
       << "shows from there: keep the folder beside it (share the whole sweep folder, not the page alone).</p>\n";

  html << "<h2>Headline: the LUT against the DSP</h2>\n";
  const std::vector<SweepHeadline> headlines = sweep_headlines(spec, results);
  bool any = false, any_paper = false;
  for (const auto& h : headlines) any = any || h.best.found, any_paper = any_paper || h.paper.found;
  if (!any) {
    html << "<p class=\"note\">No point ran both the dsp and the lut engine, so there is no speedup to show.</p>\n";
  } else {
    // Each point: speedup, both totals, the energy ratio (both energies in its tooltip); the paper NPU's
    // point first when the sweep runs it.
    const auto cells = [&](const HeadlinePoint& p, bool with_at) {
      std::ostringstream row;
      if (!p.found) {
        row << "<td colspan=\"" << (with_at ? 4 : 3) << "\" class=\"name note\">no DSP/LUT pair done</td>";
        return row.str();
      }
      row << "<td class=\"best\">" << hw::fixed(p.speedup, 2) + "x" << "</td>";
      if (with_at) {
        row << "<td class=\"name\">" << escape_xml(p.at) << (p.at_edge ? "<br><span class=\"note\">at the sweep's edge</span>" : "") << "</td>";
      }
      row << "<td>" << hw::fixed(p.dsp_ms, 3) << " / " << hw::fixed(p.lut_ms, 3) << "</td>";
      if (p.has_energy && p.dsp_uj > 0) {
        row << "<td title=\"DSP " << hw::fixed(p.dsp_uj, 1) << " uJ, LUT " << hw::fixed(p.lut_uj, 1) << " uJ\">"
            << hw::fixed(p.lut_uj / p.dsp_uj, 2) + "x" << "</td>";
      } else {
        row << "<td>-</td>";
      }
      return row.str();
    };
    const char* const figure_head = "<th>speedup</th><th>DSP / LUT total (ms)</th><th>LUT / DSP energy</th>";
    html << "<div class=\"scroll\"><table class=\"headline\"><tr><th class=\"name\" rowspan=\"2\">workload</th>";
    if (any_paper) html << "<th colspan=\"3\" class=\"group\">at the paper NPU's operating point</th>";
    html << "<th colspan=\"4\" class=\"group\">where the LUT gains most</th><th rowspan=\"2\">non-linear share there,<br>DSP / LUT</th></tr>\n<tr>";
    if (any_paper) html << figure_head;
    html << "<th>speedup</th><th class=\"name\">at</th><th>DSP / LUT total (ms)</th><th>LUT / DSP energy</th></tr>\n";
    for (const auto& h : headlines) {
      html << "<tr><td class=\"name\">" << escape_xml(h.workload) << "</td>";
      if (any_paper) html << cells(h.paper, false);
      html << cells(h.best, true);
      if (h.best.found) {
        html << "<td>" << hw::fixed(100 * h.best.dsp_nonlinear_share, 1) + " %" << " / " << hw::fixed(100 * h.best.lut_nonlinear_share, 1) + " %" << "</td>";
      } else {
        html << "<td>-</td>";
      }
      html << "</tr>\n";
    }
    html << "</table></div>\n<p class=\"meta\">Speedup: DSP total latency over LUT total latency at the same axis values (above 1.00x the LUT "
            "is faster). ";
    for (const auto& h : headlines) {
      if (h.paper.found) {
        html << "The paper NPU's operating point: " << escape_xml(h.paper.at) << " on the paper's base config. ";
        break;
      }
    }
    if (!any_paper) html << "This sweep does not run the paper NPU's operating point (the paper's base config with every axis at its value). ";
    html << "Energy: LUT run over DSP run, from the energy model (below 1.00x the LUT run takes less; a cell's tooltip has both, "
            "summary.csv the parts). Non-linear share: non-linear compute and decomposition "
            "busy time over the total.</p>\n";
  }
  html << generation_section(spec, results);
  for (const auto& note : charts.notes) html << "<p class=\"note\">Note: " << escape_xml(note) << "</p>\n";
  if (failed > 0) {
    html << "<h2>Failed points</h2>\n<ul class=\"failed\">\n";
    for (const auto& r : results) {
      if (r.failed) html << "<li><code>" << escape_xml(r.point.id) << "</code>: " << escape_xml(r.error) << "</li>\n";
    }
    html << "</ul>\n";
  }
  html << "<h2>Charts</h2>\n";
  bool in_row = false;
  for (const auto& c : charts.charts) {
    if (c.beside_next && !in_row) html << "<div class=\"row\">\n", in_row = true;
    // The chart links to its file, which opens at full size.
    html << "<figure id=\"" << escape_xml(c.file) << "\"><a href=\"plots/" << escape_xml(c.file) << "\"><img src=\"plots/"
         << escape_xml(c.file) << "\" alt=\"" << escape_xml(c.file) << "\"></a><figcaption><b><a href=\"plots/" << escape_xml(c.file)
         << "\">plots/" << escape_xml(c.file) << "</a></b>: " << escape_xml(c.caption) << "</figcaption></figure>\n";
    if (in_row && !c.beside_next) html << "</div>\n", in_row = false;
  }
  if (in_row) html << "</div>\n";
  html << "</body></html>\n";
  return html.str();
}

}  // namespace npusim::cli
