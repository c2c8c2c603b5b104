// Output-folder manifests (npusim_output.json, common/output_folder.hpp): whatever a manifest says, every
// path it yields stays inside the folder, and what is accepted writes and reads back the same.
#include <string>

#include "common/error.hpp"
#include "common/output_folder.hpp"
#include "tests/fuzz/harnesses.hpp"

namespace npusim::fuzz {

void output_manifest(std::string_view data) {
  OutputManifest m;
  try {
    m = parse_output_manifest(std::string(data), "npusim_output.json");
  } catch (const Error& e) {
    if (std::string(e.what()).rfind("npusim_output.json:", 0) != 0) invariant_broken("a manifest error that does not name the file");
    return;
  }
  for (const auto* paths : {&m.files, &m.other_files}) {
    for (const std::string& p : *paths) {
      if (p.empty() || p.front() == '/' || p == ".." || p.rfind("../", 0) == 0 || p.find("/../") != std::string::npos ||
          (p.size() >= 3 && p.compare(p.size() - 3, 3, "/..") == 0)) {
        invariant_broken("a path outside the folder was accepted");
      }
    }
  }
  const std::string written = output_manifest_json(m);
  if (output_manifest_json(parse_output_manifest(written, "written.json")) != written) {
    invariant_broken("a manifest did not write and read back the same");
  }
}

}  // namespace npusim::fuzz
