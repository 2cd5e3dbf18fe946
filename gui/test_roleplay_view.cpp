// The role-play panel's actions without a window: opening scripts (and a broken one), the
// clock turned into answer times, the guard against losing a session, saving and the trainer
// view. Scoring itself is tested with the engine (tests/test_roleplay*.cpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "gui/roleplay_view.hpp"

using namespace cx;
using namespace cx::studio;

namespace {

const std::filesystem::path kScripts =
    std::filesystem::path(CX_SOURCE_DIR) / "scenarios" / "roleplay";
const std::filesystem::path kScenarios = std::filesystem::path(CX_SOURCE_DIR) / "scenarios";

// One run of the shared-context example (customers who come back across channels), shared by
// the tests below: a run takes a few tenths of a second.
std::shared_ptr<const JourneyList> sharedContextJourneys() {
  static const auto list = std::make_shared<const JourneyList>(
      findJourneysInFile(kScenarios / "examples" / "shared_context.toml"));
  return list;
}

std::filesystem::path freshDir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("cx_roleplay_view_" + name);
  std::filesystem::remove_all(dir);
  return dir;
}

// Plays the script's best path at one answer per `seconds`, from clock `t0`.
double playBest(RoleplayView& view, double t0, double seconds) {
  const auto best = findBestPath(*view.script);
  REQUIRE(best);
  double t = t0;
  for (int c : best->choices) {
    t += seconds;
    REQUIRE(answerChoice(view, c, t));
  }
  return t;
}

}  // namespace

TEST_CASE("roleplay view: the shipped scripts are listed and open") {
  const auto files = listScripts(kScripts);
  CHECK(files.size() >= 10);
  RoleplayView view;
  for (const auto& f : files) {
    CAPTURE(f);
    CHECK(openRoleplayScript(view, f, 0.0, true));
    CHECK(view.load_errors.empty());
  }
}

TEST_CASE("roleplay view: a broken script shows the validator's errors and keeps the old one") {
  const auto dir = freshDir("broken");
  std::filesystem::create_directories(dir);
  const auto bad = dir / "bad.toml";
  std::ofstream(bad) << "[script]\ntitle = \"Broken\"\nstart = \"nowhere\"\n";
  RoleplayView view;
  REQUIRE(openRoleplayScript(view, kScripts / "broken_item.toml", 0.0));
  const auto* before = view.script.get();
  CHECK_FALSE(openRoleplayScript(view, bad, 1.0));
  CHECK(view.script.get() == before);
  REQUIRE(view.session);
  REQUIRE_FALSE(view.load_errors.empty());
  CHECK(view.load_errors.front().find("bad.toml:") != std::string::npos);
  CHECK(view.failed_path == bad);
}

TEST_CASE("roleplay view: answer times come from the clock and late answers cost promptness") {
  RoleplayView view;
  REQUIRE(openRoleplayScript(view, kScripts / "broken_item.toml", 100.0));
  const double limit = view.session->limitNow();
  CHECK(secondsLeft(view, 100.0 + limit / 2) == doctest::Approx(limit / 2));
  REQUIRE(answerChoice(view, 0, 100.0 + 3 * limit));       // three limits: promptness 0
  const SessionSummary summary = view.session->summary();  // a copy: summary() is a value
  REQUIRE(summary.transcript.size() == 1);
  const Turn& t = summary.transcript.front();
  CHECK(t.seconds == doctest::Approx(3 * limit));
  CHECK(t.promptness == doctest::Approx(0.0));
  CHECK_FALSE(answerChoice(view, 99, 200.0));  // no such choice
}

