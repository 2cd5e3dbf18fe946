// Channel mechanics beyond the voice queue: chat concurrency (k chats per agent, handle time
// growing with the load), silent abandonment, email as a backlog worked after the synchronous
// queues and carried to the next day, and messaging as a public channel.
#include <doctest/doctest.h>

#include <cmath>
#include <map>

#include "sim/analytic.hpp"
#include "sim/engine.hpp"
#include "sim/experiment.hpp"
#include "sim/metrics.hpp"
#include "test_support.hpp"

using namespace cx;
using namespace cx::test;

namespace {

std::vector<ContactRecord> records(const Scenario& s, std::uint64_t seed, std::uint32_t rep = 0) {
  Recorder rec;
  Simulation sim(s, seed, rep);
  sim.run(rec);
  return rec.contacts;
}

ExperimentResult simulate(const Scenario& s, int reps, std::uint64_t seed = 1) {
  ExperimentOptions opt;
  opt.seed = seed;
  opt.replications = reps;
  return runExperiment(s, opt);
}

// One chat channel with `agents` agents holding up to `k` chats each.
Scenario chatQueue(double per_hour, double aht_s, int agents, int k, std::vector<double> curve,
                   std::optional<DistSpec> patience, double hours) {
  Scenario s = singleQueue(per_hour, DistSpec::exponential(aht_s), agents, patience, hours);
  s.channels[0].id = "chat";
  s.channels[0].kind = ChannelKind::Chat;
  s.channels[0].concurrency = k;
  s.channels[0].concurrency_slowdown = std::move(curve);
  return s;
}

}  // namespace

TEST_CASE("chat: concurrency 1 is the voice queue, record for record") {
  const Scenario voice =
      singleQueue(110, DistSpec::lognormal(300, 1.2), 9, DistSpec::exponential(240), 200);
  Scenario chat = voice;
  chat.channels[0].kind = ChannelKind::Chat;
  chat.channels[0].concurrency = 1;
  REQUIRE(validateScenario(chat).empty());
  const auto a = records(voice, 4), b = records(chat, 4);
  REQUIRE(a.size() == b.size());
  REQUIRE(a.size() > 10000);
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK((a[i].outcome == b[i].outcome));
    CHECK(a[i].wait_s == b[i].wait_s);
    CHECK(a[i].handle_s == b[i].handle_s);
  }
}

TEST_CASE("chat: k chats per agent without slowdown is an M/M/kN queue (Erlang C)") {
  // 4 agents × 3 chats = 12 servers; 60 chats/h of 10 min = 10 erlangs.
  const Scenario s = chatQueue(60, 600, 4, 3, {1.0, 1.0, 1.0}, std::nullopt, 3000);
  REQUIRE(validateScenario(s).empty());
  const ExperimentResult r = simulate(s, 12);
  const auto exact = analytic::erlangC(60.0 / 3600, 600, 12, 60);
  checkAgainst(est(r.overall, Metric::PWait), exact.p_wait, 0.02, "P(wait), 12 chat slots");
  checkAgainst(est(r.overall, Metric::WaitAllS), exact.wait_all_s, 8.0, "mean wait");
  // Occupancy counts chat slots in use: 10 of 12.
  checkAgainst(est(r.overall, Metric::Occupancy), exact.occupancy, 0.01, "slot occupancy");
  checkAgainst(est(r.channels[0], Metric::Occupancy), exact.occupancy, 0.01, "channel occupancy");
  // The same agents one chat at a time would be hopelessly overloaded (10 erlangs on 4).
  CHECK(exact.occupancy == doctest::Approx(10.0 / 12.0));
}

