// Trainee records: one JSON line per role-play session, and the trainer's aggregate view.
//
// Sessions are appended to DIR/sessions.jsonl (one JSON object per line, so a crash can lose at
// most the line being written and files from several machines can be concatenated). The
// trainer view groups them by trainee and period, with the mean of each rubric dimension.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/roleplay.hpp"

namespace cx {

// The simulated customer a session was played with (`play --journey`, the studio's customers
// from the simulation): which run, and which case of it.
struct RecordedJourney {
  std::string scenario;               // the scenario file, or the studio's description of it
  std::optional<std::uint64_t> seed;  // of the run, when known
  std::uint64_t case_id = 0;
};

struct SessionRecord {
  std::string trainee;
  std::string script;  // the script's id (file name without extension)
  std::string title;
  std::string level;
  std::string date;          // ISO 8601 UTC, "2026-11-22T19:58:03Z"
  std::vector<int> choices;  // 1-based, as the trainee saw them
  std::vector<double> times_s;
  Scores scores;
  double overall = 0.0;
  bool passed = false;
  std::vector<std::string> breaches;
  std::string ending;   // toString(Ending)
  std::string outcome;  // the ending node's outcome, if reached
  double final_mood = 0.0;
  std::optional<RecordedJourney> journey;  // none: the script's own customer
};

SessionRecord makeRecord(const RoleplayScript& script, const SessionSummary& session,
                         const std::string& trainee, const std::string& date);

nlohmann::ordered_json toJson(const SessionRecord& r);
// Throws std::runtime_error naming the first missing or mistyped field.
SessionRecord recordFromJson(const nlohmann::json& j);

// The current time as ISO 8601 UTC with seconds.
std::string isoNowUtc();

// $XDG_DATA_HOME/cxsim/roleplay, else $HOME/.local/share/cxsim/roleplay, else ./cxsim-roleplay.
std::filesystem::path defaultRoleplayDataDir();
std::filesystem::path sessionsFile(const std::filesystem::path& dir);

// Appends one line to DIR/sessions.jsonl, creating DIR. Throws std::runtime_error on failure.
void appendRecord(const std::filesystem::path& dir, const SessionRecord& record);

// Every record in DIR/sessions.jsonl (none when the file does not exist). Lines that are not
// valid records are skipped and described in `problems` ("FILE:LINE: why").
std::vector<SessionRecord> readRecords(const std::filesystem::path& dir,
                                       std::vector<std::string>* problems = nullptr);

enum class Period { Day, Week, Month };
std::optional<Period> periodFromString(const std::string& name);
// "2026-11-22", ISO week "2026-W47", "2026-11" for an ISO 8601 date; empty when unreadable.
std::string periodOf(const std::string& iso_date, Period period);

struct AggregateRow {
  std::string trainee;  // "(all)" for the team row of a period
  std::string period;
  int sessions = 0;
  int passed = 0;
  Scores mean;  // mean over the sessions where the dimension was scored
  std::optional<double> overall;
};

// One row per trainee and period, sorted by trainee then period, then the team rows
// ("(all)", one per period) last.
std::vector<AggregateRow> aggregateRecords(const std::vector<SessionRecord>& records,
                                           Period period);

// trainee,period,sessions,passed,pass_rate,promptness,...,deescalation,overall (empty cell: no
// score). Numbers with one decimal.
std::string aggregateCsv(const std::vector<AggregateRow>& rows);

}  // namespace cx
