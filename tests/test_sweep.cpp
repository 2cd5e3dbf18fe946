// Sweeps (sim/sweep.hpp): ranges, grid coverage, Latin-hypercube stratification, the Pareto
// frontier on hand-made points, and whole sweeps: one row per point, common random numbers
// across points, the same output whatever the thread count.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>

#include "sim/scenario.hpp"
#include "sim/sweep.hpp"
#include "test_support.hpp"

using namespace cx;
using cx::test::sourcePath;

namespace {

SweepSpec erlangSweep(std::vector<std::string> vary, int lhs = 0) {
  SweepSpec spec;
  spec.file = sourcePath("scenarios/validation/erlang_a.toml");
  spec.overrides = {"scenario.horizon_hours=3", "scenario.warmup_hours=0.5"};
  for (const std::string& v : vary) spec.ranges.push_back(parseRange(v));
  spec.lhs_points = lhs;
  return spec;
}

double number(const std::string& text) {
  return std::stod(text);
}

}  // namespace

TEST_CASE("sweep: ranges parse, integer keys stay whole, bad ranges say why") {
  const SweepRange a = parseRange("channels.phone.agents=40:50:2");
  CHECK(a.key == "channels.phone.agents");
  CHECK(a.lo == 40);
  CHECK(a.hi == 50);
  CHECK(a.step == 2);
  CHECK(a.integer);
  CHECK(parseRange("channels[0].agents[3]=1:2:1").integer);
  CHECK(parseRange("scenario.days=1:5:1").integer);
  // Every integer key of the file, so that a sweep writes 2, not 2.0, which the loader rejects.
  for (const char* key : {"bot.loop_turns", "journeys.max_contacts", "channels.chat.concurrency",
                          "outcomes.customers", "scenario.seed", "scenario.replications"})
    CHECK(parseRange(std::string(key) + "=1:3:1").integer);
  CHECK_FALSE(parseRange("channels.phone.arrivals.per_hour=500:700:50").integer);
  CHECK(gridValues(parseRange("channels.phone.arrivals.per_hour=500:600:50")) ==
        std::vector<std::string>{"500.0", "550.0", "600.0"});  // floats stay floats
  CHECK(gridValues(parseRange("channels.phone.agents=40:45:2")) ==
        std::vector<std::string>{"40", "42", "44"});  // HI off the grid is not added
  // Rounding does not lose the last value: 0.1 * 3 is 0.30000000000000004.
  CHECK(gridValues(parseRange("channels.phone.balk_probability=0:0.3:0.1")) ==
        std::vector<std::string>{"0.0", "0.1", "0.2", "0.3"});
  CHECK(gridValues(parseRange("scenario.warmup_hours=2")) == std::vector<std::string>{"2.0"});

  auto fails = [](const std::string& text, const std::string& fragment) {
    INFO(text);
    try {
      gridValues(parseRange(text));
      FAIL("accepted");
    } catch (const std::invalid_argument& e) {
      INFO(e.what());
      CHECK(std::string(e.what()).find("--vary " + text) != std::string::npos);
      CHECK(std::string(e.what()).find(fragment) != std::string::npos);
    }
  };
  fails("channels.phone.agents=40:50:2.5", "whole number");
  fails("channels.phone.agents=40.5:50:1", "whole number");
  fails("channels.phone.agents=50:40:1", "below LO");
  fails("channels.phone.agents=40:50:0", "positive STEP");
  fails("channels.phone.agents=40:50", "a grid needs a step");
  fails("channels.phone.agents=x:50:1", "expected a number for LO");
  fails("channels.phone.agents=1:2:3:4", "4 parts");
  fails("channels.phone.agents", "expected KEY=LO:HI:STEP");
  fails("=1:2:1", "expected KEY=LO:HI:STEP");
}

