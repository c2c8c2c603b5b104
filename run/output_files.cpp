#include "run/output_files.hpp"

#include <unistd.h>

#include <filesystem>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/json.hpp"
#include "hw/config/hw_config_io.hpp"
#include "report/run_gantt.hpp"

namespace npusim::run {

namespace {

std::string in_dir(const std::string& dir, const char* name) { return (std::filesystem::path(dir) / name).string(); }

}  // namespace

ActivityFiles::ActivityFiles(const RunFiles& files, std::string config_label) : files_(files), config_label_(std::move(config_label)) {}

void ActivityFiles::begin(const hw::HwConfig& config, const hw::ExecutionPlan& plan) {
  if (!files_.out_dir.empty()) {
    ensure_writable_directory(files_.out_dir);
    activities_ = std::make_unique<hw::ActivitiesCsvFile>(in_dir(files_.out_dir, "activities.csv"), plan);
  }
  if (!files_.timeline_path.empty()) {
    timeline_ = std::make_unique<hw::TimelineFile>(files_.timeline_path, plan, config.dram.effective_bandwidth_gbps(),
                                                   hw::engines_description(config) + " (" + config_label_ + ")");
  }
  if (!files_.vcd_path.empty()) vcd_ = std::make_unique<hw::VcdFile>(files_.vcd_path);
}

void ActivityFiles::on_units(const std::vector<hw::UnitInfo>& units) {
  if (activities_) activities_->on_units(units);
  if (timeline_) timeline_->on_units(units);
  if (vcd_) vcd_->on_units(units);
}

void ActivityFiles::on_activity(const hw::Activity& activity, double final_before_ns) {
  if (activities_) activities_->on_activity(activity, final_before_ns);
  if (timeline_) timeline_->on_activity(activity, final_before_ns);
  if (vcd_) vcd_->on_activity(activity, final_before_ns);
}

void ActivityFiles::on_dram_busy(double start_ns, double end_ns) {
  if (timeline_) timeline_->on_dram_busy(start_ns, end_ns);
}

void ActivityFiles::end() {
  if (activities_) activities_->commit();
  if (timeline_) timeline_->commit();
  if (vcd_) vcd_->commit();
}

void write_report_files(const RunFiles& files, const hw::HwConfig& config, const hw::RunReport& report) {
  if (!files.out_dir.empty()) {
    write_file_atomically(in_dir(files.out_dir, "ops.csv"), hw::ops_csv(report));
    write_file_atomically(in_dir(files.out_dir, "layers.csv"), hw::layers_csv(report));
    write_file_atomically(in_dir(files.out_dir, "summary.csv"), hw::summary_csv(report));
    write_file_atomically(in_dir(files.out_dir, "report.json"), json::write(hw::report_json(report)));
    write_file_atomically(in_dir(files.out_dir, "config.yaml"), hw::dump_hw_config(config));
    write_file_atomically(in_dir(files.out_dir, "timeline.svg"), hw::run_gantt_svg(report));
  }
  if (!files.json_path.empty()) write_file_atomically(files.json_path, json::write(hw::report_json(report)));
}

void check_writable(const RunFiles& files) {
  if (!files.out_dir.empty()) ensure_writable_directory(files.out_dir);
  for (const std::string* path : {&files.json_path, &files.timeline_path, &files.vcd_path}) {
    if (path->empty()) continue;
    const std::filesystem::path parent = std::filesystem::path(*path).parent_path();
    const std::string folder = parent.empty() ? "." : parent.string();
    std::error_code code;
    if (!std::filesystem::is_directory(folder, code) || ::access(folder.c_str(), W_OK | X_OK) != 0) {
      throw Error("cannot write " + *path + ": " + folder + " is not a writable folder");
    }
  }
}

const std::vector<std::string>& run_file_names() {
  static const std::vector<std::string> names = {"report.json", "summary.csv", "ops.csv", "layers.csv",
                                                 "activities.csv", "timeline.svg", "config.yaml"};
  return names;
}

std::vector<std::string> earlier_run_files(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> folders = {""};
  for (const auto& engine : hw::all_engine_names()) folders.push_back(engine + "/");
  std::vector<std::string> names = run_file_names();
  names.insert(names.end(), {"comparison.txt", "comparison.json"});
  std::vector<std::string> found;
  std::error_code code;
  for (const auto& folder : folders) {
    for (const auto& name : names) {
      if (fs::is_regular_file(fs::path(dir) / (folder + name), code)) found.push_back(folder + name);
    }
  }
  return found;
}

}  // namespace npusim::run
