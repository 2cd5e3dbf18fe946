// Shift files and the roster integer program: a small case checked by hand (and by brute
// force), coverage of a real plan, wrap-around in the continuous form, infeasible templates
// and errors in shift files.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string>

#include "sim/roster.hpp"
#include "sim/staffing.hpp"
#include "test_support.hpp"

namespace {

// One channel, open 08:00-16:00 in hourly intervals.
cx::Scenario eightHourDay() {
  cx::Scenario s = cx::test::singleQueue(60, cx::DistSpec::exponential(180), 1, std::nullopt, 1);
  s.horizon_hours = 0;
  s.warmup_hours = 0;
  s.days = 1;
  s.open_s = 8 * 3600;
  s.interval_minutes = 60;
  s.channels[0].agents.assign(8, 1);
  return s;
}

const char* kFourTemplates = R"(
[[shifts]]
name = "full"
start = "08:00"
hours = 8
breaks = [{ start = "12:00", minutes = 60 }]
cost = 8

[[shifts]]
name = "am"
start = "08:00"
hours = 4
cost = 5

[[shifts]]
name = "pm"
start = "12:00"
hours = 4
cost = 5

[[shifts]]
name = "mid"
start = 10:00:00
hours = 4
cost = 4.5
)";

std::string firstError(const std::function<void()>& f) {
  try {
    f();
  } catch (const cx::ScenarioError& e) {
    return e.diagnostics().front().format();
  }
  return "no error";
}

}  // namespace

TEST_CASE("roster: the optimum of a small case checked by hand") {
  const cx::Scenario s = eightHourDay();
  const auto shifts = cx::parseShifts(kFourTemplates, "four.toml", s);
  REQUIRE(shifts.size() == 4);
  CHECK(shifts[0].length == 8);
  CHECK(shifts[0].breaks == std::vector<int>{4});
  CHECK(shifts[3].start_s == 10 * 3600);
  // Fractional requirements; the roster rounds them once: 2 2 3 3 2 2 1 1.
  const std::vector<double> req{1.3, 2.0, 2.2, 3.0, 1.5, 1.6, 1.0, 0.4};
  const cx::RosterResult r = cx::solveRoster(s, shifts, {req});
  REQUIRE(r.feasible);
  // By hand: two "am" (08-12) cover 2 2 2 2; one "mid" (10-14) lifts 10-12 to 3 and gives
  // 12-14 one; one "pm" (12-16) brings 12-14 to 2 and covers 14-16 with 1. Cost 10 + 4.5 + 5.
  // Using "full" (8, idle at the 12:00 break) always needs another shift at 12:00 and costs
  // more. A brute force over 0..6 of each template agrees.
  CHECK(r.cost == doctest::Approx(19.5));
  double best = 1e9;
  for (int a = 0; a < 7; ++a)
    for (int b = 0; b < 7; ++b)
      for (int c = 0; c < 7; ++c)
        for (int d = 0; d < 7; ++d) {
          int cov[8] = {};
          for (int k = 0; k < 8; ++k)
            cov[k] =
                (k != 4 ? a : 0) + (k < 4 ? b : 0) + (k >= 4 ? c : 0) + (k >= 2 && k < 6 ? d : 0);
          bool ok = true;
          for (int k = 0; k < 8; ++k) ok = ok && cov[k] >= std::ceil(req[k]);
          if (ok) best = std::min(best, 8.0 * a + 5.0 * b + 5.0 * c + 4.5 * d);
        }
  CHECK(r.cost == doctest::Approx(best));
  CHECK(r.coverage[0] == std::vector<int>{2, 2, 3, 3, 2, 2, 1, 1});
  double over = 0;
  for (int k = 0; k < 8; ++k) over += r.coverage[0][k] - req[k];
  CHECK(r.over_agent_intervals == doctest::Approx(over));
  CHECK(r.under_agent_intervals == 0.0);
  double spread = 0;
  for (double c : r.cost_per_interval) spread += c;
  CHECK(spread == doctest::Approx(r.cost));

  // Bounds are obeyed: at least one "full" forces a different optimum; at most one "am" too.
  auto bounded = shifts;
  bounded[0].min_count = 1;
  bounded[1].max_count = 1;
  const cx::RosterResult b = cx::solveRoster(s, bounded, {req});
  REQUIRE(b.feasible);
  int full = 0, am = 0;
  for (const cx::RosterLine& l : b.lines) {
    if (l.shift == 0) full += l.count;
    if (l.shift == 1) am += l.count;
  }
  CHECK(full >= 1);
  CHECK(am <= 1);
  CHECK(b.cost > r.cost);
}

