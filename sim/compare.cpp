#include "sim/compare.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "sim/parallel.hpp"
#include "sim/stats.hpp"

namespace cx {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

nlohmann::ordered_json number(double x) {
  if (!std::isfinite(x)) return nullptr;
  return x;
}

nlohmann::ordered_json comparisonsJson(const MetricComparisons& metrics) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const MetricInfo& m : allMetrics()) {
    const MetricComparison& c = metrics[static_cast<std::size_t>(m.metric)];
    j[m.name] = {{"a", number(c.a)},
                 {"b", number(c.b)},
                 {"diff", number(c.diff)},
                 {"ci95", number(c.ci95)},
                 {"ci95_independent", number(c.ci95_independent)},
                 {"verdict", c.verdict}};
  }
  return j;
}

nlohmann::ordered_json scenarioRef(const Scenario& s) {
  nlohmann::ordered_json j;
  j["name"] = s.name;
  j["file"] = s.source_path.string();
  return j;
}

// A value in the metric's unit, for the text table.
std::string formatValue(const MetricInfo& m, double x, bool signed_value = false) {
  if (!std::isfinite(x)) return "-";
  const std::string sign = signed_value && x > 0 ? "+" : "";
  if (std::string_view(m.unit) == "%") return fmt::format("{}{:.2f}%", sign, 100.0 * x);
  if (std::string_view(m.unit) == "s") return fmt::format("{}{:.2f} s", sign, x);
  if (m.is_count) return fmt::format("{}{:.1f}", sign, x);
  return fmt::format("{}{:.3f}", sign, x);
}

std::string formatHalfWidth(const MetricInfo& m, double x) {
  if (!std::isfinite(x)) return "-";
  return "±" + formatValue(m, x);
}

// One side's replications (every other task, from `side`), the first `kept` of them, as
// runExperiment would have summarised them, through the same summariseReplications and
// addEngineStats. A test checks the two agree (compare: each side equals runExperiment).
ExperimentResult experimentFrom(const Scenario& scenario, std::uint64_t seed,
                                std::vector<ReplicationMetrics>& reps,
                                const std::vector<EngineStats>& engine, std::size_t side,
                                std::size_t kept, int threads, bool cancelled, double wall_s) {
  ExperimentResult result;
  result.seed = seed;
  result.threads = threads;
  result.cancelled = cancelled;
  result.wall_s = wall_s;
  result.replications = static_cast<int>(kept);
  for (std::size_t r = 0; r < kept; ++r) {
    result.reps.push_back(std::move(reps[2 * r + side]));
    addEngineStats(result.engine, engine[2 * r + side]);
  }
  summariseReplications(scenario, result);
  return result;
}

}  // namespace

const char* toString(Streams streams) {
  return streams == Streams::Common ? "common" : "independent";
}

std::string verdictFor(Metric metric, double diff, double ci95, int n) {
  const bool significant =
      n >= 2 && std::isfinite(diff) && std::isfinite(ci95) && diff != 0.0 && std::fabs(diff) > ci95;
  if (!significant) return "no significant difference";
  switch (metricInfo(metric).better) {
    case Better::Higher:
      return diff > 0 ? "better" : "worse";
    case Better::Lower:
      return diff < 0 ? "better" : "worse";
    case Better::Neither:
      break;
  }
  return diff > 0 ? "higher" : "lower";
}

