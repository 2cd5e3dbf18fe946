// The scenario panel: what the loaded file describes, or why it did not load.
//
// [SECTION] Text helpers
// [SECTION] Parts of the panel
// [SECTION] The panel

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "gui/panels.hpp"

namespace cx::studio {

namespace {

const ImVec4 kErrorColour{1.0f, 0.42f, 0.38f, 1.0f};

// -------------------------------------------------------------------------------------------
// [SECTION] Text helpers

// "08:00" for seconds after midnight (wrapping at 24 h: a day may close after midnight).
std::string clockText(double seconds) {
  const long minutes = std::lround(seconds / 60.0);
  const long in_day = ((minutes % 1440) + 1440) % 1440;
  return fmt::format("{:02}:{:02}", in_day / 60, in_day % 60);
}

// Hours and minutes from the start of a continuous run: "0:00", "25:30".
std::string offsetText(double seconds) {
  const long minutes = std::lround(seconds / 60.0);
  return fmt::format("{}:{:02}", minutes / 60, minutes % 60);
}

// A per-interval list in one cell: "600" when constant, "80–360 (24 intervals)" otherwise.
template <typename T>
std::string listText(const std::vector<T>& values) {
  if (values.empty()) return "—";
  if (values.size() == 1) return fmt::format("{:g}", static_cast<double>(values.front()));
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  if (*lo == *hi)
    return fmt::format("{:g} (all {} intervals)", static_cast<double>(*lo), values.size());
  return fmt::format("{:g}–{:g} ({} intervals)", static_cast<double>(*lo), static_cast<double>(*hi),
                     values.size());
}

// "300 s · lognormal, CV 1.1": the mean, then the shape when it is not implied by the name.
std::string distText(const DistSpec& dist) {
  std::string text = fmt::format("{:g} s · {}", dist.mean_s, toString(dist.kind));
  switch (dist.kind) {
    case DistSpec::Kind::Lognormal:
    case DistSpec::Kind::Gamma:
      text += fmt::format(", CV {:g}", dist.cv);
      break;
    case DistSpec::Kind::Empirical:
      text += fmt::format(", {} values", dist.values_s.size());
      break;
    case DistSpec::Kind::Exponential:
    case DistSpec::Kind::Deterministic:
      break;
  }
  return text;
}

std::string patienceText(const ChannelSpec& channel) {
  std::string text = channel.patience ? distText(*channel.patience) : "none (nobody abandons)";
  if (channel.balk_probability > 0.0) {
    text += fmt::format(", balk {:g}%", channel.balk_probability * 100.0);
  }
  return text;
}

std::string arrivalsText(const ArrivalSpec& arrivals) {
  std::string text = listText(arrivals.per_hour);
  if (arrivals.busyness_alpha > 0.0) {
    text += fmt::format(", busyness α {:g}", arrivals.busyness_alpha);
  }
  return text;
}

std::string serviceLevelText(const ServiceLevelSpec& sl) {
  return fmt::format("{:g}% in {:g} s", sl.target * 100.0, sl.threshold_s);
}

std::string timeFormText(const Scenario& s) {
  const int intervals = s.intervalsPerDay();
  if (s.dayStructured()) {
    const double close_s = s.open_s + intervals * s.intervalSeconds();
    return fmt::format("{} {} · open {}–{} · {} interval{} of {:g} min", s.days,
                       s.days == 1 ? "day" : "days", clockText(s.open_s), clockText(close_s),
                       intervals, intervals == 1 ? "" : "s", s.interval_minutes);
  }
  std::string text = fmt::format("continuous · {:g} h measured after a {:g} h warm-up",
                                 s.horizon_hours, s.warmup_hours);
  if (intervals > 1) {
    text += fmt::format(" · rates change every {:g} min, a cycle of {} intervals",
                        s.interval_minutes, intervals);
  }
  return text;
}

// -------------------------------------------------------------------------------------------
// [SECTION] Parts of the panel

void drawFileRow(AppState& state) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("File");
  ImGui::SameLine();
  const float buttons = ImGui::CalcTextSize("Load").x + ImGui::CalcTextSize("Reload").x +
                        ImGui::GetStyle().FramePadding.x * 4.0f +
                        ImGui::GetStyle().ItemSpacing.x * 2.0f;
  ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x - buttons, 100.0f));
  const bool entered =
      ImGui::InputText("##path", &state.path_input, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button("Load") || entered) && !state.path_input.empty()) {
    state.pending_load = std::filesystem::path(state.path_input);
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(state.scenario_path.empty());
  if (ImGui::Button("Reload")) state.pending_load = state.scenario_path;
  ImGui::EndDisabled();
}

