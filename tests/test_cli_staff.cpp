// cxsim staff: what the roster buys, simulated — the agents each interval gets from the roster
// and the per-interval figures a manager reads (service, ASA, abandonment, CSAT, cost).
#include <doctest/doctest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

TEST_CASE("cli: staff simulates the roster it built, interval by interval") {
  const cx::test::CliRun r = cx::test::cxsim(
      "staff scenarios/default.toml --shifts scenarios/shifts/default.toml --shrinkage 0.25 "
      "--reps 2 --json -");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  const auto& roster = j["roster"];
  REQUIRE(roster["feasible"] == true);
  const auto& sim = j["simulated"];
  CHECK(sim["reps"] == 2);
  // What was simulated is the roster's coverage on the phones: rostered × (1 − shrinkage),
  // to the nearest agent, in every interval of every channel.
  int c = 0;
  for (const auto& ch : sim["scenario"]["channels"]) {
    const std::string id = ch["id"];
    INFO(id);
    const auto& cover = roster["coverage"][id];
    REQUIRE(ch["agents"].size() == cover.size());
    for (std::size_t k = 0; k < cover.size(); ++k)
      CHECK(ch["agents"][k].get<int>() == std::lround(cover[k].get<int>() * 0.75));
    ++c;
  }
  CHECK(c == 2);
  // Each interval reports, per channel, the figures the plan is judged by, in range.
  const auto& intervals = sim["intervals"];
  REQUIRE(intervals.size() == roster["cost_per_interval"].size());
  double roster_cost = 0.0;
  for (const auto& cost : roster["cost_per_interval"]) roster_cost += cost.get<double>();
  CHECK(roster_cost == doctest::Approx(roster["cost"].get<double>()));
  for (const auto& iv : intervals)
    for (const char* id : {"phone", "chat"}) {
      const auto& m = iv["channels"][id];
      INFO(iv["start"].get<std::string>() << " " << id);
      const double sl = m["service_level"]["mean"], csat = m["csat"]["mean"];
      CHECK(sl >= 0.0);
      CHECK(sl <= 1.0);
      CHECK(m["asa_s"]["mean"].get<double>() >= 0.0);
      CHECK(m["abandon_rate"]["mean"].get<double>() >= 0.0);
      CHECK(csat > 0.0);
      CHECK(csat < 1.0);
      CHECK(m["cost_total"]["mean"].get<double>() > 0.0);
    }
  // The text says the same: a row per interval with the roster's agents and the cost column.
  const cx::test::CliRun t = cx::test::cxsim(
      "staff scenarios/default.toml --shifts scenarios/shifts/default.toml --shrinkage 0.25 "
      "--reps 2");
  REQUIRE(t.code == 0);
  CHECK(t.out.find("start     agents rostered  service        ASA   abandon  occupancy    CSAT  "
                   "cost (all)") != std::string::npos);
  const int first = std::lround(roster["coverage"]["phone"][0].get<int>() * 0.75);
  CHECK(t.out.find("08:00         " + std::to_string(first) + "       " +
                   std::to_string(roster["coverage"]["phone"][0].get<int>())) != std::string::npos);
}

TEST_CASE("cli: staff reports the email work left at closing in the day form") {
  // Software support: emails with a 4-hour reply target, office hours 08:00-18:00. The fluid
  // plan answers each email within 4 hours while open; what it leaves at closing is reported.
  const cx::test::CliRun r =
      cx::test::cxsim("staff scenarios/software_support_email.toml --json -");
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  const auto& email = j["requirements"]["email"];
  REQUIRE(email.contains("carryover_work_s"));
  const double left = email["carryover_work_s"];
  // Bounded by the work of the emails arriving in the last 4 hours (14:00-18:00).
  double last_hours_work = 0.0;
  const auto& iv = email["intervals"];
  for (std::size_t k = iv.size() - 4; k < iv.size(); ++k)
    last_hours_work += iv[k]["effective_load"].get<double>() * 3600.0;
  CHECK(left > 0.0);
  CHECK(left < last_hours_work);
  const cx::test::CliRun t = cx::test::cxsim("staff scenarios/software_support_email.toml");
  REQUIRE(t.code == 0);
  CHECK(t.out.find("of email work (replies whose window runs past closing) are left at closing") !=
        std::string::npos);
  // Continuous form (the hours repeat): nothing is left over.
  const cx::test::CliRun c =
      cx::test::cxsim("staff scenarios/examples/week_three_channels.toml --json -");
  REQUIRE(c.code == 0);
  const auto cj = nlohmann::json::parse(c.out);  // kept: items() of a temporary would dangle
  for (const auto& [id, ch] : cj["requirements"].items())
    CHECK_FALSE(ch.contains("carryover_work_s"));
}
