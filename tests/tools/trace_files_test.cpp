// The VCD and the trace-event timeline of a two-engine run, read back by readers that share no code with
// the writers: a strict VCD parser written here (and GTKWave's vcd2fst / fst2vcd round trip where it is
// installed; tools/setup.sh installs it), and the timeline parsed as plain JSON and checked event by
// event. Both are compared with activities.csv, the run's record of every activity.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <tuple>

#include <nlohmann/json.hpp>

#include "common/atomic_file.hpp"
#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

using Intervals = std::vector<std::pair<int64_t, int64_t>>;

struct CsvActivity {
  std::string unit;
  double start_ns = 0, end_ns = 0;
};

// activities.csv: op_index,op_id,layer,unit,category,start_ns,end_ns,... (ids and layers hold no commas
// in the zoo models; a quoted field would fail the column count check below).
std::vector<CsvActivity> read_activities(const std::string& path) {
  std::istringstream lines(read_file(path));
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line.rfind("op_index,op_id,layer,unit,category,start_ns,end_ns,", 0), 0u) << line;
  std::vector<CsvActivity> rows;
  while (std::getline(lines, line)) {
    std::vector<std::string> fields;
    std::istringstream split(line);
    for (std::string f; std::getline(split, f, ',');) fields.push_back(f);
    EXPECT_EQ(fields.size(), 10u) << line;
    if (fields.size() != 10) continue;
    rows.push_back({fields[3], std::stod(fields[5]), std::stod(fields[6])});
  }
  return rows;
}

// What each unit's busy wire must show: its activities on whole nanoseconds (rounded outwards), merged
// where they overlap or touch. Keyed by the wire's name ("dma.0" -> "dma_0_busy").
std::map<std::string, Intervals> expected_wires(const std::vector<CsvActivity>& activities) {
  std::map<std::string, Intervals> raw, merged;
  for (const auto& a : activities) {
    std::string wire = a.unit;
    for (char& c : wire) c = c == '.' ? '_' : c;
    const auto start = static_cast<int64_t>(std::floor(a.start_ns)), end = static_cast<int64_t>(std::ceil(a.end_ns));
    if (end > start) raw[wire + "_busy"].emplace_back(start, end);
  }
  for (auto& [wire, list] : raw) {
    std::sort(list.begin(), list.end());
    Intervals& out = merged[wire];
    for (const auto& [s, e] : list) {
      if (!out.empty() && s <= out.back().second) {
        out.back().second = std::max(out.back().second, e);
      } else {
        out.emplace_back(s, e);
      }
    }
  }
  return merged;
}

// A strict reader of the subset of IEEE 1364 VCD a busy-wire dump uses: declarations, then timestamps
// that increase, each followed by value changes of declared 1-bit wires. Returns each wire's high
// intervals; any departure is a test failure.
std::map<std::string, Intervals> read_vcd(const std::string& path) {
  std::istringstream in(read_file(path));
  std::map<std::string, std::string> name_of;  // id code -> wire name
  std::map<std::string, int> value;            // id code -> 0, 1, or -1 before its first value
  std::map<std::string, int64_t> rose_at;
  std::map<std::string, Intervals> high;
  std::string word;
  bool definitions_done = false, timescale_ns = false;
  int64_t now = -1;
  size_t timestamps = 0;
  while (in >> word) {
    if (word == "$var") {
      std::string type, width, id, name, end;
      in >> type >> width >> id >> name >> end;
      if (end != "$end") in >> end;  // a bit-select "[0]" after the name
      EXPECT_EQ(width, "1") << path;
      EXPECT_EQ(end, "$end") << path;
      EXPECT_FALSE(name_of.count(id)) << path << ": id " << id << " declared twice";
      name_of[id] = name;
      value[id] = -1;
      high[name];
    } else if (word == "$timescale") {
      std::string text, part;
      while (in >> part && part != "$end") text += part;
      timescale_ns = text == "1ns";
    } else if (word == "$enddefinitions") {
      in >> word;
      definitions_done = true;
    } else if (word == "$dumpvars" || word == "$end") {
      EXPECT_TRUE(definitions_done) << path;
    } else if (word[0] == '$') {  // $date, $version, $comment, $scope, $upscope: skip to $end
      while (in >> word && word != "$end") {
      }
    } else if (word[0] == '#') {
      EXPECT_TRUE(definitions_done) << path;
      const int64_t t = std::stoll(word.substr(1));
      EXPECT_GT(t, now) << path << ": timestamp #" << t << " after #" << now;
      now = t;
      ++timestamps;
    } else {
      const std::string id = word.substr(1);
      EXPECT_TRUE(definitions_done && now >= 0) << path << ": value change " << word << " before a timestamp";
      EXPECT_TRUE(word[0] == '0' || word[0] == '1') << path << ": " << word;
      EXPECT_TRUE(name_of.count(id)) << path << ": undeclared id in " << word;
      if (!name_of.count(id)) continue;
      const int v = word[0] - '0';
      if (value[id] == 1 && v == 0) high[name_of[id]].emplace_back(rose_at[id], now);
      if (value[id] != 1 && v == 1) rose_at[id] = now;
      EXPECT_FALSE(value[id] == v && now > 0) << path << ": " << word << " at #" << now << " changes nothing";
      value[id] = v;
    }
  }
  EXPECT_TRUE(timescale_ns) << path;
  EXPECT_GT(timestamps, 10u) << path;
  for (const auto& [id, v] : value) EXPECT_EQ(v, 0) << path << ": " << name_of[id] << " still high at the end";
  return high;
}

