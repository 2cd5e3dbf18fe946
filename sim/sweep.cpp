#include "sim/sweep.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <exception>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "sim/parallel.hpp"
#include "sim/rng.hpp"
#include "sim/scenario.hpp"

namespace cx {

namespace {

constexpr std::size_t kMaxPoints = 100000;

std::string trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

double parseNumber(const std::string& s, const char* what, const std::string& text) {
  double v = 0.0;
  const char* end = s.data() + s.size();
  const auto [ptr, err] = std::from_chars(s.data(), end, v);
  if (s.empty() || err != std::errc() || ptr != end || !std::isfinite(v))
    throw std::invalid_argument(
        fmt::format("--vary {}: expected a number for {}, got \"{}\"", text, what, s));
  return v;
}

std::string valueText(const SweepRange& r, double v) {
  if (r.integer) return fmt::format("{}", static_cast<long long>(std::llround(v)));
  std::string s = fmt::format("{:.12g}", v);
  // A float key stays a float in TOML ("40.0", not "40").
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

nlohmann::ordered_json jsonNumber(double x) {
  if (!std::isfinite(x)) return nullptr;
  return x;
}

nlohmann::ordered_json jsonValue(const std::string& text) {
  long long i = 0;
  const char* end = text.data() + text.size();
  if (auto [p, e] = std::from_chars(text.data(), end, i); e == std::errc() && p == end) return i;
  double v = 0.0;
  if (auto [p, e] = std::from_chars(text.data(), end, v); e == std::errc() && p == end) return v;
  return text;
}

nlohmann::ordered_json estimatesJson(const MetricEstimates& e) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const MetricInfo& m : allMetrics()) {
    const Estimate& x = e[static_cast<std::size_t>(m.metric)];
    j[m.name] = {{"mean", jsonNumber(x.mean)}, {"ci95", jsonNumber(x.ci95)}};
  }
  return j;
}

std::string csvNumber(double x) {
  return std::isfinite(x) ? fmt::format("{}", x) : std::string();
}

const char* directionName(Better b) {
  return b == Better::Lower ? "lower" : "higher";
}

// Every point's `--set` text, KEY=VALUE.
std::vector<std::string> pointOverrides(const SweepSpec& spec,
                                        const std::vector<std::string>& point) {
  std::vector<std::string> all = spec.overrides;
  for (std::size_t k = 0; k < spec.ranges.size(); ++k)
    all.push_back(spec.ranges[k].key + "=" + point[k]);
  return all;
}

}  // namespace

bool isIntegerKey(const std::string& key) {
  // The last name in the path, list indices removed: channels.phone.agents[3] -> agents.
  std::string name = key;
  while (!name.empty() && name.back() == ']') name.resize(name.find_last_of('['));
  if (const auto dot = name.find_last_of('.'); dot != std::string::npos) name.erase(0, dot + 1);
  // Every key the loader reads as an integer (sim/scenario_load.cpp: asInt / asInteger).
  for (const char* k : {"agents", "days", "seed", "replications", "loop_turns", "max_contacts",
                        "concurrency", "customers"})
    if (name == k) return true;
  return false;
}

SweepRange parseRange(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || trimmed(std::string_view(text).substr(0, eq)).empty())
    throw std::invalid_argument(fmt::format(
        "--vary {}: expected KEY=LO:HI:STEP, e.g. channels.phone.agents=40:50:2", text));
  SweepRange r;
  r.text = text;
  r.key = trimmed(std::string_view(text).substr(0, eq));
  std::vector<std::string> parts;
  const std::string rest = text.substr(eq + 1);
  for (std::size_t start = 0;;) {
    const auto colon = rest.find(':', start);
    parts.push_back(trimmed(std::string_view(rest).substr(start, colon - start)));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  if (parts.size() > 3)
    throw std::invalid_argument(
        fmt::format("--vary {}: expected LO:HI:STEP, got {} parts", text, parts.size()));
  r.lo = parseNumber(parts[0], "LO", text);
  r.hi = parts.size() > 1 ? parseNumber(parts[1], "HI", text) : r.lo;
  r.step = parts.size() > 2 ? parseNumber(parts[2], "STEP", text) : 0.0;
  r.integer = isIntegerKey(r.key);
  if (r.hi < r.lo)
    throw std::invalid_argument(
        fmt::format("--vary {}: HI ({}) is below LO ({})", text, r.hi, r.lo));
  if (parts.size() > 2 && !(r.step > 0.0))
    throw std::invalid_argument(
        fmt::format("--vary {}: expected a positive STEP, got {}", text, r.step));
  if (r.integer) {
    for (double v : {r.lo, r.hi, r.step})
      if (v != std::floor(v))
        throw std::invalid_argument(fmt::format(
            "--vary {}: {} is a whole number in the scenario: expected whole LO, HI and STEP, "
            "got {}",
            text, r.key, v));
  }
  return r;
}