TEST_CASE("roster: a default-scenario plan is covered in every interval") {
  const cx::Scenario s = cx::loadScenario(cx::test::sourcePath("scenarios/default.toml"));
  const auto shifts = cx::loadShifts(cx::test::sourcePath("scenarios/shifts/default.toml"), s);
  cx::StaffingOptions o;
  o.shrinkage = 0.25;
  const cx::StaffingPlan plan = cx::erlangRequirements(s, o);
  std::vector<std::vector<double>> req;
  for (const auto& c : plan.channels) {
    req.emplace_back();
    for (const auto& r : c.intervals) req.back().push_back(r.required);
  }
  const cx::RosterResult r = cx::solveRoster(s, shifts, req);
  REQUIRE(r.feasible);
  for (std::size_t c = 0; c < req.size(); ++c)
    for (std::size_t k = 0; k < req[c].size(); ++k) {
      INFO("channel " << c << " interval " << k);
      CHECK(r.coverage[c][k] >= req[c][k]);
    }
  CHECK(r.under_agent_intervals == 0.0);
  CHECK(r.over_agent_intervals > 0.0);
  // The cost is that of the shifts worked.
  double cost = 0;
  for (const cx::RosterLine& l : r.lines) cost += l.count * shifts[l.shift].cost;
  CHECK(r.cost == doctest::Approx(cost));
}

TEST_CASE("roster: every shift file under scenarios/shifts/ loads against its scenario") {
  // scenarios/shifts/NAME.toml rosters scenarios/NAME.toml or scenarios/examples/NAME.toml.
  namespace fs = std::filesystem;
  const fs::path root = cx::test::sourcePath("scenarios");
  int files = 0;
  for (const auto& e : fs::directory_iterator(root / "shifts")) {
    if (e.path().extension() != ".toml") continue;
    ++files;
    CAPTURE(e.path().string());
    fs::path scenario = root / e.path().filename();
    if (!fs::exists(scenario)) scenario = root / "examples" / e.path().filename();
    REQUIRE(fs::exists(scenario));
    try {
      const cx::Scenario s = cx::loadScenario(scenario);
      CHECK_FALSE(cx::loadShifts(e.path(), s).empty());
    } catch (const cx::ScenarioError& err) {
      FAIL_CHECK(err.what() << ": " << err.diagnostics().front().format());
    }
  }
  CHECK(files >= 1);
}

TEST_CASE("roster: a continuous cycle of whole days wraps night shifts") {
  cx::Scenario s = cx::test::singleQueue(60, cx::DistSpec::exponential(180), 1, std::nullopt, 48);
  s.interval_minutes = 60;
  s.channels[0].agents.assign(48, 1);  // two days
  const auto shifts = cx::parseShifts(
      "[[shifts]]\nname = \"night\"\nstart = \"22:00\"\nhours = 8\ncost = 10\n", "n.toml", s);
  std::vector<double> req(48, 0.0);
  req[23] = 1;  // day 0, 23:00
  req[1] = 2;   // day 0, 01:00: only the night shift of the *last* day reaches it (wrap)
  const cx::RosterResult r = cx::solveRoster(s, shifts, {req});
  REQUIRE(r.feasible);
  CHECK(r.days == 2);
  CHECK(r.cost == doctest::Approx(30.0));  // 1 night on day 0 (22:00-06:00) + 2 on day 1
  CHECK(r.coverage[0][47] == 2);
  CHECK(r.coverage[0][5] == 2);
  CHECK(r.coverage[0][6] == 0);

  cx::Scenario odd = s;
  odd.channels[0].agents.assign(5, 1);  // a 5-hour cycle: not whole days
  CHECK_THROWS_AS(cx::solveRoster(odd, shifts, {std::vector<double>(5, 1.0)}),
                  std::invalid_argument);
}

