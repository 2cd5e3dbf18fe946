// The survey response rate in the outputs: survey_responses (rated contacts × response rate)
// and csat_survey_margin (the 95% margin of error of a survey's CSAT share, surveyPrecision),
// per channel, interval and overall; what a real survey drawn with sampleSurvey at that rate
// over a run's records shows; undefined without [outcomes] (docs/CX_MODEL.md "Surveys").
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/engine.hpp"
#include "sim/experiment.hpp"
#include "sim/metrics.hpp"
#include "sim/report.hpp"
#include "sim/rng.hpp"
#include "sim/satisfaction.hpp"
#include "sim/stats.hpp"
#include "test_support.hpp"

using namespace cx;
using cx::test::sourcePath;

namespace {

double at(const MetricValues& v, Metric m) {
  return v[static_cast<std::size_t>(m)];
}

// Every scope of one replication (MetricValues) or of the summary over replications
// (MetricEstimates): overall, channels, agent groups, intervals, interval × channel, with a
// name for the failure messages.
template <typename Result>
auto scopes(const Result& r) {
  using Value = std::remove_reference_t<decltype(r.overall)>;
  std::vector<std::pair<std::string, const Value*>> out{{"overall", &r.overall}};
  for (std::size_t c = 0; c < r.channels.size(); ++c)
    out.emplace_back("channel " + std::to_string(c), &r.channels[c]);
  for (std::size_t g = 0; g < r.groups.size(); ++g)
    out.emplace_back("group " + std::to_string(g), &r.groups[g]);
  for (std::size_t k = 0; k < r.intervals.size(); ++k) {
    out.emplace_back("interval " + std::to_string(k), &r.intervals[k]);
    for (std::size_t c = 0; c < r.interval_channels[k].size(); ++c)
      out.emplace_back("interval " + std::to_string(k) + " channel " + std::to_string(c),
                       &r.interval_channels[k][c]);
  }
  return out;
}

ExperimentResult run(const Scenario& s, int reps, std::uint64_t seed = 3) {
  ExperimentOptions opt;
  opt.seed = seed;
  opt.replications = reps;
  opt.threads = 2;
  return runExperiment(s, opt);
}

// The default week cut to one day: phone and chat, [outcomes] with the calibration's 10%.
Scenario oneDay(std::vector<std::string> more = {}) {
  more.insert(more.begin(), "scenario.days=1");
  return loadScenario(sourcePath("scenarios/default.toml"), more);
}

// Hands every record to the Monitor and keeps it.
struct Recording final : SimObserver {
  explicit Recording(const Scenario& s) : monitor(s) {}
  Monitor monitor;
  std::vector<ContactRecord> contacts;
  void onContact(const ContactRecord& r) override {
    monitor.onContact(r);
    contacts.push_back(r);
  }
  void onInterval(const IntervalSample& s) override { monitor.onInterval(s); }
  void onGroupInterval(const GroupSample& s) override { monitor.onGroupInterval(s); }
};

}  // namespace

TEST_CASE("survey margin: doubling the response rate doubles the responses, margin / √2") {
  const Scenario ten = oneDay({"outcomes.response_rate=0.1"});
  const Scenario twenty = oneDay({"outcomes.response_rate=0.2"});
  CHECK(surveyResponseRate(ten) == 0.1);
  CHECK(surveyResponseRate(twenty) == 0.2);
  const ExperimentResult a = run(ten, 3), b = run(twenty, 3);
  REQUIRE(a.reps.size() == 3);
  REQUIRE(b.reps.size() == 3);
  std::size_t checked = 0;
  for (std::size_t r = 0; r < a.reps.size(); ++r) {
    const auto sa = scopes(a.reps[r]), sb = scopes(b.reps[r]);
    REQUIRE(sa.size() == sb.size());
    for (std::size_t i = 0; i < sa.size(); ++i) {
      INFO("replication " << r << ", " << sa[i].first);
      const MetricValues &x = *sa[i].second, &y = *sb[i].second;
      // Same seed: the same contacts, the same expected CSAT to the last bit.
      CHECK(at(x, Metric::Csat) == at(y, Metric::Csat));
      REQUIRE(at(x, Metric::SurveyResponses) > 0.0);
      CHECK(at(y, Metric::SurveyResponses) ==
            doctest::Approx(2.0 * at(x, Metric::SurveyResponses)).epsilon(1e-12));
      CHECK(at(y, Metric::CsatMargin) ==
            doctest::Approx(at(x, Metric::CsatMargin) / std::sqrt(2.0)).epsilon(1e-12));
      ++checked;
    }
  }
  // overall, 2 channels, the agent groups, 24 intervals × (all channels, phone, chat)
  CHECK(checked == 3 * (1 + 2 + ten.effectiveAgentGroups().size() + 24 * 3));
  // The means over replications scale the same way.
  const auto ea = scopes(a), eb = scopes(b);
  for (std::size_t i = 0; i < ea.size(); ++i) {
    INFO(ea[i].first);
    const auto& x = *ea[i].second;
    const auto& y = *eb[i].second;
    const auto m = [](Metric k) { return static_cast<std::size_t>(k); };
    CHECK(y[m(Metric::Csat)].mean == x[m(Metric::Csat)].mean);
    CHECK(y[m(Metric::SurveyResponses)].mean ==
          doctest::Approx(2.0 * x[m(Metric::SurveyResponses)].mean).epsilon(1e-12));
    CHECK(y[m(Metric::CsatMargin)].mean ==
          doctest::Approx(x[m(Metric::CsatMargin)].mean / std::sqrt(2.0)).epsilon(1e-12));
  }
}

