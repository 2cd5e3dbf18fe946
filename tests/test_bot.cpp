// Contact reasons (intents) and the AI assistant (bot): checked against exact results —
// containment thins a Poisson stream (the escalated contacts are still Poisson after the bot's
// infinite-server delay, so the agent queue is M/M/N with the thinned rate), the loop's
// give-ups follow the geometric law, shares and handle factors mix as they should.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "sim/analytic.hpp"
#include "sim/engine.hpp"
#include "sim/experiment.hpp"
#include "test_support.hpp"

using namespace cx;
using namespace cx::test;

namespace {

BotSpec botOn(std::vector<std::string> channels, double containment) {
  BotSpec b;
  b.channels = std::move(channels);
  b.conversation = DistSpec::exponential(60);
  b.containment = containment;
  return b;
}

ExperimentResult simulate(const Scenario& s, int reps, std::uint64_t seed = 3) {
  ExperimentOptions opt;
  opt.seed = seed;
  opt.replications = reps;
  return runExperiment(s, opt);
}

// Collects records for exact per-contact checks.
}  // namespace

TEST_CASE("bot: containment thins the stream; the agents see M/M/N at the escalated rate") {
  // 600/h, 40% contained: agents get 360/h × 240 s = 24 erlangs on 27 agents.
  Scenario s = singleQueue(600, DistSpec::exponential(240), 27, std::nullopt, 40);
  s.bot = botOn({"phone"}, 0.4);
  REQUIRE(validateScenario(s).empty());
  const ExperimentResult r = simulate(s, 12);
  const analytic::QueueResult exact = analytic::erlangC(360.0 / 3600.0, 240, 27, 20);
  const auto& o = r.overall;
  checkAgainst(est(o, Metric::BotContainment), 0.4, 0.01, "containment");
  checkAgainst(est(o, Metric::PWait), exact.p_wait, 0.05, "P(wait) of escalated contacts");
  checkAgainst(est(o, Metric::AsaS), exact.asa_s, 5.0, "ASA of escalated contacts");
  checkAgainst(est(o, Metric::Occupancy), exact.occupancy, 0.02, "occupancy");
  CHECK(value(o, Metric::Deflected) + value(o, Metric::Answered) ==
        doctest::Approx(value(o, Metric::Offered)));
  // Without intents nobody's resolution is modelled.
  CHECK(std::isnan(value(o, Metric::Fcr)));
}

TEST_CASE("bot: containment 0, no loop, warm and instant gives the queue of no bot, same seed") {
  // A plain Erlang A queue (600/h, AHT 240 s, 45 agents, patience 120 s), with and without a
  // bot that contains nobody, never loops, escalates warm and talks for the shortest time the
  // validator accepts. The bot draws only from its own streams (bot/phone, bot-time/phone) and
  // every customer draws handle time and patience on arrival whether or not a bot is there,
  // so the customers are the same; the bot must change nothing the agents see.
  const Scenario plain =
      singleQueue(600, DistSpec::exponential(240), 45, DistSpec::exponential(120), 20);
  auto withBot = [&](double conversation_s) {
    Scenario s = plain;
    BotSpec b = botOn({"phone"}, 0.0);
    b.conversation = DistSpec::deterministic(conversation_s);
    b.loop_turns = 0;
    b.cold = false;
    s.bot = b;
    REQUIRE(validateScenario(s).empty());
    return s;
  };
  const std::vector<Metric> queue = {Metric::Offered,      Metric::Answered,  Metric::Abandoned,
                                     Metric::ServiceLevel, Metric::AsaS,      Metric::AbandonRate,
                                     Metric::AhtS,         Metric::Occupancy, Metric::PWait,
                                     Metric::WaitAllS};
  const ExperimentResult none = simulate(plain, 4, 11);
  auto at = [](const ReplicationMetrics& r, Metric m) {
    return r.overall[static_cast<std::size_t>(m)];
  };

  SUBCASE("the smallest conversation time: the same run, bit for bit") {
    // The smallest positive double: the conversation ends at the very clock value it began,
    // before any other event, so the agents' queue is the same event for event.
    const double eps = std::numeric_limits<double>::denorm_min();
    const ExperimentResult bot = simulate(withBot(eps), 4, 11);
    CHECK(value(bot.overall, Metric::BotContainment) == 0.0);
    for (std::size_t r = 0; r < none.reps.size(); ++r)
      for (Metric m : queue) {
        INFO("rep " << r << " " << metricInfo(m).name);
        CHECK(at(bot.reps[r], m) == at(none.reps[r], m));
      }
  }

  SUBCASE("a 1-second conversation shifts the agents' queue by 1 s and changes nothing else") {
    // Every customer reaches the agents exactly 1 s after arriving, and nothing on the agents'
    // side depends on the clock here (constant staffing): the queue is the same process moved
    // 1 s later. Contacts are measured by arrival, so the same ones are counted, with the same
    // waits and handle times (up to the rounding of t + 1, ~1e-11 s). Only the time
    // integrals over the measured window shift: occupancy's busy time gains at most the 1 s
    // before the window and loses at most the last 1 s in it, for each of the N agents, over
    // N agents × the horizon, so |Δ occupancy| <= 1 s / horizon.
    const double shift = 1.0, horizon_s = plain.horizon_hours * 3600.0;
    const ExperimentResult bot = simulate(withBot(shift), 4, 11);
    for (std::size_t r = 0; r < none.reps.size(); ++r)
      for (Metric m : queue) {
        INFO("rep " << r << " " << metricInfo(m).name << ": bot " << at(bot.reps[r], m) << ", none "
                    << at(none.reps[r], m));
        const double a = at(bot.reps[r], m), b = at(none.reps[r], m);
        if (metricInfo(m).is_count) {
          CHECK(a == b);
        } else if (m == Metric::Occupancy) {
          CHECK(std::fabs(a - b) <= shift / horizon_s + 1e-12);
        } else {
          CHECK(a == doctest::Approx(b).epsilon(1e-9));
        }
      }
    // The check can fail: a bot that cost the agents anything (here: 1% longer calls) moves
    // these figures by far more than the tolerance.
    Scenario harder = withBot(shift);
    harder.bot->escalated_handle_factor = 1.01;
    const ExperimentResult h = simulate(harder, 4, 11);
    CHECK(std::fabs(value(h.overall, Metric::Occupancy) - value(none.overall, Metric::Occupancy)) >
          10 * shift / horizon_s);
  }
}

