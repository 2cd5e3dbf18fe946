// The engine's mechanics: the event calendar, random streams, samplers, staffing changes,
// warm-up, determinism and bounded memory. Statistical validation against queueing theory is
// in test_validation.cpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include "sim/distributions.hpp"
#include "sim/engine.hpp"
#include "sim/event_queue.hpp"
#include "sim/experiment.hpp"
#include "sim/metrics.hpp"
#include "sim/rng.hpp"
#include "test_support.hpp"

using namespace cx;
using namespace cx::test;

namespace {

// Keeps every record and sample of a run.
struct SampleRecorder final : SimObserver {
  std::vector<ContactRecord> contacts;
  std::vector<IntervalSample> samples;
  std::vector<GroupSample> group_samples;
  void onContact(const ContactRecord& r) override { contacts.push_back(r); }
  void onInterval(const IntervalSample& s) override { samples.push_back(s); }
  void onGroupInterval(const GroupSample& s) override { group_samples.push_back(s); }
};

// FNV-1a over the bytes of each record's fields: a fingerprint of a run.
struct Hasher final : SimObserver {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  std::uint64_t n = 0;
  template <typename T>
  void mix(const T& x) {
    const auto* p = reinterpret_cast<const unsigned char*>(&x);
    for (std::size_t i = 0; i < sizeof(T); ++i) h = (h ^ p[i]) * 0x100000001B3ULL;
  }
  void onContact(const ContactRecord& r) override {
    ++n;
    mix(r.id), mix(r.channel), mix(r.group), mix(r.interval), mix(r.day), mix(r.outcome),
        mix(r.waited);
    mix(r.arrival_s), mix(r.wait_s), mix(r.handle_s);
  }
  void onInterval(const IntervalSample& s) override {
    mix(s.slot), mix(s.duration_s), mix(s.busy_agent_s), mix(s.queue_contact_s);
  }
  void onGroupInterval(const GroupSample& s) override {
    mix(s.group), mix(s.slot), mix(s.busy_agent_s), mix(s.staffed_agent_s);
  }
};

Scenario twoChannelDay() {
  Scenario s;
  s.name = "two channels";
  s.days = 3;
  s.open_s = 8 * 3600;
  s.interval_minutes = 60;
  ChannelSpec phone;
  phone.id = "phone";
  phone.agents = {10, 14, 12};
  phone.arrivals.per_hour = {100, 180, 120};
  phone.arrivals.busyness_alpha = 40;
  phone.handle_time = DistSpec::lognormal(240, 1.1);
  phone.patience = DistSpec::exponential(300);
  phone.balk_probability = 0.05;
  ChannelSpec chat = phone;
  chat.id = "chat";
  chat.kind = ChannelKind::Chat;
  chat.agents = {5, 6, 5};
  chat.arrivals.per_hour = {40, 60, 50};
  chat.arrivals.busyness_alpha = 0;
  chat.handle_time = DistSpec::exponential(500);
  chat.patience = DistSpec::exponential(200);
  chat.service_level.threshold_s = 60;
  s.channels = {phone, chat};
  s.costs = CostSpec{28.0, 0.3, {}};
  return s;
}

}  // namespace

TEST_CASE("engine: event calendar orders by time, then priority, then scheduling order") {
  EventQueue q;
  q.push(5.0, 3, 1, 100);
  q.push(5.0, 1, 1, 101);
  q.push(2.0, 3, 1, 102);
  q.push(5.0, 1, 1, 103);
  q.push(5.0, 0, 1, 104);
  std::vector<std::uint32_t> order;
  while (!q.empty()) order.push_back(q.pop().target);
  CHECK(order == std::vector<std::uint32_t>{102, 104, 101, 103, 100});
}

