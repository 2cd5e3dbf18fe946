// The role-play panel's actions without a window: opening scripts (and a broken one), the
// clock turned into answer times, the guard against losing a session, saving and the trainer
// view. Scoring itself is tested with the engine (tests/test_roleplay*.cpp).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gui/roleplay_view.hpp"

using namespace cx;
using namespace cx::studio;

namespace {

const std::filesystem::path kScripts =
    std::filesystem::path(CX_SOURCE_DIR) / "scenarios" / "roleplay";

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
  REQUIRE(saveSession(view));

  view.period = Period::Month;
  refreshTrainer(view);
  REQUIRE(view.records.size() == 2);
  CHECK(view.records[0].trainee == "Alex");
  CHECK(view.records[0].passed);
  CHECK(view.records[1].trainee == "Sam");
  // Alex, Sam, then the team row for the month.
  REQUIRE(view.rows.size() == 3);
  CHECK(view.rows[2].trainee == "(all)");
  CHECK(view.rows[2].sessions == 2);

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