void drawLoadErrors(const AppState& state) {
  ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
  ImGui::TextWrapped("Could not load %s:", state.failed_path.string().c_str());
  for (const std::string& line : state.load_errors) {
    ImGui::Bullet();
    ImGui::TextWrapped("%s", line.c_str());
  }
  ImGui::PopStyleColor();
  if (state.scenario) {
    ImGui::TextDisabled("Still showing the scenario loaded before, from %s.",
                        state.scenario_path.filename().string().c_str());
  }
}

// Label/value rows without borders.
void summaryRow(const char* label, const std::string& value) {
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::TextDisabled("%s", label);
  ImGui::TableSetColumnIndex(1);
  ImGui::TextWrapped("%s", value.c_str());
}

void drawSummary(const Scenario& s, const std::filesystem::path& path) {
  if (!ImGui::BeginTable("summary", 2, ImGuiTableFlags_SizingFixedFit)) return;
  ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed);
  ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
  summaryRow("Scenario", s.name.empty() ? std::string("(unnamed)") : s.name);
  summaryRow("Loaded from", path.string());
  summaryRow("Time", timeFormText(s));
  summaryRow("Runs", fmt::format("seed {} · {} replication{}", s.seed, s.replications,
                                 s.replications == 1 ? "" : "s"));
  summaryRow("Costs", s.costs ? fmt::format("{:g} per paid agent hour · shrinkage {:g}%",
                                            s.costs->agent_per_hour, 100.0 * s.costs->shrinkage)
                              : std::string("none given (no cost figures)"));
  if (!s.intents.empty()) {
    std::string ids;
    for (const IntentSpec& in : s.intents)
      ids += (ids.empty() ? "" : ", ") + in.id + " (" + toString(in.complexity) + ")";
    summaryRow("Contact reasons", ids);
  }
  if (s.bot) {
    std::string where;
    for (const std::string& id : s.bot->channels) where += (where.empty() ? "" : ", ") + id;
    summaryRow(
        "AI assistant",
        fmt::format("in front of {} · {} · {} escalation{}", where, distText(s.bot->conversation),
                    s.bot->cold ? "cold" : "warm",
                    s.bot->loop_turns > 0 ? fmt::format(" after {} extra turn{}", s.bot->loop_turns,
                                                        s.bot->loop_turns == 1 ? "" : "s")
                                          : std::string()));
  }
  ImGui::EndTable();
}

