// Conservation over the full model: for every shipped scenario (scenarios/*.toml and
// scenarios/examples/*.toml, read at test time so a new file is covered without touching this
// one), with every mechanism it switches on (bots, loops, journeys, promises, transfers,
// silent abandonment, email backlogs, balking, shifts):
//
//  - per replication, overall, per channel, per interval and per interval × channel:
//      offered = answered + abandoned + deflected + open_at_end
//    (balked, bot_gave_up and silent_abandoned are parts of abandoned; a transfer is one
//    contact, answered by the specialist or — left on hold at the end — abandoned; a kept
//    promise's call back and a chase are contacts of their own and count in offered);
//  - every count metric adds up: intervals to the channel totals and to the overall figure,
//    channels to the overall figure, agent groups' answered contacts to the total;
//  - in the contact records of one replication, every arrival ends in exactly one outcome
//    (unique ids, as many records as arrivals, flags consistent with the outcome) and every
//    case ends resolved, given up, or open at the horizon.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/engine.hpp"
#include "sim/experiment.hpp"
#include "sim/metrics.hpp"
#include "sim/scenario.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace cx;
using namespace cx::test;

namespace {

// The story scenarios and the examples, sorted for a stable order.
std::vector<fs::path> scenarioFiles() {
  std::vector<fs::path> files;
  for (const char* dir : {"scenarios", "scenarios/examples"})
    for (const auto& e : fs::directory_iterator(sourcePath(dir)))
      if (e.is_regular_file() && e.path().extension() == ".toml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

// The file cut to at most two days (day form) or 48 measured hours (continuous form): long
// enough for the overnight email backlog and returning customers, short enough to be quick.
Scenario loadShort(const fs::path& file) {
  Scenario s = loadScenario(file);
  if (s.dayStructured())
    s.days = std::min(s.days, 2);
  else
    s.horizon_hours = std::min(s.horizon_hours, 48.0);
  REQUIRE(validateScenario(s).empty());
  return s;
}

double at(const MetricValues& v, Metric m) {
  return v[static_cast<std::size_t>(m)];
}
// Metrics that are undefined where nothing of their kind happened (deflected without bot
// conversations, open_at_end without an asynchronous channel) count as zero in the sums.
double nz(double x) {
  return std::isnan(x) ? 0.0 : x;
}

// offered = answered + abandoned + deflected + open_at_end, and the parts of abandoned.
void checkOutcomes(const MetricValues& v, const std::string& where) {
  INFO(where);
  const double offered = at(v, Metric::Offered), answered = at(v, Metric::Answered),
               abandoned = at(v, Metric::Abandoned);
  REQUIRE(std::isfinite(offered));
  CHECK(offered ==
        answered + abandoned + nz(at(v, Metric::Deflected)) + nz(at(v, Metric::OpenAtEnd)));
  CHECK(at(v, Metric::Balked) <= abandoned);
  CHECK(nz(at(v, Metric::BotGaveUp)) + at(v, Metric::Balked) <= abandoned);
  CHECK(nz(at(v, Metric::SilentAbandoned)) <= abandoned);
}

// The count metrics that must add up over disjoint sets of contacts. cost_total is a count
// too but is left out: after closing the agents' paid time counts in the channel's and the
// run's totals and in no interval (docs/MODEL.md, "Time"), and a channel sharing its agents
// has no cost of its own.
std::vector<Metric> additiveCounts() {
  std::vector<Metric> out;
  for (const MetricInfo& m : allMetrics())
    if (m.is_count && m.metric != Metric::CostTotal) out.push_back(m.metric);
  return out;
}

// Σ parts = total for every additive count; a total undefined (NaN) only if every part is.
void checkSum(const std::vector<const MetricValues*>& parts, const MetricValues& total,
              const std::string& where) {
  for (Metric m : additiveCounts()) {
    INFO(where << ", " << metricInfo(m).name);
    double sum = 0.0;
    bool any = false;
    for (const MetricValues* p : parts) {
      sum += nz(at(*p, m));
      any = any || !std::isnan(at(*p, m));
    }
    CHECK(any == !std::isnan(at(total, m)));
    CHECK(sum == doctest::Approx(nz(at(total, m))).epsilon(1e-9));
  }
}

void checkReplication(const ReplicationMetrics& r, std::size_t channels, std::size_t intervals,
                      const std::string& name) {
  REQUIRE(r.channels.size() == channels);
  REQUIRE(r.intervals.size() == intervals);
  REQUIRE(r.interval_channels.size() == intervals);
  checkOutcomes(r.overall, name + " overall");
  std::vector<const MetricValues*> all_channels, all_intervals;
  for (std::size_t c = 0; c < channels; ++c) {
    checkOutcomes(r.channels[c], name + " channel " + std::to_string(c));
    all_channels.push_back(&r.channels[c]);
    std::vector<const MetricValues*> its_intervals;
    for (std::size_t i = 0; i < intervals; ++i) its_intervals.push_back(&r.interval_channels[i][c]);
    checkSum(its_intervals, r.channels[c], name + " intervals of channel " + std::to_string(c));
  }
  checkSum(all_channels, r.overall, name + " channels");
  for (std::size_t i = 0; i < intervals; ++i) {
    const std::string where = name + " interval " + std::to_string(i);
    checkOutcomes(r.intervals[i], where);
    std::vector<const MetricValues*> cells;
    for (std::size_t c = 0; c < channels; ++c) {
      checkOutcomes(r.interval_channels[i][c], where + " channel " + std::to_string(c));
      cells.push_back(&r.interval_channels[i][c]);
    }
    checkSum(cells, r.intervals[i], where + " channels");
    all_intervals.push_back(&r.intervals[i]);
  }
  checkSum(all_intervals, r.overall, name + " intervals");
  // Every answered contact was answered by one agent group.
  double by_groups = 0.0;
  for (const MetricValues& g : r.groups) by_groups += nz(at(g, Metric::Answered));
  CHECK(by_groups == at(r.overall, Metric::Answered));
}

// The records and, on the same run, the metrics computed from them.
struct Capture final : SimObserver {
  explicit Capture(const Scenario& s) : monitor(s) {}
  std::vector<ContactRecord> contacts;
  Monitor monitor;
  void onContact(const ContactRecord& r) override {
    contacts.push_back(r);
    monitor.onContact(r);
  }
  void onInterval(const IntervalSample& s) override { monitor.onInterval(s); }
  void onGroupInterval(const GroupSample& s) override { monitor.onGroupInterval(s); }
};

// One record, one outcome: the flags agree with it.
void checkRecord(const ContactRecord& r, const Scenario& s) {
  INFO("contact " << r.id << " (" << toString(r.outcome) << ", case " << r.case_id << " #"
                  << r.contact_number << ")");
  REQUIRE(r.channel < s.channels.size());
  if (r.open_at_end) {
    // An email or message still waiting for its reply: neither answered nor abandoned.
    CHECK(s.channels[r.channel].asynchronous());
    CHECK((r.outcome == Outcome::Abandoned));
    CHECK(r.reached_agents);
    CHECK_FALSE(r.silent);
    CHECK_FALSE(r.resolved);
    return;
  }
  switch (r.outcome) {
    case Outcome::Answered:
      CHECK(r.reached_agents);
      CHECK(r.handle_s >= 0.0);
      CHECK(r.wait_s >= 0.0);
      CHECK_FALSE(r.silent);
      break;
    case Outcome::Deflected:
      CHECK(r.via_bot);
      CHECK_FALSE(r.reached_agents);
      CHECK(r.handle_s == 0.0);
      CHECK(r.wait_s == 0.0);
      break;
    case Outcome::Balked:
      CHECK(r.reached_agents);
      CHECK(r.waited);
      CHECK(r.wait_s == 0.0);
      CHECK_FALSE(r.resolved);
      break;
    case Outcome::Abandoned:
      CHECK(r.handle_s == 0.0);
      CHECK_FALSE(r.resolved);
      if (!r.reached_agents) CHECK(r.via_bot);  // gave up in the bot's loop
      break;
  }
  if (r.silent) CHECK((r.outcome == Outcome::Abandoned));
  if (r.resolved) CHECK(r.case_ended);  // a solved problem ends its case
}

// What the records showed, so the test can insist the shipped files exercise each mechanism.
struct Seen {
  bool transfers = false, silent = false, open_at_end = false, returns = false, bot = false;
};

Seen checkRecords(const Scenario& full, const std::string& name) {
  // Warm-up off: every arrival is then in the measured window and must leave a record.
  Scenario s = full;
  s.warmup_hours = 0.0;
  REQUIRE(validateScenario(s).empty());
  Capture cap(s);
  Simulation sim(s, s.seed, 0);
  sim.run(cap);
  const EngineStats& stats = sim.stats();
  INFO(name << ": " << cap.contacts.size() << " records, " << stats.arrivals << " arrivals");

  // Every arrival ends in exactly one outcome: one record each, with its own id.
  CHECK(cap.contacts.size() == stats.arrivals);
  std::set<std::uint64_t> ids;
  Seen seen;
  for (const ContactRecord& r : cap.contacts) {
    CHECK(ids.insert(r.id).second);
    checkRecord(r, s);
    seen.transfers = seen.transfers || r.transferred;
    seen.silent = seen.silent || r.silent;
    seen.open_at_end = seen.open_at_end || r.open_at_end;
    seen.returns = seen.returns || r.contact_number > 1;
    seen.bot = seen.bot || r.via_bot;
  }

  // The metrics of the same run count the same records.
  const ReplicationMetrics m = cap.monitor.metrics();
  std::vector<double> offered(s.channels.size()), answered(s.channels.size()),
      abandoned(s.channels.size()), deflected(s.channels.size()), open(s.channels.size());
  for (const ContactRecord& r : cap.contacts) {
    offered[r.channel] += 1;
    if (r.open_at_end)
      open[r.channel] += 1;
    else if (r.outcome == Outcome::Answered)
      answered[r.channel] += 1;
    else if (r.outcome == Outcome::Deflected)
      deflected[r.channel] += 1;
    else
      abandoned[r.channel] += 1;
  }
  for (std::size_t c = 0; c < s.channels.size(); ++c) {
    INFO("channel " << s.channels[c].id);
    CHECK(at(m.channels[c], Metric::Offered) == offered[c]);
    CHECK(at(m.channels[c], Metric::Answered) == answered[c]);
    CHECK(at(m.channels[c], Metric::Abandoned) == abandoned[c]);
    CHECK(nz(at(m.channels[c], Metric::Deflected)) == deflected[c]);
    CHECK(nz(at(m.channels[c], Metric::OpenAtEnd)) == open[c]);
  }

  // Cases: contacts 1..n in order, the first one's id is the case's; at most one contact ends
  // the case and nothing follows it. A case then ended resolved, ended unresolved (the
  // customer gave up: abandoned, or did not come back), or is open at the horizon.
  struct CaseSeen {
    std::vector<const ContactRecord*> contacts;
    int ends = 0;
  };
  std::map<std::uint64_t, CaseSeen> cases;
  for (const ContactRecord& r : cap.contacts) {
    CaseSeen& c = cases[r.case_id];
    c.contacts.push_back(&r);
    c.ends += r.case_ended ? 1 : 0;
  }
  std::uint64_t resolved = 0, given_up = 0, open_at_horizon = 0, open_backlog = 0,
                contacts_of_ended = 0;
  for (auto& [id, c] : cases) {
    INFO("case " << id);
    std::sort(c.contacts.begin(), c.contacts.end(),
              [](const ContactRecord* a, const ContactRecord* b) {
                return a->contact_number < b->contact_number;
              });
    for (std::size_t k = 0; k < c.contacts.size(); ++k)
      REQUIRE(c.contacts[k]->contact_number == k + 1);
    CHECK(c.contacts.front()->id == id);
    REQUIRE(c.ends <= 1);
    const ContactRecord& last = *c.contacts.back();
    if (c.ends == 1) {
      CHECK(last.case_ended);  // the contact that ended it is the last one
      contacts_of_ended += last.contact_number;
      (last.resolved ? resolved : given_up) += 1;
    } else if (s.journeys) {
      ++open_at_horizon;
    } else {
      // Without journeys a case is one contact; only an unanswered email or message is left
      // open (neither resolved nor given up: its reply was still to come).
      CHECK(last.open_at_end);
      ++open_backlog;
    }
  }
  CHECK(resolved + given_up + open_at_horizon + open_backlog == cases.size());
  std::uint64_t first_contacts = 0;
  for (const ContactRecord& r : cap.contacts) first_contacts += r.contact_number == 1;
  CHECK(first_contacts == cases.size());
  CHECK(stats.cases_open == open_at_horizon);
  CHECK(cap.contacts.size() - first_contacts == stats.retries);
  if (s.journeys) {
    // The case metrics are these counts.
    const double ended = static_cast<double>(resolved + given_up);
    CHECK(at(m.overall, Metric::CaseResolution) ==
          doctest::Approx(static_cast<double>(resolved) / ended));
    CHECK(at(m.overall, Metric::ContactsPerCase) ==
          doctest::Approx(static_cast<double>(contacts_of_ended) / ended));
  }
  return seen;
}

}  // namespace

TEST_CASE("conservation: every shipped scenario's contacts and cases add up, everywhere") {
  const auto files = scenarioFiles();
  REQUIRE(files.size() >= 15);  // 8 at the top, 7 examples
  Seen all;
  for (const fs::path& file : files) {
    const std::string name = fs::relative(file, sourcePath("scenarios")).string();
    INFO(name);
    const Scenario s = loadShort(file);
    ExperimentOptions opt;
    opt.seed = s.seed;
    opt.replications = 2;
    opt.threads = 1;
    const ExperimentResult r = runExperiment(s, opt);
    REQUIRE(r.reps.size() == 2);
    const auto intervals = static_cast<std::size_t>(s.intervalsPerDay());
    for (std::size_t k = 0; k < r.reps.size(); ++k)
      checkReplication(r.reps[k], s.channels.size(), intervals, name + " rep " + std::to_string(k));
    const Seen seen = checkRecords(s, name);
    all.transfers = all.transfers || seen.transfers;
    all.silent = all.silent || seen.silent;
    all.open_at_end = all.open_at_end || seen.open_at_end;
    all.returns = all.returns || seen.returns;
    all.bot = all.bot || seen.bot;
  }
  // The test must be able to fail on each mechanism: the shipped files exercise them all.
  CHECK(all.bot);
  CHECK(all.returns);
  CHECK(all.transfers);
  CHECK(all.silent);
  CHECK(all.open_at_end);
}
