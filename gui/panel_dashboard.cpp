// The dashboard: KPI cards (mean ± 95% CI, coloured against the scenario's targets), charts per
// interval and per channel, and a per-channel table, for the last run.
//
// [SECTION] KPI cards
// [SECTION] Charts
// [SECTION] The panel

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>
#include <utility>

#include "gui/panels.hpp"
#include "gui/plot.hpp"
#include "gui/widgets.hpp"
#include "sim/html_report.hpp"
#include "sim/metrics.hpp"
#include "sim/report.hpp"

namespace cx::studio {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// -------------------------------------------------------------------------------------------
// [SECTION] KPI cards

// The cards, in the order managers read them, by JSON name: a metric the library does not
// produce (yet) or that the scenario lacks the part for gets a card saying so, and shows its
// numbers as soon as a result has them. Adding a card is one line here.
constexpr const char* kCardMetrics[] = {
    "service_level",
    "asa_s",
    "abandon_rate",
    "occupancy",
    "fcr",
    "deflected",
    "bot_containment",
    "csat",
    "nps",
    "ces",
    "churn_rate",
    "revenue_at_risk",
    "cost_total",
    "cost_per_contact",
};

bool isShare(const MetricInfo& info) {
  return std::string_view(info.unit) == "%";
}

// The scope's service-level target: the channel's, or for all channels together the
// offered-weighted mean of the channels' targets.
double serviceTarget(const Scenario& s, const ExperimentResult& r, int scope) {
  if (scope >= 0) return s.channels[static_cast<std::size_t>(scope)].service_level.target;
  double weight = 0.0, sum = 0.0;
  for (std::size_t c = 0; c < s.channels.size() && c < r.channels.size(); ++c) {
    const double offered = r.channels[c][static_cast<std::size_t>(Metric::Offered)].mean;
    if (!std::isfinite(offered)) continue;
    weight += offered;
    sum += offered * s.channels[c].service_level.target;
  }
  return weight > 0.0 ? sum / weight : kNaN;
}

// `survey`: for CSAT, the margin of error of a survey at the response rate in force (as a
// share) and its expected responses; NaN for other cards.
void drawCard(const MetricInfo& info, const Estimate& e, double target, ImVec2 size,
              double survey_margin = kNaN, double survey_responses = kNaN) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const bool share = isShare(info);
  const double scale = share ? 100.0 : 1.0;
  const bool has_target = std::isfinite(target);
  const ImU32 band = has_target ? plot::targetColour(e.mean, target, info.better == Better::Higher)
                                : IM_COL32(90, 95, 110, 255);
  dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), IM_COL32(255, 255, 255, 14), 5.0f);
  dl->AddRectFilled(p, ImVec2(p.x + 5.0f, p.y + size.y), band, 5.0f, ImDrawFlags_RoundCornersLeft);
  ImGui::BeginGroup();
  ImGui::PushClipRect(p, ImVec2(p.x + size.x - 4.0f, p.y + size.y), true);
  ImGui::Dummy(ImVec2(size.x, 0.0f));
  ImGui::SetCursorScreenPos(ImVec2(p.x + 12.0f, p.y + 4.0f));
  ImGui::TextDisabled("%s", info.label);
  // Digits to fit the metric: two significant digits of the CI, so a small one (churn) never
  // shows as "± 0.00"; large counts and money with separators.
  const double ci = e.ci95 * scale;
  const int digits = estimateDecimals(e.mean * scale, ci);
  const std::string value =
      std::isfinite(e.mean) && e.n > 0 ? decimalText(e.mean * scale, digits) : "—";
  ImGui::SetCursorScreenPos(ImVec2(p.x + 12.0f, ImGui::GetCursorScreenPos().y));
  ImGui::SetWindowFontScale(1.45f);
  ImGui::TextUnformatted(value.c_str());
  ImGui::SetWindowFontScale(1.0f);
  // Money is in the scenario's own currency, which the file does not name.
  if (std::string_view(info.unit) != "money") {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", info.unit);
  }
  ImGui::SetCursorScreenPos(ImVec2(p.x + 12.0f, ImGui::GetCursorScreenPos().y));
  std::string detail = std::isfinite(e.ci95) ? fmt::format("± {} (95% CI)", decimalText(ci, digits))
                                             : std::string("one replication: no CI");
  if (has_target) detail += fmt::format(" · target {:.0f}{}", target * scale, info.unit);
  const bool survey = std::isfinite(survey_margin);
  if (survey) detail += fmt::format(" · survey ± {:.1f}", survey_margin * scale);
  ImGui::TextDisabled("%s", detail.c_str());
  ImGui::PopClipRect();
  ImGui::SetCursorScreenPos(p);
  ImGui::Dummy(size);
  ImGui::EndGroup();
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::Text("%s (%s)", info.label, info.name);
    ImGui::Text("mean %.6g %s", e.mean * scale, info.unit);
    if (std::isfinite(e.ci95))
      ImGui::Text("95%% CI %.6g – %.6g (%d replications)", (e.mean - e.ci95) * scale,
                  (e.mean + e.ci95) * scale, e.n);
    if (has_target)
      ImGui::Text("target %.4g %s (from the scenario's service_level.target)", target * scale,
                  info.unit);
    if (survey)
      ImGui::Text(
          "a survey at the response rate in force (about %.0f responses) would measure\n"
          "it within ± %.1f points 95%% of the time (CSAT survey margin)",
          survey_responses, survey_margin * scale);
    ImGui::EndTooltip();
  }
}

