// From a simulated journey to a role-play persona (docs/ROLEPLAY.md, "Customers from a
// simulation"): a trainer picks a real case from a run — a customer who waited nine minutes
// after the bot failed them, then switched from chat to phone — and the role-play starts with
// that customer's mood and patience, and the story of what happened in the persona's history.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/records.hpp"
#include "sim/roleplay_script.hpp"
#include "sim/scenario.hpp"

namespace cx {

// The contacts of one case, in order.
struct Journey {
  std::uint64_t case_id = 0;
  std::vector<ContactRecord> contacts;

  bool resolved() const { return !contacts.empty() && contacts.back().resolved; }
};

// What the journey did to the customer, as mood points lost (each term documented in
// docs/ROLEPLAY.md); `total` is their sum, at most `kMaxMoodLoss`.
struct JourneyToll {
  double contacts = 0;    // 0.1 per earlier contact on the case
  double waiting = 0;     // 0.05 per minute waited beyond the channel's threshold (≤ 0.3)
  double unresolved = 0;  // 0.1 per contact that ended without solving the problem
  double bot = 0;         // 0.1 if the bot failed them (escalated, gave up in its loop, false)
  double repeated = 0;    // 0.05 per time they told the story again
  double switched = 0;    // 0.05 per change of channel
  double uncapped = 0;    // the sum before the cap (ranks journeys the cap would tie)
  double total = 0;
};
inline constexpr double kMaxMoodLoss = 0.8;

JourneyToll journeyToll(const Journey& journey, const Scenario& scenario);

// One line per contact: "chat 09:14 · bot, escalated · waited 9 min 12 s · gave up".
std::string describeJourney(const Journey& journey, const Scenario& scenario);

// The script's persona as this journey's customer, about to make one more contact: mood lowered
// by the toll (never below the point where they would leave at once), patience shrunk in
// proportion, the journey told in the history.
Persona personaFromJourney(const Persona& base, const Journey& journey, const Scenario& scenario);

// The cases of one replication that did not end resolved (given up, unresolved, or open at the
// end), the hardest first (largest toll, then earliest case). Runs the simulation.
std::vector<Journey> unresolvedJourneys(const Scenario& scenario, std::uint64_t seed,
                                        std::uint32_t replication = 0);

}  // namespace cx