TEST_CASE("bot: the loop loses a share p of those left at each turn, and costs their time") {
  Scenario s = singleQueue(300, DistSpec::exponential(200), 30, std::nullopt, 20);
  BotSpec b = botOn({"phone"}, 0.0);
  b.conversation = DistSpec::deterministic(45);
  b.loop_turns = 3;
  b.turn_s = 20;
  b.loop_abandon = 0.2;
  s.bot = b;
  Recorder rec;
  Simulation(s, 4, 0).run(rec);
  double gave_up = 0, escalated = 0;
  for (const ContactRecord& c : rec.contacts) {
    CHECK(c.via_bot);
    if (!c.reached_agents) {
      gave_up += 1;
      CHECK((c.outcome == Outcome::Abandoned));
      CHECK(c.wait_s == 0.0);
      // Left at turn k: 45 s + k × 20 s with the bot.
      const double k = (c.bot_s - 45) / 20;
      CHECK(k == doctest::Approx(std::round(k)));
      CHECK(k >= 1);
      CHECK(k <= 3);
    } else {
      escalated += 1;
      CHECK(c.bot_s == doctest::Approx(45 + 3 * 20));
    }
  }
  const double n = gave_up + escalated;
  const double p = 1 - std::pow(0.8, 3);  // 0.488
  CHECK(n > 5000);
  CHECK(std::fabs(gave_up / n - p) < 4 * std::sqrt(p * (1 - p) / n));
}

TEST_CASE("bot: cold escalation and the harder mix lengthen the agents' handle time") {
  Scenario s = singleQueue(200, DistSpec::exponential(300), 40, std::nullopt, 30);
  BotSpec b = botOn({"phone"}, 0.3);
  b.cold = true;
  b.cold_handle_factor = 1.25;
  b.escalated_handle_factor = 1.1;
  s.bot = b;
  const ExperimentResult r = simulate(s, 8);
  checkAgainst(est(r.overall, Metric::AhtS), 300 * 1.25 * 1.1, 8.0, "AHT after a cold escalation");
  b.cold = false;
  s.bot = b;
  const ExperimentResult warm = simulate(s, 8);
  checkAgainst(est(warm.overall, Metric::AhtS), 300 * 1.1, 8.0, "AHT after a warm escalation");
}

TEST_CASE("intents: shares split arrivals, handle factors mix, FCR and containment per intent") {
  Scenario s = singleQueue(400, DistSpec::exponential(240), 40, std::nullopt, 30);
  ChannelSpec chat = s.channels[0];
  chat.id = "chat";
  chat.kind = ChannelKind::Chat;
  s.channels.push_back(chat);
  IntentSpec status, fault;
  status.id = "order_status";
  status.handle_factor = 0.5;
  status.fcr = 0.9;
  status.bot_containment = 0.6;
  status.share = {{"phone", 0.25}, {"chat", 0.5}};
  fault.id = "fault";
  fault.complexity = Complexity::Complex;
  fault.handle_factor = 1.5;
  fault.fcr = 0.5;
  fault.share = {{"phone", 0.75}, {"chat", 0.5}};
  s.intents = {status, fault};
  s.bot = botOn({"chat"}, 0.1);  // `fault` has no containment of its own: 0.1
  REQUIRE(validateScenario(s).empty());

  Recorder rec;
  Simulation(s, 8, 0).run(rec);
  double phone = 0, phone_status = 0;
  for (const ContactRecord& c : rec.contacts) {
    REQUIRE(c.intent < 2);
    CHECK(c.via_bot == (c.channel == 1));
    if (c.channel == 0) {
      phone += 1;
      phone_status += c.intent == 0;
    }
    if (c.outcome == Outcome::Deflected) CHECK(c.resolved);  // no false containment
  }
  CHECK(std::fabs(phone_status / phone - 0.25) < 4 * std::sqrt(0.25 * 0.75 / phone));

  const ExperimentResult r = simulate(s, 10);
  const auto& ph = r.channels[0];
  const auto& ch = r.channels[1];
  // Phone: no bot. AHT = (0.25·0.5 + 0.75·1.5)·240 = 300 s; FCR = 0.25·0.9 + 0.75·0.5 = 0.6.
  checkAgainst(est(ph, Metric::AhtS), 300, 6.0, "phone AHT");
  checkAgainst(est(ph, Metric::Fcr), 0.6, 0.02, "phone FCR");
  CHECK(std::isnan(value(ph, Metric::Deflected)));
  // Chat: containment 0.5·0.6 + 0.5·0.1 = 0.35. Escalated: status 0.5·0.4 = 0.2 and fault
  // 0.5·0.9 = 0.45 of arrivals, so AHT = (0.2·120 + 0.45·360) / 0.65 = 286.15 s; resolved
  // among handled (everyone: no patience) = 0.35 [contained] + 0.2·0.9 + 0.45·0.5 = 0.755.
  checkAgainst(est(ch, Metric::BotContainment), 0.35, 0.02, "chat containment");
  checkAgainst(est(ch, Metric::AhtS), (0.2 * 120 + 0.45 * 360) / 0.65, 6.0, "chat AHT");
  checkAgainst(est(ch, Metric::Fcr), 0.755, 0.02, "chat FCR");
}