// The card's title: the library's label once the metric exists, else the words DESIGN.md §3
// uses for it.
const char* cardLabel(const char* name) {
  Metric m;
  if (metricByName(name, m)) return metricInfo(m).label;
  static constexpr std::pair<std::string_view, const char*> kFuture[] = {
      {"csat", "CSAT"},
      {"nps", "NPS"},
      {"ces", "CES (effort)"},
      {"churn_rate", "churn rate"},
      {"revenue_at_risk", "revenue at risk"}};
  for (const auto& [key, label] : kFuture)
    if (key == name) return label;
  return name;
}

// A metric's card when there is nothing to show: its name, greyed, and why.
void drawAbsentCard(const char* name, ImVec2 size) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  dl->AddRect(p, ImVec2(p.x + size.x, p.y + size.y), IM_COL32(255, 255, 255, 22), 5.0f);
  ImGui::BeginGroup();
  ImGui::PushClipRect(p, ImVec2(p.x + size.x - 4.0f, p.y + size.y), true);
  ImGui::SetCursorScreenPos(ImVec2(p.x + 12.0f, p.y + 4.0f));
  ImGui::TextDisabled("%s", cardLabel(name));
  for (const char* line : {"not modelled", "in this scenario"}) {
    ImGui::SetCursorScreenPos(ImVec2(p.x + 12.0f, ImGui::GetCursorScreenPos().y));
    ImGui::TextDisabled("%s", line);
  }
  ImGui::PopClipRect();
  ImGui::SetCursorScreenPos(p);
  ImGui::Dummy(size);
  ImGui::EndGroup();
}

void drawCards(const RunOutcome& run, int scope) {
  const ExperimentResult& r = run.result;
  const MetricEstimates& est = scope < 0 ? r.overall : r.channels[static_cast<std::size_t>(scope)];
  const float width = ImGui::GetContentRegionAvail().x;
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float line = ImGui::GetTextLineHeightWithSpacing();
  // Wide enough for the longest detail line, so no card's text runs into the next.
  const ImVec2 size(std::max(ImGui::CalcTextSize("± 00.0 (95% CI) · target 80%").x + 24.0f, 200.0f),
                    line * 3.0f + 14.0f);
  const int per_row = std::max(1, static_cast<int>((width + spacing) / (size.x + spacing)));
  const float card_w = (width - spacing * static_cast<float>(per_row - 1)) / per_row;
  // Each card at its grid place: a card's text is clipped, never pushing its neighbours.
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  int shown = 0;
  for (const char* name : kCardMetrics) {
    const int row = shown / per_row, col = shown % per_row;
    ImGui::SetCursorScreenPos(ImVec2(origin.x + static_cast<float>(col) * (card_w + spacing),
                                     origin.y + static_cast<float>(row) * (size.y + spacing)));
    ++shown;
    Metric m;
    // Not produced by this version of the library, or undefined in every replication (no
    // bot, no [costs]...): a card that says so, never a made-up number.
    if (!metricByName(name, m) || est[static_cast<std::size_t>(m)].n == 0) {
      drawAbsentCard(name, ImVec2(card_w, size.y));
      continue;
    }
    const double target = m == Metric::ServiceLevel ? serviceTarget(run.scenario, r, scope) : kNaN;
    const bool csat = m == Metric::Csat;
    drawCard(metricInfo(m), est[static_cast<std::size_t>(m)], target, ImVec2(card_w, size.y),
             csat ? est[static_cast<std::size_t>(Metric::CsatMargin)].mean : kNaN,
             csat ? est[static_cast<std::size_t>(Metric::SurveyResponses)].mean : kNaN);
  }
  const int rows = (shown + per_row - 1) / per_row;
  ImGui::SetCursorScreenPos(
      ImVec2(origin.x, origin.y + static_cast<float>(rows) * (size.y + spacing)));
  ImGui::Dummy(ImVec2(0.0f, 0.0f));
}