TEST_CASE("engine: cancelled timers never fire and the calendar stays small") {
  EventQueue q;
  std::vector<TimerId> timers;
  for (std::uint32_t i = 0; i < 10000; ++i) timers.push_back(q.pushTimer(1.0 + i, 2, 7, i));
  for (std::uint32_t i = 0; i < 10000; ++i)
    if (i % 10 != 0) q.cancel(timers[i]);
  q.cancel(timers[1]);  // twice: no effect
  CHECK(q.size() == 1000);
  std::set<std::uint32_t> fired;
  while (!q.empty()) fired.insert(q.pop().target);
  CHECK(fired.size() == 1000);
  for (std::uint32_t t : fired) CHECK(t % 10 == 0);
  q.cancel(timers[0]);  // already fired: no effect
  CHECK(q.empty());

  // A steady stream of timers almost all cancelled: entries held stay bounded.
  EventQueue steady;
  double now = 0;
  for (int i = 0; i < 200000; ++i) {
    now += 1.0;
    TimerId t = steady.pushTimer(now + 1000.0, 2, 1, 0);
    steady.push(now + 0.5, 1, 2, 0);
    steady.pop();
    steady.cancel(t);
  }
  CHECK(steady.capacity() < 4096);
  CHECK(steady.timerSlots() < 16);
}

TEST_CASE("engine: random streams depend on seed, replication and purpose only") {
  Rng a(42, 3, "arrivals/phone"), b(42, 3, "arrivals/phone");
  for (int i = 0; i < 1000; ++i) REQUIRE(a.next() == b.next());
  std::set<std::uint64_t> firsts;
  for (auto [seed, rep, purpose] : {std::tuple{42, 3, "arrivals/phone"},
                                    {43, 3, "arrivals/phone"},
                                    {42, 4, "arrivals/phone"},
                                    {42, 3, "arrivals/chat"},
                                    {42, 3, "handle/phone"}})
    firsts.insert(Rng(seed, rep, purpose).next());
  CHECK(firsts.size() == 5);
  // Uniform draws are strictly inside (0, 1) and have the right mean and variance.
  Rng u(1, 0, "u");
  double sum = 0, sum2 = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double x = u.uniform();
    REQUIRE(x > 0.0);
    REQUIRE(x < 1.0);
    sum += x;
    sum2 += x * x;
  }
  CHECK(std::fabs(sum / n - 0.5) < 4 * std::sqrt(1.0 / 12 / n));
  CHECK(std::fabs(sum2 / n - 1.0 / 3) < 4 * std::sqrt(4.0 / 45 / n));
}

TEST_CASE("engine: samplers have the mean and coefficient of variation asked for") {
  struct Case {
    DistSpec spec;
    double cv;
  };
  DistSpec gamma_small;
  gamma_small.kind = DistSpec::Kind::Gamma;
  gamma_small.mean_s = 50;
  gamma_small.cv = 1.6;  // shape < 1
  DistSpec gamma_large = gamma_small;
  gamma_large.cv = 0.4;
  DistSpec empirical;
  empirical.kind = DistSpec::Kind::Empirical;
  empirical.values_s = {10, 20, 20, 70};
  empirical.mean_s = 30;
  const double empirical_cv = std::sqrt((400.0 + 100 + 100 + 1600) / 4) / 30;
  const std::vector<Case> cases = {{DistSpec::exponential(240), 1.0},
                                   {DistSpec::lognormal(300, 1.1), 1.1},
                                   {DistSpec::lognormal(60, 0.3), 0.3},
                                   {gamma_small, 1.6},
                                   {gamma_large, 0.4},
                                   {DistSpec::deterministic(90), 0.0},
                                   {empirical, empirical_cv}};
  for (const Case& c : cases) {
    Sampler s(c.spec);
    Rng rng(7, 0, "sampler");
    const int n = 400000;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; ++i) {
      const double x = s.sample(rng);
      REQUIRE(x >= 0.0);
      sum += x;
      sum2 += x * x;
    }
    const double mean = sum / n;
    const double sd = std::sqrt(std::max(0.0, sum2 / n - mean * mean));
    INFO("kind " << toString(c.spec.kind) << ": mean " << mean << " cv " << sd / mean);
    // Mean within 4 standard errors; CV within 3% (its sampling error here is below 1% for
    // all but the heavy lognormal, whose sample CV converges slowly).
    CHECK(std::fabs(mean - c.spec.mean_s) <= 4 * c.spec.mean_s * c.cv / std::sqrt(n) + 1e-9);
    CHECK(std::fabs(sd / mean - c.cv) <= 0.03 * std::max(c.cv, 0.1));
    CHECK(s.mean() == doctest::Approx(c.spec.mean_s));
  }
}