MetricComparisons compareReplications(const std::vector<const MetricValues*>& a,
                                      const std::vector<const MetricValues*>& b) {
  MetricComparisons out{};
  const std::size_t n = std::min(a.size(), b.size());
  std::vector<double> xa, xb, d;
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    xa.clear();
    xb.clear();
    d.clear();
    for (std::size_t r = 0; r < n; ++r) {
      const double va = (*a[r])[m], vb = (*b[r])[m];
      xa.push_back(va);
      xb.push_back(vb);
      d.push_back(std::isfinite(va) && std::isfinite(vb) ? vb - va : kNaN);
    }
    const Estimate ea = estimate(xa), eb = estimate(xb), ed = estimate(d);
    MetricComparison& c = out[m];
    c.a = ea.n > 0 ? ea.mean : kNaN;
    c.b = eb.n > 0 ? eb.mean : kNaN;
    c.n = ed.n;
    c.diff = ed.n > 0 ? ed.mean : kNaN;
    c.ci95 = ed.ci95;
    // Unpaired: each side's standard error from its own replications, combined with the
    // t quantile of the paired test so the two half-widths differ only in the variance.
    if (ea.n >= 2 && eb.n >= 2 && ed.n >= 2) {
      const double sea = ea.ci95 / studentTQuantile(0.975, ea.n - 1);
      const double seb = eb.ci95 / studentTQuantile(0.975, eb.n - 1);
      c.ci95_independent = studentTQuantile(0.975, ed.n - 1) * std::sqrt(sea * sea + seb * seb);
    } else {
      c.ci95_independent = kNaN;
    }
    // A metric one side does not model (no bot in A, no [outcomes] in B) has nothing to
    // compare: say which side has it rather than "no significant difference".
    const bool in_a = std::isfinite(c.a), in_b = std::isfinite(c.b);
    c.verdict = in_a == in_b ? verdictFor(static_cast<Metric>(m), c.diff, c.ci95, c.n)
                : in_a       ? "only in A"
                             : "only in B";
    if (!in_a && !in_b) c.verdict = "in neither";
  }
  return out;
}

Comparison compareScenarios(const Scenario& a, const Scenario& b, const ExperimentOptions& options,
                            Streams streams) {
  const auto start = std::chrono::steady_clock::now();
  const int pairs = std::max(options.replications, 0);
  const auto n_pairs = static_cast<std::size_t>(pairs);
  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::max(1, std::min(threads, 2 * pairs));
  // Independent: B on replications A never uses, N ... 2N − 1.
  const std::uint32_t first_b =
      options.first_replication +
      (streams == Streams::Independent ? static_cast<std::uint32_t>(pairs) : 0u);

  // Task t is replication t / 2 of A (t even) or of B (t odd): pairs complete in order, so a
  // cancelled comparison keeps a prefix of the pairs.
  const std::size_t tasks = 2 * n_pairs;
  std::vector<ReplicationMetrics> reps(tasks);
  std::vector<EngineStats> engine(tasks);
  std::vector<char> done(tasks, 0);
  std::vector<std::atomic<int>> sides_done(n_pairs);
  std::atomic<int> pairs_done{0};
  std::mutex progress_mutex;
  const std::exception_ptr error = forEachTask(tasks, threads, options.cancel, [&](std::size_t t) {
    const std::size_t r = t / 2;
    const bool is_b = t % 2 == 1;
    reps[t] = runReplication(
        is_b ? b : a, options.seed,
        (is_b ? first_b : options.first_replication) + static_cast<std::uint32_t>(r), &engine[t]);
    done[t] = 1;
    if (sides_done[r].fetch_add(1) + 1 == 2) {
      const int n = ++pairs_done;
      if (options.progress) {
        std::lock_guard lock(progress_mutex);
        options.progress(n, pairs);
      }
    }
  });
  if (error) std::rethrow_exception(error);

  Comparison c;
  c.streams = streams;
  c.seed = options.seed;
  c.requested = pairs;
  std::size_t kept = 0;
  while (kept < n_pairs && done[2 * kept] && done[2 * kept + 1]) ++kept;
  c.replications = static_cast<int>(kept);
  c.cancelled = kept < n_pairs;
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  c.a = experimentFrom(a, options.seed, reps, engine, 0, kept, threads, c.cancelled, wall_s);
  c.b = experimentFrom(b, options.seed, reps, engine, 1, kept, threads, c.cancelled, wall_s);
  auto pick = [&](const ExperimentResult& r, auto&& get) {
    std::vector<const MetricValues*> out;
    for (int i = 0; i < c.replications; ++i)
      out.push_back(&get(r.reps[static_cast<std::size_t>(i)]));
    return out;
  };
  auto overall = [](const ReplicationMetrics& m) -> const MetricValues& { return m.overall; };
  c.overall = compareReplications(pick(c.a, overall), pick(c.b, overall));
  for (std::size_t ia = 0; ia < a.channels.size(); ++ia) {
    for (std::size_t ib = 0; ib < b.channels.size(); ++ib) {
      if (a.channels[ia].id != b.channels[ib].id) continue;
      auto in_a = [ia](const ReplicationMetrics& m) -> const MetricValues& {
        return m.channels[ia];
      };
      auto in_b = [ib](const ReplicationMetrics& m) -> const MetricValues& {
        return m.channels[ib];
      };
      c.channels.push_back(
          {a.channels[ia].id, compareReplications(pick(c.a, in_a), pick(c.b, in_b))});
    }
  }
  return c;
}

