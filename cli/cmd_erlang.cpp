// cxsim erlang: the analytic figures of Erlang C (no patience) or Erlang A (with patience).
#include <cmath>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "sim/analytic.hpp"

namespace cx::cli {

Command addErlangCommand(CLI::App& app) {
  struct Options {
    double per_hour = 0, aht_s = 0, threshold_s = 20;
    std::optional<int> agents;
    std::optional<double> target_sl, patience_s, max_abandon, max_occupancy;
    std::string json;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "erlang", "Analytic queue figures: Erlang C, or Erlang A when --patience-s is given");
  cmd->add_option("--per-hour", o->per_hour, "Arrivals per hour")
      ->required()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--aht-s", o->aht_s, "Mean handle time, seconds")
      ->required()
      ->check(CLI::PositiveNumber);
  auto* agents = cmd->add_option("--agents", o->agents, "Agents (evaluate this staffing)")
                     ->check(CLI::Range(1, 10000000));
  auto* target = cmd->add_option("--target-sl", o->target_sl,
                                 "Service-level target in (0,1): find the smallest agent count")
                     ->check(CLI::Range(0.0, 1.0));
  agents->excludes(target);
  target->excludes(agents);
  cmd->add_option("--patience-s", o->patience_s, "Mean patience, seconds (exponential): Erlang A")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--threshold-s", o->threshold_s, "Service-level threshold, seconds (default 20)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-abandon", o->max_abandon,
                  "With --target-sl: also keep abandonment at or below this")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-occupancy", o->max_occupancy,
                  "With --target-sl: also keep occupancy at or below this")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--json", o->json, "Write the figures as JSON to PATH ('-' = stdout only)");

  return [o]() -> int {
    if (!o->agents && !o->target_sl) {
      std::cerr << "cxsim erlang: give either --agents N or --target-sl P\n";
      return kExitBadInput;
    }
    const double lambda = o->per_hour / 3600.0;
    analytic::QueueResult q;
    try {
      if (o->agents) {
        q = analytic::evaluate({lambda, o->aht_s, *o->agents, o->patience_s, o->threshold_s});
      } else {
        analytic::StaffingTarget t;
        t.service_level = *o->target_sl;
        t.threshold_s = o->threshold_s;
        t.max_abandon_rate = o->max_abandon;
        t.max_occupancy = o->max_occupancy;
        q = analytic::minimumAgents(lambda, o->aht_s, o->patience_s, t);
      }
    } catch (const std::logic_error& e) {  // invalid input, or a model too large to evaluate
      std::cerr << "cxsim erlang: " << e.what() << "\n";
      return kExitBadInput;
    }
    auto num = [](double x) -> nlohmann::ordered_json {
      if (std::isfinite(x)) return x;
      return nullptr;
    };
    nlohmann::ordered_json j;
    j["model"] = o->patience_s ? "erlang_a" : "erlang_c";
    j["per_hour"] = o->per_hour;
    j["aht_s"] = o->aht_s;
    if (o->patience_s) j["patience_s"] = *o->patience_s;
    j["threshold_s"] = o->threshold_s;
    j["offered_load"] = q.offered_load;
    j["agents"] = q.agents;
    j["p_wait"] = num(q.p_wait);
    j["abandon_rate"] = num(q.abandon_rate);
    j["asa_s"] = num(q.asa_s);
    j["service_level"] = num(q.service_level);
    j["occupancy"] = num(q.occupancy);
    j["queue_mean"] = num(q.queue_mean);
    j["stable"] = q.stable;
    if (!o->json.empty()) writeOutput(o->json, j.dump(2) + "\n");
    if (o->json == "-") return kExitOk;

    std::cout << fmt::format(
        "{} — {:g} arrivals/h, AHT {:g} s{}, offered load {:.3f} erlangs\n",
        o->patience_s ? "Erlang A (M/M/N+M)" : "Erlang C (M/M/N)", o->per_hour, o->aht_s,
        o->patience_s ? fmt::format(", mean patience {:g} s", *o->patience_s) : "", q.offered_load);
    if (o->target_sl)
      std::cout << fmt::format(
          "smallest staffing meeting {:.1f}% in {:g} s{}{}\n", 100 * *o->target_sl, o->threshold_s,
          o->max_abandon ? fmt::format(", abandonment ≤ {:.1f}%", 100 * *o->max_abandon) : "",
          o->max_occupancy ? fmt::format(", occupancy ≤ {:.1f}%", 100 * *o->max_occupancy) : "");
    auto pct = [](double x) {
      return std::isfinite(x) ? fmt::format("{:.2f}%", 100 * x) : std::string("–");
    };
    std::cout << fmt::format("agents          {}\n", q.agents);
    std::cout << fmt::format("P(wait)         {}\n", pct(q.p_wait));
    std::cout << fmt::format("abandon rate    {}\n", pct(q.abandon_rate));
    std::cout << fmt::format("ASA             {}\n", std::isfinite(q.asa_s)
                                                         ? fmt::format("{:.2f} s", q.asa_s)
                                                         : "∞ (unstable)");
    std::cout << fmt::format("service level   {} answered within {:g} s\n", pct(q.service_level),
                             o->threshold_s);
    std::cout << fmt::format("occupancy       {}\n", pct(q.occupancy));
    if (!q.stable)
      std::cout
          << "warning: offered load ≥ agents and nobody abandons: the queue grows without bound\n";
    return kExitOk;
  };
}

}  // namespace cx::cli