TEST_CASE("roleplay view: switching scripts mid-session asks first") {
  RoleplayView view;
  REQUIRE(openRoleplayScript(view, kScripts / "broken_item.toml", 0.0));
  // Nothing answered yet: switching is free.
  CHECK(openRoleplayScript(view, kScripts / "billing_dispute.toml", 0.0));
  REQUIRE(answerChoice(view, 0, 5.0));
  CHECK_FALSE(openRoleplayScript(view, kScripts / "bot_loop.toml", 6.0));
  REQUIRE(view.pending_switch);
  CHECK(view.script->id() == "billing_dispute");
  CHECK(view.session->summary().transcript.size() == 1);
  CHECK(openRoleplayScript(view, kScripts / "bot_loop.toml", 7.0, true));
  CHECK(view.script->id() == "bot_loop");
  CHECK_FALSE(view.pending_switch);
}

TEST_CASE("roleplay view: playing again asks first while answers are unsaved") {
  const auto dir = freshDir("again");
  RoleplayView view;
  view.data_dir = dir.string();
  REQUIRE(openRoleplayScript(view, kScripts / "broken_item.toml", 0.0));
  CHECK(requestRestart(view, 1.0));  // nothing answered: no question
  REQUIRE(answerChoice(view, 0, 4.0));
  CHECK_FALSE(requestRestart(view, 5.0));
  REQUIRE(view.pending_switch);
  CHECK(view.pending_switch->empty());  // the same script again
  CHECK(view.session->state().turn == 1);
  confirmSwitch(view, 6.0);  // "Discard and start again"
  CHECK_FALSE(view.pending_switch);
  CHECK(view.session->state().turn == 0);
  CHECK(secondsLeft(view, 6.0) == doctest::Approx(view.session->limitNow()));

  // A finished, saved session is not at risk; a broken file chosen over one at risk keeps it.
  playBest(view, 10.0, 5.0);
  view.trainee = "Alex";
  REQUIRE(saveSession(view));
  CHECK(requestRestart(view, 50.0));
  REQUIRE(answerChoice(view, 0, 51.0));
  CHECK_FALSE(openRoleplayScript(view, dir / "missing.toml", 52.0));
  REQUIRE(view.pending_switch);
  confirmSwitch(view, 53.0);  // "Discard and open": the file does not load
  CHECK_FALSE(view.pending_switch);
  REQUIRE_FALSE(view.load_errors.empty());
  CHECK(view.load_errors.front().find("missing.toml") != std::string::npos);
  CHECK(view.script->id() == "broken_item");
  CHECK(view.session->state().turn == 1);  // the session was not thrown away for nothing
}

TEST_CASE("roleplay view: endings in words and where the trainee left the best path") {
  RoleplayView view;
  REQUIRE(openRoleplayScript(view, kScripts / "broken_item.toml", 0.0));
  const auto best = findBestPath(*view.script);
  REQUIRE(best);
  CHECK(endingText(*view.script, view.session->summary()) == "The conversation is not finished");
  // The best first answer, then another second answer than the best path's.
  REQUIRE(answerChoice(view, best->choices[0], 1.0));
  const int other = best->choices[1] == 0 ? 1 : 0;
  REQUIRE(answerChoice(view, other, 2.0));
  CHECK(firstDifference(view.session->summary(), *best) == 1);
  while (!view.session->finished()) REQUIRE(answerChoice(view, 0, 3.0));
  const SessionSummary s = view.session->summary();
  REQUIRE(toString(s.ending) == std::string("reached"));
  const ScriptNode& end = view.script->nodes[static_cast<std::size_t>(s.ending_node)];
  CHECK(endingText(*view.script, s) ==
        end.outcome + (end.resolved ? " (resolved)" : " (not resolved)"));
  CHECK(firstDifference(best->summary, *best) == best->choices.size());
}

TEST_CASE("roleplay view: the shipped scripts are found from a checkout or the source tree") {
  // From the build folder (CTest) the source tree's; from a checkout's root its own.
  const auto dir = shippedScriptsDir(CX_SOURCE_DIR);
  std::vector<std::string> found, shipped;
  for (const auto& f : listScripts(dir)) found.push_back(f.filename().string());
  for (const auto& f : listScripts(kScripts)) shipped.push_back(f.filename().string());
  CHECK(found == shipped);
  CHECK(found.size() >= 10);
}