// -------------------------------------------------------------------------------------------
// [SECTION] Charts

std::vector<std::string> intervalLabels(const Scenario& s) {
  std::vector<std::string> out;
  for (int k = 0; k < s.intervalsPerDay(); ++k) out.push_back(intervalLabel(s, k));
  return out;
}

// How many times each interval occurs in the measured window: the days, or the cycles.
double occurrences(const Scenario& s) {
  if (s.dayStructured()) return s.days;
  return s.horizon_hours * 60.0 / (s.interval_minutes * s.intervalsPerDay());
}

double at(const MetricEstimates& e, Metric m) {
  return e[static_cast<std::size_t>(m)].mean;
}

plot::Series makeSeries(std::string label, plot::Kind kind) {
  plot::Series s;
  s.label = std::move(label);
  s.kind = kind;
  return s;
}

void pushEstimate(plot::Series& s, const Estimate& e, double scale) {
  s.y.push_back(e.n > 0 ? e.mean * scale : kNaN);
  const bool ci = e.n > 1 && std::isfinite(e.ci95);
  s.lo.push_back(ci ? (e.mean - e.ci95) * scale : kNaN);
  s.hi.push_back(ci ? (e.mean + e.ci95) * scale : kNaN);
}

plot::Chart workloadChart(const RunOutcome& run) {
  const Scenario& s = run.scenario;
  const ExperimentResult& r = run.result;
  plot::Chart chart;
  chart.id = "workload_per_interval";
  chart.title = "Arrivals as workload vs agents";
  chart.y_unit = "agents";
  chart.categories = intervalLabels(s);
  plot::Series load{"arrivals × AHT (erlangs)", plot::Kind::Area, {}, {}, {}, 0, {}};
  plot::Series staffed{"agents present", plot::Kind::Step, {}, {}, {}, 0, {}};
  plot::Series busy = makeSeries("agents busy", plot::Kind::Line);
  const double per = occurrences(s) * s.intervalSeconds();
  for (std::size_t k = 0; k < r.intervals.size(); ++k) {
    double erlangs = 0.0;
    for (std::size_t c = 0; c < s.channels.size(); ++c) {
      const MetricEstimates& e = r.interval_channels[k][c];
      const double offered = at(e, Metric::Offered), aht = at(e, Metric::AhtS);
      if (std::isfinite(offered) && std::isfinite(aht)) erlangs += offered * aht / per;
    }
    load.y.push_back(erlangs);
    staffed.y.push_back(at(r.intervals[k], Metric::AgentsMean));
    pushEstimate(busy, r.intervals[k][static_cast<std::size_t>(Metric::BusyMean)], 1.0);
  }
  chart.series = {std::move(load), std::move(staffed), std::move(busy)};
  return chart;
}

plot::Chart perChannelIntervalChart(const RunOutcome& run, const char* id, const char* title,
                                    Metric metric, double scale, const char* unit) {
  const Scenario& s = run.scenario;
  const ExperimentResult& r = run.result;
  plot::Chart chart;
  chart.id = id;
  chart.title = title;
  chart.y_unit = unit;
  chart.categories = intervalLabels(s);
  for (std::size_t c = 0; c < s.channels.size(); ++c) {
    plot::Series series = makeSeries(s.channels[c].id, plot::Kind::Line);
    for (std::size_t k = 0; k < r.interval_channels.size(); ++k)
      pushEstimate(series, r.interval_channels[k][c][static_cast<std::size_t>(metric)], scale);
    chart.series.push_back(std::move(series));
  }
  return chart;
}

