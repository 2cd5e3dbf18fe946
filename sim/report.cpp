#include "sim/report.hpp"

#include <cmath>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

namespace cx {

namespace {

nlohmann::ordered_json number(double x) {
  if (!std::isfinite(x)) return nullptr;
  return x;
}

nlohmann::ordered_json estimatesJson(const MetricEstimates& est) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const MetricInfo& m : allMetrics()) {
    const Estimate& e = est[static_cast<std::size_t>(m.metric)];
    j[m.name] = {{"mean", number(e.mean)}, {"ci95", number(e.ci95)}};
  }
  return j;
}

// The figures that mean something for a group of agents.
constexpr Metric kGroupMetrics[] = {Metric::Answered,      Metric::AhtS,       Metric::Occupancy,
                                    Metric::BusyMean,      Metric::AgentsMean, Metric::CostTotal,
                                    Metric::CostPerContact};

nlohmann::ordered_json groupJson(const MetricEstimates& est) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (Metric m : kGroupMetrics) {
    const Estimate& e = est[static_cast<std::size_t>(m)];
    j[metricInfo(m).name] = {{"mean", number(e.mean)}, {"ci95", number(e.ci95)}};
  }
  return j;
}

nlohmann::ordered_json distJson(const DistSpec& d) {
  nlohmann::ordered_json j = {{"dist", toString(d.kind)}, {"mean_s", d.mean_s}};
  if (d.kind == DistSpec::Kind::Lognormal || d.kind == DistSpec::Kind::Gamma) j["cv"] = d.cv;
  if (d.kind == DistSpec::Kind::Empirical) {
    j["values"] = d.values_s.size();
    if (!d.source.empty()) j["file"] = d.source;
  }
  return j;
}

template <typename T>
nlohmann::ordered_json listOrScalar(const std::vector<T>& v) {
  if (v.size() == 1) return v[0];
  return v;
}

// The shifts as given, and the agents on a break they put in each interval (the agents on
// duty are in "agents").
nlohmann::ordered_json shiftsJson(const std::vector<ShiftSpec>& shifts,
                                  const std::vector<int>& on_break) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ShiftSpec& sh : shifts) {
    nlohmann::ordered_json breaks = nlohmann::ordered_json::array();
    for (const ShiftSpec::Break& b : sh.breaks)
      breaks.push_back({{"start_s", b.start_s}, {"minutes", b.minutes}});
    list.push_back({{"start_s", sh.start_s},
                    {"hours", sh.hours},
                    {"agents", sh.agents},
                    {"breaks", std::move(breaks)}});
  }
  return {{"list", std::move(list)}, {"on_break", on_break}};
}

