#include "gui/roleplay_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <exception>

#include "gui/plot.hpp"

namespace cx::studio {

std::vector<std::filesystem::path> listScripts(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == ".toml") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::filesystem::path shippedScriptsDir(const std::filesystem::path& source_dir) {
  const std::filesystem::path relative = std::filesystem::path("scenarios") / "roleplay";
  std::error_code ec;
  if (std::filesystem::is_directory(relative, ec)) return relative;
  return source_dir / relative;
}

bool sessionAtRisk(const RoleplayView& view) {
  return view.session && view.session->state().turn > 0 && !view.saved;
}

bool openRoleplayScript(RoleplayView& view, const std::filesystem::path& file, double now,
                        bool force) {
  if (sessionAtRisk(view) && !force) {
    view.pending_switch = file;
    view.pending_journey.reset();
    return false;
  }
  view.pending_switch.reset();
  view.pending_journey.reset();
  try {
    auto script = std::make_shared<const RoleplayScript>(loadRoleplayScript(file));
    // The old session points at the old script: drop it before the script goes.
    view.session.reset();
    view.script = script;
    view.written = std::move(script);
    view.journey.reset();
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

bool requestRestart(RoleplayView& view, double now, bool force) {
  if (!view.script) return false;
  if (sessionAtRisk(view) && !force) {
    view.pending_switch = std::filesystem::path();
    view.pending_journey.reset();
    return false;
  }
  view.pending_switch.reset();
  view.pending_journey.reset();
  restartSession(view, now);
  return true;
}

void confirmSwitch(RoleplayView& view, double now) {
  if (!view.pending_switch) return;
  const std::filesystem::path file = *view.pending_switch;
  const std::optional<std::size_t> journey = view.pending_journey;
  if (!file.empty())
    openRoleplayScript(view, file, now, true);
  else if (journey && *journey == kAsWritten)
    playAsWritten(view, now, true);
  else if (journey)
    playJourney(view, *journey, now, true);
  else
    requestRestart(view, now, true);
  view.pending_switch.reset();  // also when the file did not open: its errors are shown
  view.pending_journey.reset();
}

JourneyList findJourneys(const Scenario& scenario, const std::string& source) {
  JourneyList list;
  list.scenario = scenario;
  list.source = source;
  list.seed = scenario.seed;  // as `cxsim roleplay journeys` without --seed
  list.journeys = unresolvedJourneys(scenario, list.seed);
  for (const Journey& j : list.journeys) {
    list.tolls.push_back(journeyToll(j, scenario));
    list.lines.push_back(describeJourney(j, scenario));
  }
  return list;
}

JourneyList findJourneysInFile(const std::filesystem::path& file) {
  return findJourneys(loadScenario(file), file.string());
}

bool startJourneys(RoleplayView& view, const Scenario* current, const std::string& current_name) {
  view.journeys_pending = false;
  if (view.journeys_job.running()) return false;
  view.journeys_error.clear();
  if (view.journeys_from_file) {
    if (view.journeys_file.empty()) {
      view.journeys_error = "Enter a scenario file to run, or use the current scenario";
      return false;
    }
    const std::filesystem::path file = view.journeys_file;
    view.journeys_job.start([file] { return findJourneysInFile(file); });
    return true;
  }
  if (!current) {
    view.journeys_error =
        "The current scenario has problems (see the Scenario panel): fix them, or run another "
        "scenario file";
    return false;
  }
  const std::string source = "the current scenario (" + current_name + ")";
  view.journeys_job.start([scenario = *current, source] { return findJourneys(scenario, source); });
  return true;
}

bool takeJourneys(RoleplayView& view) {
  // The question about a case refers to the list on screen: a new list waits for the answer.
  if (view.pending_journey && *view.pending_journey != kAsWritten) return false;
  std::shared_ptr<const JourneyList> list;
  std::string error;
  if (!view.journeys_job.take(list, error)) return false;
  view.journeys_error = error;
  if (list) {
    view.journeys = std::move(list);
    view.picked_journey = view.journeys->journeys.empty() ? -1 : 0;
  }
  return true;
}

bool playJourney(RoleplayView& view, std::size_t index, double now, bool force) {
  if (!view.written || !view.journeys || index >= view.journeys->journeys.size()) return false;
  if (sessionAtRisk(view) && !force) {
    view.pending_switch = std::filesystem::path();
    view.pending_journey = index;
    return false;
  }
  view.pending_switch.reset();
  view.pending_journey.reset();
  const JourneyList& list = *view.journeys;
  const Journey& journey = list.journeys[index];
  auto script = std::make_shared<RoleplayScript>(*view.written);
  script->persona = personaFromJourney(view.written->persona, journey, list.scenario);
  view.session.reset();  // it points at the script being replaced
  view.script = std::move(script);
  view.journey =
      PlayedJourney{journey.case_id, list.source, list.lines[index], view.written->persona};
  restartSession(view, now);
  return true;
}

bool playAsWritten(RoleplayView& view, double now, bool force) {
  if (!view.written) return false;
  if (sessionAtRisk(view) && !force) {
    view.pending_switch = std::filesystem::path();
    view.pending_journey = kAsWritten;
    return false;
  }
  view.pending_switch.reset();
  view.pending_journey.reset();
  view.session.reset();
  view.script = view.written;
  view.journey.reset();
  restartSession(view, now);
  return true;
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

std::filesystem::path recordsDir(const RoleplayView& view) {
  return view.data_dir.empty() ? defaultRoleplayDataDir() : std::filesystem::path(view.data_dir);
}

bool saveSession(RoleplayView& view, const std::string& date) {
  if (!view.session || !view.session->finished() || !view.script) {
    view.save_message = "Nothing to save: finish the conversation first";
    return false;
  }
  if (view.trainee.empty()) {
    view.save_message = "Enter the trainee's name before saving";
    return false;
  }
  const std::filesystem::path dir = recordsDir(view);
  try {
    SessionRecord record = makeRecord(*view.script, view.session->summary(), view.trainee,
                                      date.empty() ? isoNowUtc() : date);
    if (view.journey)  // the customer came from a simulated run: say which case
      record.journey = RecordedJourney{view.journey->source, std::nullopt, view.journey->case_id};
    appendRecord(dir, record);
  } catch (const std::exception& e) {
    view.save_message = e.what();
    return false;
  }
  view.saved = true;
  view.save_message = "Saved to " + sessionsFile(dir).string();
  return true;
}

void refreshTrainer(RoleplayView& view) {
  const std::filesystem::path dir = recordsDir(view);
  view.record_problems.clear();
  view.records = readRecords(dir, &view.record_problems);
  view.rows = aggregateRecords(view.records, view.period);
  view.trainer_message =
      std::to_string(view.records.size()) + " sessions in " + sessionsFile(dir).string();
}

GroupSkills teamSkillsFor(const RoleplayView& view, const Scenario& scenario, std::size_t group) {
  const Calibration calibration = scenario.outcomes && scenario.outcomes->calibration
                                      ? *scenario.outcomes->calibration
                                      : Calibration{};
  const AgentGroupSpec& g = scenario.agent_groups.at(group);
  return skillsFromScores(teamScores(view.records, {}, "").mean, skillsOf(g), calibration);
}

void applyTeamToGroup(RoleplayView& view, Scenario& scenario, std::size_t group) {
  const GroupSkills skills = teamSkillsFor(view, scenario, group);
  AgentGroupSpec& g = scenario.agent_groups.at(group);
  view.link_message = fmt::format(
      "Group {}: empathy {:.3f} -> {:.3f}, professionalism {:.3f} -> {:.3f}, FCR uplift {:+.4f} "
      "-> {:+.4f}. Run it, or compare with the baseline, to see what it is worth; Undo takes "
      "it back.",
      g.id, g.empathy, skills.empathy, g.professionalism, skills.professionalism, g.fcr_uplift,
      skills.fcr_uplift);
  g.empathy = skills.empathy;
  g.professionalism = skills.professionalism;
  g.fcr_uplift = skills.fcr_uplift;
}

bool exportTrainerCsv(RoleplayView& view, const std::filesystem::path& file) {
  std::string error;
  const bool ok = plot::writeText(file, aggregateCsv(view.rows), error);
  view.trainer_message = ok ? "Exported " + file.string() : error;
  return ok;
}

std::string endingText(const RoleplayScript& script, const SessionSummary& session) {
  switch (session.ending) {
    case Ending::Reached: {
      const ScriptNode& n = script.nodes[static_cast<std::size_t>(session.ending_node)];
      return n.outcome + (n.resolved ? " (resolved)" : " (not resolved)");
    }
    case Ending::CustomerLeft:
      return fmt::format("The customer gave up and left (mood fell below {:.2f})",
                         script.persona.leaves_below);
    case Ending::TurnLimit:
      return fmt::format("Cut after {} answers without reaching an ending", script.max_turns);
    case Ending::None:
      break;
  }
  return "The conversation is not finished";
}

std::size_t firstDifference(const SessionSummary& session, const BestPath& best) {
  std::size_t same = 0;
  while (same < best.choices.size() && same < session.transcript.size() &&
         session.transcript[same].choice == best.choices[same])
    ++same;
  return same;
}

Rgba moodColour(double mood) {
  // Red (0) -> amber (0.5) -> green (1), the way a trainer reads a mood.
  const float t = static_cast<float>(std::clamp(mood, 0.0, 1.0));
  if (t < 0.5f) return {0.85f, 0.20f + 1.2f * t, 0.15f, 1.0f};
  return {0.85f - 1.4f * (t - 0.5f), 0.80f, 0.15f + 0.3f * (t - 0.5f), 1.0f};
}

}  // namespace cx::studio