TEST_CASE("survey margin: the reported margin is surveyPrecision's for the reported figures") {
  const Scenario s = oneDay();
  const double rate = surveyResponseRate(s);
  CHECK(rate == 0.1);  // data/calibration.toml's satisfaction.survey.response_rate
  const ExperimentResult r = run(s, 3);
  for (std::size_t rep = 0; rep < r.reps.size(); ++rep)
    for (const auto& [name, v] : scopes(r.reps[rep])) {
      INFO("replication " << rep << ", " << name);
      const double responses = at(*v, Metric::SurveyResponses);
      const double csat = at(*v, Metric::Csat);
      // Rated contacts: every contact that ended (none is open at the end here); a group
      // rates the contacts it answered.
      const bool group = name.rfind("group", 0) == 0;
      const double rated =
          group ? at(*v, Metric::Answered)
                : at(*v, Metric::Offered) -
                      (std::isnan(at(*v, Metric::OpenAtEnd)) ? 0.0 : at(*v, Metric::OpenAtEnd));
      CHECK(responses == doctest::Approx(rated * rate).epsilon(1e-12));
      const SurveyPrecision p = surveyPrecision(rated, csat, rate);
      CHECK(at(*v, Metric::CsatMargin) == doctest::Approx(p.csat_margin_95).epsilon(1e-12));
      CHECK(p.csat_margin_95 ==
            doctest::Approx(1.959964 * std::sqrt(csat * (1 - csat) / responses)).epsilon(1e-9));
    }
  // Over replications the report averages each replication's margin, as for every ratio
  // (docs/MODEL.md); that mean agrees with the margin at the mean CSAT and responses well
  // within its own confidence interval: the difference is second order in the spread between
  // replications (here at most a third of the half-width, on a half-hour of chat with a few
  // responses), the half-width first order.
  for (const auto& [name, e] : scopes(r)) {
    INFO(name);
    const Estimate& margin = (*e)[static_cast<std::size_t>(Metric::CsatMargin)];
    const double responses = (*e)[static_cast<std::size_t>(Metric::SurveyResponses)].mean;
    const double csat = (*e)[static_cast<std::size_t>(Metric::Csat)].mean;
    const double at_means = surveyPrecision(responses / rate, csat, rate).csat_margin_95;
    CHECK(margin.n == 3);
    CHECK(std::fabs(margin.mean - at_means) <= 0.5 * margin.ci95);
  }
  // A tally with [outcomes] but nothing rated: no responses, no margin.
  Tally empty;
  empty.outcomes = true;
  empty.response_rate = 0.1;
  const MetricValues v = empty.values();
  CHECK(at(v, Metric::SurveyResponses) == 0.0);
  CHECK(std::isnan(at(v, Metric::CsatMargin)));
}

TEST_CASE("survey margin: undefined without [outcomes], in the metrics, the JSON and the text") {
  const Scenario bare =
      loadScenario(sourcePath("scenarios/validation/erlang_a.toml"), {"scenario.horizon_hours=4"});
  REQUIRE_FALSE(bare.outcomes);
  CHECK(std::isnan(surveyResponseRate(bare)));
  const ExperimentResult r = run(bare, 2);
  for (const auto& [name, e] : scopes(r)) {
    INFO(name);
    for (Metric m : {Metric::SurveyResponses, Metric::CsatMargin}) {
      CHECK((*e)[static_cast<std::size_t>(m)].n == 0);
      CHECK(std::isnan((*e)[static_cast<std::size_t>(m)].mean));
    }
  }
  const nlohmann::json j = nlohmann::json::parse(resultToJson(bare, r).dump());
  for (const char* key : {"survey_responses", "csat_survey_margin"}) {
    CHECK(j["overall"][key]["mean"].is_null());
    CHECK(j["channels"]["phone"][key]["mean"].is_null());
    CHECK(j["intervals"][0]["channels"]["phone"][key]["mean"].is_null());
  }
  const auto text =
      test::cxsim("run scenarios/validation/erlang_a.toml --reps 2 --set scenario.horizon_hours=4");
  REQUIRE(text.code == 0);
  CHECK(text.out.find("survey") == std::string::npos);
}