nlohmann::ordered_json scenarioJson(const Scenario& s) {
  nlohmann::ordered_json j;
  j["name"] = s.name;
  if (!s.source_path.empty()) j["file"] = s.source_path.string();
  if (s.dayStructured()) {
    j["days"] = s.days;
    j["open"] = fmt::format("{:02}:{:02}", static_cast<int>(s.open_s) / 3600,
                            static_cast<int>(s.open_s) % 3600 / 60);
  } else {
    j["horizon_hours"] = s.horizon_hours;
    j["warmup_hours"] = s.warmup_hours;
  }
  j["interval_minutes"] = s.interval_minutes;
  j["intervals"] = s.intervalsPerDay();
  nlohmann::ordered_json channels = nlohmann::ordered_json::array();
  for (const ChannelSpec& c : s.channels) {
    nlohmann::ordered_json cj;
    cj["id"] = c.id;
    cj["kind"] = toString(c.kind);
    if (!c.agents.empty()) cj["agents"] = listOrScalar(c.agents);  // else per group
    if (!c.shifts.empty()) cj["shifts"] = shiftsJson(c.shifts, c.on_break);
    cj["arrivals_per_hour"] = listOrScalar(c.arrivals.per_hour);
    if (c.arrivals.busyness_alpha > 0) cj["busyness_alpha"] = c.arrivals.busyness_alpha;
    if (!c.arrivals.day_factors.empty()) cj["day_factors"] = c.arrivals.day_factors;
    cj["handle_time"] = distJson(c.handle_time);
    if (c.patience) cj["patience"] = distJson(*c.patience);
    cj["balk_probability"] = c.balk_probability;
    cj["service_level"] = {{"threshold_s", c.service_level.threshold_s},
                           {"target", c.service_level.target}};
    channels.push_back(std::move(cj));
  }
  j["channels"] = std::move(channels);
  if (!s.agent_groups.empty()) {
    nlohmann::ordered_json groups = nlohmann::ordered_json::array();
    for (const AgentGroupSpec& g : s.agent_groups) {
      nlohmann::ordered_json gj = {{"id", g.id},
                                   {"channels", g.channels},
                                   {"agents", listOrScalar(g.agents)},
                                   {"proficiency", g.proficiency}};
      if (g.cost_per_hour) gj["cost_per_hour"] = *g.cost_per_hour;
      if (!g.shifts.empty()) gj["shifts"] = shiftsJson(g.shifts, g.on_break);
      if (!g.intents.empty()) gj["intents"] = g.intents;
      gj["empathy"] = g.empathy;
      gj["professionalism"] = g.professionalism;
      gj["fcr_uplift"] = g.fcr_uplift;
      groups.push_back(std::move(gj));
    }
    j["agent_groups"] = std::move(groups);
  }
  if (!s.intents.empty()) {
    nlohmann::ordered_json intents = nlohmann::ordered_json::array();
    for (const IntentSpec& in : s.intents) {
      nlohmann::ordered_json share = nlohmann::ordered_json::object();
      for (const auto& [id, x] : in.share) share[id] = x;
      nlohmann::ordered_json ij = {{"id", in.id},
                                   {"complexity", toString(in.complexity)},
                                   {"handle_factor", in.handle_factor},
                                   {"fcr", in.fcr}};
      if (in.bot_containment) ij["bot_containment"] = *in.bot_containment;
      ij["share"] = std::move(share);
      if (in.transfer)
        ij["transfer"] = {{"to", in.transfer->to},
                          {"share", in.transfer->share},
                          {"after", distJson(in.transfer->after)}};
      intents.push_back(std::move(ij));
    }
    j["intents"] = std::move(intents);
  }
  if (s.bot) {
    const BotSpec& b = *s.bot;
    j["bot"] = {{"channels", b.channels},
                {"conversation", distJson(b.conversation)},
                {"containment", b.containment},
                {"escalation", b.cold ? "cold" : "warm"},
                {"cold_handle_factor", b.cold_handle_factor},
                {"loop_turns", b.loop_turns},
                {"turn_s", b.turn_s},
                {"loop_abandon", b.loop_abandon},
                {"false_containment", b.false_containment},
                {"escalated_handle_factor", b.escalated_handle_factor},
                {"cost_per_conversation", b.cost_per_conversation}};
  }
  if (s.journeys) {
    const JourneySpec& jn = *s.journeys;
    nlohmann::ordered_json rows = nlohmann::ordered_json::object();
    for (const auto& [from, row] : jn.switch_rows) {
      nlohmann::ordered_json r = nlohmann::ordered_json::object();
      for (const auto& [to, p] : row) r[to] = p;
      rows[from] = std::move(r);
    }
    j["journeys"] = {{"retry_unresolved", jn.retry_unresolved},
                     {"retry_abandoned", jn.retry_abandoned},
                     {"delay", distJson(jn.delay)},
                     {"switch", std::move(rows)},
                     {"shared_context", jn.shared_context},
                     {"repeat_handle_factor", jn.repeat_handle_factor},
                     {"max_contacts", jn.max_contacts},
                     {"promise_follow_up", jn.promise_follow_up},
                     {"broken_promise", jn.broken_promise}};
  }
  if (s.outcomes) {
    const OutcomesSpec& o = *s.outcomes;
    nlohmann::ordered_json oj = {{"customers", o.customers}};
    if (o.value_per_year) oj["value_per_year"] = *o.value_per_year;
    if (o.response_rate) oj["response_rate"] = *o.response_rate;
    // The rate in force (the scenario's, else the calibration's): survey_responses and
    // csat_survey_margin follow from it.
    oj["survey_response_rate"] = surveyResponseRate(s);
    if (!o.calibration_file.empty()) oj["calibration"] = o.calibration_file;
    j["outcomes"] = std::move(oj);
  }
  if (s.empowerment) {
    const EmpowermentSpec& e = *s.empowerment;
    nlohmann::ordered_json needs = nlohmann::ordered_json::array();
    for (Complexity c : e.needs) needs.push_back(toString(c));
    j["empowerment"] = {{"extra_minutes", e.extra_minutes},
                        {"needs", std::move(needs)},
                        {"use", e.use},
                        {"fcr_gain", e.fcr_gain}};
  }
  if (s.costs) {
    j["costs"] = {{"agent_per_hour", s.costs->agent_per_hour}, {"shrinkage", s.costs->shrinkage}};
  }
  return j;
}

std::string csvField(double x) {
  return std::isfinite(x) ? fmt::format("{}", x) : std::string();
}