bool have(const char* tool) { return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0; }

class TwoEngineRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = testing::make_temp_dir("npusim_trace_files");
    const auto r = testing::run_npusim("run --model vit_base --engines dsp,lut --vcd " + dir_ + "/run.vcd --timeline " + dir_ +
                                       "/timeline.json --out " + dir_ + "/out");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }
  static std::string dir_;
};
std::string TwoEngineRun::dir_;

TEST_F(TwoEngineRun, VcdHasIncreasingTimestampsAndTheEdgesOfActivitiesCsv) {
  for (const std::string engine : {"dsp", "lut"}) {
    const auto want = expected_wires(read_activities(dir_ + "/out/" + engine + "/activities.csv"));
    const auto got = read_vcd(dir_ + "/run." + engine + ".vcd");
    ASSERT_GE(want.size(), 4u) << engine;
    for (const auto& [wire, intervals] : want) {
      ASSERT_TRUE(got.count(wire)) << engine << " " << wire;
      EXPECT_EQ(got.at(wire), intervals) << engine << " " << wire;
    }
    for (const auto& [wire, intervals] : got) {
      if (!want.count(wire)) {
        EXPECT_TRUE(intervals.empty()) << engine << " " << wire << " busy without an activity";
      }
    }
  }
}

TEST_F(TwoEngineRun, VcdSurvivesGtkwavesFstRoundTripUnchanged) {
  if (!have("vcd2fst") || !have("fst2vcd")) GTEST_SKIP() << "GTKWave's vcd2fst / fst2vcd not installed (tools/setup.sh installs gtkwave)";
  for (const std::string engine : {"dsp", "lut"}) {
    const std::string vcd = dir_ + "/run." + engine + ".vcd", fst = dir_ + "/" + engine + ".fst", back = dir_ + "/" + engine + ".back.vcd";
    ASSERT_EQ(std::system(("vcd2fst " + vcd + " " + fst + " >/dev/null 2>&1").c_str()), 0) << engine;
    ASSERT_EQ(std::system(("fst2vcd " + fst + " >" + back + " 2>/dev/null").c_str()), 0) << engine;
    const auto want = expected_wires(read_activities(dir_ + "/out/" + engine + "/activities.csv"));
    const auto got = read_vcd(back);
    for (const auto& [wire, intervals] : want) {
      ASSERT_TRUE(got.count(wire)) << engine << " " << wire;
      EXPECT_EQ(got.at(wire), intervals) << engine << " " << wire;
    }
  }
}