TEST_CASE("survey margin: cxsim run shows it per channel and interval, text and JSON") {
  const auto json =
      test::cxsim("run scenarios/default.toml --reps 1 --set scenario.days=1 --json -");
  REQUIRE(json.code == 0);
  const auto j = nlohmann::json::parse(json.out);
  CHECK(j["scenario"]["outcomes"]["survey_response_rate"] == 0.1);
  auto check = [](const nlohmann::json& scope) {
    const double responses = scope["survey_responses"]["mean"].get<double>();
    const double csat = scope["csat"]["mean"].get<double>();
    const double margin = scope["csat_survey_margin"]["mean"].get<double>();
    CHECK(responses > 0.0);
    // One replication: exactly surveyPrecision of the printed figures.
    CHECK(
        margin ==
        doctest::Approx(surveyPrecision(responses / 0.1, csat, 0.1).csat_margin_95).epsilon(1e-9));
  };
  check(j["overall"]);
  for (const char* c : {"phone", "chat"}) {
    INFO(c);
    check(j["channels"][c]);
    REQUIRE(j["intervals"].size() == 24);
    for (const auto& interval : j["intervals"]) check(interval["channels"][c]);
  }
  const auto text = test::cxsim("run scenarios/default.toml --reps 2 --set scenario.days=1");
  REQUIRE(text.code == 0);
  for (const char* shown :
       {"\nsurvey responses ", "\nCSAT survey margin ", "Surveys: 10% of contacts answer",
        "survey ± = CSAT survey margin", "    CSAT  survey ±\n"}) {
    INFO(shown);
    CHECK(text.out.find(shown) != std::string::npos);
  }
}

TEST_CASE("survey margin: sampled surveys fall within the reported margin about 95% of the time") {
  // One day of the default scenario (phone ≈ 280 responses a day at 10%, chat ≈ 85), 4
  // replications. For each replication and channel, 500 surveys drawn with sampleSurvey at
  // the scenario's rate over the records that channel rated: the sampled CSAT share lies
  // within the reported csat_survey_margin of the reported (expected) CSAT in about 95% of
  // them. 4 × 2 × 500 = 4,000 independent surveys given the records: the share within is
  // binomial, and a correct margin keeps it within 4 standard errors of 0.95 (±0.014).
  const Scenario s = oneDay();
  const double rate = surveyResponseRate(s);
  const std::uint64_t seed = 5;
  const int reps = 4, surveys = 500;
  long within = 0, total = 0;
  std::vector<double> shares;
  for (int rep = 0; rep < reps; ++rep) {
    Recording rec(s);
    Simulation sim(s, seed, static_cast<std::uint32_t>(rep));
    sim.run(rec);
    const ReplicationMetrics m = rec.monitor.metrics();
    Rng rng(seed, static_cast<std::uint64_t>(rep), "survey margin check");
    for (std::size_t c = 0; c < s.channels.size(); ++c) {
      std::vector<Satisfaction> rated;
      for (const ContactRecord& r : rec.contacts)
        if (r.channel == c && !r.open_at_end) rated.push_back(rec.monitor.satisfaction(r));
      const double csat = at(m.channels[c], Metric::Csat);
      const double margin = at(m.channels[c], Metric::CsatMargin);
      INFO("replication " << rep << ", " << s.channels[c].id << ": CSAT " << csat << " ± " << margin
                          << " over " << rated.size() << " rated contacts");
      CHECK(at(m.channels[c], Metric::SurveyResponses) ==
            doctest::Approx(rated.size() * rate).epsilon(1e-12));
      long in = 0;
      for (int k = 0; k < surveys; ++k) {
        SurveyTally tally;
        for (const Satisfaction& x : rated) tally.add(sampleSurvey(x, rate, rng));
        in += std::fabs(tally.csat() - csat) <= margin;
      }
      shares.push_back(static_cast<double>(in) / surveys);
      within += in;
      total += surveys;
    }
  }
  const double coverage = static_cast<double>(within) / static_cast<double>(total);
  const double se = std::sqrt(0.95 * 0.05 / static_cast<double>(total));
  std::string each;
  for (double x : shares) each += " " + std::to_string(x);
  INFO("within the margin: " << coverage << " of " << total << " surveys (4 SE = " << 4 * se
                             << "); per replication × channel:" << each);
  CHECK(std::fabs(coverage - 0.95) <= 4.0 * se);
  // And not by luck of the pooling: every replication × channel near 95% on its own (500
  // surveys: 4 SE = ±0.039).
  for (double x : shares) CHECK(std::fabs(x - 0.95) <= 4.0 * std::sqrt(0.95 * 0.05 / surveys));
}
