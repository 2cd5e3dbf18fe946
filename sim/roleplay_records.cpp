#include "sim/roleplay_records.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

namespace cx {

namespace fs = std::filesystem;

SessionRecord makeRecord(const RoleplayScript& script, const SessionSummary& session,
                         const std::string& trainee, const std::string& date) {
  SessionRecord r;
  r.trainee = trainee;
  r.script = script.id();
  r.title = script.title;
  r.level = toString(script.level);
  r.date = date;
  for (const Turn& t : session.transcript) {
    r.choices.push_back(t.choice + 1);
    r.times_s.push_back(t.seconds);
  }
  r.scores = session.scores;
  r.overall = session.overall;
  r.passed = session.passed;
  r.breaches = session.breaches;
  r.ending = toString(session.ending);
  if (session.ending_node >= 0)
    r.outcome = script.nodes[static_cast<std::size_t>(session.ending_node)].outcome;
  r.final_mood = session.mood.empty() ? script.persona.mood : session.mood.back();
  return r;
}

namespace {

// Scores keep one decimal in records: more would pretend to a precision the rubric lacks.
double round1(double x) {
  return std::round(x * 10.0) / 10.0;
}

}  // namespace

nlohmann::ordered_json toJson(const SessionRecord& r) {
  nlohmann::ordered_json j;
  j["trainee"] = r.trainee;
  j["script"] = r.script;
  j["title"] = r.title;
  j["level"] = r.level;
  j["date"] = r.date;
  j["choices"] = r.choices;
  j["times_s"] = r.times_s;
  nlohmann::ordered_json scores = nlohmann::ordered_json::object();
  for (Dimension d : kAllDimensions) {
    const auto& s = r.scores[static_cast<std::size_t>(d)];
    scores[toString(d)] = s ? nlohmann::ordered_json(round1(*s)) : nlohmann::ordered_json(nullptr);
  }
  j["scores"] = scores;
  j["overall"] = round1(r.overall);
  j["passed"] = r.passed;
  j["breaches"] = r.breaches;
  j["ending"] = r.ending;
  j["outcome"] = r.outcome;
  j["final_mood"] = std::round(r.final_mood * 1000.0) / 1000.0;
  if (r.journey) {
    nlohmann::ordered_json journey;
    journey["scenario"] = r.journey->scenario;
    if (r.journey->seed) journey["seed"] = *r.journey->seed;
    journey["case"] = r.journey->case_id;
    j["journey"] = journey;
  }
  return j;
}

SessionRecord recordFromJson(const nlohmann::json& j) {
  if (!j.is_object()) throw std::runtime_error("expected a JSON object");
  auto need = [&](const char* key) -> const nlohmann::json& {
    auto it = j.find(key);
    if (it == j.end()) throw std::runtime_error(std::string("missing \"") + key + "\"");
    return *it;
  };
  SessionRecord r;
  try {
    r.trainee = need("trainee").get<std::string>();
    r.script = need("script").get<std::string>();
    r.title = j.value("title", "");
    r.level = j.value("level", "");
    r.date = need("date").get<std::string>();
    r.choices = need("choices").get<std::vector<int>>();
    r.times_s = need("times_s").get<std::vector<double>>();
    const nlohmann::json& scores = need("scores");
    if (!scores.is_object()) throw std::runtime_error("\"scores\" is not an object");
    for (Dimension d : kAllDimensions) {
      auto it = scores.find(toString(d));
      if (it != scores.end() && it->is_number())
        r.scores[static_cast<std::size_t>(d)] = it->get<double>();
    }
    r.overall = need("overall").get<double>();
    r.passed = need("passed").get<bool>();
    r.breaches = j.value("breaches", std::vector<std::string>{});
    r.ending = j.value("ending", "");
    r.outcome = j.value("outcome", "");
    r.final_mood = j.value("final_mood", 0.0);
    if (auto it = j.find("journey"); it != j.end() && !it->is_null()) {
      if (!it->is_object()) throw std::runtime_error("\"journey\" is not an object");
      RecordedJourney journey;
      journey.scenario = it->value("scenario", "");
      if (it->contains("seed")) journey.seed = it->at("seed").get<std::uint64_t>();
      journey.case_id = it->at("case").get<std::uint64_t>();
      r.journey = journey;
    }
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("wrong type: ") + e.what());
  }
  return r;
}

std::string isoNowUtc() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

fs::path defaultRoleplayDataDir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return fs::path(xdg) / "cxsim" / "roleplay";
  if (const char* home = std::getenv("HOME"); home && *home)
    return fs::path(home) / ".local" / "share" / "cxsim" / "roleplay";
  return fs::path("cxsim-roleplay");
}

