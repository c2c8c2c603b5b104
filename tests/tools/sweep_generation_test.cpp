// A sweep of generations (generate.* axes): each point's TTFT, TPOT, decode tokens per second and energy
// per token in summary.csv equal what `npusim run --generate` gives for the same point; resume and
// sweep-merge keep them; a record without them (an older npusim's) is computed again, with its reason;
// the figures in a record are read strictly and round-trip exactly.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/atomic_file.hpp"
#include "common/sha256.hpp"
#include "tests/cli_runner.hpp"
#include "tools/sweep/point_record.hpp"

namespace npusim::cli {
namespace {

using testing::contains;
using testing::read_whole_file;
using testing::run_npusim;

// Two prompt lengths, both engines; 4 new tokens, so after a 62-token prompt the decode steps' contexts
// (63..65) cross the 64-token page: the first and the last step differ.
const char* const kGenerationSweep =
    "format: npusim-sweep\nversion: 1\nworkloads:\n  - {model: tinyllama}\nengines: [dsp, lut]\naxes:\n"
    "  - {path: generate.prompt_tokens, values: [8, 62]}\n  - {path: generate.new_tokens, values: [4]}\n"
    "  - {path: dram.bandwidth_gbps, values: [6]}\n";

std::string generation_sweep_in(const std::string& dir) {
  write_file_atomically(dir + "/gen.yaml", kGenerationSweep);
  return dir + "/gen.yaml";
}

// The summary row of `engine` at `prompt_tokens`.
std::map<std::string, std::string> generation_row(const std::string& summary, const std::string& engine, int prompt_tokens) {
  for (const auto& row : testing::csv_rows(summary)) {
    if (row.at("engine") == engine && row.at("generate.prompt_tokens") == std::to_string(prompt_tokens)) return row;
  }
  return {};
}

// The cells of a row of `npusim run --generate`'s table ("  TTFT (ms)   378.844   375.501").
std::vector<std::string> printed_row(const std::string& out, const std::string& figure) {
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("  " + figure + "  ", 0) != 0) continue;
    std::istringstream cells(line.substr(figure.size() + 2));
    std::vector<std::string> found;
    for (std::string cell; cells >> cell;) found.push_back(cell);
    return found;
  }
  return {};
}

