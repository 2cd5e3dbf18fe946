// The sweep view's job: see sweep_job.hpp.

#include "gui/sweep_job.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "gui/scenario_toml.hpp"

namespace cx::studio {

namespace {

// The first of `names` this version of the library produces, else `fallback`: CSAT and churn
// take over the frontier's axes by themselves once they are metrics.
Metric firstMetric(std::initializer_list<const char*> names, Metric fallback) {
  for (const char* name : names) {
    Metric m;
    if (metricByName(name, m)) return m;
  }
  return fallback;
}

// The bot's containment key to sweep, and its value now: bot.containment, or when contact
// reasons set their own, the reason with the largest share of the bot's channels.
std::pair<std::string, double> containmentKey(const Scenario& scenario) {
  const BotSpec& bot = *scenario.bot;
  std::string key = "bot.containment";
  double value = bot.containment;
  double best = 0.0;
  for (const IntentSpec& intent : scenario.intents) {
    if (!intent.bot_containment) continue;
    double share = 0.0;
    for (const std::string& channel : bot.channels) share += intent.shareOf(channel);
    if (share > best) {
      best = share;
      key = "intents." + intent.id + ".bot_containment";
      value = *intent.bot_containment;
    }
  }
  return {key, value};
}

}  // namespace

void prefillSweep(SweepView& view, const Scenario& scenario) {
  view.prefilled = true;
  view.x = Metric::CostTotal;
  const bool outcomes = scenario.outcomes.has_value();
  view.y = outcomes ? firstMetric({"csat"}, Metric::ServiceLevel) : Metric::ServiceLevel;
  view.colour =
      outcomes ? firstMetric({"churn_rate", "churn"}, Metric::AbandonRate) : Metric::AbandonRate;
  // The agents of the first unit serving a bot channel (the human side of the AI/human
  // frontier), else of the first unit.
  const std::vector<AgentGroupSpec> units = scenario.effectiveAgentGroups();
  auto unit = units.begin();
  if (scenario.bot)
    for (auto u = units.begin(); u != units.end(); ++u)
      if (std::any_of(u->channels.begin(), u->channels.end(), [&](const std::string& c) {
            return std::find(scenario.bot->channels.begin(), scenario.bot->channels.end(), c) !=
                   scenario.bot->channels.end();
          })) {
        unit = u;
        break;
      }
  view.vary[0].clear();
  if (unit != units.end() && !unit->agents.empty()) {
    // A flat staffing level around today's mean: four points either side, in steps of two.
    const double mean = std::accumulate(unit->agents.begin(), unit->agents.end(), 0.0) /
                        static_cast<double>(unit->agents.size());
    const int centre = std::max(5, static_cast<int>(std::lround(mean)));
    view.vary[0] = fmt::format("{}.{}.agents={}:{}:2",
                               scenario.agent_groups.empty() ? "channels" : "agent_groups",
                               unit->id, centre - 4, centre + 4);
  }
  view.vary[1].clear();
  if (scenario.bot) {
    // Today's containment ± 0.3 in steps of 0.15, within 0.05–0.95.
    const auto [key, value] = containmentKey(scenario);
    const double lo = std::max(0.05, std::round((value - 0.3) * 20.0) / 20.0);
    const double hi = std::min(0.95, std::round((value + 0.3) * 20.0) / 20.0);
    view.vary[1] = fmt::format("{}={:g}:{:g}:0.15", key, lo, hi);
  }
}

SweepSpec sweepSpecOf(const SweepView& view) {
  SweepSpec spec;
  for (const std::string& text : view.vary)
    if (!text.empty()) spec.ranges.push_back(parseRange(text));
  if (spec.ranges.empty())
    throw std::invalid_argument("nothing to sweep: give at least one KEY=LO:HI:STEP");
  for (const SweepRange& r : spec.ranges)
    if (r.lo < r.hi && r.step <= 0.0)
      throw std::invalid_argument(
          fmt::format("{}: the studio sweeps a grid, expected KEY=LO:HI:STEP", r.text));
  for (Metric m : {view.x, view.y})
    if (metricInfo(m).better != Better::Neither)
      spec.frontier.push_back(FrontierMetric{m, metricInfo(m).better});
  if (spec.frontier.size() < 2) spec.frontier.clear();  // a frontier needs two objectives
  return spec;
}

PreparedSweep prepareSweepOf(const Scenario& scenario, const SweepSpec& spec) {
  const std::string text = scenarioToToml(scenario);
  const std::string name = scenario.source_path.empty() ? std::string("(unsaved scenario)")
                                                        : scenario.source_path.string();
  const std::filesystem::path base =
      scenario.source_path.empty() ? std::filesystem::path() : scenario.source_path.parent_path();
  PreparedSweep prepared;
  prepared.points = gridPoints(spec.ranges);
  for (const auto& point : prepared.points) {
    std::vector<std::string> overrides = spec.overrides;
    for (std::size_t k = 0; k < spec.ranges.size(); ++k)
      overrides.push_back(spec.ranges[k].key + "=" + point[k]);
    try {
      prepared.scenarios.push_back(parseScenario(text, name, base, overrides));
    } catch (const ScenarioError& e) {
      // Name the range the bad value came from, as `cxsim sweep` does.
      std::vector<Diagnostic> diagnostics = e.diagnostics();
      for (Diagnostic& d : diagnostics)
        for (std::size_t k = 0; k < spec.ranges.size(); ++k)
          if (d.file == "--set " + spec.ranges[k].key + "=" + point[k])
            d.file = fmt::format("{} (at {})", spec.ranges[k].text, point[k]);
      throw ScenarioError(std::move(diagnostics));
    }
  }
  return prepared;
}

void startSweep(SweepView& view, const Scenario& scenario, const RunSettings& settings) {
  view.error.clear();
  view.running_label = scenario.name;
  SweepSpec spec;
  try {
    spec = sweepSpecOf(view);
  } catch (const std::exception& e) {
    view.error = e.what();
    return;
  }
  ExperimentOptions options;
  options.seed = settings.seed;
  options.replications = std::max(2, settings.replications);
  options.threads = settings.threads;
  // Parsing every point's scenario is quick but not free: it runs on the worker too.
  view.job.start([scenario, spec, options] {
    try {
      return runSweep(spec, prepareSweepOf(scenario, spec), options);
    } catch (const ScenarioError& e) {
      const auto& d = e.diagnostics();
      throw std::runtime_error(d.empty() ? std::string(e.what()) : d.front().format());
    }
  });
}

}  // namespace cx::studio