// The trace-event format (Chrome's JSON Object Format, as Perfetto reads it): every event well-formed,
// complete ("X") events on one thread never overlapping, and per process exactly the run's activities.
TEST_F(TwoEngineRun, TimelineEventsAreWellFormedDisjointPerTrackAndMatchActivitiesCsv) {
  const auto root = nlohmann::json::parse(read_file(dir_ + "/timeline.json"));
  ASSERT_TRUE(root.is_object());
  EXPECT_EQ(root.value("displayTimeUnit", ""), "ns");
  ASSERT_TRUE(root.contains("traceEvents") && root["traceEvents"].is_array());
  std::map<int, std::string> process;                      // pid -> name
  std::map<std::pair<int, int>, std::string> thread;       // (pid, tid) -> unit
  std::map<std::pair<int, int>, std::vector<std::pair<double, double>>> slices;  // (pid, tid) -> (ts, dur) in us
  for (const auto& e : root["traceEvents"]) {
    ASSERT_TRUE(e.is_object()) << e;
    ASSERT_TRUE(e.contains("name") && e["name"].is_string()) << e;
    ASSERT_TRUE(e.contains("ph") && e["ph"].is_string()) << e;
    ASSERT_TRUE(e.contains("pid") && e["pid"].is_number_integer() && e["pid"].get<int>() >= 1) << e;
    const std::string ph = e["ph"], name = e["name"];
    const int pid = e["pid"];
    if (ph == "M") {
      ASSERT_TRUE(e.contains("args") && e["args"].is_object()) << e;
      if (name == "process_name") process[pid] = e["args"].value("name", "");
      if (name == "thread_name") {
        ASSERT_TRUE(e.contains("tid") && e["tid"].is_number_integer()) << e;
        EXPECT_FALSE(thread.count({pid, e["tid"].get<int>()})) << "track named twice: " << e;
        thread[{pid, e["tid"].get<int>()}] = e["args"].value("name", "");
      }
      EXPECT_TRUE(name == "process_name" || name == "thread_name" || name == "process_sort_index") << e;
    } else if (ph == "X") {
      ASSERT_TRUE(e.contains("tid") && e["tid"].is_number_integer()) << e;
      ASSERT_TRUE(e.contains("ts") && e["ts"].is_number() && e.contains("dur") && e["dur"].is_number()) << e;
      ASSERT_TRUE(e.contains("cat") && e["cat"].is_string()) << e;
      EXPECT_GE(e["ts"].get<double>(), 0.0) << e;
      EXPECT_GE(e["dur"].get<double>(), 0.0) << e;
      slices[{pid, e["tid"].get<int>()}].emplace_back(e["ts"].get<double>(), e["dur"].get<double>());
    } else if (ph == "C") {
      ASSERT_TRUE(e.contains("ts") && e["ts"].is_number() && e.contains("args") && e["args"].is_object()) << e;
      for (const auto& [key, v] : e["args"].items()) EXPECT_TRUE(v.is_number()) << key << " in " << e;
    } else {
      ADD_FAILURE() << "unexpected phase: " << e;
    }
  }
  ASSERT_EQ(process.size(), 2u);
  EXPECT_NE(process[1].find("dsp"), std::string::npos) << process[1];
  EXPECT_NE(process[2].find("lut"), std::string::npos) << process[2];
  for (auto& [track, list] : slices) {
    ASSERT_TRUE(thread.count(track)) << "a track without a thread_name: pid " << track.first << " tid " << track.second;
    std::sort(list.begin(), list.end());
    for (size_t i = 1; i < list.size(); ++i) {
      EXPECT_LE(list[i - 1].first + list[i - 1].second, list[i].first + 1e-9) << thread[track] << " slices overlap at " << list[i].first << " us";
    }
  }
  // Per process, the slices are the activities: same unit, start and duration (ns in the CSV, us here).
  const std::map<int, std::string> engine_of = {{1, "dsp"}, {2, "lut"}};
  for (const auto& [pid, engine] : engine_of) {
    std::vector<std::tuple<std::string, double, double>> want, got;
    for (const auto& a : read_activities(dir_ + "/out/" + engine + "/activities.csv")) want.emplace_back(a.unit, a.start_ns, a.end_ns - a.start_ns);
    for (const auto& [track, list] : slices) {
      if (track.first != pid) continue;
      for (const auto& [ts, dur] : list) got.emplace_back(thread[track], ts * 1000, dur * 1000);
    }
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    ASSERT_EQ(got.size(), want.size()) << engine;
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(std::get<0>(got[i]), std::get<0>(want[i])) << engine << " " << i;
      EXPECT_NEAR(std::get<1>(got[i]), std::get<1>(want[i]), 2e-3) << engine << " " << std::get<0>(got[i]);
      EXPECT_NEAR(std::get<2>(got[i]), std::get<2>(want[i]), 2e-3) << engine << " " << std::get<0>(got[i]);
    }
  }
}

}  // namespace
}  // namespace npusim