TEST_CASE("roster: infeasible templates give a clear message") {
  const cx::Scenario s = eightHourDay();
  auto shifts = cx::parseShifts(kFourTemplates, "four.toml", s);
  std::vector<double> req(8, 1.0);
  SUBCASE("an interval no template works") {
    shifts.erase(shifts.begin() + 2);  // no "pm": 14:00-16:00 only "full" works it ...
    shifts.erase(shifts.begin());      // ... and without "full" nothing does
    const cx::RosterResult r = cx::solveRoster(s, shifts, {req});
    CHECK_FALSE(r.feasible);
    CHECK(r.message.find("phone 14:00 needs 1 but no shift template works it") !=
          std::string::npos);
    CHECK(r.message.find("phone 15:00") != std::string::npos);
    CHECK(r.lines.empty());
  }
  SUBCASE("max counts too small") {
    for (auto& t : shifts) t.max_count = 1;
    req[3] = 5;  // 11:00: full, am and mid work it, at most 3
    const cx::RosterResult r = cx::solveRoster(s, shifts, {req});
    CHECK_FALSE(r.feasible);
    CHECK(r.message.find("phone 11:00 needs 5 but the templates working it allow at most 3") !=
          std::string::npos);
  }
}

TEST_CASE("roster: errors in shift files name the line, key and expectation") {
  const cx::Scenario s = eightHourDay();
  CHECK(firstError([&] {
          cx::parseShifts("[[shifts]]\nname = \"x\"\nstart = \"08:15\"\nhours = 4\ncost = 1\n",
                          "f.toml", s);
        }) ==
        "f.toml:3:9: shifts[0].start: the start must be a whole number of the scenario's "
        "60-minute intervals");
  CHECK(firstError([&] {
          cx::parseShifts("[[shifts]]\nname = \"x\"\nstart = \"14:00\"\nhours = 4\ncost = 1\n",
                          "f.toml", s);
        }) ==
        "f.toml:3:9: shifts[0].start: the shift 14:00–18:00 is not within opening hours "
        "(08:00–16:00)");
  CHECK(firstError([&] {
          cx::parseShifts(
              "[[shifts]]\nname = \"x\"\nstart = \"08:00\"\nhours = 4\ncost = 1\nlunch = 1\n",
              "f.toml", s);
        }).find("f.toml:6:1: shifts[0].lunch: unknown key") == 0);
  CHECK(firstError([&] {
          cx::parseShifts("[[shifts]]\nname = \"x\"\nstart = \"08:00\"\nhours = 4\n", "f.toml", s);
        }) ==
        "f.toml:1:1: shifts[0].cost: missing: cost = 200, the cost of one agent working "
        "the shift");
  CHECK(firstError([&] {
          cx::parseShifts(
              "[[shifts]]\nname = \"x\"\nstart = \"08:00\"\nhours = 4\ncost = 1\n"
              "channels = [\"fax\"]\n",
              "f.toml", s);
        }) ==
        "f.toml:6:13: shifts[0].channels[0]: expected the id of one of the scenario's "
        "channels (phone)");
  CHECK(firstError([&] {
          cx::parseShifts(
              "[[shifts]]\nname = \"x\"\nstart = \"08:00\"\nhours = 4\ncost = 1\n"
              "breaks = [{ start = \"13:00\", minutes = 60 }]\n",
              "f.toml", s);
        }).find("the break must lie inside the shift (08:00–12:00)") != std::string::npos);
  CHECK(firstError([&] { cx::parseShifts("shifts = 3", "f.toml", s); }) ==
        "f.toml:1:10: shifts: expected at least one [[shifts]] table");
  CHECK(firstError([&] {
          cx::loadShifts("/no/such/shifts.toml", s);
        }).find("cannot read the shift file") != std::string::npos);
}