TEST_CASE("chat: the default slowdown curve gives the documented effective capacity") {
  // Saturated: chats pour in and wait (patience 2 min), so every agent holds k chats all the
  // time and each new chat is picked up as the k-th: k / (AHT · f(k)) chats per agent-second,
  // i.e. capacity(k) = 1 / 1.7 / 2.5 / 2.9 / 3.5 times one chat at a time.
  const double capacity[] = {1.0, 1.7, 2.5, 2.9, 3.5};
  for (int k = 1; k <= 5; ++k) {
    CAPTURE(k);
    Scenario s = chatQueue(400, 600, 5, k, defaultChatSlowdown(k), DistSpec::exponential(120), 400);
    if (k == 1) s.channels[0].concurrency_slowdown.clear();
    REQUIRE(validateScenario(s).empty());
    const ExperimentResult r = simulate(s, 6);
    const Estimate& answered = est(r.overall, Metric::Answered);
    const double per_hour = answered.mean / 400.0;
    const double expected = 5 * capacity[k - 1] * 3600.0 / 600.0;
    INFO("answered per hour " << per_hour << " ± " << answered.ci95 / 400.0 << ", expected "
                              << expected);
    // Within 4 standard errors, and the estimate tight enough to tell 2.5 from 2.9.
    CHECK(std::fabs(per_hour - expected) <= 4 * standardError(answered) / 400.0 + 0.002 * expected);
    CHECK(answered.ci95 / 400.0 < 0.02 * expected);
    CHECK(value(r.overall, Metric::Occupancy) > 0.995);  // every slot in use
  }
}

TEST_CASE("chat: silent abandoners stay in the queue until an agent finds them gone") {
  Scenario base =
      chatQueue(100, 400, 3, 2, defaultChatSlowdown(2), DistSpec::exponential(150), 300);
  Scenario silent = base;
  silent.channels[0].silent_abandon = 0.7;
  silent.channels[0].silent_discovery_s = 90;
  REQUIRE(validateScenario(silent).empty());

  // The share of abandoners who leave without a word is the configured one (binomial CI).
  const auto recs = records(silent, 3);
  double abandoned = 0, quiet = 0;
  for (const ContactRecord& r : recs) {
    if (r.outcome != Outcome::Abandoned) {
      CHECK_FALSE(r.silent);
      continue;
    }
    abandoned += 1;
    quiet += r.silent;
  }
  REQUIRE(abandoned > 2000);
  const double share = quiet / abandoned;
  CHECK(std::fabs(share - 0.7) < 4 * std::sqrt(0.7 * 0.3 / abandoned));

  // Same customers (common random numbers): the ghosts take agents' time, so the others wait
  // longer and more of them give up; the silent ones are counted apart.
  const ExperimentResult a = simulate(base, 8), b = simulate(silent, 8);
  CHECK(value(a.overall, Metric::Offered) == value(b.overall, Metric::Offered));
  CHECK(value(b.overall, Metric::AsaS) > value(a.overall, Metric::AsaS) +
                                             est(a.overall, Metric::AsaS).ci95 +
                                             est(b.overall, Metric::AsaS).ci95);
  CHECK(value(b.overall, Metric::AbandonRate) > value(a.overall, Metric::AbandonRate));
  CHECK(std::isnan(value(a.overall, Metric::SilentAbandoned)));
  CHECK(value(b.overall, Metric::SilentAbandoned) ==
        doctest::Approx(0.7 * value(b.overall, Metric::Abandoned)).epsilon(0.05));
  // A share of 0 is no silent abandonment at all.
  Scenario zero = silent;
  zero.channels[0].silent_abandon = 0.0;
  const ExperimentResult z = simulate(zero, 8);
  CHECK(value(z.overall, Metric::AsaS) == value(a.overall, Metric::AsaS));
}

namespace {

// A day of phone and email: the phone's morning peak, then a quiet afternoon; email comes in
// all day. One blended team serves both.
Scenario blendedDay(std::vector<std::string> skills, int days) {
  Scenario s;
  s.name = "blended";
  s.days = days;
  s.open_s = 8 * 3600;
  s.interval_minutes = 60;
  ChannelSpec phone;
  phone.id = "phone";
  phone.arrivals.per_hour = {150, 150, 150, 150, 20, 20, 20, 20};
  phone.handle_time = DistSpec::exponential(240);
  phone.patience = DistSpec::exponential(300);
  ChannelSpec email;
  email.id = "email";
  email.kind = ChannelKind::Email;
  email.arrivals.per_hour = {30};
  email.handle_time = DistSpec::lognormal(480, 0.8);
  email.service_level.threshold_s = 4 * 3600;
  s.channels = {phone, email};
  AgentGroupSpec team;
  team.id = "team";
  team.channels = std::move(skills);
  team.agents = {10};
  s.agent_groups = {team};
  return s;
}

}  // namespace