fs::path sessionsFile(const fs::path& dir) {
  return dir / "sessions.jsonl";
}

void appendRecord(const fs::path& dir, const SessionRecord& record) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create " + dir.string() + ": " + ec.message());
  const fs::path file = sessionsFile(dir);
  std::ofstream out(file, std::ios::app);
  out << toJson(record).dump() << "\n";
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

std::vector<SessionRecord> readRecords(const fs::path& dir, std::vector<std::string>* problems) {
  std::vector<SessionRecord> records;
  const fs::path file = sessionsFile(dir);
  std::ifstream in(file);
  if (!in) return records;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      records.push_back(recordFromJson(nlohmann::json::parse(line)));
    } catch (const std::exception& e) {
      if (problems) problems->push_back(fmt::format("{}:{}: {}", file.string(), number, e.what()));
    }
  }
  return records;
}

std::optional<Period> periodFromString(const std::string& name) {
  if (name == "day") return Period::Day;
  if (name == "week") return Period::Week;
  if (name == "month") return Period::Month;
  return std::nullopt;
}

std::string periodOf(const std::string& iso_date, Period period) {
  using namespace std::chrono;
  int y = 0;
  unsigned m = 0, d = 0;
  if (iso_date.size() < 10 || std::sscanf(iso_date.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3)
    return {};
  const year_month_day ymd{year{y}, month{m}, day{d}};
  if (!ymd.ok()) return {};
  switch (period) {
    case Period::Day:
      return fmt::format("{:04}-{:02}-{:02}", y, m, d);
    case Period::Month:
      return fmt::format("{:04}-{:02}", y, m);
    case Period::Week: {
      // ISO 8601: weeks start on Monday; week 1 is the one holding the year's first Thursday,
      // so a date belongs to the week-year of its week's Thursday.
      const sys_days date{ymd};
      const unsigned iso_weekday = weekday{date}.iso_encoding();  // Monday 1 .. Sunday 7
      const sys_days thursday = date + days{4 - static_cast<int>(iso_weekday)};
      const year_month_day t{thursday};
      const sys_days jan1{t.year() / January / 1};
      const int week = static_cast<int>((thursday - jan1).count()) / 7 + 1;
      return fmt::format("{:04}-W{:02}", static_cast<int>(t.year()), week);
    }
  }
  return {};
}

namespace {

struct Accumulator {
  int sessions = 0, passed = 0;
  std::array<double, kDimensions> sum{};
  std::array<int, kDimensions> count{};
  double overall = 0.0;

  void add(const SessionRecord& r) {
    ++sessions;
    passed += r.passed ? 1 : 0;
    overall += r.overall;
    for (std::size_t k = 0; k < kDimensions; ++k)
      if (r.scores[k]) {
        sum[k] += *r.scores[k];
        ++count[k];
      }
  }
  AggregateRow row(const std::string& trainee, const std::string& period) const {
    AggregateRow out{trainee, period, sessions, passed, {}, {}};
    for (std::size_t k = 0; k < kDimensions; ++k)
      if (count[k] > 0) out.mean[k] = sum[k] / count[k];
    if (sessions > 0) out.overall = overall / sessions;
    return out;
  }
};

std::string cell(const std::optional<double>& x) {
  return x ? fmt::format("{:.1f}", *x) : std::string();
}

// Quotes a CSV field when it holds a comma, a quote or a line break.
std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::vector<AggregateRow> aggregateRecords(const std::vector<SessionRecord>& records,
                                           Period period) {
  std::map<std::pair<std::string, std::string>, Accumulator> by_trainee;
  std::map<std::string, Accumulator> team;
  for (const SessionRecord& r : records) {
    std::string p = periodOf(r.date, period);
    if (p.empty()) p = "unknown";
    by_trainee[{r.trainee, p}].add(r);
    team[p].add(r);
  }
  std::vector<AggregateRow> rows;
  for (const auto& [key, acc] : by_trainee) rows.push_back(acc.row(key.first, key.second));
  for (const auto& [p, acc] : team) rows.push_back(acc.row("(all)", p));
  return rows;
}

std::string aggregateCsv(const std::vector<AggregateRow>& rows) {
  std::string out = "trainee,period,sessions,passed,pass_rate";
  for (Dimension d : kAllDimensions) out += std::string(",") + toString(d);
  out += ",overall\n";
  for (const AggregateRow& r : rows) {
    out += fmt::format("{},{},{},{},{:.3f}", csvField(r.trainee), csvField(r.period), r.sessions,
                       r.passed, r.sessions > 0 ? double(r.passed) / r.sessions : 0.0);
    for (const auto& m : r.mean) out += "," + cell(m);
    out += "," + cell(r.overall) + "\n";
  }
  return out;
}

}  // namespace cx