TEST_CASE("roleplay view: a finished session is debriefed, saved and shows in the trainer view") {
  const auto dir = freshDir("records");
  RoleplayView view;
  view.data_dir = dir.string();
  REQUIRE(openRoleplayScript(view, kScripts / "broken_item.toml", 0.0));
  CHECK_FALSE(saveSession(view));  // not finished
  playBest(view, 0.0, 5.0);
  REQUIRE(view.debrief);
  CHECK(view.debrief->session.passed);
  CHECK(view.select_tab == "Debrief");
  CHECK(sessionAtRisk(view));
  CHECK_FALSE(saveSession(view));  // no trainee
  CHECK(view.save_message.find("trainee") != std::string::npos);
  view.trainee = "Alex";
  REQUIRE(saveSession(view));
  CHECK_FALSE(sessionAtRisk(view));

  restartSession(view, 100.0);
  view.trainee = "Sam";
  while (!view.session->finished()) REQUIRE(answerChoice(view, 0, 100.0));
  REQUIRE(saveSession(view, "2026-10-05T09:00:00Z"));  // dated: a month earlier

  view.period = Period::Month;
  refreshTrainer(view);
  REQUIRE(view.records.size() == 2);
  CHECK(view.records[0].trainee == "Alex");
  CHECK(view.records[0].passed);
  CHECK(view.records[1].trainee == "Sam");
  CHECK(view.records[1].date == "2026-10-05T09:00:00Z");
  // Alex, Sam, then the team rows, one per month.
  REQUIRE(view.rows.size() == 4);
  CHECK(view.rows[1].trainee == "Sam");
  CHECK(view.rows[1].period == "2026-10");
  CHECK(view.rows[2].trainee == "(all)");
  CHECK(view.rows[3].trainee == "(all)");
  CHECK(view.rows[2].sessions + view.rows[3].sessions == 2);

  const auto csv = dir / "out" / "trainees.csv";
  REQUIRE(exportTrainerCsv(view, csv));
  std::ifstream in(csv);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == aggregateCsv(view.rows));
  CHECK(text.str().find("\nAlex,") != std::string::npos);
}

TEST_CASE("roleplay view: the mood colour runs from red to green") {
  const Rgba furious = moodColour(0.0), pleased = moodColour(1.0), mid = moodColour(0.5);
  CHECK(furious.r > furious.g);
  CHECK(pleased.g > pleased.r);
  CHECK(mid.r > 0.5f);
  CHECK(mid.g > 0.5f);
}

TEST_CASE("roleplay view: customers from a simulation are the library's, hardest first") {
  const auto list = sharedContextJourneys();
  const Scenario& scenario = list->scenario;
  CHECK(list->multi_contact());
  CHECK(list->seed == scenario.seed);
  const std::vector<Journey> direct = unresolvedJourneys(scenario, scenario.seed);
  REQUIRE(list->journeys.size() == direct.size());
  REQUIRE(direct.size() > 10);
  REQUIRE(list->lines.size() == direct.size());
  for (std::size_t i = 0; i < 10; ++i) {
    CAPTURE(i);
    CHECK(list->journeys[i].case_id == direct[i].case_id);
    CHECK(list->lines[i] == describeJourney(direct[i], scenario));
    CHECK(list->tolls[i].total == doctest::Approx(journeyToll(direct[i], scenario).total));
  }
  // Hardest first, and the hardest came back at least once.
  CHECK(list->tolls.front().uncapped >= list->tolls.back().uncapped);
  CHECK(list->journeys.front().contacts.size() > 1);
}