TEST_CASE("sweep: a grid covers every combination once, the first key slowest") {
  const std::vector<SweepRange> ranges = {parseRange("channels.phone.agents=1:3:1"),
                                          parseRange("channels.phone.arrivals.per_hour=10:40:10"),
                                          parseRange("scenario.days=2")};
  const auto points = gridPoints(ranges);
  REQUIRE(points.size() == 3 * 4 * 1);
  std::set<std::vector<std::string>> distinct(points.begin(), points.end());
  CHECK(distinct.size() == points.size());
  for (const auto& p : points) {
    REQUIRE(p.size() == 3);
    CHECK(p[2] == "2");
  }
  CHECK(points[0] == std::vector<std::string>{"1", "10.0", "2"});
  CHECK(points[1] == std::vector<std::string>{"1", "20.0", "2"});
  CHECK(points[4] == std::vector<std::string>{"2", "10.0", "2"});
  CHECK(points.back() == std::vector<std::string>{"3", "40.0", "2"});
  CHECK_THROWS_AS(gridPoints({parseRange("channels.phone.agents=1:1000:1"),
                              parseRange("channels.phone.arrivals.per_hour=1:1000:1")}),
                  std::invalid_argument);  // 10^6 points
}

TEST_CASE("sweep: a Latin hypercube hits each of the N strata once per dimension") {
  constexpr int kN = 20;
  const std::vector<SweepRange> ranges = {
      parseRange("channels.phone.arrivals.per_hour=100:300"),
      parseRange("channels.phone.handle_time.mean_s=60:660"),
      parseRange("channels.phone.agents=10:29")};  // 20 integers for 20 points
  const auto points = latinHypercube(ranges, kN, 7);
  REQUIRE(points.size() == kN);
  for (std::size_t k = 0; k < 2; ++k) {
    INFO("dimension " << k);
    std::vector<int> hits(kN, 0);
    for (const auto& p : points) {
      const double u = (number(p[k]) - ranges[k].lo) / (ranges[k].hi - ranges[k].lo);
      REQUIRE(u >= 0.0);
      REQUIRE(u < 1.0);
      ++hits[static_cast<std::size_t>(std::floor(u * kN))];
    }
    CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
  }
  std::set<std::string> agents;
  for (const auto& p : points) {
    CHECK(p[2].find('.') == std::string::npos);  // integers
    agents.insert(p[2]);
  }
  CHECK(agents.size() == kN);  // 10..29, each once
  CHECK(*agents.begin() == "10");
  // The strata are paired at random: the dimensions are not sorted together.
  bool same_order = true;
  for (std::size_t i = 1; i < points.size(); ++i)
    same_order = same_order && (number(points[i][0]) > number(points[i - 1][0])) ==
                                   (number(points[i][1]) > number(points[i - 1][1]));
  CHECK_FALSE(same_order);
  // Deterministic from the seed.
  CHECK(latinHypercube(ranges, kN, 7) == points);
  CHECK(latinHypercube(ranges, kN, 8) != points);
  CHECK_THROWS_AS(latinHypercube({parseRange("channels.phone.agents=1:5:1")}, 4, 1),
                  std::invalid_argument);
  CHECK_THROWS_AS(latinHypercube(ranges, 0, 1), std::invalid_argument);
}

