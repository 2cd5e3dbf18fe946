#include "sim/journey_persona.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "sim/engine.hpp"

namespace cx {

namespace {

bool botFailed(const ContactRecord& r) {
  if (!r.via_bot) return false;
  if (r.reached_agents) return true;                        // escalated to a person
  if (r.outcome == Outcome::Deflected) return !r.resolved;  // falsely contained
  return r.outcome == Outcome::Abandoned;                   // gave up in the bot's loop
}

std::string clock(double t) {
  const auto s = static_cast<long long>(std::fmod(t, 86400.0));
  return fmt::format("{:02}:{:02}", s / 3600, s % 3600 / 60);
}

std::string duration(double s) {
  const long long total = std::llround(s);
  if (total < 60) return fmt::format("{} s", total);
  if (total < 3600) return fmt::format("{} min {} s", total / 60, total % 60);
  return fmt::format("{} h {} min", total / 3600, total % 3600 / 60);
}

class Collector final : public SimObserver {
 public:
  std::map<std::uint64_t, Journey> cases;
  void onContact(const ContactRecord& r) override {
    Journey& j = cases[r.case_id];
    j.case_id = r.case_id;
    j.contacts.push_back(r);
  }
  void onInterval(const IntervalSample&) override {}
  void onGroupInterval(const GroupSample&) override {}
};

}  // namespace

JourneyToll journeyToll(const Journey& journey, const Scenario& scenario) {
  JourneyToll t;
  std::uint32_t last_channel = journey.contacts.empty() ? 0 : journey.contacts.front().channel;
  bool bot_failed = false;
  double late_minutes = 0;
  for (const ContactRecord& r : journey.contacts) {
    t.contacts += 0.1;
    const double threshold = scenario.channels.at(r.channel).service_level.threshold_s;
    late_minutes += std::max(0.0, r.wait_s - threshold) / 60.0;
    if (!r.resolved) t.unresolved += 0.1;
    bot_failed = bot_failed || botFailed(r);
    if (r.repeated_info) t.repeated += 0.05;
    if (r.channel != last_channel) t.switched += 0.05;
    last_channel = r.channel;
  }
  t.waiting = std::min(0.3, 0.05 * late_minutes);
  t.bot = bot_failed ? 0.1 : 0.0;
  t.uncapped = t.contacts + t.waiting + t.unresolved + t.bot + t.repeated + t.switched;
  t.total = std::min(kMaxMoodLoss, t.uncapped);
  return t;
}

std::string describeJourney(const Journey& journey, const Scenario& scenario) {
  std::string out;
  for (const ContactRecord& r : journey.contacts) {
    const ChannelSpec& ch = scenario.channels.at(r.channel);
    std::string line = fmt::format("{} day {} {}", ch.id, r.day + 1, clock(r.arrival_s));
    if (r.via_bot) {
      line += r.reached_agents                  ? " · bot, then asked for a person"
              : r.outcome == Outcome::Deflected ? " · bot"
                                                : " · gave up in the bot";
    }
    if (r.reached_agents) line += " · waited " + duration(r.wait_s);
    switch (r.outcome) {
      case Outcome::Answered:
        line += r.resolved ? " · answered, solved" : " · answered, not solved";
        break;
      case Outcome::Deflected:
        line += r.resolved ? ", solved" : ", seemed solved but was not";
        break;
      case Outcome::Abandoned:
        if (r.reached_agents) line += " · hung up";
        break;
      case Outcome::Balked:
        line += " · left at once (queue full)";
        break;
    }
    if (r.repeated_info) line += " · told the story again";
    if (r.follow_up) line += " · the agent called back as promised";
    if (r.chase) line += " · chasing a promise nobody kept";
    out += line + "\n";
  }
  return out;
}

Persona personaFromJourney(const Persona& base, const Journey& journey, const Scenario& scenario) {
  Persona p = base;
  const JourneyToll toll = journeyToll(journey, scenario);
  const double floor = std::max(0.05, base.leaves_below + 0.05);
  p.mood = std::clamp(base.mood - toll.total, std::min(floor, base.mood), 1.0);
  p.patience_s = std::max(5.0, base.patience_s * (base.mood > 0 ? p.mood / base.mood : 1.0));
  const std::string told = describeJourney(journey, scenario);
  std::string one_line;
  for (char c : told) one_line += c == '\n' ? std::string("; ") : std::string(1, c);
  if (one_line.size() >= 2) one_line.resize(one_line.size() - 2);
  p.history = base.history + (base.history.empty() ? "" : " ") + "Their contacts so far (" +
              scenario.name + "): " + one_line + ".";
  return p;
}

std::vector<Journey> unresolvedJourneys(const Scenario& scenario, std::uint64_t seed,
                                        std::uint32_t replication) {
  Collector collector;
  Simulation(scenario, seed, replication).run(collector);
  std::vector<std::pair<double, Journey>> ranked;
  for (auto& [id, j] : collector.cases) {
    if (j.resolved()) continue;
    const double toll = journeyToll(j, scenario).uncapped;
    ranked.emplace_back(toll, std::move(j));
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<Journey> out;
  out.reserve(ranked.size());
  for (auto& [toll, j] : ranked) out.push_back(std::move(j));
  return out;
}

}  // namespace cx