TEST_CASE("engine: an agent over a dropped staffing level finishes the contact first") {
  // Two agents for 10 minutes, then none; every contact takes 1000 s; the rest give up
  // after 60 s. The two answered contacts must be finished, and the agents stay on duty
  // (staffed) until they are.
  Scenario s =
      singleQueue(0, DistSpec::deterministic(1000), 0, DistSpec::deterministic(60), 20.0 / 60, 0);
  s.interval_minutes = 10;
  s.channels[0].agents = {2, 0};
  s.channels[0].arrivals.per_hour = {600, 0};
  SampleRecorder rec;
  Simulation sim(s, 11, 0);
  sim.run(rec);
  std::vector<double> answered_at;
  for (const auto& r : rec.contacts) {
    if (r.outcome == Outcome::Answered) {
      CHECK(r.handle_s == 1000.0);
      CHECK(r.arrival_s + r.wait_s < 600.0);
      answered_at.push_back(r.arrival_s + r.wait_s);
    } else {
      CHECK(std::string(toString(r.outcome)) ==
            "abandoned");  // (doctest would pick up cx::toString)
      CHECK(r.wait_s == doctest::Approx(60.0));
    }
  }
  REQUIRE(answered_at.size() == 2);
  CHECK(rec.contacts.size() > 50);
  double staffed_second = 0, busy_second = 0;
  for (const auto& smp : rec.group_samples)
    if (smp.interval == 1) {
      staffed_second += smp.staffed_agent_s;
      busy_second += smp.busy_agent_s;
      CHECK(smp.staffing == 0);
    }
  double expected = 0;  // busy time of the two finishing agents inside [600, 1200)
  for (double t : answered_at) expected += std::min(t + 1000.0, 1200.0) - 600.0;
  CHECK(staffed_second == doctest::Approx(expected));
  CHECK(busy_second == doctest::Approx(expected));
  // The run ends when the last of them finishes, or at the horizon (1200 s) if later.
  const double last_end = *std::max_element(answered_at.begin(), answered_at.end()) + 1000.0;
  CHECK(sim.stats().end_time_s == doctest::Approx(std::max(last_end, 1200.0)));
}

TEST_CASE("engine: only contacts arriving after the warm-up and before the horizon count") {
  Scenario s =
      singleQueue(600, DistSpec::exponential(240), 45, DistSpec::exponential(120), 3.0, 1.5);
  SampleRecorder rec;
  Simulation sim(s, 3, 0);
  sim.run(rec);
  REQUIRE(!rec.contacts.empty());
  for (const auto& r : rec.contacts) {
    REQUIRE(r.arrival_s >= 1.5 * 3600);
    REQUIRE(r.arrival_s < 4.5 * 3600);
  }
  double covered = 0;
  for (const auto& smp : rec.samples) {
    REQUIRE(smp.start_s >= 1.5 * 3600 - 1e-9);
    REQUIRE(smp.start_s + smp.duration_s <= 4.5 * 3600 + 1e-9);
    covered += smp.duration_s;
  }
  CHECK(covered == doctest::Approx(3.0 * 3600));
  // Offered count is Poisson(1800): within 4 sd.
  CHECK(std::fabs(static_cast<double>(rec.contacts.size()) - 1800) < 4 * std::sqrt(1800.0));
  CHECK(sim.stats().arrivals > rec.contacts.size());
}

TEST_CASE("engine: day form opens, closes and drains each day") {
  Scenario s = twoChannelDay();
  SampleRecorder rec;
  Simulation sim(s, 5, 0);
  sim.run(rec);
  std::set<std::uint32_t> days;
  for (const auto& r : rec.contacts) {
    const double tod = std::fmod(r.arrival_s, 86400.0);
    REQUIRE(tod >= 8 * 3600);
    REQUIRE(tod < 11 * 3600);
    REQUIRE(r.interval == static_cast<std::uint32_t>((tod - 8 * 3600) / 3600));
    REQUIRE(r.day == static_cast<std::uint32_t>(r.arrival_s / 86400));
    days.insert(r.day);
  }
  CHECK(days == std::set<std::uint32_t>{0, 1, 2});
  // Open-hours samples cover 3 hours a day per channel; the drains come on top.
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> open_time;
  for (const auto& smp : rec.samples)
    if (!smp.after_close) open_time[{smp.channel, smp.day}] += smp.duration_s;
  for (const auto& smp : rec.group_samples)
    if (!smp.after_close) open_time[{10 + smp.group, smp.day}] += smp.duration_s;
  CHECK(open_time.size() == 12);  // 2 channels and 2 groups, 3 days
  for (const auto& [key, t] : open_time) CHECK(t == doctest::Approx(3 * 3600.0));
}