TEST(NpusimSweepGeneration, SummaryHasTheTtftAndTpotThatRunGeneratePrints) {
  const std::string dir = testing::make_temp_dir("npusim_sweep_generation");
  const auto sweep = run_npusim("sweep " + generation_sweep_in(dir) + " --out " + dir + "/out --jobs 2");
  ASSERT_EQ(sweep.exit_code, 0) << sweep.err;
  const std::string summary = read_whole_file(dir + "/out/summary.csv");
  for (const int prompt : {8, 62}) {
    const std::string json_path = dir + "/run" + std::to_string(prompt) + ".json";
    const auto run = run_npusim("run --model tinyllama --generate " + std::to_string(prompt) +
                                ",4 --engines dsp,lut --set dram.bandwidth_gbps=6 --json " + json_path);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const nlohmann::json runs = nlohmann::json::parse(read_whole_file(json_path)).at("runs");
    ASSERT_EQ(runs.size(), 2u);
    const std::vector<std::string> ttft = printed_row(run.out, "TTFT (ms)"), tpot = printed_row(run.out, "TPOT mean (ms)"),
                                   first_last = printed_row(run.out, "TPOT first / last (ms)"),
                                   tokens = printed_row(run.out, "tokens/s (decode)"), energy = printed_row(run.out, "energy per token (mJ)");
    ASSERT_EQ(first_last.size(), 6u) << run.out;  // "a / b" per engine
    for (size_t e = 0; e < 2; ++e) {
      const nlohmann::json& g = runs[e];
      const std::string engine = g.at("engine");
      const auto row = generation_row(summary, engine, prompt);
      ASSERT_FALSE(row.empty()) << engine << " " << prompt << "\n" << summary;
      const auto cell = [&](const std::string& column) { return std::stod(row.at(column)); };
      // To the summary's six decimals of what generation.json holds, and to the printed table's three.
      EXPECT_NEAR(cell("ttft_ms"), g.at("ttft_ns").get<double>() * 1e-6, 5e-7);
      EXPECT_NEAR(cell("tpot_mean_ms"), g.at("tpot_mean_ns").get<double>() * 1e-6, 5e-7);
      EXPECT_NEAR(cell("tpot_first_ms"), g.at("tpot_first_ns").get<double>() * 1e-6, 5e-7);
      EXPECT_NEAR(cell("tpot_last_ms"), g.at("tpot_last_ns").get<double>() * 1e-6, 5e-7);
      EXPECT_NEAR(cell("decode_tokens_per_s"), g.at("decode_tokens_per_s").get<double>(), 5e-7);
      EXPECT_NEAR(cell("energy_per_token_mj"), g.at("energy_per_token_uj").get<double>() * 1e-3, 5e-7);
      EXPECT_NEAR(cell("ttft_ms"), std::stod(ttft.at(e)), 5e-4 + 1e-9);
      EXPECT_NEAR(cell("tpot_mean_ms"), std::stod(tpot.at(e)), 5e-4 + 1e-9);
      EXPECT_NEAR(cell("tpot_first_ms"), std::stod(first_last.at(3 * e)), 5e-4 + 1e-9);
      EXPECT_NEAR(cell("tpot_last_ms"), std::stod(first_last.at(3 * e + 2)), 5e-4 + 1e-9);
      EXPECT_NEAR(cell("decode_tokens_per_s"), std::stod(tokens.at(e)), 5e-4 + 1e-9);
      EXPECT_NEAR(cell("energy_per_token_mj"), std::stod(energy.at(e)), 5e-4 + 1e-9);
      // The whole generation's total is TTFT and the decode steps.
      EXPECT_NEAR(cell("total_ms"), cell("ttft_ms") + 3 * cell("tpot_mean_ms"), 2e-6);
      if (prompt == 62) {
        EXPECT_NE(row.at("tpot_first_ms"), row.at("tpot_last_ms")) << "the steps cross a KV-cache page";
      }
    }
  }
  // The page shows them too.
  const std::string html = read_whole_file(dir + "/out/index.html");
  EXPECT_TRUE(contains(html, "Generation: time to first token and per output token"));
  char ttft_cell[64];
  std::snprintf(ttft_cell, sizeof ttft_cell, "<td>%.3f</td>", std::stod(generation_row(summary, "lut", 62).at("ttft_ms")));
  EXPECT_TRUE(contains(html, ttft_cell)) << ttft_cell << "\n" << html;
  EXPECT_TRUE(std::filesystem::exists(dir + "/out/plots/tpot_vs_generate_prompt_tokens.svg"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/out/plots/ttft_vs_generate_prompt_tokens.svg"));
  std::filesystem::remove_all(dir);
}

// A record line's JSON without its digest, and a JSON sealed as a record line (the digest of its text).
nlohmann::ordered_json unsealed_record(const std::string& line) {
  return nlohmann::ordered_json::parse(line.substr(0, line.rfind(",\"sha256\":\"")) + "}");
}
std::string sealed_record(const nlohmann::ordered_json& j) {
  std::string text = j.dump();
  const std::string digest = sha256_hex(text);
  text.pop_back();
  return text + ",\"sha256\":\"" + digest + "\"}";
}

// Every line of OUT/results/all.jsonl, edited by `edit` (which returns the new line, "" to drop it).
void edit_records(const std::string& out, const std::function<std::string(const std::string&, size_t)>& edit) {
  std::istringstream lines(read_whole_file(out + "/results/all.jsonl"));
  std::string kept;
  size_t n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    const std::string edited = edit(line, n);
    if (!edited.empty()) kept += edited + "\n";
  }
  write_file_atomically(out + "/results/all.jsonl", kept);
}

TEST(NpusimSweepGeneration, ResumeAndMergeKeepThemAndAnOlderRecordIsComputedAgain) {
  const std::string dir = testing::make_temp_dir("npusim_sweep_generation");
  const std::string spec = generation_sweep_in(dir);
  ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/whole --jobs 2").exit_code, 0);
  const std::string whole = read_whole_file(dir + "/whole/summary.csv");
  ASSERT_EQ(testing::line_count(whole), 5);
  ASSERT_FALSE(generation_row(whole, "dsp", 8).at("ttft_ms").empty());
  // A sweep killed after two points: its resume runs the other two and gives the same summary.
  ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 2").exit_code, 0);
  edit_records(dir + "/out", [](const std::string& line, size_t n) { return n < 2 ? line : ""; });
  const auto resumed = run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 2 --resume");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_TRUE(contains(resumed.err, "4 points, 4 in this run, 2 to do")) << resumed.err;
  EXPECT_EQ(read_whole_file(dir + "/out/summary.csv"), whole);
  // Shards merged.
  for (const char* shard : {"0/2", "1/2"}) ASSERT_EQ(run_npusim("sweep " + spec + " --out " + dir + "/shards --shard " + shard).exit_code, 0);
  ASSERT_EQ(run_npusim("sweep-merge " + spec + " --out " + dir + "/merged " + dir + "/shards").exit_code, 0);
  EXPECT_EQ(read_whole_file(dir + "/merged/summary.csv"), whole);
  // The first record as an npusim from before this change wrote it (no figures), the second with a
  // figure that is no number: the first is not used and says why, the second is no record.
  std::string old_point;
  edit_records(dir + "/out", [&](const std::string& line, size_t n) {
    if (n > 1) return line;
    nlohmann::ordered_json j = unsealed_record(line);
    if (n == 0) {
      old_point = j.at("point");
      j.erase("generation");
    } else {
      j["generation"]["ttft_ns"] = "fast";
    }
    return sealed_record(j);
  });
  const auto merged_old = run_npusim("sweep-merge " + spec + " --out " + dir + "/merged_old " + dir + "/out");
  EXPECT_EQ(merged_old.exit_code, 1);
  EXPECT_TRUE(contains(merged_old.out, "2 of 4 points")) << merged_old.out;
  EXPECT_TRUE(contains(merged_old.err, "point " + old_point + " left out: " + dir +
                                           "/out: its generation was recorded without TTFT and TPOT (by an npusim from before sweeps kept them)"))
      << merged_old.err;
  const auto again = run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 2 --resume");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.err, "point " + old_point + ": its generation was recorded without TTFT and TPOT")) << again.err;
  EXPECT_TRUE(contains(again.err, "all.jsonl:2: an unreadable record (generation.ttft_ns: a number >= 0, got \"fast\")")) << again.err;
  EXPECT_TRUE(contains(again.err, "2 to do")) << again.err;
  EXPECT_EQ(read_whole_file(dir + "/out/summary.csv"), whole);
  std::filesystem::remove_all(dir);
}

// Figures of no simulation, with digits a decimal print would round.
GenerationFigures awkward_figures() {
  GenerationFigures g;
  g.ttft_ns = 1e9 / 3, g.tpot_mean_ns = 2e8 / 7, g.tpot_first_ns = 0.1, g.tpot_last_ns = 1e300;
  g.decode_tokens_per_s = 35.000000000000007, g.energy_per_token_uj = 0.0;
  return g;
}

TEST(SweepPointRecord, GenerationFiguresRoundTripExactlyAndAreReadStrictly) {
  PointRecord record;
  record.point = "p0123456789abcdef";
  record.run_args = {"run", "--model", "tinyllama"};
  record.ok = true;
  record.report.total_ns = 5e6;
  record.generation = awkward_figures();
  std::string line = record_line(record);
  line.pop_back();
  PointRecord read;
  ASSERT_EQ(parse_record_line(line, "here", read), "");
  ASSERT_TRUE(read.generation);
  const GenerationFigures want = awkward_figures();
  EXPECT_EQ(read.generation->ttft_ns, want.ttft_ns);
  EXPECT_EQ(read.generation->tpot_mean_ns, want.tpot_mean_ns);
  EXPECT_EQ(read.generation->tpot_first_ns, want.tpot_first_ns);
  EXPECT_EQ(read.generation->tpot_last_ns, want.tpot_last_ns);
  EXPECT_EQ(read.generation->decode_tokens_per_s, want.decode_tokens_per_s);
  EXPECT_EQ(read.generation->energy_per_token_uj, want.energy_per_token_uj);
  EXPECT_EQ(record_line(read), line + "\n") << "written again, byte for byte";

  // Each edit sealed with a matching digest: only the reader's checks stand between it and the summary.
  struct Edit {
    const char* what;
    std::function<void(nlohmann::ordered_json&)> apply;
    const char* problem;
  };
  const Edit edits[] = {
      {"a figure missing", [](auto& j) { j["generation"].erase("tpot_last_ns"); }, "generation: an object with exactly ttft_ns"},
      {"a figure renamed", [](auto& j) { j["generation"].erase("ttft_ns"), j["generation"]["ttft_ms"] = 1.0; }, "generation: an object with exactly ttft_ns"},
      {"a figure more", [](auto& j) { j["generation"]["tokens_per_s"] = 1.0; }, "generation: an object with exactly ttft_ns"},
      {"not an object", [](auto& j) { j["generation"] = 3; }, "generation: an object with exactly"},
      {"negative", [](auto& j) { j["generation"]["tpot_mean_ns"] = -1.0; }, "generation.tpot_mean_ns: a number >= 0, got -1.0"},
      {"null (a NaN written)", [](auto& j) { j["generation"]["decode_tokens_per_s"] = nullptr; }, "generation.decode_tokens_per_s: a number >= 0, got null"},
      {"a failed record with figures", [](auto& j) { j["status"] = "failed", j["error"] = "boom"; }, "a failed record with a generation's figures"},
  };
  for (const Edit& e : edits) {
    nlohmann::ordered_json j = unsealed_record(line);
    e.apply(j);
    PointRecord edited;
    EXPECT_TRUE(contains(parse_record_line(sealed_record(j), "here", edited), e.problem)) << e.what << ": "
                                                                                          << parse_record_line(sealed_record(j), "here", edited);
  }

  // A generation point's record is used only with its figures, a record with figures only for a generation.
  PointRecord expected;
  expected.point = record.point;
  expected.generates = true;
  EXPECT_EQ(record_mismatch(read, expected), "");
  PointRecord older = read;
  older.generation.reset();
  EXPECT_EQ(record_mismatch(older, expected), "its generation was recorded without TTFT and TPOT (by an npusim from before sweeps kept them)");
  PointRecord failed = older;
  failed.ok = false;
  EXPECT_EQ(record_mismatch(failed, expected), "") << "a failure has no figures to keep";
  expected.generates = false;
  EXPECT_EQ(record_mismatch(older, expected), "");
  EXPECT_EQ(record_mismatch(read, expected), "it holds a generation's figures, but the point is no generation");
}

// Which points generate follows their resolved config: the base config's generate.* fields or the axes.
TEST(SweepPointRecord, AnExpectedRecordKnowsWhetherItsPointGenerates) {
  const std::string dir = testing::make_temp_dir("npusim_sweep_generation");
  write_file_atomically(dir + "/base.yaml", "name: base\ngenerate:\n  prompt_tokens: 8\n  new_tokens: 4\n");
  const hw::SweepSpec by_base = hw::parse_sweep_spec("format: npusim-sweep\nversion: 1\nbase_config: " + dir +
                                                         "/base.yaml\nworkloads:\n  - {model: tinyllama}\nengines: [lut]\n"
                                                         "axes:\n  - {path: dram.bandwidth_gbps, values: [3, 20]}\n",
                                                     dir + "/spec.yaml");
  PointRecords base_records(by_base);
  for (const auto& p : by_base.points()) EXPECT_TRUE(base_records.expected(p).generates) << p.index;
  const hw::SweepSpec by_axis = hw::parse_sweep_spec("format: npusim-sweep\nversion: 1\nworkloads:\n  - {model: tinyllama}\nengines: [lut]\n"
                                                     "axes:\n  - {path: generate.new_tokens, values: [0, 4]}\n"
                                                     "  - {path: generate.prompt_tokens, values: [0]}\n",
                                                     dir + "/spec.yaml");
  PointRecords axis_records(by_axis);
  const std::vector<hw::SweepPoint> points = by_axis.points();
  ASSERT_EQ(points.size(), 2u);
  EXPECT_FALSE(axis_records.expected(points[0]).generates);  // 0 new tokens, no prompt: one pass of the workload
  EXPECT_TRUE(axis_records.expected(points[1]).generates);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace npusim::cli