TEST_CASE("bot: false containment marks deflected contacts unresolved; conversations cost") {
  Scenario s = singleQueue(300, DistSpec::exponential(240), 25, std::nullopt, 20);
  IntentSpec any;
  any.id = "any";
  any.fcr = 1.0;
  any.share = {{"phone", 1.0}};
  s.intents = {any};
  BotSpec b = botOn({"phone"}, 0.5);
  b.false_containment = 0.3;
  b.cost_per_conversation = 0.5;
  s.bot = b;
  s.costs = CostSpec{30, 0.0, {}};
  const ExperimentResult r = simulate(s, 8);
  // Handled = everyone (no patience); resolved = 0.5 (agents, FCR 1) + 0.5·0.7 (bot).
  checkAgainst(est(r.overall, Metric::Fcr), 0.85, 0.02, "FCR with false containment");
  const double cost = value(r.overall, Metric::CostTotal);
  const double agents_cost = 25 * 30 * value(r.overall, Metric::AgentsMean) / 25 * 20;
  CHECK(cost ==
        doctest::Approx(agents_cost + 0.5 * value(r.overall, Metric::Offered)).epsilon(0.01));
  CHECK(value(r.overall, Metric::CostPerContact) ==
        doctest::Approx(cost / value(r.overall, Metric::Offered)).epsilon(0.01));
}

TEST_CASE("bot and intents: the rules name every bad value") {
  Scenario s = singleQueue(100, DistSpec::exponential(240), 5, std::nullopt, 5);
  IntentSpec a;
  a.id = "a";
  a.fcr = 1.5;
  a.share = {{"phone", 0.5}, {"email", 0.2}};
  s.intents = {a, a};  // phone: 0.5 + 0.5, so the shares add up; the ids repeat
  BotSpec b = botOn({"phone", "fax"}, 2.0);
  b.loop_turns = -1;
  b.cost_per_conversation = 1.0;
  s.bot = b;
  std::vector<std::string> keys;
  for (const Diagnostic& d : validateScenario(s)) keys.push_back(d.key);
  const std::vector<std::string> expected = {
      "intents[0].fcr",  "intents[0].share.email", "intents[1].id",
      "intents[1].fcr",  "intents[1].share.email", "bot.channels[1]",
      "bot.containment", "bot.loop_turns",         "bot.cost_per_conversation"};
  for (const auto& k : keys) INFO(k);
  CHECK(keys.size() == expected.size());
  for (std::size_t i = 0; i < std::min(keys.size(), expected.size()); ++i)
    CHECK(keys[i] == expected[i]);
}

TEST_CASE("bot: at closing the agents wait for customers still talking to the bot") {
  Scenario s;
  s.name = "late escalations";
  s.days = 2;
  s.open_s = 9 * 3600;
  s.interval_minutes = 60;
  s.channels = {singleQueue(60, DistSpec::exponential(120), 3, std::nullopt, 1).channels[0]};
  s.channels[0].arrivals.per_hour = {60, 60};
  BotSpec b = botOn({"phone"}, 0.0);
  b.conversation = DistSpec::deterministic(900);  // arrivals after 1:45 escalate after closing
  s.bot = b;
  REQUIRE(validateScenario(s).empty());
  Recorder rec;
  Simulation(s, 2, 0).run(rec);
  CHECK(rec.contacts.size() > 150);
  double after_close = 0;
  for (const ContactRecord& c : rec.contacts) {
    CHECK((c.outcome == Outcome::Answered));  // no patience: everyone is served
    const double close = (c.day * 24 + 11) * 3600.0;
    if (c.arrival_s + c.bot_s > close) after_close += 1;
  }
  CHECK(after_close > 10);
}