TEST_CASE("engine: a fixed scenario and seed give a fixed fingerprint") {
  Hasher h1, h2;
  Simulation(twoChannelDay(), 2026, 0).run(h1);
  Simulation(twoChannelDay(), 2026, 0).run(h2);
  CHECK(h1.n > 1000);
  CHECK(h1.h == h2.h);
  // The fingerprint of this exact run. It changes when the model or its random-number use
  // changes; update it deliberately, saying why, in the same commit.
  CHECK(h1.h == 4648969681993565433ULL);
  Hasher other;
  Simulation(twoChannelDay(), 2027, 0).run(other);
  CHECK(other.h != h1.h);
}

TEST_CASE("engine: results are identical with 1 and 2 threads") {
  // Every mechanism on, so that every metric is exercised.
  Scenario s = twoChannelDay();
  IntentSpec easy, hard;
  easy.id = "easy";
  easy.share = {{"phone", 0.7}, {"chat", 0.4}, {"email", 1.0}};
  easy.bot_containment = 0.5;
  hard.id = "hard";
  hard.complexity = Complexity::Emotional;
  hard.handle_factor = 1.5;
  hard.fcr = 0.6;
  hard.share = {{"phone", 0.3}, {"chat", 0.6}};
  s.intents = {easy, hard};
  // Chats held two at a time, some leaving silently; an email backlog across the days.
  s.channels[1].concurrency = 2;
  s.channels[1].concurrency_slowdown = defaultChatSlowdown(2);
  s.channels[1].agents = {3, 4, 3};
  s.channels[1].silent_abandon = 0.7;
  ChannelSpec email = s.channels[0];
  email.id = "email";
  email.kind = ChannelKind::Email;
  email.agents = {2};
  email.arrivals.per_hour = {20, 40, 10};
  email.patience.reset();
  email.balk_probability = 0;
  email.service_level.threshold_s = 4 * 3600;
  s.channels.push_back(email);
  BotSpec bot;
  bot.channels = {"chat"};
  bot.conversation = DistSpec::lognormal(90, 0.8);
  bot.loop_turns = 2;
  bot.loop_abandon = 0.1;
  bot.cost_per_conversation = 0.4;
  s.bot = bot;
  JourneySpec j;
  j.retry_unresolved = 0.7;
  j.retry_abandoned = 0.5;
  j.delay = DistSpec::exponential(1800);
  j.switch_rows = {{"chat", {{"chat", 0.6}, {"phone", 0.4}}}};
  j.shared_context = false;
  j.repeat_handle_factor = 1.2;
  s.journeys = j;
  OutcomesSpec o;
  o.customers = 20000;
  s.outcomes = o;
  REQUIRE(validateScenario(s).empty());
  ExperimentOptions opt;
  opt.seed = 9;
  opt.replications = 6;
  opt.threads = 1;
  const ExperimentResult one = runExperiment(s, opt);
  opt.threads = 2;
  const ExperimentResult two = runExperiment(s, opt);
  REQUIRE(one.reps.size() == 6);
  REQUIRE(two.reps.size() == 6);
  for (std::size_t r = 0; r < 6; ++r) {
    for (std::size_t m = 0; m < kMetricCount; ++m) {
      const double a = one.reps[r].overall[m], b = two.reps[r].overall[m];
      REQUIRE((a == b || (std::isnan(a) && std::isnan(b))));
    }
    REQUIRE(one.reps[r].interval_channels.size() == two.reps[r].interval_channels.size());
  }
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    CHECK(std::isfinite(one.overall[m].mean));  // every metric exercised
    CHECK(one.overall[m].mean == two.overall[m].mean);
  }
}