std::vector<std::string> gridValues(const SweepRange& r) {
  if (r.hi == r.lo) return {valueText(r, r.lo)};
  if (!(r.step > 0.0))
    throw std::invalid_argument(fmt::format(
        "--vary {}: a grid needs a step, KEY=LO:HI:STEP (or use --lhs N for LO:HI)", r.text));
  // The tolerance keeps HI when rounding puts it a hair past the last step (0:0.3:0.1).
  const double count = std::floor((r.hi - r.lo) / r.step + 1e-9) + 1.0;
  if (count > static_cast<double>(kMaxPoints))
    throw std::invalid_argument(fmt::format("--vary {}: {} values is too many", r.text, count));
  std::vector<std::string> values;
  for (int i = 0; i < static_cast<int>(count); ++i)
    values.push_back(valueText(r, r.lo + i * r.step));
  return values;
}

std::vector<std::vector<std::string>> gridPoints(const std::vector<SweepRange>& ranges) {
  std::vector<std::vector<std::string>> axes;
  std::size_t total = 1;
  for (const SweepRange& r : ranges) {
    axes.push_back(gridValues(r));
    total *= axes.back().size();
    if (total > kMaxPoints)
      throw std::invalid_argument(
          fmt::format("the grid has more than {} points: use fewer values or --lhs", kMaxPoints));
  }
  std::vector<std::vector<std::string>> points;
  if (ranges.empty()) return points;
  std::vector<std::size_t> at(axes.size(), 0);
  for (std::size_t p = 0; p < total; ++p) {
    std::vector<std::string> point;
    for (std::size_t k = 0; k < axes.size(); ++k) point.push_back(axes[k][at[k]]);
    points.push_back(std::move(point));
    for (std::size_t k = axes.size(); k-- > 0;) {  // the last axis varies fastest
      if (++at[k] < axes[k].size()) break;
      at[k] = 0;
    }
  }
  return points;
}

std::vector<std::vector<std::string>> latinHypercube(const std::vector<SweepRange>& ranges, int n,
                                                     std::uint64_t seed) {
  if (n < 1) throw std::invalid_argument(fmt::format("--lhs {}: expected at least 1 point", n));
  if (static_cast<std::size_t>(n) > kMaxPoints)
    throw std::invalid_argument(fmt::format("--lhs {}: at most {} points", n, kMaxPoints));
  for (const SweepRange& r : ranges)
    if (r.step > 0.0)
      throw std::invalid_argument(fmt::format(
          "--vary {}: a Latin hypercube samples LO:HI itself; leave out the step", r.text));
  Rng rng(seed, 0, "sweep/lhs");
  const auto un = static_cast<std::size_t>(n);
  std::vector<std::vector<std::string>> points(un);
  for (const SweepRange& r : ranges) {
    std::vector<std::size_t> strata(un);
    std::iota(strata.begin(), strata.end(), std::size_t{0});
    for (std::size_t i = un; i > 1; --i)  // Fisher-Yates
      std::swap(strata[i - 1], strata[static_cast<std::size_t>(rng.uniform() * i)]);
    for (std::size_t i = 0; i < un; ++i) {
      const double u = (static_cast<double>(strata[i]) + rng.uniform()) / n;
      if (r.integer) {
        const double v = std::min(r.hi, r.lo + std::floor(u * (r.hi - r.lo + 1.0)));
        points[i].push_back(valueText(r, v));
      } else {
        points[i].push_back(valueText(r, r.lo + u * (r.hi - r.lo)));
      }
    }
  }
  return points;
}

