// A sweep's results files (results/*.jsonl, tools/sweep/results_file.hpp): one record per line, sealed by
// the SHA-256 of the text before it. Random bytes almost never carry a matching digest, so each input is
// read twice: as it is, and sealed the way npusim seals a record (the input is then the JSON before the
// digest). Either reading ends in a record or a reason; an accepted record writes a line that reads
// back to the same record.
#include <string>

#include "common/sha256.hpp"
#include "tests/fuzz/harnesses.hpp"
#include "tools/sweep/point_record.hpp"

namespace npusim::fuzz {

namespace {

void read_record_line(const std::string& line) {
  cli::PointRecord record;
  if (!cli::parse_record_line(line, "results/0.jsonl:1", record).empty()) return;
  const std::string written = cli::record_line(record);
  cli::PointRecord again;
  if (!cli::parse_record_line(written.substr(0, written.size() - 1), "written.jsonl:1", again).empty()) {
    invariant_broken("a record npusim wrote does not read back");
  }
  if (cli::record_line(again) != written) invariant_broken("a record did not write and read back the same");
}

}  // namespace

void sweep_record(std::string_view data) {
  const std::string text(data);
  read_record_line(text);
  if (text.size() >= 2 && text.front() == '{' && text.back() == '}') {
    read_record_line(text.substr(0, text.size() - 1) + ",\"sha256\":\"" + sha256_hex(text) + "\"}");
  }
}

}  // namespace npusim::fuzz