void drawChannels(const Scenario& s) {
  ImGui::Text("Channels (%d)", static_cast<int>(s.channels.size()));
  constexpr ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                    ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable;
  if (!ImGui::BeginTable("channels", 7, flags)) return;
  ImGui::TableSetupColumn("Channel");
  ImGui::TableSetupColumn("Kind");
  ImGui::TableSetupColumn("Arrivals /h");
  ImGui::TableSetupColumn("Agents");
  ImGui::TableSetupColumn("AHT");
  ImGui::TableSetupColumn("Patience");
  ImGui::TableSetupColumn("Service level");
  ImGui::TableHeadersRow();
  for (const ChannelSpec& ch : s.channels) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(ch.id.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(toString(ch.kind));
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(arrivalsText(ch.arrivals).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(s.agent_groups.empty() ? listText(ch.agents).c_str() : "by group");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(distText(ch.handle_time).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(patienceText(ch).c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(serviceLevelText(ch.service_level).c_str());
  }
  ImGui::EndTable();
}

// The agent groups and their skills, when the scenario has [[agent_groups]].
void drawGroups(const Scenario& s) {
  if (s.agent_groups.empty()) return;
  ImGui::Spacing();
  ImGui::Text("Agent groups (%d)", static_cast<int>(s.agent_groups.size()));
  constexpr ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                    ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable;
  if (!ImGui::BeginTable("groups", 5, flags)) return;
  ImGui::TableSetupColumn("Group");
  ImGui::TableSetupColumn("Skills (priority order)");
  ImGui::TableSetupColumn("Agents");
  ImGui::TableSetupColumn("Proficiency");
  ImGui::TableSetupColumn("Cost");
  ImGui::TableHeadersRow();
  for (const AgentGroupSpec& g : s.agent_groups) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(g.id.c_str());
    ImGui::TableNextColumn();
    std::string skills;
    for (const std::string& id : g.channels) skills += (skills.empty() ? "" : " > ") + id;
    ImGui::TextUnformatted(skills.c_str());
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(listText(g.agents).c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%.2f × handle time", g.proficiency);
    ImGui::TableNextColumn();
    if (g.cost_per_hour) ImGui::Text("%g per paid hour", *g.cost_per_hour);
  }
  ImGui::EndTable();
}

// Arrivals of every channel and agents of every group per interval, when any of them changes
// over the day. Without [[agent_groups]] each channel's agents are its own group.
void drawIntervals(const Scenario& s) {
  const int intervals = s.intervalsPerDay();
  if (intervals <= 1 || s.channels.empty()) return;
  if (!ImGui::CollapsingHeader("Per interval", ImGuiTreeNodeFlags_DefaultOpen)) return;
  // A column per channel and per group; ImGui tables hold at most 64 columns.
  const std::vector<AgentGroupSpec> groups = s.effectiveAgentGroups();
  const int shown = std::min(static_cast<int>(s.channels.size()), 31);
  const int shown_groups = std::min(static_cast<int>(groups.size()), 63 - shown);
  constexpr ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                    ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollY |
                                    ImGuiTableFlags_ScrollX;
  // As tall as the rows need (plus room for a horizontal scrollbar), at most the space left,
  // at least a few rows.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float row = ImGui::GetTextLineHeight() + 2.0f * style.CellPadding.y + 1.0f;
  const float needed = row * static_cast<float>(intervals + 1) + style.ScrollbarSize;
  const float available = ImGui::GetContentRegionAvail().y;
  const ImVec2 size(0.0f, std::max(std::min(needed, available), row * 6.0f));
  if (!ImGui::BeginTable("intervals", 1 + shown + shown_groups, flags, size)) return;
  ImGui::TableSetupScrollFreeze(1, 1);
  ImGui::TableSetupColumn(s.dayStructured() ? "From" : "From start");
  std::vector<std::string> headers;
  for (int c = 0; c < shown; ++c) headers.push_back(s.channels[c].id + " /h");
  for (int g = 0; g < shown_groups; ++g) headers.push_back(groups[g].id + " agents");
  for (const std::string& header : headers) {
    ImGui::TableSetupColumn(header.c_str(), ImGuiTableColumnFlags_WidthFixed);
  }
  ImGui::TableHeadersRow();
  for (int i = 0; i < intervals; ++i) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const double start_s = i * s.intervalSeconds();
    const std::string when =
        s.dayStructured() ? clockText(s.open_s + start_s) : offsetText(start_s);
    ImGui::TextUnformatted(when.c_str());
    for (int c = 0; c < shown; ++c) {
      const ChannelSpec& ch = s.channels[c];
      ImGui::TableNextColumn();
      if (!ch.arrivals.per_hour.empty()) ImGui::Text("%g", ch.arrivals.perHourAt(i));
    }
    for (int g = 0; g < shown_groups; ++g) {
      ImGui::TableNextColumn();
      if (!groups[g].agents.empty()) ImGui::Text("%d", groups[g].agentsAt(i));
    }
  }
  ImGui::EndTable();
}

}  // namespace

// -------------------------------------------------------------------------------------------
// [SECTION] The panel

void drawScenarioPanel(AppState& state) {
  // First use: fill the area below the menu bar; the user may move it afterwards.
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const float margin = ImGui::GetStyle().WindowPadding.x;
  const float top = std::max(viewport->WorkPos.y, viewport->Pos.y + state.layout.menu_bar_height);
  ImGui::SetNextWindowPos(ImVec2(viewport->Pos.x + margin, top + margin), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(viewport->Size.x - 2.0f * margin,
                                  viewport->Pos.y + viewport->Size.y - top - 2.0f * margin),
                           ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Scenario", &state.open.scenario)) {
    ImGui::End();
    return;
  }

  drawFileRow(state);
  if (!state.load_errors.empty()) {
    ImGui::Spacing();
    drawLoadErrors(state);
  }
  ImGui::Separator();

  if (!state.scenario) {
    ImGui::TextDisabled("No scenario loaded. Type a file name above and press Load.");
    ImGui::End();
    return;
  }
  const Scenario& scenario = *state.scenario;
  drawSummary(scenario, state.scenario_path);
  ImGui::Spacing();
  drawChannels(scenario);
  drawGroups(scenario);
  ImGui::Spacing();
  drawIntervals(scenario);
  ImGui::End();
}

}  // namespace cx::studio