plot::Chart serviceLevelChart(const RunOutcome& run) {
  plot::Chart chart =
      perChannelIntervalChart(run, "service_level_per_interval", "Service level per interval",
                              Metric::ServiceLevel, 100.0, "%");
  chart.y_min = 0.0;
  chart.y_max = 100.0;
  const Scenario& s = run.scenario;
  bool same = true;
  for (const ChannelSpec& ch : s.channels)
    same = same && ch.service_level.target == s.channels.front().service_level.target;
  if (!s.channels.empty() && same) {
    chart.reference = s.channels.front().service_level.target * 100.0;
    chart.reference_label = fmt::format("target {:.0f}%", *chart.reference);
  }
  return chart;
}

plot::Chart channelBars(const RunOutcome& run) {
  const Scenario& s = run.scenario;
  plot::Chart chart;
  chart.id = "per_channel";
  chart.title = "Per channel";
  chart.y_unit = "%";
  chart.y_min = 0.0;
  chart.y_max = 100.0;
  for (const ChannelSpec& ch : s.channels) chart.categories.push_back(ch.id);
  const std::pair<const char*, Metric> bars[] = {{"service level", Metric::ServiceLevel},
                                                 {"abandoned", Metric::AbandonRate},
                                                 {"occupancy", Metric::Occupancy},
                                                 {"waited", Metric::PWait}};
  for (const auto& [label, metric] : bars) {
    plot::Series series = makeSeries(label, plot::Kind::Bars);
    for (std::size_t c = 0; c < s.channels.size(); ++c)
      pushEstimate(series, run.result.channels[c][static_cast<std::size_t>(metric)], 100.0);
    series.lo.clear();  // bars show the mean; the readout has the CI via the table below
    series.hi.clear();
    chart.series.push_back(std::move(series));
  }
  return chart;
}

plot::Heatmap serviceHeatmap(const RunOutcome& run) {
  const Scenario& s = run.scenario;
  plot::Heatmap h;
  h.id = "service_level_heatmap";
  h.title = "Service level by channel and interval";
  h.unit = "%";
  h.lo = 0.0;
  h.hi = 100.0;
  h.columns = intervalLabels(s);
  for (std::size_t c = 0; c < s.channels.size(); ++c) {
    h.rows.push_back(s.channels[c].id);
    std::vector<double> row;
    for (std::size_t k = 0; k < run.result.interval_channels.size(); ++k)
      row.push_back(at(run.result.interval_channels[k][c], Metric::ServiceLevel) * 100.0);
    h.values.push_back(std::move(row));
  }
  return h;
}

// One row per metric, one column per scope (all channels, then each channel): metrics are
// many and channels few, so this reads without scrolling sideways.
plot::Table channelTable(const RunOutcome& run) {
  const Scenario& s = run.scenario;
  plot::Table t;
  t.id = "channels_summary";
  t.headers = {"metric", "all channels"};
  std::vector<const MetricEstimates*> scopes{&run.result.overall};
  for (std::size_t c = 0; c < s.channels.size() && c < run.result.channels.size(); ++c) {
    t.headers.push_back(s.channels[c].id);
    scopes.push_back(&run.result.channels[c]);
  }
  for (const MetricInfo& info : allMetrics()) {
    const auto m = static_cast<std::size_t>(info.metric);
    bool any = false;
    for (const MetricEstimates* e : scopes) any = any || (*e)[m].n > 0;
    if (!any) continue;
    std::vector<std::string> cells{
        fmt::format("{}{}", info.label, *info.unit ? fmt::format(" ({})", info.unit) : "")};
    const double scale = isShare(info) ? 100.0 : 1.0;
    for (const MetricEstimates* e : scopes) cells.push_back(estimateText((*e)[m], scale));
    t.rows.push_back(std::move(cells));
  }
  return t;
}

