#include "cli/text_report.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "sim/report.hpp"

namespace cx::cli {

namespace {

std::string thousands(double x) {
  const auto n = static_cast<long long>(std::llround(x));
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

// A metric's value for people; `with_unit` adds " s" to seconds (left off after "±").
std::string value(const MetricInfo& info, double x, bool with_unit = true) {
  if (!std::isfinite(x)) return with_unit ? "–" : "";
  if (info.is_count) return thousands(x);
  const std::string_view unit = info.unit;
  // Churn over a horizon of days is a fraction of a percent: two decimals.
  if (unit == "%" && info.metric == Metric::ChurnRate) return fmt::format("{:.2f}%", 100.0 * x);
  if (unit == "%") return fmt::format("{:.1f}%", 100.0 * x);
  if (unit == "s") return fmt::format("{:.1f}", x) + (with_unit ? " s" : "");
  if (unit == "money") return fmt::format("{:.2f}", x);
  return fmt::format("{:.2f}", x);
}

// Pads to a width counted in characters, not bytes ("±" and "–" are two or three bytes).
std::string pad(const std::string& s, std::size_t width, bool right = false) {
  std::size_t chars = 0;
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  if (chars >= width) return s;
  const std::string fill(width - chars, ' ');
  return right ? fill + s : s + fill;
}

std::string describeTime(const Scenario& s) {
  if (s.dayStructured())
    return fmt::format("{} day{} from {}, {} interval{} of {:g} min", s.days,
                       s.days == 1 ? "" : "s", intervalLabel(s, 0), s.intervalsPerDay(),
                       s.intervalsPerDay() == 1 ? "" : "s", s.interval_minutes);
  return fmt::format("{:g} h measured after {:g} h warm-up", s.horizon_hours, s.warmup_hours);
}

}  // namespace

std::string formatEstimate(const MetricInfo& info, const Estimate& e) {
  const std::string h = value(info, e.ci95, false);
  return h.empty() ? value(info, e.mean) : value(info, e.mean) + " ± " + h;
}

std::string textReport(const Scenario& s, const ExperimentResult& r) {
  std::string out;
  out += fmt::format("{}{}\n", s.name,
                     s.source_path.empty() ? "" : "  (" + s.source_path.string() + ")");
  out += fmt::format("{} · {} replication{} · seed {} · {} thread{} · {:.2f} s\n", describeTime(s),
                     r.replications, r.replications == 1 ? "" : "s", r.seed, r.threads,
                     r.threads == 1 ? "" : "s", r.wall_s);
  if (r.cancelled) out += "Cancelled: the figures cover the completed replications only.\n";
  out += "Means over replications ± half-width of the 95% confidence interval.\n\n";

  // Summary table: one column per scope.
  constexpr std::size_t kLabel = 18, kColumn = 22;
  const bool many = s.channels.size() > 1;
  out += pad("", kLabel);
  if (many) out += pad("overall", kColumn, true);
  for (const auto& c : s.channels) out += pad(c.id + " (" + toString(c.kind) + ")", kColumn, true);
  out += "\n";
  for (const MetricInfo& m : allMetrics()) {
    const auto i = static_cast<std::size_t>(m.metric);
    if (!std::isfinite(r.overall[i].mean) && m.metric >= Metric::Deflected)
      continue;  // an optional layer the scenario leaves out (e.g. no [costs])
    out += pad(m.label, kLabel);
    if (many) out += pad(formatEstimate(m, r.overall[i]), kColumn, true);
    for (std::size_t c = 0; c < s.channels.size(); ++c)
      out += pad(formatEstimate(m, r.channels[c][i]), kColumn, true);
    out += "\n";
  }
  if (!s.agent_groups.empty()) {
    out += "\nAgent groups (skills in priority order)\n";
    std::vector<Metric> cols = {Metric::AgentsMean, Metric::Answered, Metric::AhtS,
                                Metric::Occupancy};
    if (s.costs) cols.push_back(Metric::CostTotal);
    std::vector<std::string> labels;
    std::size_t width = kLabel;
    for (const AgentGroupSpec& g : s.agent_groups) {
      std::string skills;
      for (const std::string& id : g.channels) skills += (skills.empty() ? "" : ">") + id;
      if (skills.empty()) {  // specialists who take only what is transferred to them
        for (const IntentSpec& in : s.intents)
          if (in.transfer && in.transfer->to == g.id)
            skills += (skills.empty() ? "transfers: " : ", ") + in.id;
      }
      labels.push_back(g.id + " (" + skills + ")");
      width = std::max(width, labels.back().size() + 1);
    }
    out += pad("", width);
    for (Metric m : cols) out += pad(metricInfo(m).label, kColumn, true);
    out += "\n";
    for (std::size_t g = 0; g < s.agent_groups.size(); ++g) {
      out += pad(labels[g], width);
      for (Metric m : cols)
        out += pad(formatEstimate(metricInfo(m), r.groups[g][static_cast<std::size_t>(m)]), kColumn,
                   true);
      out += "\n";
    }
  }
  out += "\nService-level targets: ";
  for (std::size_t c = 0; c < s.channels.size(); ++c) {
    const auto& sl = s.channels[c].service_level;
    const double got = r.channels[c][static_cast<std::size_t>(Metric::ServiceLevel)].mean;
    out += fmt::format("{}{} {:.0f}% in {:g} s ({})", c ? "; " : "", s.channels[c].id,
                       100 * sl.target, sl.threshold_s,
                       !std::isfinite(got) ? "no contacts"
                       : got >= sl.target  ? "met"
                                           : "missed");
  }
  out += "\n";
  if (s.outcomes) {
    // What the expected CSAT would look like through a real survey (docs/CX_MODEL.md).
    const double rate = surveyResponseRate(s);
    out += fmt::format(
        "Surveys: {:g}% of contacts answer ({}), so a survey's CSAT\n"
        "would lie within ± CSAT survey margin of the expected CSAT 95% of the time.\n",
        100 * rate,
        s.outcomes->response_rate ? "[outcomes] response_rate" : "the calibration's response_rate");
  }

  // Per-interval tables, one per channel, when there is more than one interval.
  if (r.intervals.size() > 1) {
    // With [outcomes], what customers felt in each interval too: the manager sees which
    // half-hours cost satisfaction, not only which missed the target.
    std::vector<Metric> cols = {Metric::Offered, Metric::AgentsMean,  Metric::ServiceLevel,
                                Metric::AsaS,    Metric::AbandonRate, Metric::Occupancy};
    std::vector<const char*> heads = {"offered", "agents",  "service level",
                                      "ASA",     "abandon", "occupancy"};
    std::vector<std::size_t> widths = {9, 8, 15, 10, 9, 11};
    if (s.outcomes) {
      cols.push_back(Metric::Csat);
      heads.push_back("CSAT");
      widths.push_back(8);
      // The half-hour's CSAT as a survey would measure it: few responses, a wide margin.
      cols.push_back(Metric::CsatMargin);
      heads.push_back("survey ±");
      widths.push_back(10);
    }
    for (std::size_t c = 0; c < s.channels.size(); ++c) {
      const auto& sl = s.channels[c].service_level;
      out += fmt::format("\nPer interval — {} (means; target {:.0f}% in {:g} s, * = missed{})\n",
                         s.channels[c].id, 100 * sl.target, sl.threshold_s,
                         s.outcomes ? "; survey ± = CSAT survey margin" : "");
      out += pad("start", 8);
      for (std::size_t j = 0; j < cols.size(); ++j) out += pad(heads[j], widths[j], true);
      out += "\n";
      for (std::size_t k = 0; k < r.intervals.size(); ++k) {
        out += pad(intervalLabel(s, static_cast<int>(k)), 8);
        for (std::size_t j = 0; j < cols.size(); ++j) {
          const MetricInfo& m = metricInfo(cols[j]);
          const double x = r.interval_channels[k][c][static_cast<std::size_t>(cols[j])].mean;
          std::string cell = cols[j] == Metric::AgentsMean && std::isfinite(x)
                                 ? fmt::format("{:.1f}", x)
                                 : value(m, x);
          if (cols[j] == Metric::ServiceLevel && std::isfinite(x) && x < sl.target)
            cell += "*";
          else if (cols[j] == Metric::ServiceLevel)
            cell += " ";
          out += pad(cell, widths[j], true);
        }
        out += "\n";
      }
    }
  }
  return out;
}

}  // namespace cx::cli