TEST_CASE("email: worked only when no call waits, whatever the order of the skills") {
  const Scenario email_first = blendedDay({"email", "phone"}, 3);
  const Scenario phone_first = blendedDay({"phone", "email"}, 3);
  REQUIRE(validateScenario(email_first).empty());
  const auto a = records(email_first, 8), b = records(phone_first, 8);
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].wait_s == b[i].wait_s);
    CHECK((a[i].outcome == b[i].outcome));
  }
}

TEST_CASE("email: the backlog builds in the peak, is worked down after it, and waits overnight") {
  const Scenario s = blendedDay({"phone", "email"}, 3);
  const auto recs = records(s, 5);
  std::map<std::uint32_t, double> email_done_by_interval;  // replies sent, by hour of the day
  double offered = 0, answered = 0, open = 0, abandoned = 0, overnight = 0;
  for (const ContactRecord& r : recs) {
    if (r.channel == 0) {
      if (r.outcome == Outcome::Answered) CHECK(r.response_s == r.wait_s);  // the answer
      CHECK_FALSE(r.open_at_end);
      continue;
    }
    offered += 1;
    if (r.open_at_end) {
      open += 1;
      CHECK((r.outcome == Outcome::Abandoned));  // the engine's outcome; metrics count it apart
      continue;
    }
    if (r.outcome != Outcome::Answered) {
      abandoned += 1;
      continue;
    }
    answered += 1;
    // The first response to an email is the reply: the wait plus the agent's work on it.
    CHECK(r.response_s == doctest::Approx(r.wait_s + r.handle_s));
    const double reply = r.arrival_s + r.wait_s + r.handle_s;
    const double day_end = r.day * 86400.0 + s.open_s + 8 * 3600.0;
    if (reply > day_end) overnight += 1;
    const auto hour = static_cast<std::uint32_t>(std::fmod(reply, 86400.0) / 3600.0);
    email_done_by_interval[hour] += 1;
  }
  CHECK(abandoned == 0);  // no patience: email customers wait for the reply
  CHECK(offered == answered + open);
  CHECK(overnight > 0);  // some of a day's emails are answered the next morning or later
  // Fewer replies go out in the phone peak (08–12: only when no call waits, and the night's
  // backlog at opening) than in the quiet afternoon.
  double peak = 0, quiet = 0;
  for (const auto& [hour, n] : email_done_by_interval) (hour < 12 ? peak : quiet) += n;
  CHECK(peak < 0.5 * quiet);

  // The metrics: frt_s is the mean reply time, the unanswered at the end are neither answered
  // nor abandoned, and the phone has no frt.
  const ExperimentResult r = simulate(s, 4);
  const MetricEstimates& email = r.channels[1];
  CHECK(value(email, Metric::Offered) ==
        doctest::Approx(value(email, Metric::Answered) + value(email, Metric::OpenAtEnd)));
  CHECK(value(email, Metric::Abandoned) == 0);
  CHECK(value(email, Metric::FrtS) > 1800);  // the backlog: half an hour and more, not seconds
  CHECK(std::isnan(value(r.channels[0], Metric::FrtS)));
  CHECK(std::isnan(value(r.channels[0], Metric::OpenAtEnd)));
}

