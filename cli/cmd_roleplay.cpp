// cxsim roleplay check|play|report|journeys (link: cmd_roleplay_link.cpp): role-play training in
// the terminal (docs/ROLEPLAY.md).
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "sim/journey_persona.hpp"
#include "sim/roleplay.hpp"
#include "sim/roleplay_records.hpp"

namespace cx::cli {

namespace {

constexpr int kWidth = 92;  // wrap text for an ordinary terminal

// `text` wrapped to kWidth, every line after the first indented by `indent` spaces (the first
// line is assumed to start at column `first_column`).
std::string wrap(const std::string& text, int indent, int first_column = 0) {
  std::string out, word;
  int column = first_column;
  std::istringstream in(text);
  bool first = true;
  while (in >> word) {
    const int len = static_cast<int>(word.size());
    if (!first && column + 1 + len > kWidth) {
      out += "\n" + std::string(static_cast<std::size_t>(indent), ' ');
      column = indent;
    } else if (!first) {
      out += ' ';
      ++column;
    }
    out += word;
    column += len;
    first = false;
  }
  return out;
}

std::string line(const std::string& prefix, const std::string& text, int indent) {
  return prefix + wrap(text, indent, static_cast<int>(prefix.size())) + "\n";
}

std::optional<RoleplayScript> loadScriptOrReport(const std::string& file) {
  try {
    return loadRoleplayScript(file);
  } catch (const RoleplayScriptError& e) {
    for (const Diagnostic& d : e.diagnostics()) std::cerr << "error: " << d.format() << "\n";
    return std::nullopt;
  }
}

// "2,1,3" -> {2, 1, 3}; nullopt (after a message) on anything else.
template <typename T>
std::optional<std::vector<T>> parseList(const std::string& text, const char* option) {
  std::vector<T> out;
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::istringstream one(item);
    T v{};
    if (!(one >> v) || !(one >> std::ws).eof() || v < 0) {
      std::cerr << "error: " << option << ": expected a comma-separated list of non-negative "
                << "numbers, got \"" << text << "\"\n";
      return std::nullopt;
    }
    out.push_back(v);
  }
  return out;
}

std::string brief(const RoleplayScript& s) {
  std::string out = fmt::format("{} · {} · {}\n", s.title, toString(s.level), s.persona.channel);
  out += line("Situation: ", s.situation, 11);
  out += line("Customer:  ", s.persona.name + ". " + s.persona.history, 11);
  out += fmt::format("Mood at the start: {:.2f} ({}). Pass mark {:.0f}/100.\n", s.persona.mood,
                     moodLabel(s.persona.mood), s.pass_mark);
  return out;
}

std::string nodePrompt(const RoleplayScript& s, const ScriptNode& node, int turn, double mood) {
  std::string out = fmt::format("\n{}. ", turn);
  out += line(s.persona.name + " (" + moodLabel(mood) + "): ", "\"" + node.customer + "\"", 6);
  for (std::size_t i = 0; i < node.choices.size(); ++i)
    out += line(fmt::format("   {}) ", i + 1), node.choices[i].text, 6);
  return out;
}

std::string endingText(const RoleplayScript& s, const SessionSummary& r) {
  switch (r.ending) {
    case Ending::Reached: {
      const ScriptNode& n = s.nodes[static_cast<std::size_t>(r.ending_node)];
      return n.outcome + (n.resolved ? " (resolved)" : " (not resolved)");
    }
    case Ending::CustomerLeft:
      return "The customer gave up and left (mood fell below " +
             fmt::format("{:.2f}", s.persona.leaves_below) + ")";
    case Ending::TurnLimit:
      return fmt::format("Cut after {} answers without reaching an ending", s.max_turns);
    case Ending::None:
      break;
  }
  return "The conversation was not finished";
}

std::string scoreCell(const std::optional<double>& x) {
  return x ? fmt::format("{:5.1f}", *x) : std::string("    -");
}

std::string debriefText(const RoleplayScript& s, const Debrief& d, const std::string& trainee,
                        const std::string& date) {
  const SessionSummary& r = d.session;
  std::string out = fmt::format("\n=== Debrief: {} ({}) ===\n", s.title, toString(s.level));
  double total_s = 0.0;
  for (const Turn& t : r.transcript) total_s += t.seconds;
  out += fmt::format("Trainee {} · {} · {} answer{} in {:.0f} s\n", trainee, date,
                     r.transcript.size(), r.transcript.size() == 1 ? "" : "s", total_s);
  out += line("Ending: ", endingText(s, r), 8);
  if (r.passed) {
    out +=
        fmt::format("Result: PASSED, overall {:.1f} (pass mark {:.0f})\n", r.overall, s.pass_mark);
  } else {
    std::string why;
    if (!r.breaches.empty()) {
      why = "compliance breach";
      for (const std::string& b : r.breaches) why += " [" + b + ": " + s.rule(b)->rule + "]";
    } else if (r.ending == Ending::CustomerLeft) {
      why = "the customer left before the conversation ended";
    } else if (r.ending != Ending::Reached) {
      why = "the conversation did not reach an ending";
    } else {
      why = fmt::format("overall below the pass mark of {:.0f}", s.pass_mark);
    }
    out += line(fmt::format("Result: FAILED, overall {:.1f}: ", r.overall), why, 8);
  }

  out += "\nScores (0-100; - = no choice offered a difference)\n";
  for (Dimension dim : kAllDimensions) {
    const auto& score = r.scores[static_cast<std::size_t>(dim)];
    const int bar = score ? static_cast<int>(std::lround(*score / 5.0)) : 0;
    out += fmt::format("  {:<22}{}  {}\n", label(dim), scoreCell(score),
                       std::string(static_cast<std::size_t>(bar), '#'));
  }
  out += fmt::format("  {:<22}{:5.1f}\n", "overall", r.overall);

  std::string moods;
  for (std::size_t i = 0; i < r.mood.size(); ++i)
    moods += (i ? " -> " : "") + fmt::format("{:.2f}", r.mood[i]);
  out += line("\nMood: ", moods + " (" + moodLabel(r.mood.back()) + ")", 6);

  out += "\nTranscript\n";
  for (std::size_t i = 0; i < r.transcript.size(); ++i) {
    const Turn& t = r.transcript[i];
    const ScriptNode& node = s.nodes[static_cast<std::size_t>(t.node)];
    const Choice& c = node.choices[static_cast<std::size_t>(t.choice)];
    out += line(fmt::format("{:>3}. Customer: ", i + 1), "\"" + node.customer + "\"", 5);
    out +=
        line(fmt::format("     You ({}, {:.0f} s of {:.0f}): ", t.choice + 1, t.seconds, t.limit_s),
             "\"" + c.text + "\"", 7);
    out += fmt::format("       mood {:.2f} -> {:.2f}, promptness {:.0f}\n", t.mood_before,
                       t.mood_after, t.promptness);
    for (const std::string& b : t.breaches)
      out += line("       COMPLIANCE FAIL: ", s.rule(b)->rule, 7);
    out += line("       Feedback: ", c.feedback, 7);
  }
  if (r.ending == Ending::Reached)
    out += line(fmt::format("{:>3}. Customer: ", r.transcript.size() + 1),
                "\"" + s.nodes[static_cast<std::size_t>(r.ending_node)].customer + "\"", 5);

  if (!d.best) {
    out += "\nBest path: none completes this script without a breach.\n";
    return out;
  }
  const BestPath& b = *d.best;
  std::string numbers;
  for (int c : b.choices) numbers += (numbers.empty() ? "" : ",") + std::to_string(c + 1);
  out += fmt::format("\nBest path for comparison: choices {} · overall {:.1f} · ends {} ({:.2f})\n",
                     numbers, b.summary.overall, moodLabel(b.summary.mood.back()),
                     b.summary.mood.back());
  std::size_t same = 0;
  while (same < b.choices.size() && same < r.transcript.size() &&
         r.transcript[same].choice == b.choices[same])
    ++same;
  for (std::size_t i = 0; i < b.summary.transcript.size(); ++i) {
    const Turn& t = b.summary.transcript[i];
    const ScriptNode& node = s.nodes[static_cast<std::size_t>(t.node)];
    const std::string mark = i == same && same < r.transcript.size() ? " <- you differ here" : "";
    out += line(fmt::format("{:>3}. ({}) ", i + 1, t.choice + 1),
                "\"" + node.choices[static_cast<std::size_t>(t.choice)].text + "\"" + mark, 5);
  }
  out += line("     Ending: ", endingText(s, b.summary), 13);
  if (!b.exhaustive)
    out += fmt::format("     (search stopped after {} paths: the best found)\n", b.paths_searched);
  return out;
}

// --- check --------------------------------------------------------------------------------------

Command addCheck(CLI::App& parent, CLI::App*& sub) {
  sub = parent.add_subcommand("check", "Check role-play scripts and report every error found");
  auto files = std::make_shared<std::vector<std::string>>();
  sub->add_option("files", *files, "Role-play scripts (TOML)")->required();
  return [files] {
    int bad = 0;
    for (const std::string& f : *files) {
      const auto s = loadScriptOrReport(f);
      if (!s) {
        ++bad;
        continue;
      }
      const auto best = findBestPath(*s);
      std::cout << fmt::format(
          "{}: ok ({}, {}, {} nodes; best path {} answer{}, overall {:.1f}, of {} paths)\n", f,
          s->title, toString(s->level), s->nodes.size(), best->choices.size(),
          best->choices.size() == 1 ? "" : "s", best->summary.overall, best->paths_searched);
    }
    if (bad > 0) std::cerr << bad << " of " << files->size() << " file(s) have errors\n";
    return bad == 0 ? kExitOk : kExitBadInput;
  };
}

// --- play ---------------------------------------------------------------------------------------

struct PlayOptions {
  std::string file, trainee, data, choices, times, journey;
  std::optional<std::uint64_t> case_id, seed;
  bool no_record = false;
};

// The journey `case_id` (or the hardest unresolved one) of a run of `file`; nullopt after a
// message when the scenario is bad, has no such case, or no unresolved case at all.
std::optional<std::pair<Scenario, Journey>> pickJourney(const std::string& file,
                                                        std::optional<std::uint64_t> seed,
                                                        std::optional<std::uint64_t> case_id) {
  auto scenario = loadOrReport(file);
  if (!scenario) return std::nullopt;
  const std::uint64_t used_seed = seed.value_or(scenario->seed);
  std::vector<Journey> all = unresolvedJourneys(*scenario, used_seed);
  if (all.empty()) {
    std::cerr << "error: " << file << ": no case ended unresolved in replication 0 (seed "
              << used_seed << "); with [journeys] and a busier operation there will be some\n";
    return std::nullopt;
  }
  if (!case_id) return std::make_pair(std::move(*scenario), std::move(all.front()));
  for (Journey& j : all)
    if (j.case_id == *case_id) return std::make_pair(std::move(*scenario), std::move(j));
  std::cerr << "error: --case " << *case_id << ": not an unresolved case of " << file << " (seed "
            << used_seed << "); `cxsim roleplay journeys " << file << "` lists them\n";
  return std::nullopt;
}

std::string defaultTrainee() {
  if (const char* user = std::getenv("USER"); user && *user) return user;
  return "trainee";
}

// Reads answers from stdin, timing each from the moment its prompt is printed.
int playInteractive(const RoleplayScript& s, RoleplaySession& session) {
  while (!session.finished()) {
    const ScriptNode& node = session.current();
    std::cout << nodePrompt(s, node, session.state().turn + 1, session.state().mood);
    const auto shown = std::chrono::steady_clock::now();
    const int n = static_cast<int>(node.choices.size());
    while (true) {
      std::cout << fmt::format("Your answer (1-{}, {:.0f} s): ", n, session.limitNow())
                << std::flush;
      std::string text;
      if (!std::getline(std::cin, text)) {
        std::cerr << "\nerror: input ended before the conversation did; nothing recorded\n";
        return kExitBadInput;
      }
      int pick = 0;
      std::istringstream in(text);
      if (in >> pick && (in >> std::ws).eof() && pick >= 1 && pick <= n) {
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - shown).count();
        const Turn& t = session.choose(pick - 1, seconds);
        if (t.seconds > t.limit_s)
          std::cout << fmt::format("   ({:.0f} s: over the {:.0f} s limit)\n", t.seconds,
                                   t.limit_s);
        break;
      }
      std::cout << "   Please type a number from 1 to " << n << ".\n";
    }
  }
  return kExitOk;
}