nlohmann::ordered_json comparisonToJson(const Scenario& a, const Scenario& b, const Comparison& c) {
  nlohmann::ordered_json j;
  j["a"] = scenarioRef(a);
  j["b"] = scenarioRef(b);
  j["streams"] = toString(c.streams);
  j["reps"] = c.replications;
  if (c.cancelled) j["reps_requested"] = c.requested;
  j["seed"] = c.seed;
  j["cancelled"] = c.cancelled;
  j["overall"] = comparisonsJson(c.overall);
  nlohmann::ordered_json channels = nlohmann::ordered_json::object();
  for (const ScopeComparison& s : c.channels) channels[s.id] = comparisonsJson(s.metrics);
  j["channels"] = std::move(channels);
  return j;
}

std::string comparisonText(const Scenario& a, const Scenario& b, const Comparison& c) {
  std::string out;
  out += fmt::format("A: {}  ({})\nB: {}  ({})\n", a.name, a.source_path.string(), b.name,
                     b.source_path.string());
  if (c.cancelled)
    out += fmt::format(
        "stopped early: {} of the {} pairs asked for completed; the comparison uses "
        "those only\n",
        c.replications, c.requested);
  out += fmt::format("{} paired replications · seed {} · {}\n", c.replications, c.seed,
                     c.streams == Streams::Common
                         ? "common random numbers (replication r of A and B share streams)"
                         : "independent streams (B does not reuse A's random numbers)");
  out +=
      "diff = mean of (B − A) per replication ± 95% CI; 'indep.' = the CI independent runs "
      "would give.\n";
  out += comparisonBlock("overall", c.overall);
  if (!(c.channels.size() == 1 && a.channels.size() == 1 && b.channels.size() == 1)) {
    for (const ScopeComparison& s : c.channels)
      out += comparisonBlock("channel " + s.id, s.metrics);
  }
  return out;
}

std::string comparisonBlock(const std::string& title, const MetricComparisons& metrics,
                            const std::vector<Metric>& only) {
  std::string out = fmt::format("\n{}\n{:<18}{:>13}{:>13}{:>13}{:>12}{:>12}  {}\n", title, "metric",
                                "A", "B", "diff", "±CI95", "indep.", "B vs A");
  for (const MetricInfo& m : allMetrics()) {
    if (!only.empty() && std::find(only.begin(), only.end(), m.metric) == only.end()) continue;
    const MetricComparison& x = metrics[static_cast<std::size_t>(m.metric)];
    out +=
        fmt::format("{:<18}{:>13}{:>13}{:>13}{:>12}{:>12}  {}\n", m.label, formatValue(m, x.a),
                    formatValue(m, x.b), formatValue(m, x.diff, true), formatHalfWidth(m, x.ci95),
                    formatHalfWidth(m, x.ci95_independent), x.verdict);
  }
  return out;
}

}  // namespace cx
