// Result folders that cannot mix. Every npusim writer of a folder (run --out, sweep --out, golden --out,
// lut --export, lutnn export --out, compare --out) records what it wrote in a manifest in the folder,
// npusim_output.json: the kind of result, the command, and the files. A later writer reads it first:
// - an earlier result of the same kind is replaced: its files are removed, so no stale file survives
//   (golden's dual.hex of an earlier function, a run's dsp/ folder after a single-engine run);
// - a folder holding another kind of result, or files npusim did not write, is refused with a message
//   naming --force; with --force the folder's npusim files (those its manifest lists) are removed and
//   every other file stays, recorded in the new manifest as not npusim's.
// The manifest is written when the folder is prepared, marked incomplete, and rewritten with the list of
// files on commit(), so an interrupted writer leaves a folder the next writer of its kind can clear.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace npusim {

inline constexpr const char* kOutputManifestName = "npusim_output.json";

// What npusim_output.json says. Paths are relative to the folder, '/'-separated, inside it.
struct OutputManifest {
  std::string kind;                      // "run", "sweep", "golden", ...
  std::string command;                   // what wrote it: "npusim golden"
  bool complete = false;                 // false while being written, or after an interrupted writer
  std::vector<std::string> files;        // written by npusim (a complete manifest)
  std::vector<std::string> other_files;  // present when npusim wrote here with --force, and kept
};

// Strict: the format and version, a kind, plain relative paths that stay inside the folder; errors are
// "file:line:column: message".
OutputManifest parse_output_manifest(const std::string& text, const std::string& source_name);
std::string output_manifest_json(const OutputManifest& manifest);

struct OutputFolderOptions {
  bool force = false;          // --force: replace another kind's result; write beside files npusim did not write
  bool keep_previous = false;  // the same kind's earlier files stay (a resumed sweep, tables exported one by one)
  // A folder written before npusim kept this manifest: the files the caller recognises as an earlier
  // result of its own kind (from that kind's own manifest), treated as if a manifest listed them.
  std::vector<std::string> legacy_files = {};
};

class OutputFolder {
 public:
  // Checks that `dir` may receive a result of `kind`, written by `command` ("npusim golden"), clears the
  // earlier result as described above, creates the folder if needed and writes an incomplete manifest.
  // Throws npusim::Error naming the folder (and --force) when the folder is refused.
  static OutputFolder prepare(const std::string& dir, const std::string& kind, const std::string& command,
                              const OutputFolderOptions& options = {});

  // Removes these files (relative paths) if the earlier result of this kind wrote them: with
  // keep_previous, the files a writer is about to replace, so that a file it no longer writes goes too.
  void remove_previous(const std::vector<std::string>& relative_paths);

  // Records every file now in the folder, except those that were there and not npusim's, and marks the
  // manifest complete.
  void commit();

  const std::string& dir() const { return dir_; }

 private:
  OutputFolder(std::string dir, OutputManifest manifest) : dir_(std::move(dir)), manifest_(std::move(manifest)) {}

  std::string dir_;
  OutputManifest manifest_;  // as written by prepare(): files holds the earlier files kept
};

}  // namespace npusim