int playScripted(RoleplaySession& session, const std::vector<int>& choices,
                 const std::vector<double>& times) {
  for (std::size_t i = 0; !session.finished(); ++i) {
    const int n = static_cast<int>(session.current().choices.size());
    if (i >= choices.size() || i >= times.size()) {
      std::cerr << fmt::format(
          "error: --choices/--times: the conversation needs an answer {} (node \"{}\") but the "
          "list has ended\n",
          i + 1, session.current().id);
      return kExitBadInput;
    }
    if (choices[i] < 1 || choices[i] > n) {
      std::cerr << fmt::format(
          "error: --choices: answer {} is {}, expected 1 to {} (node \"{}\")\n", i + 1, choices[i],
          n, session.current().id);
      return kExitBadInput;
    }
    session.choose(choices[i] - 1, times[i]);
  }
  return kExitOk;  // entries left over once the conversation ends are ignored
}

Command addPlay(CLI::App& parent, CLI::App*& sub) {
  auto o = std::make_shared<PlayOptions>();
  sub = parent.add_subcommand("play", "Run a role-play in the terminal and print the debrief");
  sub->add_option("file", o->file, "Role-play script (TOML)")->required();
  sub->add_option("--trainee", o->trainee, "Trainee name for the record (default: $USER)");
  sub->add_option("--data", o->data,
                  "Folder of the records (default: $XDG_DATA_HOME/cxsim/roleplay or "
                  "~/.local/share/cxsim/roleplay)");
  auto* choices = sub->add_option("--choices", o->choices,
                                  "Scripted run: answer numbers, e.g. 2,1,3 (no prompts)");
  sub->add_option("--times", o->times, "Scripted run: seconds taken per answer, e.g. 10,25,8")
      ->needs(choices);
  sub->add_flag("--no-record", o->no_record, "Do not save the session");
  auto* journey = sub->add_option(
      "--journey", o->journey,
      "Scenario: play the customer of one of its unresolved cases (mood and patience from "
      "the simulated journey)");
  sub->add_option("--case", o->case_id, "With --journey: the case (default: the hardest)")
      ->needs(journey);
  sub->add_option("--seed", o->seed, "With --journey: seed of the run (default: the scenario's)")
      ->needs(journey);
  return [o]() -> int {
    auto script = loadScriptOrReport(o->file);
    if (!script) return kExitBadInput;
    std::optional<RecordedJourney> played;  // the simulated customer, for the record
    if (!o->journey.empty()) {
      const auto picked = pickJourney(o->journey, o->seed, o->case_id);
      if (!picked) return kExitBadInput;
      played =
          RecordedJourney{o->journey, o->seed.value_or(picked->first.seed), picked->second.case_id};
      const Persona before = script->persona;
      script->persona = personaFromJourney(before, picked->second, picked->first);
      std::cout << fmt::format(
          "Customer from case {} of {}: mood {:.2f} -> {:.2f}, patience {:.0f} s -> {:.0f} s\n\n",
          picked->second.case_id, o->journey, before.mood, script->persona.mood, before.patience_s,
          script->persona.patience_s);
    }
    const std::string trainee = o->trainee.empty() ? defaultTrainee() : o->trainee;
    // Scripted answers are checked for form before anything is printed.
    std::optional<std::vector<int>> choices;
    std::optional<std::vector<double>> times;
    if (!o->choices.empty()) {
      if (o->times.empty()) {
        std::cerr << "error: --choices needs --times (seconds taken per answer)\n";
        return kExitBadInput;
      }
      choices = parseList<int>(o->choices, "--choices");
      times = parseList<double>(o->times, "--times");
      if (!choices || !times) return kExitBadInput;
    }
    RoleplaySession session(*script);
    std::cout << brief(*script);
    const int code =
        choices ? playScripted(session, *choices, *times) : playInteractive(*script, session);
    if (code != kExitOk) return code;
    const std::string date = isoNowUtc();
    const Debrief debrief = session.debrief();
    std::cout << debriefText(*script, debrief, trainee, date);
    if (!o->no_record) {
      const auto dir = o->data.empty() ? defaultRoleplayDataDir() : std::filesystem::path(o->data);
      SessionRecord record = makeRecord(*script, debrief.session, trainee, date);
      record.journey = played;
      appendRecord(dir, record);
      std::cout << "\nRecorded in " << sessionsFile(dir).string() << "\n";
    }
    return kExitOk;
  };
}

