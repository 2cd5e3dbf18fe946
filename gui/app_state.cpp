#include "gui/app_state.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <utility>

#include "gui/plot.hpp"
#include "gui/scenario_toml.hpp"

namespace cx::studio {

namespace {

void saveRecent(const AppState& state) {
  if (!state.persist) return;
  const std::filesystem::path file = recentFile();
  if (file.empty()) return;
  std::string text;
  for (const std::string& r : state.recent) text += r + "\n";
  std::string ignored;  // a recent list that cannot be written is not worth an error
  plot::writeText(file, text, ignored);
}

// Replaces the document with `scenario` as freshly loaded/saved.
void resetDocument(Document& doc, Scenario scenario, const std::filesystem::path& path) {
  doc.scenario = std::move(scenario);
  doc.path = path;
  doc.current_toml = scenarioToToml(*doc.scenario);
  doc.saved_toml = doc.current_toml;
  doc.committed_toml = doc.current_toml;
  doc.committed = doc.scenario;
  doc.undo.clear();
  doc.redo.clear();
  doc.problems.clear();
}

std::filesystem::path baseDir(const Document& doc) {
  return doc.path.has_parent_path() ? doc.path.parent_path() : std::filesystem::path(".");
}

}  // namespace

std::filesystem::path configDir() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const char* home = std::getenv("HOME");
  // The XDG base directory spec: a relative XDG_CONFIG_HOME is invalid and to be ignored.
  if (xdg != nullptr && *xdg != '\0' && std::filesystem::path(xdg).is_absolute())
    return std::filesystem::path(xdg) / "cxstudio";
  if (home != nullptr && *home != '\0') return std::filesystem::path(home) / ".config" / "cxstudio";
  return {};
}

std::filesystem::path recentFile() {
  const std::filesystem::path dir = configDir();
  return dir.empty() ? dir : dir / "recent.txt";
}

std::filesystem::path layoutFile() {
  const std::filesystem::path dir = configDir();
  return dir.empty() ? dir : dir / "imgui.ini";
}

void loadScenarioInto(AppState& state, const std::filesystem::path& file) {
  std::vector<std::string> errors;
  try {
    Scenario loaded = loadScenario(file);
    resetDocument(state.doc, std::move(loaded), file);
    state.path_input = file.string();
    state.failed_path.clear();
    state.load_errors.clear();
    state.status = "Opened " + file.string();
    rememberRecent(state, file);
    return;
  } catch (const ScenarioError& error) {
    for (const Diagnostic& d : error.diagnostics()) errors.push_back(d.format());
    if (errors.empty()) errors.emplace_back(error.what());
  } catch (const std::exception& error) {
    // The loader promises ScenarioError for bad content; anything else is still shown rather
    // than taking the app down.
    errors.push_back(file.string() + ": " + error.what());
  }
  state.failed_path = file;
  state.load_errors = std::move(errors);
  state.status = "Could not open " + file.string();
}

bool saveScenario(AppState& state, const std::filesystem::path& file) {
  Document& doc = state.doc;
  if (!doc.scenario) return false;
  const std::string text = scenarioToToml(*doc.scenario);
  std::string error;
  if (!plot::writeText(file, text, error)) {
    state.status = error;
    return false;
  }
  doc.path = file;
  doc.current_toml = text;
  doc.saved_toml = text;
  state.path_input = file.string();
  state.status = "Saved " + file.string();
  if (!doc.problems.empty()) state.status += " (with problems: it will not load until fixed)";
  rememberRecent(state, file);
  return true;
}

void trackEdits(Document& doc, bool editing) {
  if (!doc.scenario) return;
  std::string text = scenarioToToml(*doc.scenario);
  if (text != doc.current_toml) {
    doc.current_toml = std::move(text);
    const std::string name =
        doc.path.empty() ? std::string("(edited)") : doc.path.filename().string();
    doc.problems = checkByLoader(*doc.scenario, baseDir(doc), name + " (edited)");
  }
  // One undo step per finished edit: a drag or a typed number is one step, not one per frame.
  if (!editing && doc.current_toml != doc.committed_toml) {
    if (doc.committed) doc.undo.push_back(*doc.committed);
    if (doc.undo.size() > Document::kUndoDepth) doc.undo.pop_front();
    doc.redo.clear();
    doc.committed = doc.scenario;
    doc.committed_toml = doc.current_toml;
  }
}

void undo(Document& doc) {
  if (doc.undo.empty() || !doc.scenario) return;
  doc.redo.push_back(*doc.scenario);
  doc.scenario = std::move(doc.undo.back());
  doc.undo.pop_back();
  doc.committed = doc.scenario;
  doc.committed_toml = scenarioToToml(*doc.scenario);
}

void redo(Document& doc) {
  if (doc.redo.empty() || !doc.scenario) return;
  doc.undo.push_back(*doc.scenario);
  doc.scenario = std::move(doc.redo.back());
  doc.redo.pop_back();
  doc.committed = doc.scenario;
  doc.committed_toml = scenarioToToml(*doc.scenario);
}

std::string windowTitle(const AppState& state) {
  if (state.doc.path.empty()) return "CX Studio";
  return "CX Studio \u2014 " + state.doc.path.filename().string() +
         (state.doc.dirty() ? " \u2022 (unsaved)" : "");
}

void loadRecent(AppState& state) {
  const std::filesystem::path file = recentFile();
  if (file.empty()) return;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line) && state.recent.size() < kRecentMax)
    if (!line.empty()) state.recent.push_back(line);
}

void rememberRecent(AppState& state, const std::filesystem::path& file) {
  std::error_code ec;
  const std::filesystem::path absolute = std::filesystem::absolute(file, ec);
  const std::string entry = (ec ? file : absolute).lexically_normal().string();
  std::erase(state.recent, entry);
  state.recent.insert(state.recent.begin(), entry);
  if (state.recent.size() > kRecentMax) state.recent.resize(kRecentMax);
  saveRecent(state);
}

}  // namespace cx::studio
