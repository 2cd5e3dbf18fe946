#include "gui/roleplay_view.hpp"

#include <algorithm>
#include <cstdio>
#include <exception>

namespace cx::studio {

std::vector<std::filesystem::path> listScripts(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".toml") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

bool sessionAtRisk(const RoleplayView& view) {
  return view.session && !view.session->summary().transcript.empty() && !view.saved;
}

bool openRoleplayScript(RoleplayView& view, const std::filesystem::path& file, double now,
                        bool force) {
  if (sessionAtRisk(view) && !force) {
    view.pending_switch = file;
    return false;
  }
  view.pending_switch.reset();
  try {
    auto script = std::make_shared<const RoleplayScript>(loadRoleplayScript(file));
    // The old session points at the old script: drop it before the script goes.
    view.session.reset();
    view.script = std::move(script);
    view.failed_path.clear();
    view.load_errors.clear();
    view.path_input = file.string();
    restartSession(view, now);
    return true;
  } catch (const RoleplayScriptError& e) {
    view.failed_path = file;
    view.load_errors.clear();
    for (const Diagnostic& d : e.diagnostics()) view.load_errors.push_back(d.format());
  } catch (const std::exception& e) {
    view.failed_path = file;
    view.load_errors = {file.string() + ": " + e.what()};
  }
  return false;
}

void restartSession(RoleplayView& view, double now) {
  view.session.reset();
  view.debrief.reset();
  view.saved = false;
  view.save_message.clear();
  if (!view.script) return;
  view.session.emplace(*view.script);
  view.turn_started = now;
  view.select_tab = "Play";
}

double secondsLeft(const RoleplayView& view, double now) {
  if (!view.session || view.session->finished()) return 0.0;
  return view.session->limitNow() - (now - view.turn_started);
}

bool answerChoice(RoleplayView& view, int choice, double now) {
  if (!view.session || view.session->finished()) return false;
  if (choice < 0 || choice >= static_cast<int>(view.session->current().choices.size()))
    return false;
  view.session->choose(choice, std::max(0.0, now - view.turn_started));
  view.turn_started = now;
  if (view.session->finished()) {
    view.debrief = view.session->debrief();
    view.select_tab = "Debrief";
  }
  return true;
}

bool saveSession(RoleplayView& view) {
  if (!view.session || !view.session->finished() || !view.script) {
    view.save_message = "Nothing to save: finish the conversation first";
    return false;
  }
  if (view.trainee.empty()) {
    view.save_message = "Enter the trainee's name before saving";
    return false;
  }
  const std::filesystem::path dir =
      view.data_dir.empty() ? defaultRoleplayDataDir() : std::filesystem::path(view.data_dir);
  try {
    appendRecord(dir, makeRecord(*view.script, view.session->summary(), view.trainee, isoNowUtc()));
  } catch (const std::exception& e) {
    view.save_message = e.what();
    return false;
  }
  view.saved = true;
  view.save_message = "Saved to " + sessionsFile(dir).string();
  return true;
}

void refreshTrainer(RoleplayView& view) {
  const std::filesystem::path dir =
      view.data_dir.empty() ? defaultRoleplayDataDir() : std::filesystem::path(view.data_dir);
  view.record_problems.clear();
  view.records = readRecords(dir, &view.record_problems);
  view.rows = aggregateRecords(view.records, view.period);
  view.trainer_message =
      std::to_string(view.records.size()) + " sessions in " + sessionsFile(dir).string();
}

bool exportTrainerCsv(RoleplayView& view, const std::filesystem::path& file) {
  std::error_code ec;
  if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
  std::FILE* f = std::fopen(file.string().c_str(), "wb");
  const std::string csv = aggregateCsv(view.rows);
  const bool ok = f && std::fwrite(csv.data(), 1, csv.size(), f) == csv.size();
  if (f && std::fclose(f) != 0) {
    view.trainer_message = "Could not write " + file.string();
    return false;
  }
  view.trainer_message = ok ? "Exported " + file.string() : "Could not write " + file.string();
  return ok;
}

Rgba moodColour(double mood) {
  // Red (0) -> amber (0.5) -> green (1), the way a trainer reads a mood.
  const float t = static_cast<float>(std::clamp(mood, 0.0, 1.0));
  if (t < 0.5f) return {0.85f, 0.20f + 1.2f * t, 0.15f, 1.0f};
  return {0.85f - 1.4f * (t - 0.5f), 0.80f, 0.15f + 0.3f * (t - 0.5f), 1.0f};
}

}  // namespace cx::studio