TEST_CASE("roleplay view: a journey's customer starts the session with the library's persona") {
  RoleplayView view;
  view.journeys = sharedContextJourneys();
  CHECK_FALSE(playJourney(view, 0, 0.0));  // no script yet
  REQUIRE(openRoleplayScript(view, kScripts / "broken_item.toml", 0.0));
  const Persona written = view.written->persona;
  CHECK_FALSE(playJourney(view, view.journeys->journeys.size(), 0.0));  // no such case

  REQUIRE(playJourney(view, 0, 10.0));
  const Journey& hardest = view.journeys->journeys[0];
  const Persona expected = personaFromJourney(written, hardest, view.journeys->scenario);
  CHECK(view.script->persona.mood == doctest::Approx(expected.mood));
  CHECK(view.script->persona.patience_s == doctest::Approx(expected.patience_s));
  CHECK(view.script->persona.history == expected.history);
  CHECK(view.script->persona.mood < written.mood - 0.1);  // the journey took its toll
  REQUIRE(view.session);
  CHECK(view.session->state().mood == doctest::Approx(expected.mood));
  REQUIRE(view.journey);
  CHECK(view.journey->case_id == hardest.case_id);
  CHECK(view.journey->story == view.journeys->lines[0]);
  CHECK(view.journey->before.mood == doctest::Approx(written.mood));
  CHECK(view.written->persona.mood == doctest::Approx(written.mood));  // the file's, untouched

  // Another case mid-session asks first; discarding starts over as that customer.
  REQUIRE(answerChoice(view, 0, 12.0));
  CHECK_FALSE(playJourney(view, 1, 13.0));
  REQUIRE(view.pending_switch);
  CHECK(view.pending_switch->empty());
  CHECK(view.pending_journey == std::optional<std::size_t>(1));
  CHECK(view.journey->case_id == hardest.case_id);
  CHECK(view.session->state().turn == 1);
  confirmSwitch(view, 14.0);
  CHECK_FALSE(view.pending_journey);
  REQUIRE(view.journey);
  CHECK(view.journey->case_id == view.journeys->journeys[1].case_id);
  CHECK(view.session->state().turn == 0);

  // "Play again" keeps the customer; the script's own customer is one question away.
  REQUIRE(answerChoice(view, 0, 15.0));
  CHECK_FALSE(requestRestart(view, 16.0));
  CHECK_FALSE(view.pending_journey);  // a plain restart: the same customer
  confirmSwitch(view, 16.0);
  CHECK(view.journey);
  REQUIRE(answerChoice(view, 0, 17.0));
  CHECK_FALSE(playAsWritten(view, 18.0));
  CHECK(view.pending_journey == std::optional<std::size_t>(kAsWritten));
  confirmSwitch(view, 19.0);
  CHECK_FALSE(view.journey);
  CHECK(view.script == view.written);
  CHECK(view.session->state().mood == doctest::Approx(written.mood));

  // Another script is played by its own customer.
  REQUIRE(playJourney(view, 0, 20.0));
  REQUIRE(openRoleplayScript(view, kScripts / "bot_loop.toml", 21.0));
  CHECK_FALSE(view.journey);
  CHECK(view.script == view.written);
}