TEST_CASE("engine: memory follows contacts in the system, not contacts simulated") {
  auto run = [](double hours) {
    Scenario s =
        singleQueue(600, DistSpec::exponential(240), 45, DistSpec::exponential(120), hours, 1);
    struct Null final : SimObserver {
      void onContact(const ContactRecord&) override {}
      void onInterval(const IntervalSample&) override {}
      void onGroupInterval(const GroupSample&) override {}
    } null;
    Simulation sim(s, 1, 0);
    sim.run(null);
    return sim.stats();
  };
  const EngineStats small = run(200);   // ~120 thousand arrivals
  const EngineStats large = run(3000);  // ~1.8 million arrivals
  CHECK(large.arrivals > 10 * small.arrivals);
  // Peaks grow only with the extremes of the queue (slowly, like a log of the run length).
  CHECK(large.contact_slots <= 2 * small.contact_slots + 16);
  CHECK(large.event_capacity <= 2 * small.event_capacity + 16);
  CHECK(large.contact_slots < 1000);
}

TEST_CASE("engine: day_factors scale each day's arrivals cyclically (day-of-week patterns)") {
  // Day form and continuous form: a 3-day cycle 1.5, 1, 0.5 over 6 days.
  for (const bool day_form : {true, false}) {
    Scenario s = twoChannelDay();
    s.channels.resize(1);
    s.channels[0].arrivals.busyness_alpha = 0;
    s.channels[0].arrivals.day_factors = {1.5, 1.0, 0.5};
    if (day_form) {
      s.days = 6;
    } else {
      s.days = 0;
      s.horizon_hours = 6 * 24;
      s.warmup_hours = 0;
      s.channels[0].arrivals.per_hour = {100};
      s.channels[0].agents = {40};
      s.open_s = 0;
    }
    REQUIRE(validateScenario(s).empty());
    SampleRecorder rec;
    Simulation(s, 11, 0).run(rec);
    std::vector<double> per_day(6, 0.0);
    for (const auto& r : rec.contacts) per_day.at(r.day) += 1;
    const double base = day_form ? 100 + 180 + 120 : 2400;  // contacts a day at factor 1
    for (std::size_t d = 0; d < 6; ++d) {
      const double expect = base * std::vector<double>{1.5, 1.0, 0.5}[d % 3];
      INFO("day " << d << " (day form " << day_form << "): " << per_day[d] << " vs " << expect);
      CHECK(std::fabs(per_day[d] - expect) < 4 * std::sqrt(expect));  // Poisson, 4 sd
    }
  }
}

namespace {

// When each answered contact of `records` was answered (no bot: arrival + wait).
double answeredAt(const ContactRecord& r) {
  return r.arrival_s + r.bot_s + r.wait_s;
}

// Answered contacts of channel `c` in arrival order are answered in that order: returns how
// many waited (so a caller can tell the check was not vacuous). Two answers at one instant
// may differ by rounding in arrival + wait, hence the nanosecond.
int checkFcfs(std::vector<ContactRecord> records, std::uint32_t c) {
  std::sort(records.begin(), records.end(),
            [](const ContactRecord& a, const ContactRecord& b) { return a.id < b.id; });
  int waited = 0, inversions = 0;
  const ContactRecord* last = nullptr;
  for (const ContactRecord& r : records) {
    if (r.channel != c || r.outcome != Outcome::Answered) continue;
    waited += r.waited;
    if (last && answeredAt(r) < answeredAt(*last) - 1e-9) {
      ++inversions;
      INFO("contact " << r.id << " (arrived " << r.arrival_s << ") answered at " << answeredAt(r)
                      << ", before contact " << last->id << " (arrived " << last->arrival_s
                      << ") answered at " << answeredAt(*last));
      CHECK(inversions == 0);
    }
    last = &r;
  }
  CHECK(inversions == 0);
  return waited;
}

}  // namespace

TEST_CASE("engine: a busy channel answers its contacts first come, first served") {
  // 4 erlangs on 3 agents, with abandonment keeping the queue finite: most contacts wait,
  // many abandon, and those answered are answered in the order they arrived.
  const Scenario s =
      singleQueue(60, DistSpec::exponential(240), 3, DistSpec::exponential(300), 50, 1);
  SampleRecorder rec;
  Simulation(s, 17, 0).run(rec);
  const auto abandoned =
      std::count_if(rec.contacts.begin(), rec.contacts.end(),
                    [](const ContactRecord& r) { return r.outcome == Outcome::Abandoned; });
  CHECK(abandoned > 100);
  CHECK(checkFcfs(rec.contacts, 0) > 1000);

  SUBCASE("one agent") {
    const Scenario one =
        singleQueue(20, DistSpec::exponential(240), 1, DistSpec::exponential(600), 50, 1);
    SampleRecorder r1;
    Simulation(one, 18, 0).run(r1);
    CHECK(checkFcfs(r1.contacts, 0) > 300);
  }
}

