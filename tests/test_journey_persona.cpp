// From a simulated journey to a role-play persona (docs/ROLEPLAY.md, "Customers from a
// simulation"): the toll of each kind of event, the persona it gives, and the picking of
// journeys from a run.
#include <doctest/doctest.h>

#include "sim/journey_persona.hpp"
#include "test_support.hpp"

using namespace cx;
using namespace cx::test;

namespace {

Scenario twoChannels() {
  Scenario s = singleQueue(100, DistSpec::exponential(240), 10, std::nullopt, 8);
  ChannelSpec chat = s.channels.front();
  chat.id = "chat";
  chat.kind = ChannelKind::Chat;
  chat.service_level.threshold_s = 60;
  s.channels.push_back(chat);
  return s;
}

ContactRecord contact(std::uint32_t channel, Outcome outcome, double wait_s, bool resolved) {
  ContactRecord r;
  r.channel = channel;
  r.outcome = outcome;
  r.wait_s = wait_s;
  r.resolved = resolved;
  r.reached_agents = outcome != Outcome::Deflected;
  return r;
}

}  // namespace

TEST_CASE("journey persona: each event costs the documented mood") {
  const Scenario s = twoChannels();  // phone threshold 20 s, chat 60 s
  Journey j;
  // Chat: the bot escalates; waits 300 s (4 min past 60 s) and hangs up.
  ContactRecord a = contact(1, Outcome::Abandoned, 300, false);
  a.via_bot = true;
  // Phone: waits 80 s (1 min past 20 s), answered, not solved, tells the story again.
  ContactRecord b = contact(0, Outcome::Answered, 80, false);
  b.repeated_info = true;
  j.contacts = {a, b};
  const JourneyToll t = journeyToll(j, s);
  CHECK(t.contacts == doctest::Approx(0.2));
  CHECK(t.waiting == doctest::Approx(0.05 * 5));
  CHECK(t.unresolved == doctest::Approx(0.2));
  CHECK(t.bot == doctest::Approx(0.1));
  CHECK(t.repeated == doctest::Approx(0.05));
  CHECK(t.switched == doctest::Approx(0.05));
  CHECK(t.total == doctest::Approx(0.85 - 0.05).epsilon(1e-9));  // capped at 0.8
  CHECK(t.uncapped == doctest::Approx(0.85));

  // Waiting is capped at 0.3; a solved contact costs only its count.
  Journey calm;
  calm.contacts = {contact(0, Outcome::Answered, 0, true)};
  CHECK(journeyToll(calm, s).total == doctest::Approx(0.1));
  Journey long_wait;
  long_wait.contacts = {contact(0, Outcome::Abandoned, 3600, false)};
  CHECK(journeyToll(long_wait, s).waiting == doctest::Approx(0.3));
}

TEST_CASE("journey persona: mood falls by the toll, patience with it, the story is told") {
  const Scenario s = twoChannels();
  Persona base;
  base.name = "Grace";
  base.mood = 0.6;
  base.patience_s = 30;
  base.leaves_below = 0.05;
  base.history = "Her delivery is late.";
  Journey j;
  j.contacts = {contact(0, Outcome::Answered, 80, false)};  // 0.1 + 0.05 + 0.1
  const Persona p = personaFromJourney(base, j, s);
  CHECK(p.mood == doctest::Approx(0.35));
  CHECK(p.patience_s == doctest::Approx(30 * 0.35 / 0.6));
  CHECK(p.name == "Grace");
  CHECK(p.history.rfind("Her delivery is late. Their contacts so far", 0) == 0);
  CHECK(p.history.find("phone day 1 00:00 · waited 1 min 20 s · answered, not solved") !=
        std::string::npos);
  // Never below the point where the customer would leave before a word is said.
  Journey worst;
  worst.contacts.assign(6, contact(1, Outcome::Abandoned, 3600, false));
  CHECK(personaFromJourney(base, worst, s).mood == doctest::Approx(0.10));
}

TEST_CASE("journey persona: a run's unresolved cases, hardest first, the same for a seed") {
  const Scenario s =
      loadScenario(sourcePath("scenarios/examples/shared_context.toml"), {"scenario.days=1"});
  const std::vector<Journey> a = unresolvedJourneys(s, 5);
  const std::vector<Journey> b = unresolvedJourneys(s, 5);
  REQUIRE(a.size() > 100);
  REQUIRE(a.size() == b.size());
  bool several_contacts = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].case_id == b[i].case_id);
    CHECK_FALSE(a[i].resolved());
    for (const ContactRecord& r : a[i].contacts) CHECK(r.case_id == a[i].case_id);
    several_contacts = several_contacts || a[i].contacts.size() > 1;
    if (i > 0) CHECK(journeyToll(a[i - 1], s).uncapped >= journeyToll(a[i], s).uncapped);
  }
  CHECK(several_contacts);
  // Ordered by contact number within a case.
  for (const ContactRecord& r : a.front().contacts) CHECK(r.contact_number >= 1);
  for (std::size_t k = 1; k < a.front().contacts.size(); ++k)
    CHECK(a.front().contacts[k].contact_number == a.front().contacts[k - 1].contact_number + 1);
}
