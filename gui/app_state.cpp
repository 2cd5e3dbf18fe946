#include "gui/app_state.hpp"

#include <exception>
#include <utility>

namespace cx::studio {

void loadScenarioInto(AppState& state, const std::filesystem::path& file) {
  std::vector<std::string> errors;
  try {
    Scenario loaded = loadScenario(file);
    state.scenario = std::move(loaded);
    state.scenario_path = file;
    state.path_input = file.string();
    state.failed_path.clear();
    state.load_errors.clear();
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
}

std::string windowTitle(const AppState& state) {
  if (state.scenario_path.empty()) return "CX Studio";
  return "CX Studio \u2014 " + state.scenario_path.filename().string();
}

}  // namespace cx::studio