// The CX outcomes per interval, by metric name: drawn once the library produces the metric and
// the run has values for it, two to a row like the charts above. Adding one is one line.
void drawOutcomeCharts(const RunOutcome& run, float chart_w, float chart_h, bool two) {
  constexpr const char* kOutcomes[] = {"csat", "ces", "nps", "churn_rate"};
  int drawn = 0;
  for (const char* name : kOutcomes) {
    Metric m;
    if (!metricByName(name, m)) continue;
    bool any = false;
    for (const auto& interval : run.result.interval_channels)
      for (const MetricEstimates& channel : interval)
        any = any || channel[static_cast<std::size_t>(m)].n > 0;
    if (!any) continue;
    const MetricInfo& info = metricInfo(m);
    const double scale = isShare(info) ? 100.0 : 1.0;
    const std::string id = std::string(name) + "_per_interval";
    const std::string title = std::string(info.label) + " per interval";
    if (two && drawn % 2 == 1) ImGui::SameLine();
    plot::drawChart(perChannelIntervalChart(run, id.c_str(), title.c_str(), m, scale, info.unit),
                    ImVec2(chart_w, chart_h));
    ++drawn;
  }
}

}  // namespace

// -------------------------------------------------------------------------------------------
// [SECTION] The panel

void drawDashboardPanel(AppState& state) {
  if (!beginPanel("Dashboard", &state.open.dashboard, state, {0.42f, 0.42f, 1.0f, 1.0f})) {
    ImGui::End();
    return;
  }
  if (!state.last_run) {
    ImGui::TextDisabled("No results yet: run the scenario (Run panel, F5).");
    ImGui::End();
    return;
  }
  const RunOutcome& run = *state.last_run;
  int& scope = state.dashboard_scope;
  if (scope >= static_cast<int>(run.scenario.channels.size())) scope = -1;
  ImGui::TextDisabled("%s", run.label.c_str());
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10.0f);
  const char* scope_name = scope < 0
                               ? "all channels"
                               : run.scenario.channels[static_cast<std::size_t>(scope)].id.c_str();
  if (ImGui::BeginCombo("##scope", scope_name)) {
    if (ImGui::Selectable("all channels", scope < 0)) scope = -1;
    for (int c = 0; c < static_cast<int>(run.scenario.channels.size()); ++c)
      if (ImGui::Selectable(run.scenario.channels[static_cast<std::size_t>(c)].id.c_str(),
                            scope == c))
        scope = c;
    ImGui::EndCombo();
  }
  // Cards and charts scroll together: in the usual layout the cards alone can fill the panel,
  // and a charts area of its own would be left a sliver with a scrollbar of its own.
  ImGui::BeginChild("charts", ImVec2(0.0f, 0.0f), false);
  drawCards(run, scope);
  ImGui::Spacing();
  const float width = ImGui::GetContentRegionAvail().x;
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const bool two = width > ImGui::GetFontSize() * 50.0f;
  const float chart_w = two ? (width - spacing) * 0.5f : width;
  // Two rows of charts fill the view, within limits: a tall window shows more, not taller.
  const float line = ImGui::GetTextLineHeight();
  const float chart_h =
      std::clamp(ImGui::GetContentRegionAvail().y * 0.5f - spacing, line * 14.0f, line * 22.0f);
  plot::drawChart(workloadChart(run), ImVec2(chart_w, chart_h));
  if (two) ImGui::SameLine();
  plot::drawChart(serviceLevelChart(run), ImVec2(chart_w, chart_h));
  plot::Chart queue =
      perChannelIntervalChart(run, "queue_per_interval", "Contacts waiting per interval",
                              Metric::QueueMean, 1.0, "contacts");
  queue.y_min = 0.0;  // the CI band may dip below: a queue cannot
  plot::drawChart(queue, ImVec2(chart_w, chart_h));
  if (two) ImGui::SameLine();
  plot::drawChart(channelBars(run), ImVec2(chart_w, chart_h));
  plot::Chart asa = perChannelIntervalChart(run, "asa_per_interval", "Average speed of answer",
                                            Metric::AsaS, 1.0, "s");
  asa.y_min = 0.0;
  plot::drawChart(asa, ImVec2(chart_w, chart_h));
  if (two) ImGui::SameLine();
  plot::drawHeatmap(
      serviceHeatmap(run),
      ImVec2(chart_w, std::max(chart_h * 0.6f, ImGui::GetTextLineHeight() *
                                                   (4.0f + run.scenario.channels.size()))));
  drawOutcomeCharts(run, chart_w, chart_h, two);
  ImGui::Spacing();
  ImGui::TextDisabled("Mean ± 95%% CI half-width (right-click the table: export CSV)");
  plot::drawTable(channelTable(run));
  ImGui::EndChild();
  ImGui::End();
}

}  // namespace cx::studio
