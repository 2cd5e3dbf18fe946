// The staffing panel: Erlang requirements per interval (sim/staffing.hpp) against the
// scenario's own staffing and, with a shift file, the least-cost roster's coverage
// (sim/roster.hpp); the shifts worked and what each plan costs.
//
// [SECTION] Controls
// [SECTION] Coverage charts and tables
// [SECTION] The panel

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>

#include "gui/panels.hpp"
#include "gui/plot.hpp"
#include "gui/widgets.hpp"
#include "sim/report.hpp"

namespace cx::studio {

namespace {

// -------------------------------------------------------------------------------------------
// [SECTION] Controls

void drawControls(AppState& state) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Shift file");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x * 0.5f, 200.0f));
  ImGui::InputTextWithHint("##shifts", "optional: shift templates (scenarios/shifts/…)",
                           &state.shifts_path_input);
  ImGui::SameLine();
  const bool can = state.doc.valid() && !state.staffing_job.running();
  ImGui::BeginDisabled(!can);
  if (ImGui::Button("Plan staffing")) state.pending_staffing = true;
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::TextDisabled(
      state.staffing_job.running() ? "planning…" : "Erlang per interval%s",
      state.doc.scenario && state.doc.scenario->costs ? ", shrinkage from [costs]" : "");
  if (!state.staffing_error.empty())
    ImGui::TextColored(kErrorColour, "%s", state.staffing_error.c_str());
}

// -------------------------------------------------------------------------------------------
// [SECTION] Coverage charts and tables

plot::Chart coverageChart(const StaffingView& v, std::size_t c) {
  const Scenario& s = v.scenario;
  const ChannelRequirement& req = v.plan.channels[c];
  plot::Chart chart;
  chart.id = "coverage_" + req.id;
  chart.title = fmt::format("{}: requirement vs staffing ({} {:.0f}% in {:.0f} s)", req.id,
                            req.model, req.target * 100.0, req.threshold_s);
  chart.y_unit = "agents";
  chart.y_min = 0.0;
  for (int k = 0; k < s.intervalsPerDay(); ++k) chart.categories.push_back(intervalLabel(s, k));
  plot::Series required{"required (paid, fractional)", plot::Kind::Area, {}, {}, {}, 0, {}};
  plot::Series seated{"on the phones (integer)", plot::Kind::Step, {}, {}, {}, 0, {}};
  plot::Series scenario{"scenario's agents", plot::Kind::Step, {}, {}, {}, 0, {}};
  plot::Series roster{"roster coverage", plot::Kind::Step, {}, {}, {}, 0, {}};
  const ChannelSpec& ch = s.channels[c];
  for (std::size_t k = 0; k < req.intervals.size(); ++k) {
    required.y.push_back(req.intervals[k].required);
    seated.y.push_back(req.intervals[k].on_phone);
    scenario.y.push_back(ch.agents.empty() ? std::nan("") : ch.agentsAt(static_cast<int>(k)));
    if (v.roster && v.roster->feasible && c < v.roster->coverage.size() &&
        k < v.roster->coverage[c].size())
      roster.y.push_back(v.roster->coverage[c][k]);
  }
  chart.series = {std::move(required), std::move(seated), std::move(scenario)};
  if (!roster.y.empty()) chart.series.push_back(std::move(roster));
  return chart;
}

plot::Table shiftTable(const StaffingView& v) {
  plot::Table t;
  t.id = "roster_shifts";
  t.headers = {"shift", "day", "channel", "starts", "agents", "cost each", "cost"};
  for (const RosterLine& line : v.roster->lines) {
    const ShiftTemplate& sh = v.shifts[static_cast<std::size_t>(line.shift)];
    t.rows.push_back({sh.name, std::to_string(line.day + 1),
                      v.scenario.channels[static_cast<std::size_t>(line.channel)].id,
                      clockText(sh.start_s), std::to_string(line.count),
                      fmt::format("{:.2f}", sh.cost), fmt::format("{:.2f}", sh.cost * line.count)});
  }
  return t;
}

// Agent-hours per day and their cost: the scenario's staffing against the requirement.
void drawCosts(const StaffingView& v) {
  const Scenario& s = v.scenario;
  const double interval_h = s.interval_minutes / 60.0;
  double scenario_h = 0.0, required_h = 0.0;
  for (std::size_t c = 0; c < s.channels.size(); ++c) {
    for (int k = 0; k < s.intervalsPerDay(); ++k) {
      if (!s.channels[c].agents.empty()) scenario_h += s.channels[c].agentsAt(k) * interval_h;
      required_h += v.plan.channels[c].intervals[static_cast<std::size_t>(k)].on_phone * interval_h;
    }
  }
  ImGui::Text("Agent-hours on duty per day: scenario %.1f · Erlang requirement %.1f", scenario_h,
              required_h);
  if (s.costs) {
    const double rate = s.costs->perDutyHour(s.costs->agent_per_hour);
    ImGui::Text(
        "Cost per day (at %.2f per paid hour, shrinkage %.0f%%): scenario %.0f · "
        "requirement %.0f",
        s.costs->agent_per_hour, s.costs->shrinkage * 100.0, scenario_h * rate, required_h * rate);
  }
  if (v.roster) {
    if (v.roster->feasible)
      ImGui::Text(
          "Roster from %s: cost %.0f over %d day%s, %.1f agent-intervals above the "
          "requirement",
          v.shifts_file.c_str(), v.roster->cost, v.roster->days, v.roster->days == 1 ? "" : "s",
          v.roster->over_agent_intervals);
    else
      ImGui::TextColored(kErrorColour, "No roster covers the requirement: %s",
                         v.roster->message.c_str());
  }
}

}  // namespace

// -------------------------------------------------------------------------------------------
// [SECTION] The panel

void drawStaffingPanel(AppState& state) {
  if (!beginPanel("Staffing", &state.open.staffing, state, {0.42f, 0.42f, 1.0f, 1.0f})) {
    ImGui::End();
    return;
  }
  drawControls(state);
  ImGui::Separator();
  if (!state.staffing) {
    ImGui::TextDisabled("No plan yet: press Plan staffing.");
    ImGui::End();
    return;
  }
  const StaffingView& v = *state.staffing;
  drawCosts(v);
  ImGui::BeginChild("staffing_charts");
  const float width = ImGui::GetContentRegionAvail().x;
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const bool two = width > ImGui::GetFontSize() * 50.0f && v.plan.channels.size() > 1;
  const float w = two ? (width - spacing) * 0.5f : width;
  const float line = ImGui::GetTextLineHeight();
  const float h = std::clamp(ImGui::GetContentRegionAvail().y * 0.55f, line * 14.0f, line * 24.0f);
  for (std::size_t c = 0; c < v.plan.channels.size(); ++c) {
    if (two && c % 2 == 1) ImGui::SameLine();
    plot::drawChart(coverageChart(v, c), ImVec2(w, h));
  }
  if (v.roster && v.roster->feasible) {
    ImGui::Spacing();
    ImGui::TextDisabled("Shifts worked (right-click: export CSV)");
    plot::drawTable(shiftTable(v), std::max(ImGui::GetContentRegionAvail().y,
                                            ImGui::GetTextLineHeightWithSpacing() * 8.0f));
  }
  ImGui::EndChild();
  ImGui::End();
}

}  // namespace cx::studio