std::string csvHeader() {
  std::string h;
  for (const MetricInfo& m : allMetrics()) h += fmt::format(",{0},{0}_ci95", m.name);
  return h;
}

std::string csvValues(const MetricEstimates& est) {
  std::string line;
  for (const Estimate& e : est) line += "," + csvField(e.mean) + "," + csvField(e.ci95);
  return line;
}

std::ofstream openForWrite(const std::filesystem::path& file) {
  std::ofstream out(file);
  if (!out) throw std::runtime_error(fmt::format("cannot write {}", file.string()));
  return out;
}

}  // namespace

std::string intervalLabel(const Scenario& scenario, int interval) {
  const double offset = interval * scenario.intervalSeconds();
  if (scenario.dayStructured()) {
    const auto t = static_cast<long>(std::lround(scenario.open_s + offset));
    return fmt::format("{:02}:{:02}", t / 3600 % 24, t % 3600 / 60);
  }
  const auto t = static_cast<long>(std::lround(offset));
  return fmt::format("+{:02}:{:02}", t / 3600, t % 3600 / 60);
}

nlohmann::ordered_json resultToJson(const Scenario& scenario, const ExperimentResult& result) {
  nlohmann::ordered_json j;
  j["scenario"] = scenarioJson(scenario);
  j["reps"] = result.replications;
  j["seed"] = result.seed;
  j["overall"] = estimatesJson(result.overall);
  nlohmann::ordered_json channels = nlohmann::ordered_json::object();
  for (std::size_t c = 0; c < scenario.channels.size(); ++c)
    channels[scenario.channels[c].id] = estimatesJson(result.channels[c]);
  j["channels"] = std::move(channels);
  nlohmann::ordered_json groups = nlohmann::ordered_json::object();
  const std::vector<AgentGroupSpec> specs = scenario.effectiveAgentGroups();
  for (std::size_t g = 0; g < specs.size() && g < result.groups.size(); ++g)
    groups[specs[g].id] = groupJson(result.groups[g]);
  j["groups"] = std::move(groups);
  nlohmann::ordered_json intervals = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < result.intervals.size(); ++k) {
    nlohmann::ordered_json ij;
    ij["index"] = k;
    ij["start"] = intervalLabel(scenario, static_cast<int>(k));
    ij["start_s"] = (scenario.dayStructured() ? scenario.open_s : 0.0) +
                    static_cast<double>(k) * scenario.intervalSeconds();
    ij["overall"] = estimatesJson(result.intervals[k]);
    nlohmann::ordered_json per_channel = nlohmann::ordered_json::object();
    for (std::size_t c = 0; c < scenario.channels.size(); ++c)
      per_channel[scenario.channels[c].id] = estimatesJson(result.interval_channels[k][c]);
    ij["channels"] = std::move(per_channel);
    intervals.push_back(std::move(ij));
  }
  j["intervals"] = std::move(intervals);
  j["run"] = {{"threads", result.threads},
              {"wall_s", result.wall_s},
              {"cancelled", result.cancelled},
              {"events", result.engine.events},
              {"arrivals", result.engine.arrivals},
              {"retries", result.engine.retries},
              {"transfers", result.engine.transfers},
              {"silent_abandons", result.engine.silent_abandons},
              {"cases_open_at_end", result.engine.cases_open}};
  return j;
}

void writeCsv(const Scenario& scenario, const ExperimentResult& result,
              const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot create {}: {}", dir.string(), ec.message()));

  auto summary = openForWrite(dir / "summary.csv");
  summary << "scope" << csvHeader() << "\n";
  summary << "overall" << csvValues(result.overall) << "\n";
  for (std::size_t c = 0; c < scenario.channels.size(); ++c)
    summary << scenario.channels[c].id << csvValues(result.channels[c]) << "\n";

  auto intervals = openForWrite(dir / "intervals.csv");
  intervals << "interval,start,channel" << csvHeader() << "\n";
  for (std::size_t k = 0; k < result.intervals.size(); ++k) {
    const std::string label = intervalLabel(scenario, static_cast<int>(k));
    for (std::size_t c = 0; c < scenario.channels.size(); ++c)
      intervals << k << "," << label << "," << scenario.channels[c].id
                << csvValues(result.interval_channels[k][c]) << "\n";
    intervals << k << "," << label << ",all" << csvValues(result.intervals[k]) << "\n";
  }
  if (!summary || !intervals)
    throw std::runtime_error(fmt::format("error writing CSV files in {}", dir.string()));
}

}  // namespace cx
