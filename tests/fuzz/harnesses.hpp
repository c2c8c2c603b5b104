// One fuzz harness per reader of untrusted files. Each takes any bytes and must end in a result or an
// npusim::Error, never a crash, a hang, a sanitizer report or another exception; where a reader has a
// writer, what it reads must write and read back to the same thing.
//
// Built two ways: with clang++ -fsanitize=fuzzer (cmake -DNPUSIM_FUZZ=ON: one libFuzzer binary per
// harness, `<name>_fuzz`, with libfuzzer_entry.cpp), and always into fuzz_tests, the gtest that replays
// the checked-in corpora (tests/fuzz/corpus/<name>/) and the crashers found so far
// (tests/fuzz/regressions/<name>/) through every harness.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace npusim::fuzz {

void hw_config(std::string_view data);
void sweep_spec(std::string_view data);
void trace(std::string_view data);
void calibration(std::string_view data);
void readmemh(std::string_view data);
void golden_manifest(std::string_view data);
void npy(std::string_view data);
void onnx(std::string_view data);
void output_manifest(std::string_view data);
void onnx_run(std::string_view data);
void onnx_attributes(std::string_view data);  // structure-aware: attribute values of small valid models
void sweep_record(std::string_view data);     // also sealed with its digest, as npusim writes a record

struct Harness {
  const char* name;  // the corpus folder's name
  void (*run)(std::string_view data);
};
const std::vector<Harness>& harnesses();

// A harness found an invariant broken (not an input error): abort, so libFuzzer keeps the input.
[[noreturn]] void invariant_broken(const char* what);

}  // namespace npusim::fuzz

