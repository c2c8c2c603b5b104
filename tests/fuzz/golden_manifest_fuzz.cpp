// Golden-vector manifests (the JSON check-rtl reads first), and the JSON reader under them.
#include <cctype>
#include <string>

#include "common/error.hpp"
#include "models/rtl/golden_vectors.hpp"
#include "common/json.hpp"
#include "tests/fuzz/harnesses.hpp"

namespace npusim::fuzz {
namespace {

// "manifest.json:LINE:COLUMN: message", with the place inside the text (or just past its end).
bool names_a_place(const std::string& message, std::string_view text) {
  const std::string prefix = "manifest.json:";
  if (message.rfind(prefix, 0) != 0) return false;
  size_t at = prefix.size();
  long numbers[2] = {0, 0};
  for (long& n : numbers) {
    const size_t start = at;
    while (at < message.size() && std::isdigit(static_cast<unsigned char>(message[at])) && at - start < 12) n = n * 10 + (message[at++] - '0');
    if (at == start || at >= message.size() || message[at] != ':') return false;
    ++at;
  }
  long lines = 1;
  for (const char c : text) lines += c == '\n';
  return numbers[0] >= 1 && numbers[0] <= lines && numbers[1] >= 1 && numbers[1] <= static_cast<long>(text.size()) + 1;
}

void json_round_trip(std::string_view data) {
  json::Value value;
  try {
    value = json::parse(std::string(data), "manifest.json");
  } catch (const Error& e) {
    if (!names_a_place(e.what(), data)) invariant_broken("a JSON error without a line and column inside the text");
    return;
  }
  const std::string written = json::write(value);
  if (json::write(json::parse(written, "written.json")) != written) invariant_broken("JSON did not write and read back the same");
}

}  // namespace

void golden_manifest(std::string_view data) {
  json_round_trip(data);
  try {
    const GoldenManifest m = parse_golden_manifest(std::string(data), "manifest.json");
    if (m.word_bits != 16 && m.word_bits != 32) invariant_broken("a manifest with another word width was accepted");
    for (const auto& [role, name] : m.files) {
      if (name.find('/') != std::string::npos) invariant_broken("a file name with a folder was accepted");
    }
  } catch (const Error& e) {
    if (!names_a_place(e.what(), data)) invariant_broken("a manifest error without a line and column inside the text");
  }
}

}  // namespace npusim::fuzz
