// The journeys as a chain over channels (sim/journey_chain.hpp): the switch matrix as an
// Eigen matrix, the chain's expected contacts by hand, and the simulation against the chain
// where it is exact (every contact answered at once).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <map>

#include "sim/engine.hpp"
#include "sim/journey_chain.hpp"
#include "test_support.hpp"

using namespace cx;
using namespace cx::test;

namespace {

// Channels `ids`, each with its own ample agents and no patience: every contact is answered
// at once, so a case's path depends only on resolution, coming back and the switch matrix.
Scenario ampleChannels(const std::vector<std::pair<std::string, double>>& ids, double hours) {
  Scenario s = singleQueue(1, DistSpec::exponential(240), 150, std::nullopt, hours, 0);
  const ChannelSpec model = s.channels.front();
  s.channels.clear();
  for (const auto& [id, per_hour] : ids) {
    ChannelSpec c = model;
    c.id = id;
    c.arrivals.per_hour = {per_hour};
    s.channels.push_back(c);
  }
  JourneySpec j;
  j.delay = DistSpec::exponential(120);
  s.journeys = j;
  return s;
}

}  // namespace

TEST_CASE("journey chain: the switch matrix, and expected contacts worked by hand") {
  Scenario s = ampleChannels({{"phone", 100}, {"chat", 50}}, 10);
  IntentSpec any;
  any.id = "any";
  any.fcr = 0.5;
  any.share = {{"phone", 1.0}, {"chat", 1.0}};
  s.intents = {any};
  s.journeys->retry_unresolved = 1.0;
  s.journeys->max_contacts = 3;
  s.journeys->switch_rows = {{"phone", {{"phone", 0.3}, {"chat", 0.7}}}};
  REQUIRE(validateScenario(s).empty());

  const Eigen::MatrixXd p = switchMatrix(s);
  CHECK(p(0, 0) == doctest::Approx(0.3));
  CHECK(p(0, 1) == doctest::Approx(0.7));
  CHECK(p(1, 0) == 0.0);  // no row for chat: its customers stay
  CHECK(p(1, 1) == 1.0);

  // From phone: contact 1 on phone; contact 2 with probability 0.5, on phone 0.3 / chat 0.7;
  // contact 3 with probability 0.25, on phone 0.09 / chat 0.21 + 0.7.
  const JourneyChain chain = journeyChain(s);
  CHECK(chain.contacts(0, 0) == doctest::Approx(1 + 0.5 * 0.3 + 0.25 * 0.09));
  CHECK(chain.contacts(0, 1) == doctest::Approx(0.5 * 0.7 + 0.25 * 0.91));
  CHECK(chain.contacts(1, 0) == 0.0);
  CHECK(chain.contacts(1, 1) == doctest::Approx(1.75));
  CHECK(chain.resolved(0) == doctest::Approx(0.875));
  // Fresh contacts 100 : 50; the phone's returns 0.1725 per fresh call; chat's come from both:
  // (100 × 0.5775 + 50 × 1.75 − 50) / 50.
  CHECK(chain.fresh(0) == doctest::Approx(2.0 / 3.0));
  CHECK(chain.returns(0) == doctest::Approx(0.1725));
  CHECK(chain.returns(1) == doctest::Approx((100 * 0.5775 + 50 * 1.75 - 50) / 50));

  // Day factors weigh the fresh contacts over the days simulated, not over the whole cycle:
  // phone's factors 3, 1 over one day give 300 : 50 calls, over two 200 : 50.
  Scenario weeks = s;
  weeks.channels[0].arrivals.day_factors = {3.0, 1.0};
  weeks.days = 1;
  CHECK(journeyChain(weeks).fresh(0) == doctest::Approx(300.0 / 350.0));
  weeks.days = 2;
  CHECK(journeyChain(weeks).fresh(0) == doctest::Approx(200.0 / 250.0));

  // Without the shared history, from the second contact on fcr × 0.5: contact 3 is reached
  // with probability 0.5 × 0.75.
  s.journeys->shared_context = false;
  s.journeys->repeat_fcr_factor = 0.5;
  const JourneyChain apart = journeyChain(s);
  CHECK(apart.contacts.row(0).sum() == doctest::Approx(1 + 0.5 + 0.375));
  CHECK(apart.resolved(0) == doctest::Approx(0.5 + 0.5 * 0.25 + 0.375 * 0.25));

  Scenario none = s;
  none.journeys.reset();
  CHECK(switchMatrix(none).isIdentity());
  CHECK_THROWS_AS(journeyChain(none), std::invalid_argument);
}

