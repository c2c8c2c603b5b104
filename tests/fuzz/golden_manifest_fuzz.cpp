// Golden-vector manifests (the JSON check-rtl reads first).
#include "models/error.hpp"
#include "models/golden_vectors.hpp"
#include "tests/fuzz/harnesses.hpp"

namespace npusim::fuzz {

void golden_manifest(std::string_view data) {
  try {
    const GoldenManifest m = parse_golden_manifest(std::string(data), "manifest.json");
    if (m.word_bits != 16 && m.word_bits != 32) invariant_broken("a manifest with another word width was accepted");
    for (const auto& [role, name] : m.files) {
      if (name.find('/') != std::string::npos) invariant_broken("a file name with a folder was accepted");
    }
  } catch (const Error&) {
  }
}

}  // namespace npusim::fuzz