std::vector<FrontierMetric> parseFrontier(const std::string& text) {
  std::vector<FrontierMetric> out;
  for (std::size_t start = 0;;) {
    const auto comma = text.find(',', start);
    std::string item = trimmed(std::string_view(text).substr(start, comma - start));
    std::optional<Better> forced;
    if (const auto colon = item.find(':'); colon != std::string::npos) {
      const std::string dir = item.substr(colon + 1);
      if (dir == "min") {
        forced = Better::Lower;
      } else if (dir == "max") {
        forced = Better::Higher;
      } else {
        throw std::invalid_argument(fmt::format(
            "--frontier {}: expected ':min' or ':max' after a metric, got ':{}'", text, dir));
      }
      item.resize(colon);
    }
    Metric m{};
    if (!metricByName(item, m)) {
      std::string names;
      for (const MetricInfo& info : allMetrics())
        names += (names.empty() ? "" : ", ") + std::string(info.name);
      throw std::invalid_argument(
          fmt::format("--frontier {}: no metric '{}' (metrics: {})", text, item, names));
    }
    const Better better = forced.value_or(metricInfo(m).better);
    if (better == Better::Neither)
      throw std::invalid_argument(fmt::format(
          "--frontier {}: {} has no better direction of its own; write {}:min or {}:max", text,
          item, item, item));
    out.push_back({m, better});
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (out.size() < 2)
    throw std::invalid_argument(fmt::format(
        "--frontier {}: expected two metrics X,Y, e.g. agents_mean:min,service_level", text));
  return out;
}

std::vector<bool> paretoEfficient(const std::vector<std::vector<double>>& objectives,
                                  const std::vector<Better>& better) {
  const std::size_t n = objectives.size();
  auto valid = [&](std::size_t p) {
    return std::all_of(objectives[p].begin(), objectives[p].end(),
                       [](double x) { return std::isfinite(x); });
  };
  // Oriented so that larger is better.
  auto score = [&](std::size_t p, std::size_t k) {
    return better[k] == Better::Lower ? -objectives[p][k] : objectives[p][k];
  };
  std::vector<bool> efficient(n, false);
  for (std::size_t p = 0; p < n; ++p) {
    if (!valid(p)) continue;
    bool dominated = false;
    for (std::size_t q = 0; q < n && !dominated; ++q) {
      if (q == p || !valid(q)) continue;
      bool all_at_least = true, some_strictly = false;
      for (std::size_t k = 0; k < better.size(); ++k) {
        const double a = score(q, k), b = score(p, k);
        // Time averages differ in the last bits (41.999999999999986 agents against 42):
        // within a relative 1e-9 they are equal, else the "fewer" agents with a worse
        // service level would count as efficient next to 42 with a better one.
        if (std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)})) continue;
        if (a < b) all_at_least = false;
        if (a > b) some_strictly = true;
      }
      dominated = all_at_least && some_strictly;
    }
    efficient[p] = !dominated;
  }
  return efficient;
}