TEST_CASE("roster: with agent groups, shifts staff groups and the roster covers each group") {
  const cx::Scenario s =
      cx::loadScenario(cx::test::sourcePath("scenarios/examples/skills_routing.toml"));
  // `groups` names agent groups; `channels` is refused with a word on why.
  CHECK(firstError([&] {
          cx::parseShifts(
              "[[shifts]]\nname = \"x\"\nstart = \"09:00\"\nhours = 4\ncost = 1\n"
              "channels = [\"phone\"]\n",
              "f.toml", s);
        }) ==
        "f.toml:6:1: shifts[0].channels: the scenario's agents are in [[agent_groups]]: use "
        "`groups` to say whom a shift may staff");
  CHECK(firstError([&] {
          cx::parseShifts(
              "[[shifts]]\nname = \"x\"\nstart = \"09:00\"\nhours = 4\ncost = 1\n"
              "groups = [\"phone\"]\n",
              "f.toml", s);
        }) ==
        "f.toml:6:11: shifts[0].groups[0]: expected the id of one of the scenario's agent "
        "groups (phone_team, chat_team, blended)");
  CHECK(firstError([&] {
          cx::parseShifts(
              "[[shifts]]\nname = \"x\"\nstart = \"09:00\"\nhours = 4\ncost = 1\n"
              "groups = [\"blended\"]\n",
              "f.toml", eightHourDay());
        }) ==
        "f.toml:6:1: shifts[0].groups: the scenario's agents are the channels' own (no "
        "[[agent_groups]]): use `channels` to say whom a shift may staff");

  // Blended day shifts only for "blended", and specialists by the half-day: each group covered,
  // at the cost a hand count gives (2 blended days, 3 + 1 specialist half-days).
  const std::vector<cx::ShiftTemplate> shifts = cx::parseShifts(
      "[[shifts]]\nname = \"blended day\"\nstart = \"09:00\"\nhours = 8\ncost = 176\n"
      "groups = [\"blended\"]\n"
      "[[shifts]]\nname = \"morning\"\nstart = \"09:00\"\nhours = 4\ncost = 84\n"
      "groups = [\"phone_team\", \"chat_team\"]\n"
      "[[shifts]]\nname = \"afternoon\"\nstart = \"13:00\"\nhours = 4\ncost = 84\n"
      "groups = [\"phone_team\", \"chat_team\"]\n",
      "f.toml", s);
  std::vector<std::vector<double>> required = {
      {2.5, 2.5, 2.5, 2.5, 0.4, 0.4, 0.4, 0.4},   // phone_team: 3 then 1
      {1, 1, 1, 1, 0, 0, 0, 0},                   // chat_team: 1 then none
      {1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2}};  // blended: 2 all day
  const cx::RosterResult r = cx::solveRoster(s, shifts, required);
  REQUIRE(r.feasible);
  CHECK(r.ids == std::vector<std::string>{"phone_team", "chat_team", "blended"});
  CHECK(r.cost == doctest::Approx(2 * 176 + (3 + 1 + 1) * 84));
  for (std::size_t g = 0; g < 3; ++g)
    for (std::size_t k = 0; k < 8; ++k) CHECK(r.coverage[g][k] >= std::ceil(required[g][k]));
  for (const cx::RosterLine& l : r.lines)
    if (shifts[l.shift].name == "blended day") CHECK(r.ids[l.channel] == "blended");
  CHECK_THROWS_WITH_AS(cx::solveRoster(s, shifts, {required[0]}),
                       "requirements for 1 groups given, the scenario has 3",
                       std::invalid_argument);
}