TEST_CASE("journey chain: the simulated cases follow the chain on every channel") {
  // Three channels, two reasons with their own fcr and mix per channel, every switch row
  // different (a transposed or mis-indexed matrix would move most entries by 0.1 or more),
  // no shared history (repeat_fcr_factor 0.7), 80% come back, at most 4 contacts; 40% of the
  // unresolved are promised a call back, 30% of those promises broken (chased).
  Scenario s = ampleChannels({{"phone", 300}, {"chat", 200}, {"video", 100}}, 40);
  IntentSpec easy, hard;
  easy.id = "easy";
  easy.fcr = 0.8;
  easy.share = {{"phone", 0.7}, {"chat", 0.5}, {"video", 0.2}};
  hard.id = "hard";
  hard.fcr = 0.3;
  hard.share = {{"phone", 0.3}, {"chat", 0.5}, {"video", 0.8}};
  s.intents = {easy, hard};
  JourneySpec& j = *s.journeys;
  j.retry_unresolved = 0.8;
  j.max_contacts = 4;
  j.shared_context = false;
  j.repeat_fcr_factor = 0.7;
  j.promise_follow_up = 0.4;
  j.broken_promise = 0.3;
  j.switch_rows = {{"phone", {{"phone", 0.6}, {"chat", 0.3}, {"video", 0.1}}},
                   {"chat", {{"phone", 0.5}, {"chat", 0.2}, {"video", 0.3}}},
                   {"video", {{"phone", 0.1}, {"chat", 0.1}, {"video", 0.8}}}};
  REQUIRE(validateScenario(s).empty());
  const JourneyChain chain = journeyChain(s);

  // Cases by the channel they started on; those starting in the last 3 hours are left out
  // (their returns may fall after the horizon: the chain has no horizon).
  struct Case {
    std::size_t first = 0;
    double on[3] = {0, 0, 0};
    bool resolved = false;
  };
  std::map<std::pair<int, std::uint64_t>, Case> cases;
  for (int seed = 1; seed <= 2; ++seed) {
    Recorder rec;
    Simulation sim(s, static_cast<std::uint64_t>(seed), 0);
    sim.run(rec);
    for (const ContactRecord& r : rec.contacts) {
      if (r.case_start_s > (40 - 3) * 3600.0) continue;
      REQUIRE((r.outcome == Outcome::Answered));
      Case& c = cases[{seed, r.case_id}];
      if (r.contact_number == 1) c.first = r.channel;
      c.on[r.channel] += 1;
      c.resolved = c.resolved || r.resolved;
    }
  }
  double n[3] = {0, 0, 0}, sum[3][4] = {}, sq[3][4] = {};
  for (const auto& [key, c] : cases) {
    n[c.first] += 1;
    for (int d = 0; d < 4; ++d) {
      const double x = d < 3 ? c.on[d] : c.resolved;  // column 3: resolved
      sum[c.first][d] += x;
      sq[c.first][d] += x * x;
    }
  }
  for (std::size_t i = 0; i < 3; ++i) {
    REQUIRE(n[i] > 5000);
    for (int d = 0; d < 4; ++d) {
      const double mean = sum[i][d] / n[i];
      const double se = std::sqrt((sq[i][d] / n[i] - mean * mean) / (n[i] - 1));
      const double exact = d < 3 ? chain.contacts(static_cast<Eigen::Index>(i), d)
                                 : chain.resolved(static_cast<Eigen::Index>(i));
      INFO("started on " << chain.channels[i] << ", column " << d << ": simulated " << mean << " ± "
                         << se << ", chain " << exact);
      CHECK(se < 0.02);  // 4 SE < 0.08: a wrong row moves entries by more
      CHECK(std::fabs(mean - exact) < 4 * se + 1e-9);
    }
  }
}

#ifdef CXSIM_EXE
TEST_CASE("journey chain: cxsim validate prints it for files with journeys, and only those") {
  const CliRun r = cxsim("validate scenarios/examples/shared_context.toml scenarios/default.toml");
  INFO(r.out << r.err);
  REQUIRE(r.code == 0);
  const Scenario s = loadScenario(sourcePath("scenarios/examples/shared_context.toml"));
  const JourneyChain chain = journeyChain(s);
  // The row of each starting channel: its fresh share, contacts per case, contacts on each
  // channel and cases resolved, as the library computes them.
  for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(chain.channels.size()); ++i) {
    std::string row = fmt::format("    {:<14}{:>7.1f}%{:>10.3f}", chain.channels[i],
                                  100.0 * chain.fresh(i), chain.contacts.row(i).sum());
    for (Eigen::Index j = 0; j < chain.contacts.cols(); ++j)
      row += fmt::format("{:>11.3f}", chain.contacts(i, j));
    row += fmt::format("{:>9.1f}%", 100.0 * chain.resolved(i));
    CHECK(r.out.find(row + "\n") != std::string::npos);
  }
  CHECK(r.out.find("returning per fresh contact") != std::string::npos);
  // default.toml has no [journeys]: one line, no table.
  const auto at = r.out.find("scenarios/default.toml: ok");
  REQUIRE(at != std::string::npos);
  CHECK(r.out.find('\n', at) == r.out.size() - 1);
}
#endif