TEST_CASE("engine: with several channels each channel's queue is first come, first served") {
  SUBCASE("dedicated agents, day form with balking") {
    SampleRecorder rec;
    Simulation(twoChannelDay(), 19, 0).run(rec);
    CHECK(checkFcfs(rec.contacts, 0) > 50);
    CHECK(checkFcfs(rec.contacts, 1) > 50);
  }
  SUBCASE("one blended group serving phone before chat") {
    // Across channels the order is by priority, not arrival (a later phone call is answered
    // before an earlier chat); within each channel it is by arrival.
    Scenario s = singleQueue(50, DistSpec::exponential(240), 0, DistSpec::exponential(300), 50, 1);
    s.channels[0].agents.clear();
    ChannelSpec chat = s.channels[0];
    chat.id = "chat";
    chat.kind = ChannelKind::Chat;
    chat.arrivals.per_hour = {30};
    s.channels.push_back(chat);
    AgentGroupSpec blended;
    blended.id = "blended";
    blended.channels = {"phone", "chat"};
    blended.agents = {5};
    s.agent_groups = {blended};
    REQUIRE(validateScenario(s).empty());
    SampleRecorder rec;
    Simulation(s, 20, 0).run(rec);
    CHECK(checkFcfs(rec.contacts, 0) > 300);
    CHECK(checkFcfs(rec.contacts, 1) > 300);
    // The priority shows: some chat is answered after a phone call that arrived later.
    std::vector<ContactRecord> answered;
    for (const auto& r : rec.contacts)
      if (r.outcome == Outcome::Answered) answered.push_back(r);
    std::sort(answered.begin(), answered.end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
    int overtaken = 0;
    // Scanning backwards: the earliest answer of a phone call that arrived later.
    double first_later_phone = std::numeric_limits<double>::infinity();
    for (auto it = answered.rbegin(); it != answered.rend(); ++it) {
      if (it->channel == 1 && answeredAt(*it) > first_later_phone + 1e-9) ++overtaken;
      if (it->channel == 0) first_later_phone = std::min(first_later_phone, answeredAt(*it));
    }
    CHECK(overtaken > 10);
  }
}

TEST_CASE("engine: the longest run a file may ask for allocates nothing per day up front") {
  // A million hours (validateScenario's bound) with a daily busyness factor and a weekly
  // pattern: the per-day factors are drawn as the run reaches each day.
  Scenario s = singleQueue(0.01, DistSpec::exponential(240), 1, std::nullopt, 1e6, 0);
  s.channels[0].arrivals.busyness_alpha = 20;
  s.channels[0].arrivals.day_factors = {1, 1, 1, 1, 1, 0.5, 0.5};
  REQUIRE(validateScenario(s).empty());
  struct Count final : SimObserver {
    std::size_t n = 0;
    void onContact(const ContactRecord&) override { ++n; }
    void onInterval(const IntervalSample&) override {}
    void onGroupInterval(const GroupSample&) override {}
  } count;
  Simulation sim(s, 1, 0);
  sim.run(count);
  // About 0.01 × 1e6 × (5 + 0.5 + 0.5) / 7 ≈ 8571 contacts.
  CHECK(std::fabs(static_cast<double>(count.n) - 8571.4) < 4 * std::sqrt(8571.4) + 20);
  CHECK(sim.stats().end_time_s >= 1e6 * 3600);
}

TEST_CASE("engine: a run with more intervals than it can number is refused, not overflowed") {
  // Built in code, past validateScenario's bounds: 1e12 hours once overflowed an int and
  // asked for a vector larger than max_size().
  for (const double hours : {1e12, std::numeric_limits<double>::infinity()}) {
    CAPTURE(hours);
    Scenario s = singleQueue(60, DistSpec::exponential(240), 5, std::nullopt, hours, 0);
    CHECK_FALSE(validateScenario(s).empty());
    CHECK_THROWS_AS(Simulation(s, 1, 0), std::invalid_argument);
  }
  Scenario days = twoChannelDay();
  days.days = 2'000'000'000;
  CHECK_THROWS_AS(Simulation(days, 1, 0), std::invalid_argument);
}
