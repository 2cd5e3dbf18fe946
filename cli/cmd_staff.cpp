// cxsim staff FILE: agents needed per interval and channel (Erlang or simulation), a least-cost
// roster from shift templates, and a simulation of what that plan buys. docs/STAFFING.md.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "sim/experiment.hpp"
#include "sim/report.hpp"
#include "sim/roster.hpp"
#include "sim/staffing.hpp"

namespace cx::cli {

namespace {

nlohmann::ordered_json num(double x) {
  if (std::isfinite(x)) return x;
  return nullptr;
}

std::string pct(double x) {
  return std::isfinite(x) ? fmt::format("{:.1f}%", 100.0 * x) : std::string("–");
}
std::string secs(double x) {
  return std::isfinite(x) ? fmt::format("{:.1f} s", x) : std::string("–");
}

// The staffing to simulate: the roster's agents on the phones (rostered × (1 − shrinkage),
// rounded to the nearest agent), or the plan's integer minimum.
std::vector<std::vector<int>> staffingToSimulate(const StaffingPlan& plan,
                                                 const RosterResult* roster) {
  if (!roster) return plan.onPhone();
  std::vector<std::vector<int>> out = roster->coverage;
  for (auto& channel : out)
    for (int& n : channel) n = static_cast<int>(std::lround(n * (1.0 - plan.shrinkage)));
  return out;
}

std::string requirementsTable(const Scenario& s, const ChannelRequirement& cr,
                              const char* agents_heading) {
  std::string out =
      fmt::format("{:<8}{:>9}{:>9}{:>10}{:>9}{:>10}{:>10}{:>10}{:>9}\n", "start", "per hour",
                  "load", agents_heading, "seated", "required", "service", "ASA", "abandon");
  for (std::size_t k = 0; k < cr.intervals.size(); ++k) {
    const IntervalRequirement& r = cr.intervals[k];
    out +=
        fmt::format("{:<8}{:>9.0f}{:>9.1f}{:>10}{:>9.2f}{:>10.2f}{:>10}{:>10}{:>9}\n",
                    intervalLabel(s, static_cast<int>(k)), r.per_hour, r.effective_load, r.on_phone,
                    r.seated, r.required, pct(r.service_level), secs(r.asa_s), pct(r.abandon_rate));
  }
  return out;
}

// Intervals of a stream without a forecast in which contacts arrived in the simulation
// (returning customers, transfers of a backlog): the simulation method staffs them from what it
// measured, and the reader should know that this is what they are staffed for.
std::string unforecastNote(const Scenario& s, const ChannelRequirement& cr, const char* who) {
  std::vector<std::string> at;
  double most = 0.0;
  for (std::size_t k = 0; k < cr.intervals.size(); ++k) {
    const IntervalRequirement& r = cr.intervals[k];
    if (r.per_hour > 0.0 || !(r.offered_per_hour > 0.0)) continue;
    at.push_back(intervalLabel(s, static_cast<int>(k)));
    most = std::max(most, r.offered_per_hour);
  }
  if (at.empty()) return {};
  return fmt::format(
      "no forecast at {}, but contacts arrived there in the simulation ({}; up to {:.1f} per "
      "hour): staffed from what was measured\n",
      fmt::join(at, ", "), who, most);
}

std::string requirementsText(const Scenario& s, const StaffingPlan& plan) {
  std::string out;
  const bool grouped = !plan.groups.empty();
  const bool simulated = plan.method == "simulation";
  for (const ChannelRequirement& cr : plan.channels) {
    out +=
        fmt::format("\nRequirements — {} ({}, {:g}% in {:g} s{})\n", cr.id, cr.model,
                    100 * cr.target, cr.threshold_s, simulated ? ", service level simulated" : "");
    if (grouped) out += "(agents: the channel's part of its agent groups, below)\n";
    out += requirementsTable(s, cr, "on phone");
    out += unforecastNote(s, cr, "returning customers");
    if (cr.carryover_work_s > 0.0)
      out += fmt::format(
          "note: at this plan's capacity {:.1f} agent-hours a day of {} work (replies whose "
          "window runs past closing) are left at closing; they wait overnight, and the plan "
          "does not add that work to the next morning\n",
          cr.carryover_work_s / 3600.0, cr.id);
  }
  for (const ChannelRequirement& tr : plan.transfers) {
    out += fmt::format("\nRequirements — transfers to {} ({}: {:g}% in {:g} s{})\n", tr.id,
                       tr.model, 100 * tr.target, tr.threshold_s, simulated ? ", simulated" : "");
    out += fmt::format(
        "(per hour: transfers reaching the group; service: picked up within {:g} s; ASA: the "
        "mean hold{}; agents: the group's part for them)\n",
        tr.threshold_s, simulated ? "; abandon: never picked up" : "");
    out += requirementsTable(s, tr, "on phone");
    out += unforecastNote(s, tr, "transfers");
  }
  for (const ChannelRequirement& gr : plan.groups) {
    // "agent group serving phone, chat; taking transfers": what follows "agent group ".
    const std::string what = gr.model.substr(std::min(gr.model.size(), std::size_t{12}));
    const bool transfers = gr.model.find("taking transfers") != std::string::npos;
    out += fmt::format(
        "\nAgent group {} ({}; per hour and load: its part of them; service: its worst {})\n",
        gr.id, what, transfers ? "stream" : "channel");
    out += requirementsTable(s, gr, "agents");
  }
  return out;
}

std::string rosterText(const Scenario& s, const std::vector<ShiftTemplate>& shifts,
                       const RosterResult& r) {
  std::string out = fmt::format(
      "\nRoster: cost {:.2f}, {} shift line(s), over-staffing {:.1f} "
      "agent-intervals, under-staffing {:.1f}\n",
      r.cost, r.lines.size(), r.over_agent_intervals, r.under_agent_intervals);
  if (!r.message.empty()) out += "note: " + r.message + "\n";
  out += fmt::format("{:<22}{:>5}{:>8}{:<2}{:<12}{:>8}{:>11}\n", "shift", "day", "start", "",
                     s.agent_groups.empty() ? "channel" : "group", "agents", "cost");
  for (const RosterLine& l : r.lines) {
    const ShiftTemplate& t = shifts[l.shift];
    out += fmt::format("{:<22}{:>5}{:>8}{:<2}{:<12}{:>8}{:>11.2f}\n", t.name, l.day + 1,
                       intervalLabel(s, l.start_interval % s.intervalsPerDay()), "",
                       r.ids[l.channel], l.count, l.count * t.cost);
  }
  return out;
}

std::string simulatedText(const Scenario& s, const StaffingPlan& plan, const RosterResult* roster,
                          const std::vector<std::vector<int>>& staffing,
                          const ExperimentResult& res) {
  std::string out = fmt::format(
      "\nThe plan simulated: {} replication(s), seed {}{} — means per interval\n", res.replications,
      res.seed,
      roster ? fmt::format(", rostered agents × (1 − shrinkage {:g}) on the phones", plan.shrinkage)
             : "");
  auto get = [](const MetricEstimates& e, Metric m) { return e[static_cast<std::size_t>(m)].mean; };
  // With agent groups the agents are the groups' (a table of their own, after the channels).
  const bool grouped = !plan.groups.empty();
  for (std::size_t c = 0; c < s.channels.size(); ++c) {
    const ChannelRequirement& cr = plan.channels[c];
    out += fmt::format("\n{} (target {:g}% in {:g} s, * = missed)\n", cr.id, 100 * cr.target,
                       cr.threshold_s);
    // Customers lost in the bot's loop count as abandoned in the run's metrics, and no staffing
    // brings them back: the rows show the agents' own queue (what the plan aims at, as in the
    // simulation method), and the channel's figures as the run reports them follow the table.
    const MetricEstimates& tot = res.channels[c];
    const bool loop = queueFigures(tot).bot_gave_up > 0.0;
    if (loop) out += "(service and abandonment: of the contacts that reached the agents)\n";
    // With [outcomes], what the customers make of it: the expected CSAT of the contacts. The
    // agent columns only for dedicated agents (groups have their own table).
    const bool csat = s.outcomes.has_value();
    const bool cost = roster && c == 0;
    // One row: start, [agents, rostered], service (+ miss mark), ASA, abandon, [occupancy],
    // [CSAT], [cost].
    auto row = [&](const std::string& start, const std::string& agents, const std::string& rostered,
                   bool missed, const MetricEstimates* e, const std::string& cost_cell) {
      const QueueFigures q = e ? queueFigures(*e) : QueueFigures{};
      const std::string service = e ? pct(q.service_level) : "service";
      std::string line = fmt::format("{:<8}", start);
      if (!grouped) line += fmt::format("{:>8}", agents);
      if (!grouped && roster) line += fmt::format("{:>9}", rostered);
      line += fmt::format("{:>9}{:1}", service, missed ? "*" : " ");
      if (!e) {
        line += fmt::format("{:>10}{:>10}{}", "ASA", "abandon",
                            grouped ? "" : fmt::format("{:>11}", "occupancy"));
      } else {
        line += fmt::format("{:>10}{:>10}{}", secs(get(*e, Metric::AsaS)), pct(q.abandon_rate),
                            grouped ? "" : fmt::format("{:>11}", pct(get(*e, Metric::Occupancy))));
      }
      if (csat) line += fmt::format("{:>8}", e ? pct(get(*e, Metric::Csat)) : "CSAT");
      if (cost) line += fmt::format("{:>12}", cost_cell);
      return line + "\n";
    };
    out += row("start", "agents", "rostered", false, nullptr, "cost (all)");
    for (std::size_t k = 0; k < cr.intervals.size(); ++k) {
      const MetricEstimates& e = res.interval_channels[k][c];
      out +=
          row(intervalLabel(s, static_cast<int>(k)), grouped ? "" : std::to_string(staffing[c][k]),
              roster && !grouped ? std::to_string(roster->coverage[c][k]) : "",
              queueFigures(e).service_level < cr.target, &e,
              cost ? fmt::format("{:.2f}", roster->cost_per_interval[k]) : "");
    }
    out += row("all", "", "", false, &tot, "");
    if (loop)
      out += fmt::format(
          "{} of those ending gave up in the bot's loop, before reaching the agents; counting "
          "them as abandoned, as the run's report does: service {}, abandonment {}\n",
          pct(queueFigures(tot).bot_gave_up), pct(get(tot, Metric::ServiceLevel)),
          pct(get(tot, Metric::AbandonRate)));
  }
  if (grouped) {
    out += fmt::format("\nAgents per group{} — occupancy over the run in the last line\n",
                       roster ? " (on the phones / rostered)" : "");
    out += fmt::format("{:<8}", "start");
    for (const ChannelRequirement& g : plan.groups) out += fmt::format("{:>14}", g.id);
    out += "\n";
    for (std::size_t k = 0; k < staffing.front().size(); ++k) {
      out += fmt::format("{:<8}", intervalLabel(s, static_cast<int>(k)));
      for (std::size_t g = 0; g < plan.groups.size(); ++g)
        out += fmt::format("{:>14}",
                           roster ? fmt::format("{} / {}", staffing[g][k], roster->coverage[g][k])
                                  : std::to_string(staffing[g][k]));
      out += "\n";
    }
    out += fmt::format("{:<8}", "all");
    for (std::size_t g = 0; g < plan.groups.size(); ++g)
      out += fmt::format("{:>14}", pct(get(res.groups[g], Metric::Occupancy)));
    out += "\n";
  }
  return out;
}

nlohmann::ordered_json requirementJson(const Scenario& s, const ChannelRequirement& cr,
                                       bool group) {
  nlohmann::ordered_json c;
  c["model"] = cr.model;
  if (!group) {
    c["target"] = cr.target;
    c["threshold_s"] = cr.threshold_s;
    if (cr.carryover_work_s > 0.0) c["carryover_work_s"] = cr.carryover_work_s;
  }
  nlohmann::ordered_json iv = nlohmann::ordered_json::array();
  for (std::size_t k = 0; k < cr.intervals.size(); ++k) {
    const IntervalRequirement& r = cr.intervals[k];
    iv.push_back({{"index", k},
                  {"start", intervalLabel(s, static_cast<int>(k))},
                  {"per_hour", r.per_hour},
                  {"offered_per_hour", num(r.offered_per_hour)},
                  {"effective_load", num(r.effective_load)},
                  {"seated", r.seated},
                  {"required", r.required},
                  {"on_phone", r.on_phone},
                  {"agents", r.agents},
                  {"service_level", num(r.service_level)},
                  {"asa_s", num(r.asa_s)},
                  {"abandon_rate", num(r.abandon_rate)}});
  }
  c["intervals"] = std::move(iv);
  return c;
}

nlohmann::ordered_json planJson(const Scenario& s, const StaffingPlan& plan,
                                const std::string& shrinkage_source,
                                const std::vector<ShiftTemplate>* shifts,
                                const RosterResult* roster, const ExperimentResult* res) {
  nlohmann::ordered_json j;
  j["method"] = plan.method;
  j["shrinkage"] = plan.shrinkage;
  j["shrinkage_source"] = shrinkage_source;
  if (plan.method == "simulation") {
    j["iterations"] = plan.iterations;
    j["converged"] = plan.converged;
    j["note"] = plan.note;
    j["changes_per_iteration"] = plan.changes;
    j["replications"] = plan.replications;
    j["seed"] = plan.seed;
    j["wall_s"] = plan.wall_s;
  }
  auto requirementsJson = [&](const std::vector<ChannelRequirement>& units, bool groups) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (const ChannelRequirement& cr : units) out[cr.id] = requirementJson(s, cr, groups);
    return out;
  };
  j["requirements"] = requirementsJson(plan.channels, false);
  if (!plan.transfers.empty()) j["transfers"] = requirementsJson(plan.transfers, false);
  if (!plan.groups.empty()) j["groups"] = requirementsJson(plan.groups, true);
  if (roster) {
    nlohmann::ordered_json r;
    r["feasible"] = roster->feasible;
    r["message"] = roster->message;
    r["cost"] = roster->cost;
    r["days"] = roster->days;
    r["over_agent_intervals"] = roster->over_agent_intervals;
    r["under_agent_intervals"] = roster->under_agent_intervals;
    nlohmann::ordered_json lines = nlohmann::ordered_json::array();
    for (const RosterLine& l : roster->lines)
      lines.push_back({{"shift", (*shifts)[l.shift].name},
                       {"day", l.day},
                       {"start", intervalLabel(s, l.start_interval % s.intervalsPerDay())},
                       {s.agent_groups.empty() ? "channel" : "group", roster->ids[l.channel]},
                       {"count", l.count},
                       {"cost", l.count * (*shifts)[l.shift].cost}});
    r["shifts"] = std::move(lines);
    nlohmann::ordered_json cov = nlohmann::ordered_json::object();
    for (std::size_t u = 0; u < roster->ids.size(); ++u) cov[roster->ids[u]] = roster->coverage[u];
    r["coverage"] = std::move(cov);
    r["cost_per_interval"] = roster->cost_per_interval;
    j["roster"] = std::move(r);
  }
  if (res) j["simulated"] = resultToJson(s, *res);
  return j;
}

void writePlanCsv(const Scenario& s, const StaffingPlan& plan, const RosterResult* roster,
                  const std::vector<ShiftTemplate>* shifts, const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir);
  auto open = [&](const char* name) {
    std::ofstream f(dir / name);
    if (!f) throw std::runtime_error("cannot write " + (dir / name).string());
    return f;
  };
  auto csvNum = [](double x) { return std::isfinite(x) ? fmt::format("{}", x) : std::string(); };
  // requirements.csv per channel; with agent groups, groups.csv per group (what is rostered).
  const bool grouped = !plan.groups.empty();
  auto table = [&](const char* name, const char* who, const std::vector<ChannelRequirement>& units,
                   bool rostered) {
    std::ofstream f = open(name);
    f << "interval,start," << who
      << ",per_hour,effective_load,seated,required,on_phone,agents,service_level,asa_s,"
         "abandon_rate,offered_per_hour"
      << (rostered ? ",rostered,cost" : "") << "\n";
    for (std::size_t u = 0; u < units.size(); ++u)
      for (std::size_t k = 0; k < units[u].intervals.size(); ++k) {
        const IntervalRequirement& r = units[u].intervals[k];
        f << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}", k,
                         intervalLabel(s, static_cast<int>(k)), units[u].id, r.per_hour,
                         csvNum(r.effective_load), r.seated, r.required, r.on_phone, r.agents,
                         csvNum(r.service_level), csvNum(r.asa_s), csvNum(r.abandon_rate),
                         csvNum(r.offered_per_hour));
        if (rostered) f << "," << roster->coverage[u][k] << "," << roster->cost_per_interval[k];
        f << "\n";
      }
    if (!f) throw std::runtime_error("cannot write " + (dir / name).string());
  };
  table("requirements.csv", "channel", plan.channels, roster && !grouped);
  if (!plan.transfers.empty()) table("transfers.csv", "group", plan.transfers, false);
  if (grouped) table("groups.csv", "group", plan.groups, roster != nullptr);
  if (roster) {
    std::ofstream f = open("roster.csv");
    f << "shift,day,start," << (grouped ? "group" : "channel") << ",count,cost\n";
    for (const RosterLine& l : roster->lines)
      f << fmt::format("\"{}\",{},{},{},{},{}\n", (*shifts)[l.shift].name, l.day,
                       intervalLabel(s, l.start_interval % s.intervalsPerDay()),
                       roster->ids[l.channel], l.count, l.count * (*shifts)[l.shift].cost);
    if (!f) throw std::runtime_error("cannot write " + (dir / "roster.csv").string());
  }
}

}  // namespace