// --- report -------------------------------------------------------------------------------------

struct ReportOptions {
  std::string data, csv, by = "week", trainee;
};

Command addReport(CLI::App& parent, CLI::App*& sub) {
  auto o = std::make_shared<ReportOptions>();
  sub = parent.add_subcommand("report", "Trainer view: scores by trainee and period");
  sub->add_option("--data", o->data, "Folder of the records (default as for play)");
  sub->add_option("--csv", o->csv, "Also write the table as CSV to PATH ('-' = stdout only)");
  sub->add_option("--by", o->by, "Period: day, week (ISO) or month (default week)")
      ->check(CLI::IsMember({"day", "week", "month"}));
  sub->add_option("--trainee", o->trainee, "Only this trainee");
  return [o]() -> int {
    const auto dir = o->data.empty() ? defaultRoleplayDataDir() : std::filesystem::path(o->data);
    std::vector<std::string> problems;
    std::vector<SessionRecord> records = readRecords(dir, &problems);
    for (const std::string& p : problems) std::cerr << "warning: skipped " << p << "\n";
    if (!o->trainee.empty())
      std::erase_if(records, [&](const SessionRecord& r) { return r.trainee != o->trainee; });
    const auto rows = aggregateRecords(records, *periodFromString(o->by));
    if (!o->csv.empty()) writeOutput(o->csv, aggregateCsv(rows));
    if (o->csv == "-") return kExitOk;
    if (records.empty()) {
      std::cout << "No sessions recorded in " << sessionsFile(dir).string() << "\n";
      return kExitOk;
    }
    std::cout << fmt::format("{} session{} in {} · means per {}\n\n", records.size(),
                             records.size() == 1 ? "" : "s", sessionsFile(dir).string(), o->by);
    std::cout << fmt::format("{:<14}{:<12}{:>8}{:>7}", "trainee", "period", "sessions", "passed");
    const char* heads[] = {"prompt", "prof", "empathy", "listen", "owner", "deesc"};
    for (const char* h : heads) std::cout << fmt::format("{:>8}", h);
    std::cout << fmt::format("{:>9}\n", "overall");
    for (const AggregateRow& r : rows) {
      std::cout << fmt::format("{:<14}{:<12}{:>8}{:>7}", r.trainee, r.period, r.sessions, r.passed);
      for (const auto& m : r.mean) std::cout << fmt::format("{:>8}", scoreCell(m));
      std::cout << fmt::format("{:>9}\n", scoreCell(r.overall));
    }
    return kExitOk;
  };
}

}  // namespace