TEST_CASE("sweep: the Pareto frontier of a hand-made set, direction-aware") {
  // (cost, quality): lower cost and higher quality are better.
  const std::vector<std::vector<double>> points = {
      {10, 0.70},   // 0 efficient: cheapest
      {12, 0.80},   // 1 efficient
      {12, 0.75},   // 2 dominated by 1 (same cost, worse quality)
      {15, 0.78},   // 3 dominated by 1
      {20, 0.95},   // 4 efficient: best quality
      {20, 0.95},   // 5 equal to 4: both efficient
      {25, 0.90},   // 6 dominated by 4
      {NAN, 0.99},  // 7 undefined: never efficient, dominates nothing
  };
  const std::vector<bool> expected = {true, true, false, false, true, true, false, false};
  CHECK(paretoEfficient(points, {Better::Lower, Better::Higher}) == expected);
  // Flip both directions: the dearest (6), the worst (0), and 2 and 3 which nothing dearer
  // and worse beats.
  CHECK(paretoEfficient(points, {Better::Higher, Better::Lower}) ==
        std::vector<bool>{true, false, true, true, false, false, true, false});
  CHECK(paretoEfficient({}, {Better::Lower, Better::Higher}).empty());
  // Time-averaged agents come out as 41.999999999999986 for some points and 42 for others:
  // rounding noise is no advantage, so the worse 42-agent point stays dominated.
  CHECK(paretoEfficient({{42.0, 0.93}, {41.999999999999986, 0.90}, {41.0, 0.88}},
                        {Better::Lower, Better::Higher}) == std::vector<bool>{true, false, true});

  const auto f = parseFrontier("agents_mean:min,service_level");
  REQUIRE(f.size() == 2);
  CHECK(f[0].metric == Metric::AgentsMean);
  CHECK(f[0].better == Better::Lower);
  CHECK(f[1].better == Better::Higher);  // the metric's own direction
  CHECK(parseFrontier("asa_s,occupancy:max")[0].better == Better::Lower);
  CHECK(parseFrontier("service_level:min,asa_s")[0].better == Better::Lower);
  CHECK_THROWS_AS(parseFrontier("agents_mean,service_level"), std::invalid_argument);
  CHECK_THROWS_AS(parseFrontier("service_level"), std::invalid_argument);
  CHECK_THROWS_AS(parseFrontier("csat_typo,asa_s"), std::invalid_argument);
  CHECK_THROWS_AS(parseFrontier("asa_s:least,service_level"), std::invalid_argument);
}

TEST_CASE("sweep: one row per point with every metric, on common random numbers") {
  SweepSpec spec =
      erlangSweep({"channels.phone.agents=43:46:1", "channels.phone.balk_probability=0:0.2:0.2"});
  spec.frontier = parseFrontier("agents_mean:min,service_level");
  const PreparedSweep prepared = prepareSweep(spec, 1);
  REQUIRE(prepared.points.size() == 8);
  ExperimentOptions opt;
  opt.replications = 3;
  opt.threads = 1;
  const SweepResult r = runSweep(spec, prepared, opt);
  REQUIRE(r.points.size() == 8);
  CHECK_FALSE(r.cancelled);
  CHECK(r.keys ==
        std::vector<std::string>{"channels.phone.agents", "channels.phone.balk_probability"});
  const auto offered = static_cast<std::size_t>(Metric::Offered);
  const auto sl = static_cast<std::size_t>(Metric::ServiceLevel);
  const auto agents = static_cast<std::size_t>(Metric::AgentsMean);
  for (std::size_t p = 0; p < r.points.size(); ++p) {
    INFO("point " << p);
    const SweepPoint& pt = r.points[p];
    CHECK(pt.values == prepared.points[p]);
    CHECK(pt.overall[offered].n == 3);
    // Same arrivals at every point: common random numbers across points.
    CHECK(pt.overall[offered].mean == r.points[0].overall[offered].mean);
    CHECK(pt.overall[agents].mean == doctest::Approx(number(pt.values[0])));
    REQUIRE(pt.channels.size() == 1);
  }
  // More agents, better service, at equal balking.
  CHECK(r.points[6].overall[sl].mean > r.points[0].overall[sl].mean);
  // Balking takes out callers who would have waited, so at equal staffing the service level
  // with balking is higher: the no-balking point of each staffing level is dominated, and the
  // balking points, whose service level rises with every agent, form the frontier.
  for (std::size_t a = 0; a < 4; ++a) {
    INFO("agents " << 43 + a);
    const SweepPoint& no_balk = r.points[2 * a];
    const SweepPoint& balk = r.points[2 * a + 1];
    REQUIRE(balk.overall[sl].mean > no_balk.overall[sl].mean);
    if (a > 0) REQUIRE(balk.overall[sl].mean > r.points[2 * a - 1].overall[sl].mean);
    CHECK_FALSE(no_balk.pareto);
    CHECK(balk.pareto);
  }

  const std::string csv = sweepCsv(r);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 1 + 8);
  CHECK(csv.rfind("channels.phone.agents,channels.phone.balk_probability,offered,offered_ci95,",
                  0) == 0);
  CHECK(csv.find(",pareto\n") != std::string::npos);
  const auto j = sweepJson(r);
  REQUIRE(j["points"].size() == 8);
  CHECK(j["points"][0]["values"]["channels.phone.agents"] == 43);
  CHECK(j["points"][0]["values"]["channels.phone.balk_probability"] == 0.0);
  for (const MetricInfo& m : allMetrics()) CHECK(j["points"][7]["overall"].contains(m.name));
  CHECK(j["points"][7]["channels"]["phone"].contains("service_level"));
  CHECK(j["frontier"][0]["better"] == "lower");
}