TEST_CASE("roleplay view: customers are found off the UI thread, errors reported") {
  RoleplayView view;
  CHECK_FALSE(startJourneys(view, nullptr, "default.toml"));  // the scenario does not load
  CHECK(view.journeys_error.find("Scenario panel") != std::string::npos);

  const auto wait = [&view] {
    for (int i = 0; i < 600 && !takeJourneys(view); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  };
  view.journeys_from_file = true;
  view.journeys_file = (kScenarios / "no_such_scenario.toml").string();
  REQUIRE(startJourneys(view, nullptr, ""));
  wait();
  CHECK_FALSE(view.journeys);
  CHECK(view.journeys_error.find("no_such_scenario.toml") != std::string::npos);

  // The studio's own scenario: copied for the run, reported without [journeys].
  const Scenario current = loadScenario(kScenarios / "default.toml");
  REQUIRE_FALSE(current.journeys);
  view.journeys_from_file = false;
  REQUIRE(startJourneys(view, &current, "default.toml"));
  wait();
  CHECK(view.journeys_error.empty());
  REQUIRE(view.journeys);
  CHECK(view.journeys->source == "the current scenario (default.toml)");
  CHECK_FALSE(view.journeys->multi_contact());
  REQUIRE_FALSE(view.journeys->journeys.empty());
  CHECK(std::all_of(view.journeys->journeys.begin(), view.journeys->journeys.end(),
                    [](const Journey& j) { return j.contacts.size() == 1; }));
  CHECK(view.picked_journey == 0);

  // A new list waits while the user is asked about a case of the one on screen.
  view.journeys = sharedContextJourneys();
  REQUIRE(openRoleplayScript(view, kScripts / "broken_item.toml", 0.0));
  REQUIRE(answerChoice(view, 0, 1.0));
  CHECK_FALSE(playJourney(view, 1, 2.0));
  REQUIRE(view.pending_journey);
  REQUIRE(startJourneys(view, &current, "default.toml"));
  for (int i = 0; i < 600 && view.journeys_job.running(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK_FALSE(takeJourneys(view));
  CHECK(view.journeys == sharedContextJourneys());
  confirmSwitch(view, 3.0);
  REQUIRE(view.journey);
  CHECK(view.journey->case_id == sharedContextJourneys()->journeys[1].case_id);
  CHECK(takeJourneys(view));
  CHECK_FALSE(view.journeys->multi_contact());
}

TEST_CASE("roleplay view: the team's scores set an agent group of the studio's scenario") {
  RoleplayView view;
  auto session = [](const std::string& trainee, double empathy, double ownership) {
    SessionRecord r;
    r.trainee = trainee;
    r.script = "broken_item";
    r.date = "2026-11-20T10:00:00Z";
    r.scores[static_cast<std::size_t>(Dimension::Empathy)] = empathy;
    r.scores[static_cast<std::size_t>(Dimension::Ownership)] = ownership;
    return r;
  };
  view.records = {session("ana", 90.0, 90.0), session("ana", 70.0, 90.0),
                  session("ben", 60.0, 60.0)};
  Scenario s = loadScenario(kScenarios / "bank_chat_before_ai.toml");
  REQUIRE(s.agent_groups.size() >= 2);
  const double prof_before = s.agent_groups[1].professionalism;
  // ana 80 and ben 60: empathy 0.70; ownership ana 90, ben 60: 75, 5 points above the typical
  // agent's 70 at 0.004 each. Professionalism was not scored: the group keeps its own.
  const GroupSkills team = teamSkillsFor(view, s, 1);
  CHECK(team.empathy == doctest::Approx(0.70));
  CHECK(team.fcr_uplift == doctest::Approx(0.02));
  CHECK(team.professionalism == prof_before);
  applyTeamToGroup(view, s, 1);
  CHECK(s.agent_groups[1].empathy == team.empathy);
  CHECK(s.agent_groups[1].fcr_uplift == team.fcr_uplift);
  CHECK(view.link_message.find("Group " + s.agent_groups[1].id) == 0);
  // The same values `cxsim roleplay link` would pass as --set-b.
  const Scenario via_set = loadScenario(kScenarios / "bank_chat_before_ai.toml",
                                        skillOverrides(s.agent_groups[1].id, team));
  CHECK(via_set.agent_groups[1].empathy == s.agent_groups[1].empathy);
  CHECK(via_set.agent_groups[1].fcr_uplift == s.agent_groups[1].fcr_uplift);
}

TEST_CASE("roleplay view: a session with a simulated customer is saved with its case") {
  RoleplayView view;
  view.journeys = sharedContextJourneys();
  view.trainee = "Alex";
  view.data_dir = freshDir("journey_record").string();
  REQUIRE(openRoleplayScript(view, kScripts / "broken_item.toml", 0.0));
  REQUIRE(playJourney(view, 0, 1.0));
  playBest(view, 1.0, 5.0);
  REQUIRE(saveSession(view));
  const std::vector<SessionRecord> records = readRecords(view.data_dir);
  REQUIRE(records.size() == 1);
  REQUIRE(records[0].journey.has_value());
  CHECK(records[0].journey->case_id == view.journeys->journeys[0].case_id);
  CHECK(records[0].journey->scenario == view.journeys->source);
}
