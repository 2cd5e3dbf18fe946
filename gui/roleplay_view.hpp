// The role-play panel's state and actions, kept apart from the drawing so they can be tested
// without a window. Everything that scores, keeps mood or writes records is the library's
// (sim/roleplay*.hpp); this only holds what the trainee picked and when.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gui/task.hpp"
#include "sim/journey_persona.hpp"
#include "sim/roleplay.hpp"
#include "sim/roleplay_records.hpp"
#include "sim/scenario.hpp"
#include "sim/training.hpp"

namespace cx::studio {

// `pending_journey` for "the script's own customer" rather than a listed case.
inline constexpr std::size_t kAsWritten = static_cast<std::size_t>(-1);

// Customers from a simulation (docs/ROLEPLAY.md): the unresolved cases of one run of a
// scenario, hardest first, each told as the library tells it (sim/journey_persona.hpp).
struct JourneyList {
  Scenario scenario;   // the scenario that was run: a copy, the user's edits stay theirs
  std::string source;  // where it came from, in words ("the current scenario (default.toml)")
  std::uint64_t seed = 0;
  std::vector<Journey> journeys;  // hardest first (unresolvedJourneys' order)
  std::vector<JourneyToll> tolls;
  std::vector<std::string> lines;  // describeJourney, one per journey
  // Without [journeys] every contact is its own case: the list holds single contacts.
  bool multi_contact() const { return scenario.journeys.has_value(); }
};

// The customer the current session plays, when it came from a journey.
struct PlayedJourney {
  std::uint64_t case_id = 0;
  std::string source;
  std::string story;  // describeJourney's lines
  Persona before;     // the script's own persona, for "mood a -> b"
};

struct RoleplayView {
  // The script: a shipped one or any file. `script` is shared so the session's pointer to it
  // stays valid while a new script is being loaded.
  std::vector<std::filesystem::path> shipped;  // scenarios/roleplay/*.toml, sorted
  std::string path_input;
  std::shared_ptr<const RoleplayScript> script;
  std::filesystem::path failed_path;
  std::vector<std::string> load_errors;  // the validator's diagnostics, one line each

  std::string trainee;
  std::optional<RoleplaySession> session;
  double turn_started = 0.0;  // panel clock (seconds) when the current node was shown
  std::optional<Debrief> debrief;
  bool saved = false;
  std::string data_dir;  // records folder; default as the CLI's (defaultRoleplayDataDir)
  std::string save_message;

  // What the user asked for while a session was at risk, waiting for their answer: another
  // script, or (an empty path) the same script again.
  std::optional<std::filesystem::path> pending_switch;
  // A tab to select once: "Play", "Debrief", "Trainer", "Customers from the simulation".
  std::string select_tab;

  // Customers from the simulation. `written` is the script as its file has it; `script` is
  // the same with a journey's persona while `journey` is set.
  std::shared_ptr<const RoleplayScript> written;
  std::optional<PlayedJourney> journey;
  bool journeys_from_file = false;  // another scenario file rather than the studio's own
  std::string journeys_file;
  bool journeys_pending = false;  // find the customers before the next frame (main.cpp)
  AsyncTask<JourneyList> journeys_job;
  std::shared_ptr<const JourneyList> journeys;
  std::string journeys_error;
  int picked_journey = -1;  // the row chosen in the list
  // With `pending_switch` (an empty path: this script again), the customer to play then.
  // (kAsWritten: the script's own customer again.)
  std::optional<std::size_t> pending_journey;