TEST_CASE("sweep: results do not depend on the thread count") {
  SweepSpec spec =
      erlangSweep({"channels.phone.agents=40:46", "channels.phone.patience.mean_s=60:180"}, 5);
  spec.frontier = parseFrontier("agents_mean:min,asa_s");
  const PreparedSweep prepared = prepareSweep(spec, 4);
  ExperimentOptions opt;
  opt.seed = 4;
  opt.replications = 3;
  opt.threads = 1;
  auto one = sweepJson(runSweep(spec, prepared, opt));
  opt.threads = 2;
  auto two = sweepJson(runSweep(spec, prepared, opt));
  CHECK(two["run"]["threads"] == 2);
  one.erase("run");
  two.erase("run");
  CHECK(one.dump() == two.dump());
  CHECK(one["design"] == "lhs");
  CHECK(one["points"].size() == 5);
}

TEST_CASE("sweep: a cancelled sweep keeps exactly the first points of the full sweep") {
  // The cancel flag raised from the progress callback once k points are done, as Ctrl-C
  // would be: deterministic, unlike a signal. With one thread nothing else is under way, so
  // exactly k points are kept; with two the other worker finishes the replication it holds,
  // which may complete another point. Either way the rows are the full sweep's first.
  const SweepSpec spec = erlangSweep({"channels.phone.agents=40:47:1"});
  const PreparedSweep prepared = prepareSweep(spec, 6);
  ExperimentOptions opt;
  opt.seed = 6;
  opt.replications = 3;
  opt.threads = 2;
  const auto full = sweepJson(runSweep(spec, prepared, opt));
  REQUIRE(full["points"].size() == 8);
  CHECK(full["run"]["cancelled"] == false);
  for (int threads : {1, 2}) {
    for (int k : {1, 3, 6}) {
      CAPTURE(threads);
      CAPTURE(k);
      std::atomic<bool> cancel{false};
      ExperimentOptions cut = opt;
      cut.threads = threads;
      cut.cancel = &cancel;
      int last_report = 0;
      cut.progress = [&](int done, int total) {
        CHECK(total == 8);
        CHECK(done == last_report + 1);  // one call per point, counting up
        last_report = done;
        if (done >= k) cancel.store(true);
      };
      const SweepResult r = runSweep(spec, prepared, cut);
      CHECK(r.cancelled);
      const auto kept = static_cast<int>(r.points.size());
      if (threads == 1) {
        CHECK(kept == k);
      } else {
        CHECK(kept >= k);
        CHECK(kept < 8);
      }
      const auto j = sweepJson(r);
      CHECK(j["run"]["cancelled"] == true);
      REQUIRE(j["points"].size() == static_cast<std::size_t>(kept));
      for (int p = 0; p < kept; ++p) {
        CAPTURE(p);
        CHECK(j["points"][static_cast<std::size_t>(p)].dump() ==
              full["points"][static_cast<std::size_t>(p)].dump());
      }
    }
  }
}

