// The staffing panel: requirements per interval (sim/staffing.hpp: Erlang, or the simulation
// method) against the scenario's own staffing, per channel or per agent group, and with a shift
// file the least-cost roster's coverage (sim/roster.hpp); the shifts worked and what each plan
// costs.
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
#include "sim/html_report.hpp"
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
  if (ImGui::RadioButton("Erlang", !state.staffing_by_simulation))
    state.staffing_by_simulation = false;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Each interval on its own, from the formulas: instant");
  ImGui::SameLine();
  if (ImGui::RadioButton("Simulation", state.staffing_by_simulation))
    state.staffing_by_simulation = true;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Simulate, measure each interval, re-staff it, repeat until stable (Feldman, Mandelbaum,\n"
        "Massey & Whitt 2008): sees carried-over work, retries, the bot and shared groups.\n"
        "Uses the run panel's replications, seed and threads.");
  ImGui::SameLine();
  if (ImGui::Button("Plan staffing")) state.pending_staffing = true;
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::TextDisabled(
      "%s%s", state.staffing_job.running() ? "planning…" : "",
      !state.staffing_job.running() && state.doc.scenario && state.doc.scenario->costs
          ? "shrinkage from [costs]"
          : "");
  if (!state.staffing_error.empty()) wrappedText(kErrorColour, state.staffing_error);
}

// -------------------------------------------------------------------------------------------
// [SECTION] Coverage charts and tables

// One chart per staffed unit (plan.staffed()): each channel's own agents, or each agent group.
plot::Chart coverageChart(const StaffingView& v, std::size_t c) {
  const Scenario& s = v.scenario;
  const ChannelRequirement& req = v.plan.staffed()[c];
  plot::Chart chart;
  chart.id = "coverage_" + req.id;
  chart.title = v.plan.groups.empty()
                    ? fmt::format("{}: requirement vs staffing ({} {:.0f}% in {:.0f} s)", req.id,
                                  req.model, req.target * 100.0, req.threshold_s)
                    : fmt::format("{}: requirement vs staffing ({})", req.id, req.model);
  chart.y_unit = "agents";
  chart.y_min = 0.0;
  for (int k = 0; k < s.intervalsPerDay(); ++k) chart.categories.push_back(intervalLabel(s, k));
  plot::Series required{"required (paid, fractional)", plot::Kind::Area, {}, {}, {}, 0, {}};
  plot::Series seated{"on the phones (integer)", plot::Kind::Step, {}, {}, {}, 0, {}};
  plot::Series scenario{"scenario's agents", plot::Kind::Step, {}, {}, {}, 0, {}};
  plot::Series roster{"roster coverage", plot::Kind::Step, {}, {}, {}, 0, {}};
  const AgentGroupSpec unit = s.effectiveAgentGroups()[c];
  for (std::size_t k = 0; k < req.intervals.size(); ++k) {
    required.y.push_back(req.intervals[k].required);
    seated.y.push_back(req.intervals[k].on_phone);
    scenario.y.push_back(unit.agents.empty() ? std::nan("") : unit.agentsAt(static_cast<int>(k)));
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
  t.headers = {"shift",     "day", v.plan.groups.empty() ? "channel" : "group", "starts", "agents",
               "cost each", "cost"};
  for (const RosterLine& line : v.roster->lines) {
    const ShiftTemplate& sh = v.shifts[static_cast<std::size_t>(line.shift)];
    t.rows.push_back({sh.name, std::to_string(line.day + 1),
                      v.roster->ids[static_cast<std::size_t>(line.channel)], clockText(sh.start_s),
                      std::to_string(line.count), fmt::format("{:.2f}", sh.cost),
                      fmt::format("{:.2f}", sh.cost * line.count)});
  }
  return t;
}

// Agent-hours per day and their cost: the scenario's staffing against the requirement, and
// the roster's cost, each saying which prices it is at.
void drawCosts(const StaffingView& v) {
  const Scenario& s = v.scenario;
  const double interval_h = s.interval_minutes / 60.0;
  double scenario_h = 0.0, required_h = 0.0;
  const std::vector<AgentGroupSpec> units = s.effectiveAgentGroups();
  for (std::size_t u = 0; u < units.size(); ++u) {
    for (int k = 0; k < s.intervalsPerDay(); ++k) {
      if (!units[u].agents.empty()) scenario_h += units[u].agentsAt(k) * interval_h;
      required_h +=
          v.plan.staffed()[u].intervals[static_cast<std::size_t>(k)].on_phone * interval_h;
    }
  }
  const char* method = v.plan.method == "simulation" ? "simulated" : "Erlang";
  wrappedText(ImGui::GetStyleColorVec4(ImGuiCol_Text),
              fmt::format("Agent-hours on duty per day: the scenario's staffing {:.1f} · the {} "
                          "requirement {:.1f} (agents on the phones, whole agents)",
                          scenario_h, method, required_h));
  // Two costs a manager would otherwise take for one: the hourly rate of [costs] applied to
  // the agent-hours above, and the roster priced by the shift file's own rates per shift.
  if (s.costs) {
    const double rate = s.costs->perDutyHour(s.costs->agent_per_hour);
    wrappedText(ImGui::GetStyleColorVec4(ImGuiCol_Text),
                fmt::format("Cost per day at the scenario's [costs] rate ({:.2f} per paid hour, "
                            "{:.0f}% shrinkage: {:.2f} per hour on duty): the scenario's staffing "
                            "{} · the {} requirement {}",
                            s.costs->agent_per_hour, s.costs->shrinkage * 100.0, rate,
                            groupThousands(fmt::format("{:.0f}", scenario_h * rate)), method,
                            groupThousands(fmt::format("{:.0f}", required_h * rate))));
  }
  if (v.roster) {
    if (v.roster->feasible)
      wrappedText(ImGui::GetStyleColorVec4(ImGuiCol_Text),
                  fmt::format("Roster cost {} for {} day{} at the shift file's own price per shift "
                              "(\"cost each\" below), not the [costs] rate; from {}; it covers the "
                              "requirement with {:.1f} agent-intervals to spare",
                              groupThousands(fmt::format("{:.0f}", v.roster->cost)), v.roster->days,
                              v.roster->days == 1 ? "" : "s", v.shifts_file,
                              v.roster->over_agent_intervals));
    else
      wrappedText(kErrorColour, "No roster covers the requirement: " + v.roster->message);
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
  if (v.plan.method == "simulation")
    wrappedDisabled(
        fmt::format("Simulation method, {} replications per iteration, seed {}: {} "
                    "({:.1f} s)",
                    v.plan.replications, v.plan.seed, v.plan.note, v.plan.wall_s));
  drawCosts(v);
  ImGui::BeginChild("staffing_charts");
  const float width = ImGui::GetContentRegionAvail().x;
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const bool two = width > ImGui::GetFontSize() * 50.0f && v.plan.staffed().size() > 1;
  const float w = two ? (width - spacing) * 0.5f : width;
  const float line = ImGui::GetTextLineHeight();
  const float h = std::clamp(ImGui::GetContentRegionAvail().y * 0.55f, line * 14.0f, line * 24.0f);
  for (std::size_t c = 0; c < v.plan.staffed().size(); ++c) {
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