Command addStaffCommand(CLI::App& app) {
  struct Options {
    std::string file, method = "erlang", shifts, json, csv;
    std::vector<std::string> set;
    std::optional<double> target_sl, threshold_s, max_abandon, max_occupancy, shrinkage;
    std::optional<int> reps;
    std::optional<std::uint64_t> seed;
    int threads = 0, max_iterations = 25;
    bool quiet = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "staff", "Agents needed per interval, a least-cost roster, and what the plan buys");
  cmd->add_option("file", o->file, "Scenario file (TOML)")->required();
  cmd->add_option("--set", o->set, kSetHelp)->allow_extra_args(false);
  cmd->add_option("--target-sl", o->target_sl,
                  "Service-level target for every channel, in [0,1) (default: each channel's)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--threshold-s", o->threshold_s,
                  "Service-level threshold for every channel, seconds (default: each channel's)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--method", o->method, "erlang (each interval by formula) or simulation")
      ->check(CLI::IsMember({"erlang", "simulation"}));
  cmd->add_option("--shifts", o->shifts, "Shift templates (TOML): build a least-cost roster");
  cmd->add_option("--shrinkage", o->shrinkage,
                  "Share of paid time off the phones, in [0,1) (default: the scenario's [costs] "
                  "shrinkage, else 0)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-occupancy", o->max_occupancy, "Keep occupancy at or below this")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-abandon", o->max_abandon,
                  "Keep abandonment at or below this (channels with patience)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--reps", o->reps, "Replications per simulation (default: the scenario's)")
      ->check(CLI::Range(2, 100000));
  cmd->add_option("--seed", o->seed, "Random seed (default: the scenario's)");
  cmd->add_option("--threads", o->threads, "Worker threads (0 = all cores)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--max-iterations", o->max_iterations,
                  "Simulation method: stop after this many iterations (default 25)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--json", o->json, "Write the plan as JSON to PATH ('-' = stdout only)");
  cmd->add_option("--csv", o->csv,
                  "Write requirements.csv (groups.csv with agent groups), roster.csv and the "
                  "simulated summary.csv and intervals.csv into DIR");
  cmd->add_flag("--quiet,-q", o->quiet, "Print nothing but errors (and --json -)");

  return [o]() -> int {
    auto scenario = loadOrReport(o->file, o->set);
    if (!scenario) return kExitBadInput;
    StaffingOptions so;
    so.target_sl = o->target_sl;
    so.threshold_s = o->threshold_s;
    so.max_abandon_rate = o->max_abandon;
    so.max_occupancy = o->max_occupancy;
    // Shrinkage: the command line's, else the scenario's own ([costs]: what its cost figures
    // assume), else none.
    so.shrinkage = o->shrinkage.value_or(scenario->costs ? scenario->costs->shrinkage : 0.0);
    const std::string shrinkage_source =
        o->shrinkage ? "option" : (scenario->costs ? "scenario" : "none");
    const char* shrinkage_from = o->shrinkage      ? "--shrinkage"
                                 : scenario->costs ? "the scenario's [costs]"
                                                   : "the scenario has no [costs]";
    so.seed = o->seed.value_or(scenario->seed);
    so.replications = o->reps.value_or(std::max(2, scenario->replications));
    so.threads = o->threads;
    so.max_iterations = o->max_iterations;

    const bool show_progress = !o->quiet && o->json != "-" && stderrIsTerminal();
    StaffingPlan plan;
    std::vector<ShiftTemplate> shifts;
    std::optional<RosterResult> roster;
    try {
      if (o->method == "simulation") {
        plan = simulationRequirements(*scenario, so, [&](int it, int changed) {
          if (show_progress)
            std::cerr << fmt::format("\riteration {}: {} interval(s) changed\033[K", it, changed)
                      << std::flush;
        });
        if (show_progress) std::cerr << "\r\033[K";
      } else {
        plan = erlangRequirements(*scenario, so);
      }
      if (!o->shifts.empty()) {
        shifts = loadShifts(o->shifts, *scenario);
        std::vector<std::vector<double>> required;
        for (const ChannelRequirement& c : plan.staffed()) {
          required.emplace_back();
          for (const IntervalRequirement& r : c.intervals) required.back().push_back(r.required);
        }
        roster = solveRoster(*scenario, shifts, required);
      }
    } catch (const ScenarioError& e) {
      for (const Diagnostic& d : e.diagnostics()) std::cerr << "error: " << d.format() << "\n";
      return kExitBadInput;
    } catch (const std::invalid_argument& e) {
      std::cerr << "cxsim staff: " << e.what() << "\n";
      return kExitBadInput;
    }
    const bool text = !o->quiet && o->json != "-";
    if (text) {
      std::cout << fmt::format(
          "Staffing plan — {}  ({})\nmethod: {}{} · shrinkage {:g}% ({}){}{}\n", scenario->name,
          o->file, plan.method,
          plan.method == "simulation"
              ? fmt::format(" ({} replications per iteration, seed {}; {}; "
                            "{:.1f} s)",
                            plan.replications, plan.seed, plan.note, plan.wall_s)
              : " (each interval on its own)",
          100 * plan.shrinkage, shrinkage_from,
          so.max_occupancy ? fmt::format(" · occupancy ≤ {:g}%", 100 * *so.max_occupancy) : "",
          so.max_abandon_rate ? fmt::format(" · abandonment ≤ {:g}%", 100 * *so.max_abandon_rate)
                              : "");
      std::cout << requirementsText(*scenario, plan);
    }
    if (roster && !roster->feasible) {
      // Bad input (exit code 2), but the plan stands: the JSON says so, with what was found
      // and no simulation of a roster that does not exist.
      std::cerr << "cxsim staff: " << o->shifts << ": " << roster->message << "\n";
      if (!o->json.empty())
        writeOutput(
            o->json,
            planJson(*scenario, plan, shrinkage_source, &shifts, &*roster, nullptr).dump(2) + "\n");
      return kExitBadInput;
    }
    if (text && roster) std::cout << rosterText(*scenario, shifts, *roster);

    // What the plan buys: simulate it with the targets it was made for.
    const RosterResult* rp = roster ? &*roster : nullptr;
    const std::vector<std::vector<int>> staffing = staffingToSimulate(plan, rp);
    ExperimentOptions eo;
    eo.seed = so.seed;
    eo.replications = so.replications;
    eo.threads = o->threads;
    const Scenario simulated = withStaffing(withTargets(*scenario, so), staffing);
    const ExperimentResult res = runExperiment(simulated, eo);
    if (text) std::cout << simulatedText(simulated, plan, rp, staffing, res);

    if (!o->json.empty())
      writeOutput(o->json,
                  planJson(simulated, plan, shrinkage_source, roster ? &shifts : nullptr, rp, &res)
                          .dump(2) +
                      "\n");
    if (!o->csv.empty()) {
      writePlanCsv(simulated, plan, rp, &shifts, o->csv);
      writeCsv(simulated, res, o->csv);
    }
    return kExitOk;
  };
}

}  // namespace cx::cli