TEST_CASE("sweep: an exception in a replication or in progress reaches the caller") {
  // On the pool's worker threads an exception would otherwise end the process (std::terminate).
  const SweepSpec spec = erlangSweep({"channels.phone.agents=40:45:1"});
  PreparedSweep prepared = prepareSweep(spec, 1);
  for (const int threads : {2, 1}) {
    CAPTURE(threads);
    ExperimentOptions opt;
    opt.replications = 3;
    opt.threads = threads;
    std::atomic<int> calls{0};
    opt.progress = [&calls](int done, int) {
      ++calls;
      if (done == 2) throw std::runtime_error("progress failed at 2");
    };
    CHECK_THROWS_WITH_AS(runSweep(spec, prepared, opt), "progress failed at 2", std::runtime_error);
    CHECK(calls.load() < 6);
    // A point the engine refuses (built in code, past validateScenario).
    PreparedSweep bad = prepared;
    bad.scenarios[3] = test::singleQueue(60, DistSpec::exponential(240), 5, std::nullopt, 1e12, 0);
    opt.progress = nullptr;
    CHECK_THROWS_AS(runSweep(spec, bad, opt), std::invalid_argument);
  }
}

TEST_CASE("sweep: tasks split over ranks give rank 0 the single-process result") {
  // The MPI exchange played in one process: each rank runs only its tasks (t % ranks), and
  // rank 0 is handed every rank's packed results, as MPI_Gatherv would. 5 points × 3
  // replications over 2 and 4 ranks: uneven shares, and ranks with no task of some points.
  SweepSpec spec = erlangSweep({"channels.phone.agents=40:46"}, 5);
  spec.frontier = parseFrontier("agents_mean:min,service_level");
  const PreparedSweep prepared = prepareSweep(spec, 2);
  ExperimentOptions opt;
  opt.seed = 2;
  opt.replications = 3;
  opt.threads = 1;
  auto single = sweepJson(runSweep(spec, prepared, opt));
  single.erase("run");
  for (int n_ranks : {2, 4}) {
    CAPTURE(n_ranks);
    std::vector<std::vector<double>> packed(static_cast<std::size_t>(n_ranks));
    for (int rank = n_ranks - 1; rank >= 0; --rank) {
      SweepRanks ranks;
      ranks.rank = rank;
      ranks.ranks = n_ranks;
      ranks.gather = [&](const std::vector<double>& local) {
        packed[static_cast<std::size_t>(rank)] = local;
        return rank == 0 ? packed : std::vector<std::vector<double>>{};
      };
      const SweepResult r = runSweep(spec, prepared, opt, ranks);
      if (rank != 0) {
        CHECK(r.points.empty());  // only rank 0 has the rows
        continue;
      }
      auto j = sweepJson(r);
      j.erase("run");
      CHECK(j.dump() == single.dump());
    }
  }
}

TEST_CASE("sweep: a bad key or value names the --vary and the point, before anything runs") {
  auto message = [](const SweepSpec& spec) -> std::string {
    try {
      prepareSweep(spec, 1);
    } catch (const ScenarioError& e) {
      return e.what();
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "accepted";
  };
  std::string m = message(erlangSweep({"channels.phone.agnets=1:2:1"}));
  CHECK(m.find("--vary channels.phone.agnets=1:2:1 (at channels.phone.agnets=1.0)") !=
        std::string::npos);
  CHECK(m.find("unknown key") != std::string::npos);
  m = message(erlangSweep({"channels.phone.agents=-1:1:1"}));
  CHECK(m.find("(at channels.phone.agents=-1)") != std::string::npos);
  CHECK(m.find("non-negative") != std::string::npos);
  m = message(erlangSweep({"channels.sms.agents=1:2:1"}));
  CHECK(m.find("no channel with id 'sms'") != std::string::npos);
  m = message(erlangSweep({"channels.phone.agents=1:2:1", "channels.phone.agents=3:4:1"}));
  CHECK(m.find("already varied") != std::string::npos);
  CHECK(message(erlangSweep({})).find("nothing to sweep") != std::string::npos);
}
