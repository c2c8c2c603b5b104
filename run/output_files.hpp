// The files one run writes: those of every activity, streamed while it simulates (a RunSink), and those
// of its report, written once it is done. Every file goes to a temporary name and is renamed when whole.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hw/config/hw_config.hpp"
#include "report/activity_files.hpp"
#include "report/run_report.hpp"
#include "run/run_point.hpp"

namespace npusim::run {

// Where one run's files go; "" writes none of that kind.
struct RunFiles {
  std::string out_dir;        // ops.csv, activities.csv, layers.csv, summary.csv, report.json, config.yaml
  std::string json_path;      // the report as JSON
  std::string timeline_path;  // Perfetto / Chrome trace-event timeline
  std::string vcd_path;       // engine busy signals
};

// activities.csv (under out_dir), the timeline and the VCD, written as the run records its activities.
class ActivityFiles : public RunSink {
 public:
  // `config_label` names the timeline's process beside the engines ("lut (paper_npu dram.bandwidth_gbps=6)").
  ActivityFiles(const RunFiles& files, std::string config_label);
  // No activity file is named: the run need not stream its activities here (a call each saved).
  bool empty() const { return files_.out_dir.empty() && files_.timeline_path.empty() && files_.vcd_path.empty(); }
  void begin(const hw::HwConfig& config, const hw::ExecutionPlan& plan) override;
  void on_units(const std::vector<hw::UnitInfo>& units) override;
  void on_activity(const hw::Activity& activity, double final_before_ns) override;
  void on_dram_busy(double start_ns, double end_ns) override;
  void end() override;

 private:
  RunFiles files_;
  std::string config_label_;
  std::unique_ptr<hw::ActivitiesCsvFile> activities_;
  std::unique_ptr<hw::TimelineFile> timeline_;
  std::unique_ptr<hw::VcdFile> vcd_;
};

// The report's files: ops.csv, layers.csv, summary.csv, report.json, the effective config.yaml and
// timeline.svg (the per-op Gantt, report/run_gantt.hpp) under out_dir, and the report at json_path.
void write_report_files(const RunFiles& files, const hw::HwConfig& config, const hw::RunReport& report);

// Throws npusim::Error, before anything is simulated, when a folder or file named cannot be written: a
// misspelt folder costs nothing, and nothing is thrown once SystemC has switched stacks (ASan mistakes
// such a throw for a stack overflow). Creates out_dir.
void check_writable(const RunFiles& files);

// The files a run writes into out_dir, in the order `npusim run` lists them.
const std::vector<std::string>& run_file_names();

// A run folder written before npusim kept a manifest (common/output_folder.hpp): the files in it a run
// writes, at its top or in an engine's sub-folder, and a side-by-side run's comparison files.
std::vector<std::string> earlier_run_files(const std::string& dir);

}  // namespace npusim::run
