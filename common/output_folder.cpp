#include "common/output_folder.hpp"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/json.hpp"

namespace npusim {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFormat = "npusim-output";
constexpr int kVersion = 1;

// A path a manifest may name: relative, '/'-separated, no empty, "." or ".." part, so it stays inside
// the folder whatever the manifest says.
bool inside_folder(const std::string& path) {
  if (path.empty() || path.front() == '/' || path.find('\0') != std::string::npos) return false;
  size_t start = 0;
  while (start <= path.size()) {
    const size_t slash = std::min(path.find('/', start), path.size());
    const std::string part = path.substr(start, slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = slash + 1;
  }
  return true;
}

std::vector<std::string> paths_of(const json::Reader& reader, const std::string& key) {
  std::vector<std::string> paths;
  for (const json::Value& v : reader.array(key)) {
    const std::string& path = reader.string_of(v, key + " entry");
    if (!inside_folder(path)) reader.fail(v, key + ": '" + path + "' is not a relative path inside the folder");
    paths.push_back(path);
  }
  return paths;
}

// Every file (and symbolic link, not followed) under `dir`, relative, sorted; the folder's own manifest
// is left out.
std::set<std::string> files_under(const fs::path& dir) {
  std::set<std::string> files;
  std::error_code code;
  fs::recursive_directory_iterator it(dir, code), end;
  if (code) throw Error("cannot read folder " + dir.string() + ": " + code.message());
  for (; it != end; it.increment(code)) {
    if (code) throw Error("cannot read folder " + dir.string() + ": " + code.message());
    if (it->is_directory(code) && !it->is_symlink(code)) continue;
    const std::string relative = it->path().lexically_relative(dir).generic_string();
    if (relative != kOutputManifestName) files.insert(relative);
  }
  return files;
}

std::string some_of(const std::vector<std::string>& paths) {
  std::string text;
  for (size_t i = 0; i < paths.size() && i < 3; ++i) text += (i ? ", " : "") + paths[i];
  if (paths.size() > 3) text += " and " + std::to_string(paths.size() - 3) + " more";
  return text;
}

// Removes the files, then the folders they leave empty (never `dir` itself).
void remove_files(const fs::path& dir, const std::vector<std::string>& relative_paths) {
  std::set<fs::path, std::greater<>> parents;  // deepest first
  for (const std::string& relative : relative_paths) {
    std::error_code code;
    fs::remove(dir / relative, code);
    if (code) throw Error("cannot remove " + (dir / relative).string() + ": " + code.message());
    for (fs::path p = fs::path(relative).parent_path(); !p.empty(); p = p.parent_path()) parents.insert(p);
  }
  for (const fs::path& p : parents) {
    std::error_code ignored;
    if (fs::is_empty(dir / p, ignored)) fs::remove(dir / p, ignored);
  }
}

void write_manifest(const fs::path& dir, const OutputManifest& manifest) {
  write_file_atomically((dir / kOutputManifestName).string(), output_manifest_json(manifest));
}

std::string article_kind(const std::string& kind) {
  return (std::string("aeiou").find(kind.empty() ? 'x' : kind.front()) != std::string::npos ? "an " : "a ") + kind;
}

}  // namespace

OutputManifest parse_output_manifest(const std::string& text, const std::string& source_name) {
  const json::Value root = json::parse(text, source_name);
  if (root.kind() != json::Value::Kind::object) throw error_at(source_name, root.line(), root.column(), "expected an object");
  const json::Reader r(root, source_name);
  r.reject_unknown({"format", "version", "kind", "command", "complete", "files", "other_files"});
  if (r.string("format") != kFormat) r.fail(r.require("format"), std::string("format must be \"") + kFormat + "\"");
  r.integer("version", kVersion, kVersion);
  OutputManifest m;
  m.kind = r.string("kind");
  if (m.kind.empty()) r.fail(r.require("kind"), "kind must not be empty");
  m.command = r.string("command");
  m.complete = r.boolean("complete");
  m.files = paths_of(r, "files");
  m.other_files = paths_of(r, "other_files");
  return m;
}

std::string output_manifest_json(const OutputManifest& m) {
  json::Value root = json::Value::object();
  root.set("format", kFormat);
  root.set("version", kVersion);
  root.set("kind", m.kind);
  root.set("command", m.command);
  root.set("complete", m.complete);
  for (const auto& [key, paths] : {std::pair<const char*, const std::vector<std::string>*>{"files", &m.files}, {"other_files", &m.other_files}}) {
    json::Value list = json::Value::array();
    for (const std::string& p : *paths) list.push_back(p);
    root.set(key, list);
  }
  return json::write(root) + "\n";
}

OutputFolder OutputFolder::prepare(const std::string& dir, const std::string& kind, const std::string& command,
                                   const OutputFolderOptions& options) {
  const fs::path folder(dir);
  std::error_code code;
  if (fs::exists(folder, code) && !fs::is_directory(folder, code)) throw Error(dir + " is not a folder");
  ensure_writable_directory(dir);
  const std::set<std::string> present = files_under(folder);
  const fs::path manifest_path = folder / kOutputManifestName;
  std::optional<OutputManifest> earlier;
  if (fs::exists(manifest_path, code)) {
    earlier = parse_output_manifest(read_file(manifest_path.string()), manifest_path.string());
  } else if (!options.legacy_files.empty()) {
    earlier = OutputManifest{kind, "an earlier npusim", true, options.legacy_files, {}};
  }

  // The earlier result's files: those its manifest lists, or after an interrupted writer everything
  // that was not there before it. Only files found in the folder are ever removed.
  std::vector<std::string> npusim_files, kept, foreign;
  std::set<std::string> known_other, listed;
  if (earlier) {
    known_other.insert(earlier->other_files.begin(), earlier->other_files.end());
    listed.insert(earlier->files.begin(), earlier->files.end());
  }
  for (const std::string& f : present) {
    if (known_other.count(f)) {
      kept.push_back(f);
    } else if (earlier && (listed.count(f) || !earlier->complete)) {
      npusim_files.push_back(f);
    } else {
      foreign.push_back(f);
    }
  }
  const std::string force_note = "choose another folder, or add --force to write there anyway (--force replaces the folder's npusim "
                                 "files, those its " + std::string(kOutputManifestName) + " lists, and keeps every other file)";
  if (earlier && earlier->kind != kind && !options.force) {
    throw Error(dir + " holds " + article_kind(earlier->kind) + " result (written by " + earlier->command + "), not " +
                article_kind(kind) + " result: " + force_note);
  }
  if (!foreign.empty() && !options.force) {
    throw Error(dir + " holds files npusim did not write (" + some_of(foreign) + "): " + force_note);
  }
  OutputManifest manifest;
  manifest.kind = kind;
  manifest.command = command;
  if (options.keep_previous && earlier && earlier->kind == kind) {
    manifest.files = npusim_files;
  } else {
    remove_files(folder, npusim_files);
  }
  manifest.other_files = kept;
  manifest.other_files.insert(manifest.other_files.end(), foreign.begin(), foreign.end());
  write_manifest(folder, manifest);
  return OutputFolder(dir, manifest);
}

void OutputFolder::remove_previous(const std::vector<std::string>& relative_paths) {
  std::vector<std::string> remove;
  for (const std::string& p : relative_paths) {
    const auto it = std::find(manifest_.files.begin(), manifest_.files.end(), p);
    if (it == manifest_.files.end()) continue;
    remove.push_back(p);
    manifest_.files.erase(it);
  }
  remove_files(dir_, remove);
  write_manifest(dir_, manifest_);
}

void OutputFolder::commit() {
  const std::set<std::string> other(manifest_.other_files.begin(), manifest_.other_files.end());
  manifest_.files.clear();
  for (const std::string& f : files_under(dir_)) {
    if (!other.count(f)) manifest_.files.push_back(f);
  }
  manifest_.complete = true;
  write_manifest(dir_, manifest_);
}

}  // namespace npusim