TEST_CASE("email: frt_s is the mean of the replies' times and sets the service level") {
  // Continuous, plenty of agents on email only: every email is answered, none open.
  Scenario s = singleQueue(40, DistSpec::lognormal(600, 0.5), 3, std::nullopt, 100, 0);
  s.channels[0].kind = ChannelKind::Email;
  s.channels[0].service_level.threshold_s = 900;  // a reply within 15 minutes
  Recorder rec;
  Monitor monitor(s);
  struct Both final : SimObserver {
    Recorder& a;
    Monitor& b;
    Both(Recorder& r, Monitor& m) : a(r), b(m) {}
    void onContact(const ContactRecord& r) override {
      a.onContact(r);
      b.onContact(r);
    }
    void onInterval(const IntervalSample& x) override { b.onInterval(x); }
    void onGroupInterval(const GroupSample& x) override { b.onGroupInterval(x); }
  } both(rec, monitor);
  Simulation sim(s, 2, 0);
  sim.run(both);
  double sum = 0, n = 0, within = 0;
  for (const ContactRecord& r : rec.contacts) {
    REQUIRE((r.outcome == Outcome::Answered));
    sum += r.response_s;
    n += 1;
    within += r.response_s <= 900;
  }
  const ReplicationMetrics m = monitor.metrics();
  const auto at = [&](Metric x) { return m.overall[static_cast<std::size_t>(x)]; };
  CHECK(at(Metric::FrtS) == doctest::Approx(sum / n));
  CHECK(at(Metric::FrtS) > at(Metric::AsaS) + 500);  // the reply includes the work on it
  CHECK(at(Metric::ServiceLevel) == doctest::Approx(within / n));
  CHECK(at(Metric::OpenAtEnd) == 0);
}

TEST_CASE("messaging: the same bad cases reach more people than on a private channel") {
  // One channel, identical dynamics (continuous form: messaging differs from chat only in
  // being asynchronous and public); unresolved and abandoned cases are bad experiences.
  Scenario chat = singleQueue(90, DistSpec::exponential(400), 10, DistSpec::exponential(200), 200);
  chat.channels[0].kind = ChannelKind::Chat;
  IntentSpec in;
  in.id = "any";
  in.fcr = 0.7;
  in.share = {{"phone", 1.0}};
  chat.intents = {in};
  OutcomesSpec o;
  o.customers = 50000;
  chat.outcomes = o;
  Scenario messaging = chat;
  messaging.channels[0].kind = ChannelKind::Messaging;
  REQUIRE(validateScenario(messaging).empty());
  const ExperimentResult a = simulate(chat, 3), b = simulate(messaging, 3);
  CHECK(value(a.overall, Metric::Churned) == doctest::Approx(value(b.overall, Metric::Churned)));
  const double factor =
      value(b.overall, Metric::WomNegative) / value(a.overall, Metric::WomNegative);
  CHECK(factor == doctest::Approx(3.0));  // customers.wom_public_factor in data/calibration.toml
}

TEST_CASE("chat: when staffing drops, agents holding chats finish them and go, taking no new") {
  Scenario s;
  s.name = "chat drop";
  s.days = 20;
  s.open_s = 8 * 3600;
  s.interval_minutes = 60;
  ChannelSpec chat;
  chat.id = "chat";
  chat.kind = ChannelKind::Chat;
  chat.concurrency = 3;
  chat.concurrency_slowdown = defaultChatSlowdown(3);
  chat.agents = {6, 2, 6, 2};
  chat.arrivals.per_hour = {60};
  chat.handle_time = DistSpec::exponential(600);
  chat.patience = DistSpec::exponential(300);
  s.channels = {chat};
  REQUIRE(validateScenario(s).empty());
  const ExperimentResult r = simulate(s, 4);
  for (std::size_t k = 0; k < 4; ++k) {
    CAPTURE(k);
    const double agents = value(r.intervals[k], Metric::AgentsMean);
    if (k % 2 == 0) {
      CHECK(agents == doctest::Approx(6.0));
    } else {
      // The 4 going home stay only until their chats end (10-minute chats, 12 at most).
      CHECK(agents > 2.2);
      CHECK(agents < 3.5);
    }
  }
  const MetricEstimates& all = r.overall;
  CHECK(value(all, Metric::Offered) ==
        doctest::Approx(value(all, Metric::Answered) + value(all, Metric::Abandoned)));
  CHECK(value(all, Metric::Occupancy) <= 1.0);
}
