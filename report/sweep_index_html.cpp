#include "report/sweep_index_html.hpp"

#include <cstdio>
#include <sstream>

#include "report/svg_chart.hpp"

namespace npusim::cli {

namespace {

std::string format(const char* pattern, double v) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, pattern, v);
  return buffer;
}

const char* const kStyle = R"(body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222;background:#fafafa}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.meta{color:#555}table{border-collapse:collapse;margin:1em 0;background:white;box-shadow:0 1px 3px rgba(0,0,0,.1)}
th,td{padding:.4em .8em;border-bottom:1px solid #eee;text-align:right}th{background:#f0f3f7}td.name,th.name{text-align:left}
td.best{font-weight:bold;color:#1f5fa8}figure{margin:1.5em 0;background:white;padding:1em;box-shadow:0 1px 3px rgba(0,0,0,.1);overflow-x:auto}
figure img{max-width:none}figcaption{color:#444;margin-top:.5em;max-width:900px}.note{color:#8a5300}.failed{color:#b00020}
code{background:#eef;padding:0 .2em})";

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
       << "<code>points/&lt;id&gt;/</code>.</p>\n";

  html << "<h2>Headline: where the LUT gains most over the DSP</h2>\n";
  const std::vector<SweepHeadline> headlines = sweep_headlines(spec, results);
  bool any = false;
  for (const auto& h : headlines) any = any || h.found;
  if (!any) {
    html << "<p class=\"note\">No point ran both the dsp and the lut engine, so there is no speedup to show.</p>\n";
  } else {
    html << "<table class=\"headline\"><tr><th class=\"name\">workload</th><th>best speedup (DSP / LUT)</th>"
         << "<th class=\"name\">at</th><th>DSP total (ms)</th><th>LUT total (ms)</th><th>non-linear share, DSP</th>"
         << "<th>non-linear share, LUT</th></tr>\n";
    for (const auto& h : headlines) {
      html << "<tr><td class=\"name\">" << escape_xml(h.workload) << "</td>";
      if (!h.found) {
        html << "<td colspan=\"6\" class=\"name note\">no DSP/LUT pair done</td></tr>\n";
        continue;
      }
      html << "<td class=\"best\">" << format("%.2fx", h.speedup) << "</td><td class=\"name\">" << escape_xml(h.at) << "</td><td>"
           << format("%.3f", h.dsp_ms) << "</td><td>" << format("%.3f", h.lut_ms) << "</td><td>"
           << format("%.1f %%", 100 * h.dsp_nonlinear_share) << "</td><td>" << format("%.1f %%", 100 * h.lut_nonlinear_share)
           << "</td></tr>\n";
    }
    html << "</table>\n<p class=\"meta\">Speedup: DSP total latency over LUT total latency at the same axis values. "
         << "Non-linear share: non-linear compute and decomposition time over the total.</p>\n";
  }
  for (const auto& note : charts.notes) html << "<p class=\"note\">Note: " << escape_xml(note) << "</p>\n";
  if (failed > 0) {
    html << "<h2>Failed points</h2>\n<ul class=\"failed\">\n";
    for (const auto& r : results) {
      if (r.failed) html << "<li><code>" << escape_xml(r.point.id) << "</code>: " << escape_xml(r.error) << "</li>\n";
    }
    html << "</ul>\n";
  }
  html << "<h2>Charts</h2>\n";
  for (const auto& c : charts.charts) {
    html << "<figure id=\"" << escape_xml(c.file) << "\"><img src=\"plots/" << escape_xml(c.file) << "\" alt=\"" << escape_xml(c.file)
         << "\"><figcaption><b>" << escape_xml(c.file) << "</b>: " << escape_xml(c.caption) << "</figcaption></figure>\n";
  }
  html << "</body></html>\n";
  return html.str();
}

}  // namespace npusim::cli