PreparedSweep prepareSweep(const SweepSpec& spec, std::uint64_t seed) {
  if (spec.ranges.empty())
    throw std::invalid_argument("nothing to sweep: give at least one --vary KEY=LO:HI:STEP");
  for (std::size_t i = 0; i < spec.ranges.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (spec.ranges[i].key == spec.ranges[j].key)
        throw std::invalid_argument(fmt::format("--vary {}: {} is already varied",
                                                spec.ranges[i].text, spec.ranges[i].key));
  PreparedSweep prepared;
  prepared.points = spec.lhs_points > 0 ? latinHypercube(spec.ranges, spec.lhs_points, seed)
                                        : gridPoints(spec.ranges);
  for (const auto& point : prepared.points) {
    try {
      prepared.scenarios.push_back(loadScenario(spec.file, pointOverrides(spec, point)));
    } catch (const ScenarioError& e) {
      // A problem with a swept value names the --vary it came from and the point.
      std::vector<Diagnostic> diagnostics = e.diagnostics();
      for (Diagnostic& d : diagnostics)
        for (std::size_t k = 0; k < spec.ranges.size(); ++k)
          if (d.file == "--set " + spec.ranges[k].key + "=" + point[k])
            d.file = fmt::format("--vary {} (at {}={})", spec.ranges[k].text, spec.ranges[k].key,
                                 point[k]);
      throw ScenarioError(std::move(diagnostics));
    }
  }
  return prepared;
}

SweepResult runSweep(const SweepSpec& spec, const PreparedSweep& prepared,
                     const ExperimentOptions& options, const SweepRanks& ranks) {
  const auto start = std::chrono::steady_clock::now();
  const std::size_t n_points = prepared.scenarios.size();
  const std::size_t reps = static_cast<std::size_t>(std::max(options.replications, 0));
  const std::size_t tasks = n_points * reps;
  const auto rank = static_cast<std::size_t>(std::max(ranks.rank, 0));
  const auto n_ranks = static_cast<std::size_t>(std::max(ranks.ranks, 1));
  // This rank's tasks: rank, rank + ranks, ...
  const std::size_t local_tasks = tasks > rank ? (tasks - rank + n_ranks - 1) / n_ranks : 0;
  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::max(
      1, static_cast<int>(std::min<std::size_t>(threads, std::max<std::size_t>(local_tasks, 1))));

  // Task t is replication t % reps of point t / reps: points complete roughly in order, so a
  // cancelled sweep keeps a prefix of the rows.
  std::vector<ReplicationMetrics> results(tasks);
  std::vector<char> done(tasks, 0);
  std::vector<std::atomic<int>> reps_done(n_points);
  // The replications of point p this rank runs (all of them in a single process).
  auto localReps = [&](std::size_t p) {
    int n = 0;
    for (std::size_t t = p * reps; t < (p + 1) * reps; ++t) n += t % n_ranks == rank;
    return n;
  };
  std::atomic<int> points_done{0};
  std::mutex progress_mutex;
  // A failure is rethrown once the workers have stopped and after the exchange between ranks,
  // which every rank must join.
  const std::exception_ptr error =
      forEachTask(local_tasks, threads, options.cancel, [&](std::size_t i) {
        const std::size_t t = rank + i * n_ranks;
        const std::size_t p = t / reps, r = t % reps;
        results[t] = runReplication(prepared.scenarios[p], options.seed,
                                    options.first_replication + static_cast<std::uint32_t>(r));
        done[t] = 1;
        if (reps_done[p].fetch_add(1) + 1 == localReps(p)) {
          const int n = ++points_done;
          if (options.progress) {
            std::lock_guard lock(progress_mutex);
            options.progress(n, static_cast<int>(n_points));
          }
        }
      });

  if (n_ranks > 1) {
    // Pack this rank's tasks, in task order: a done flag, then the overall and per-channel
    // values. Rank 0 unpacks every rank's tasks in the same order.
    auto width = [&](std::size_t t) {
      return 1 + (1 + prepared.scenarios[t / reps].channels.size()) * kMetricCount;
    };
    std::vector<double> local;
    for (std::size_t t = rank; t < tasks; t += n_ranks) {
      local.push_back(done[t] ? 1.0 : 0.0);
      if (!done[t]) {
        local.resize(local.size() + width(t) - 1, 0.0);
        continue;
      }
      local.insert(local.end(), results[t].overall.begin(), results[t].overall.end());
      for (const MetricValues& c : results[t].channels)
        local.insert(local.end(), c.begin(), c.end());
    }
    if (!ranks.gather) throw std::logic_error("runSweep: several ranks but no gather function");
    const std::vector<std::vector<double>> all = ranks.gather(local);
    if (error) std::rethrow_exception(error);
    if (rank != 0) {
      SweepResult partial;
      partial.file = spec.file;
      return partial;
    }
    if (all.size() != n_ranks)
      throw std::runtime_error("runSweep: gather returned the wrong ranks");
    for (std::size_t k = 0; k < n_ranks; ++k) {
      std::size_t at = 0;
      for (std::size_t t = k; t < tasks; t += n_ranks) {
        if (at + width(t) > all[k].size())
          throw std::runtime_error(fmt::format("runSweep: rank {} sent too few values", k));
        const double* v = all[k].data() + at;
        at += width(t);
        if (k == 0) continue;  // this rank's own tasks are already in place
        if (v[0] == 0.0) continue;
        ReplicationMetrics& m = results[t];
        std::copy(v + 1, v + 1 + kMetricCount, m.overall.begin());
        m.channels.resize(prepared.scenarios[t / reps].channels.size());
        for (std::size_t c = 0; c < m.channels.size(); ++c)
          std::copy(v + 1 + (1 + c) * kMetricCount, v + 1 + (2 + c) * kMetricCount,
                    m.channels[c].begin());
        done[t] = 1;
      }
    }
  }

  if (error) std::rethrow_exception(error);

  SweepResult result;
  result.file = spec.file;
  if (!prepared.scenarios.empty()) result.name = prepared.scenarios.front().name;
  result.design = spec.lhs_points > 0 ? "lhs" : "grid";
  result.seed = options.seed;
  result.replications = static_cast<int>(reps);
  result.threads = threads;
  for (const SweepRange& r : spec.ranges) result.keys.push_back(r.key);
  if (!prepared.scenarios.empty())
    for (const ChannelSpec& c : prepared.scenarios.front().channels)
      result.channel_ids.push_back(c.id);
  result.frontier = spec.frontier;
  std::vector<const MetricValues*> column;
  for (std::size_t p = 0; p < n_points; ++p) {
    if (!std::all_of(done.begin() + static_cast<std::ptrdiff_t>(p * reps),
                     done.begin() + static_cast<std::ptrdiff_t>((p + 1) * reps),
                     [](char d) { return d != 0; })) {
      result.cancelled = true;
      continue;
    }
    SweepPoint point;
    point.values = prepared.points[p];
    column.clear();
    for (std::size_t r = 0; r < reps; ++r) column.push_back(&results[p * reps + r].overall);
    point.overall = summarise(column);
    for (std::size_t c = 0; c < prepared.scenarios[p].channels.size(); ++c) {
      column.clear();
      for (std::size_t r = 0; r < reps; ++r) column.push_back(&results[p * reps + r].channels[c]);
      point.channels.push_back(summarise(column));
    }
    result.points.push_back(std::move(point));
  }

  if (!spec.frontier.empty()) {
    std::vector<std::vector<double>> objectives;
    std::vector<Better> better;
    for (const FrontierMetric& f : spec.frontier) better.push_back(f.better);
    for (const SweepPoint& p : result.points) {
      std::vector<double> row;
      for (const FrontierMetric& f : spec.frontier)
        row.push_back(p.overall[static_cast<std::size_t>(f.metric)].mean);
      objectives.push_back(std::move(row));
    }
    const std::vector<bool> efficient = paretoEfficient(objectives, better);
    for (std::size_t p = 0; p < result.points.size(); ++p) result.points[p].pareto = efficient[p];
  }
  result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::string sweepCsv(const SweepResult& result) {
  std::string out;
  for (std::size_t k = 0; k < result.keys.size(); ++k) out += (k ? "," : "") + result.keys[k];
  for (const MetricInfo& m : allMetrics()) out += fmt::format(",{0},{0}_ci95", m.name);
  if (!result.frontier.empty()) out += ",pareto";
  out += "\n";
  for (const SweepPoint& p : result.points) {
    for (std::size_t k = 0; k < p.values.size(); ++k) out += (k ? "," : "") + p.values[k];
    for (const Estimate& e : p.overall) out += "," + csvNumber(e.mean) + "," + csvNumber(e.ci95);
    if (!result.frontier.empty()) out += p.pareto ? ",true" : ",false";
    out += "\n";
  }
  return out;
}

nlohmann::ordered_json sweepJson(const SweepResult& result) {
  nlohmann::ordered_json j;
  j["file"] = result.file.string();
  j["design"] = result.design;
  j["seed"] = result.seed;
  j["reps"] = result.replications;
  j["keys"] = result.keys;
  nlohmann::ordered_json frontier = nlohmann::ordered_json::array();
  for (const FrontierMetric& f : result.frontier)
    frontier.push_back(
        {{"metric", metricInfo(f.metric).name}, {"better", directionName(f.better)}});
  j["frontier"] = std::move(frontier);
  nlohmann::ordered_json points = nlohmann::ordered_json::array();
  for (const SweepPoint& p : result.points) {
    nlohmann::ordered_json row;
    nlohmann::ordered_json values = nlohmann::ordered_json::object();
    for (std::size_t k = 0; k < result.keys.size(); ++k)
      values[result.keys[k]] = jsonValue(p.values[k]);
    row["values"] = std::move(values);
    row["overall"] = estimatesJson(p.overall);
    nlohmann::ordered_json channels = nlohmann::ordered_json::object();
    for (std::size_t c = 0; c < p.channels.size() && c < result.channel_ids.size(); ++c)
      channels[result.channel_ids[c]] = estimatesJson(p.channels[c]);
    row["channels"] = std::move(channels);
    if (!result.frontier.empty()) row["pareto"] = p.pareto;
    points.push_back(std::move(row));
  }
  j["points"] = std::move(points);
  j["run"] = {
      {"threads", result.threads}, {"wall_s", result.wall_s}, {"cancelled", result.cancelled}};
  return j;
}

std::string sweepText(const SweepResult& result) {
  std::vector<Metric> shown = {Metric::ServiceLevel, Metric::AsaS, Metric::AbandonRate,
                               Metric::Occupancy};
  for (const FrontierMetric& f : result.frontier)
    if (std::find(shown.begin(), shown.end(), f.metric) == shown.end()) shown.push_back(f.metric);
  std::string out = fmt::format(
      "{}: {} points ({}) · {} replications each · seed {} · common random numbers across "
      "points\n\n",
      result.file.string(), result.points.size(),
      result.design == "lhs" ? "Latin hypercube" : "grid", result.replications, result.seed);
  std::vector<std::size_t> widths;
  for (std::size_t k = 0; k < result.keys.size(); ++k) {
    std::size_t w = result.keys[k].size();
    for (const SweepPoint& p : result.points) w = std::max(w, p.values[k].size());
    widths.push_back(w + 2);
    out += fmt::format("{:<{}}", result.keys[k], w + 2);
  }
  for (Metric m : shown) out += fmt::format("{:>18}", metricInfo(m).name);
  if (!result.frontier.empty()) out += "  pareto";
  out += "\n";
  for (const SweepPoint& p : result.points) {
    for (std::size_t k = 0; k < p.values.size(); ++k)
      out += fmt::format("{:<{}}", p.values[k], widths[k]);
    for (Metric m : shown) {
      const MetricInfo& info = metricInfo(m);
      const Estimate& e = p.overall[static_cast<std::size_t>(m)];
      const bool percent = std::string_view(info.unit) == "%";
      const double scale = percent ? 100.0 : 1.0;
      std::string text = "-";
      if (std::isfinite(e.mean))
        text = fmt::format("{:.2f}{} ±{:.2f}", e.mean * scale, percent ? "%" : "",
                           std::isfinite(e.ci95) ? e.ci95 * scale : 0.0);
      out += fmt::format("{:>18}", text);
    }
    if (!result.frontier.empty()) out += p.pareto ? "  *" : "";
    out += "\n";
  }
  if (!result.frontier.empty()) {
    std::string names;
    for (const FrontierMetric& f : result.frontier)
      names += fmt::format("{}{} ({} is better)", names.empty() ? "" : ", ",
                           metricInfo(f.metric).name, directionName(f.better));
    out += "\n* Pareto-efficient for " + names + "\n";
  }
  if (result.cancelled) out += "\ninterrupted: only the completed points are shown\n";
  return out;
}

}  // namespace cx