// --- journeys ------------------------------------------------------------------------------------

struct JourneysOptions {
  std::string scenario;
  std::optional<std::uint64_t> seed;
  int top = 5;
};

Command addJourneys(CLI::App& parent, CLI::App*& sub) {
  auto o = std::make_shared<JourneysOptions>();
  sub = parent.add_subcommand(
      "journeys", "The hardest unresolved cases of a simulated run, to play with --journey");
  sub->add_option("scenario", o->scenario, "Scenario (TOML); [journeys] gives multi-contact cases")
      ->required();
  sub->add_option("--seed", o->seed, "Seed of the run (default: the scenario's)");
  sub->add_option("--top", o->top, "How many cases to list (default 5)")
      ->check(CLI::Range(1, 1000));
  return [o]() -> int {
    auto scenario = loadOrReport(o->scenario);
    if (!scenario) return kExitBadInput;
    const std::uint64_t seed = o->seed.value_or(scenario->seed);
    const std::vector<Journey> all = unresolvedJourneys(*scenario, seed);
    std::cout << fmt::format(
        "{} unresolved cases in replication 0 of {} (seed {}); the {} "
        "hardest:\n",
        all.size(), o->scenario, seed,
        std::min<std::size_t>(all.size(), static_cast<std::size_t>(o->top)));
    for (std::size_t i = 0; i < all.size() && i < static_cast<std::size_t>(o->top); ++i) {
      const JourneyToll t = journeyToll(all[i], *scenario);
      std::cout << fmt::format(
          "\ncase {} · mood -{:.2f} (contacts {:.2f}, waiting {:.2f}, unresolved {:.2f}, bot "
          "{:.2f}, story again {:.2f}, switches {:.2f})\n",
          all[i].case_id, t.total, t.contacts, t.waiting, t.unresolved, t.bot, t.repeated,
          t.switched);
      std::istringstream lines(describeJourney(all[i], *scenario));
      for (std::string l; std::getline(lines, l);) std::cout << "  " << l << "\n";
    }
    if (!all.empty())
      std::cout << fmt::format("\nPlay one: cxsim roleplay play SCRIPT --journey {} --case {}\n",
                               o->scenario, all.front().case_id);
    return kExitOk;
  };
}

Command addRoleplayCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "roleplay",
      "Role-play training: check, play, report, customers from a simulation, and what "
      "training is worth in it");
  cmd->require_subcommand(1);
  CLI::App *check = nullptr, *play = nullptr, *report = nullptr, *journeys = nullptr,
           *link = nullptr;
  Command run_check = addCheck(*cmd, check);
  Command run_play = addPlay(*cmd, play);
  Command run_report = addReport(*cmd, report);
  Command run_journeys = addJourneys(*cmd, journeys);
  Command run_link = addRoleplayLink(*cmd, link);
  return [=]() -> int {
    if (check->parsed()) return run_check();
    if (play->parsed()) return run_play();
    if (report->parsed()) return run_report();
    if (journeys->parsed()) return run_journeys();
    if (link->parsed()) return run_link();
    return kExitBadInput;
  };
}

}  // namespace cx::cli
