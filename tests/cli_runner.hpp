// Runs the built npusim binary for end-to-end tests: exit code, stdout and stderr.
#pragma once

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>
#include <unistd.h>

namespace npusim::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline bool contains(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

inline int line_count(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }

// The fields of one CSV line (quotes kept; a quoted comma does not split).
inline std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (const char c : line) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) fields.emplace_back();
    else fields.back() += c;
  }
  return fields;
}

// A CSV text's rows after its header, each as column name -> field.
inline std::vector<std::map<std::string, std::string>> csv_rows(const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);
  const std::vector<std::string> header = csv_fields(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(lines, line)) {
    const std::vector<std::string> fields = csv_fields(line);
    std::map<std::string, std::string>& row = rows.emplace_back();
    for (size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = fields[i];
  }
  return rows;
}

// A shell command's exit code (-1 when it did not exit normally).
inline int shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#ifdef NPUSIM_SOURCE_DIR
// The RTL sources the RTL tests simulate.
inline const std::string kRtlDir = std::string(NPUSIM_SOURCE_DIR) + "/hw/rtl/";
#endif

// A fresh temporary folder per call (left for inspection on failure; under /tmp).
inline std::string make_temp_dir(const std::string& tag = "npusim_test") {
  std::string pattern = "/tmp/" + tag + "_XXXXXX";
  char* made = ::mkdtemp(pattern.data());
  return made != nullptr ? std::string(made) : std::string();
}

// `arguments` is appended to the binary path as shell words (quote them yourself where needed).
inline CliResult run_npusim(const std::string& arguments) {
  const std::string dir = make_temp_dir("npusim_cli");
  const std::string out_path = dir + "/stdout", err_path = dir + "/stderr";
  const std::string command =
      std::string(NPUSIM_BINARY) + " " + arguments + " >" + out_path + " 2>" + err_path + " </dev/null";
  const int status = std::system(command.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_whole_file(out_path);
  r.err = read_whole_file(err_path);
  std::remove(out_path.c_str());
  std::remove(err_path.c_str());
  ::rmdir(dir.c_str());
  return r;
}

}  // namespace npusim::testing