  // Trainer view.
  Period period = Period::Week;
  std::vector<SessionRecord> records;
  std::vector<std::string> record_problems;
  std::vector<AggregateRow> rows;
  std::string chart_trainee;  // whose dimensions the trainer chart shows; empty: the team
  std::string csv_path;
  std::string trainer_message;
  int link_group = 0;        // the agent group of the studio's scenario the team stands for
  std::string link_message;  // what the last "Set group" did
};

// The shipped scripts in `dir` (*.toml), sorted by name.
std::vector<std::filesystem::path> listScripts(const std::filesystem::path& dir);
// scenarios/roleplay from the current folder, else from `source_dir` (the checkout the studio
// was built from), as the scenario panel finds scenarios/default.toml.
std::filesystem::path shippedScriptsDir(const std::filesystem::path& source_dir);

// True while leaving would lose something: answers given and not yet saved.
bool sessionAtRisk(const RoleplayView& view);

// Opens `file` and starts a session at clock `now`. With a session at risk and `force` false,
// nothing changes but `pending_switch` (the panel asks). A script the validator rejects
// leaves the current one and fills `load_errors`. Never throws. True when a session started.
bool openRoleplayScript(RoleplayView& view, const std::filesystem::path& file, double now,
                        bool force = false);
// Starts the current script again (a new session), whatever the current one holds.
void restartSession(RoleplayView& view, double now);
// "Play again" from the panel: like restartSession, but with a session at risk and `force`
// false only sets `pending_switch` (to an empty path) so the panel can ask. True when started.
bool requestRestart(RoleplayView& view, double now, bool force = false);
// Carries out `pending_switch` (the user chose to discard): opens its script or restarts.
void confirmSwitch(RoleplayView& view, double now);

// The unresolved cases of one run of `scenario` (replication 0, its own seed), hardest first,
// described for the list. Runs the simulation: call it off the UI thread.
JourneyList findJourneys(const Scenario& scenario, const std::string& source);
// The same for a scenario file; throws ScenarioError with the loader's diagnostics.
JourneyList findJourneysInFile(const std::filesystem::path& file);
// Starts finding the customers on a worker thread: from `view.journeys_file` when
// `journeys_from_file`, else from `current` (the studio's scenario, copied; null when it does
// not load). False with `journeys_error` saying why when there is nothing to run.
bool startJourneys(RoleplayView& view, const Scenario* current, const std::string& current_name);
// Takes a finished search's list (a failed one keeps the last list and sets the error); not
// while the user is asked about one of the listed cases (`pending_journey`).
bool takeJourneys(RoleplayView& view);

// Starts the current script again with the customer of `journeys[index]` (personaFromJourney),
// recording the case. With a session at risk and `force` false only asks (`pending_switch`,
// `pending_journey`). False when nothing started.
bool playJourney(RoleplayView& view, std::size_t index, double now, bool force = false);
// Back to the script's own customer (asks first the same way).
bool playAsWritten(RoleplayView& view, double now, bool force = false);

// Seconds left to answer the current node at clock `now` (negative: over the limit).
double secondsLeft(const RoleplayView& view, double now);

// Answers the current node with `choice` (0-based) at clock `now`; the time taken is measured
// from when the node was shown. At the end, the debrief is made. False when there is no
// session in progress or the choice does not exist.
bool answerChoice(RoleplayView& view, int choice, double now);

// Appends the finished session to the records folder, dated `date` (ISO 8601 UTC; empty: now).
// False with `save_message` saying why.
bool saveSession(RoleplayView& view, const std::string& date = {});
// The records folder: `data_dir`, or the CLI's default (defaultRoleplayDataDir) when empty.
std::filesystem::path recordsDir(const RoleplayView& view);

// How the conversation ended, in words (the CLI's debrief says the same).
std::string endingText(const RoleplayScript& script, const SessionSummary& session);
// The first turn where the session left the best path (its size when it never did).
std::size_t firstDifference(const SessionSummary& session, const BestPath& best);

// Reads the records folder and aggregates it by `view.period`.
void refreshTrainer(RoleplayView& view);
// Writes the aggregate as CSV to `file`; the outcome in `trainer_message`.
bool exportTrainerCsv(RoleplayView& view, const std::filesystem::path& file);

// The training link (sim/training.hpp, `cxsim roleplay link`): the skills the records' team
// stands for, for agent group `group` of `scenario` (its calibration; the in-code one without
// [outcomes]). Dimensions nobody scored keep the group's value.
GroupSkills teamSkillsFor(const RoleplayView& view, const Scenario& scenario, std::size_t group);
// Sets that group's empathy, professionalism and FCR uplift to them (an edit of the document:
// the studio's undo takes it back) and says what changed in `view.link_message`.
void applyTeamToGroup(RoleplayView& view, Scenario& scenario, std::size_t group);

// Mood 0..1 as a colour from red (furious) through amber to green (pleased), RGBA 0..1.
struct Rgba {
  float r, g, b, a;
};
Rgba moodColour(double mood);

}  // namespace cx::studio
