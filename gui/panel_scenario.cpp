// The scenario panel: open and save a scenario file, and edit every value of it. Each change
// is checked by the loader itself (the scenario written as TOML and parsed again, see
// scenario_toml.hpp); its messages appear under the field they are about, and all of them at
// the top. Undo/redo keep the last edits (AppState::Document).
//
// [SECTION] Field helpers: a widget, then the loader's messages for its key
// [SECTION] File row, load errors, problem list
// [SECTION] Tabs: general, channels, per interval, agent groups, costs, intents, bot, TOML
// [SECTION] The panel

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "gui/panels.hpp"
#include "gui/widgets.hpp"

namespace cx::studio {

namespace {

// -------------------------------------------------------------------------------------------
// [SECTION] Field helpers: a widget, then the loader's messages for its key

// The messages of the loader's last verdict whose key is `key` or lies under it.
bool underKey(const std::string& key, const std::string& prefix) {
  if (key.compare(0, prefix.size(), prefix) != 0) return false;
  return key.size() == prefix.size() || key[prefix.size()] == '.' || key[prefix.size()] == '[';
}

void problemsFor(const Document& doc, const std::string& key) {
  for (const Diagnostic& d : doc.problems) {
    if (!underKey(d.key, key)) continue;
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
    ImGui::Indent();
    ImGui::TextWrapped("%s: %s", d.key.c_str(), d.message.c_str());
    ImGui::Unindent();
    ImGui::PopStyleColor();
  }
}

float fieldWidth() {
  return ImGui::GetFontSize() * 9.0f;
}

void number(const Document& doc, const char* label, double& v, const char* format,
            const std::string& key, double step = 0.0) {
  ImGui::SetNextItemWidth(fieldWidth());
  ImGui::InputDouble(label, &v, step, step * 10.0, format);
  problemsFor(doc, key);
}

void integer(const Document& doc, const char* label, int& v, const std::string& key) {
  ImGui::SetNextItemWidth(fieldWidth());
  ImGui::InputInt(label, &v);
  problemsFor(doc, key);
}

// A share (0–1) edited as a percentage.
void percent(const Document& doc, const char* label, double& share, const std::string& key,
             float max_percent = 100.0f, float min_percent = 0.0f) {
  float p = static_cast<float>(share * 100.0);
  ImGui::SetNextItemWidth(fieldWidth());
  if (ImGui::SliderFloat(label, &p, min_percent, max_percent, "%.1f %%")) share = p / 100.0;
  problemsFor(doc, key);
}

void text(const Document& doc, const char* label, std::string& v, const std::string& key) {
  ImGui::SetNextItemWidth(fieldWidth() * 1.6f);
  ImGui::InputText(label, &v);
  problemsFor(doc, key);
}

// A random duration: its family, mean and (where the family has one) CV.
void distribution(const Document& doc, const char* label, DistSpec& d, const std::string& key) {
  ImGui::PushID(label);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(label);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(fieldWidth());
  if (ImGui::BeginCombo("##kind", toString(d.kind))) {
    for (DistSpec::Kind kind : {DistSpec::Kind::Exponential, DistSpec::Kind::Lognormal,
                                DistSpec::Kind::Gamma, DistSpec::Kind::Deterministic}) {
      if (ImGui::Selectable(toString(kind), d.kind == kind) && d.kind != kind) {
        const double mean = d.mean_s > 0.0 ? d.mean_s : 60.0;
        const double cv = d.cv > 0.0 ? d.cv : 1.0;
        switch (kind) {
          case DistSpec::Kind::Exponential:
            d = DistSpec::exponential(mean);
            break;
          case DistSpec::Kind::Lognormal:
            d = DistSpec::lognormal(mean, cv);
            break;
          case DistSpec::Kind::Gamma:
            d = DistSpec::gamma(mean, cv);
            break;
          default:
            d = DistSpec::deterministic(mean);
            break;
        }
      }
    }
    ImGui::EndCombo();
  }
  if (d.kind == DistSpec::Kind::Empirical) {
    ImGui::SameLine();
    ImGui::TextDisabled("%zu values, mean %.0f s%s%s", d.values_s.size(), d.mean_s,
                        d.source.empty() ? "" : " from ", d.source.c_str());
  } else {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(fieldWidth() * 0.8f);
    ImGui::InputDouble(d.kind == DistSpec::Kind::Deterministic ? "s##value" : "s mean##mean",
                       &d.mean_s, 0.0, 0.0, "%.1f");
    if (d.kind == DistSpec::Kind::Lognormal || d.kind == DistSpec::Kind::Gamma) {
      ImGui::SameLine();
      ImGui::SetNextItemWidth(fieldWidth() * 0.6f);
      ImGui::InputDouble("CV##cv", &d.cv, 0.0, 0.0, "%.2f");
    }
  }
  problemsFor(doc, key);
  ImGui::PopID();
}

// Channel ids as checkboxes (skills, bot channels), in the scenario's channel order.
void channelChoice(const Document& doc, const Scenario& s, std::vector<std::string>& chosen,
                   const std::string& key) {
  for (const ChannelSpec& ch : s.channels) {
    bool on = std::find(chosen.begin(), chosen.end(), ch.id) != chosen.end();
    ImGui::SameLine();
    if (ImGui::Checkbox(ch.id.c_str(), &on)) {
      if (on)
        chosen.push_back(ch.id);
      else
        std::erase(chosen, ch.id);
    }
  }
  problemsFor(doc, key);
}

// -------------------------------------------------------------------------------------------
// [SECTION] File row, load errors, problem list

void drawFileRow(AppState& state) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("File");
  ImGui::SameLine();
  const ImGuiStyle& style = ImGui::GetStyle();
  const char* labels[] = {"Open", "Save", "Save as", "Recent"};
  float buttons = 0.0f;
  for (const char* l : labels)
    buttons += ImGui::CalcTextSize(l).x + style.FramePadding.x * 2.0f + style.ItemSpacing.x;
  ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x - buttons, 120.0f));
  if (state.focus_path) {
    ImGui::SetKeyboardFocusHere();
    state.focus_path = false;
  }
  const bool entered =
      ImGui::InputText("##path", &state.path_input, ImGuiInputTextFlags_EnterReturnsTrue);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Type a path, then Open (Enter) or Save as. Ctrl+O puts the cursor here.");
  ImGui::SameLine();
  if ((ImGui::Button("Open") || entered) && !state.path_input.empty())
    state.pending_load = std::filesystem::path(state.path_input);
  ImGui::SameLine();
  ImGui::BeginDisabled(!state.doc.scenario || state.doc.path.empty());
  if (ImGui::Button("Save")) state.pending_save = true;
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!state.doc.scenario || state.path_input.empty());
  if (ImGui::Button("Save as")) state.pending_save_as = std::filesystem::path(state.path_input);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(state.recent.empty());
  if (ImGui::Button("Recent")) ImGui::OpenPopup("recent");
  ImGui::EndDisabled();
  if (ImGui::BeginPopup("recent")) {
    for (const std::string& r : state.recent)
      if (ImGui::Selectable(r.c_str())) state.pending_load = std::filesystem::path(r);
    ImGui::EndPopup();
  }
}

void drawLoadErrors(const AppState& state) {
  ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
  ImGui::TextWrapped("Could not open %s:", state.failed_path.string().c_str());
  for (const std::string& line : state.load_errors) {
    ImGui::Bullet();
    ImGui::TextWrapped("%s", line.c_str());
  }
  ImGui::PopStyleColor();
  if (state.doc.scenario) {
    ImGui::TextDisabled("Still editing the scenario opened before, from %s.",
                        state.doc.path.filename().string().c_str());
  }
}

void drawStatusRow(AppState& state) {
  Document& doc = state.doc;
  ImGui::BeginDisabled(doc.undo.empty());
  if (ImGui::Button("Undo")) undo(doc);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(doc.redo.empty());
  if (ImGui::Button("Redo")) redo(doc);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (doc.dirty())
    ImGui::TextColored(kWarnColour, "Unsaved edits (%zu undo step%s)", doc.undo.size(),
                       doc.undo.size() == 1 ? "" : "s");
  else
    ImGui::TextDisabled("Saved");
  ImGui::SameLine();
  if (doc.problems.empty()) {
    ImGui::TextDisabled("· loads without problems");
  } else {
    ImGui::TextColored(kErrorColour, "· %zu problem%s: it cannot be run or loaded until fixed",
                       doc.problems.size(), doc.problems.size() == 1 ? "" : "s");
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
    for (const Diagnostic& d : doc.problems) {
      ImGui::Bullet();
      ImGui::TextWrapped("%s: %s", d.key.empty() ? "(file)" : d.key.c_str(), d.message.c_str());
    }
    ImGui::PopStyleColor();
  }
}

// -------------------------------------------------------------------------------------------
// [SECTION] Tabs: general, channels, per interval, agent groups, costs, intents, bot, TOML

constexpr double kIntervalChoices[] = {5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440};

void drawGeneral(Document& doc, Scenario& s) {
  text(doc, "name", s.name, "scenario.name");
  int form = s.dayStructured() ? 0 : 1;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("time");
  ImGui::SameLine();
  if (ImGui::RadioButton("days with opening hours", &form, 0) && !s.dayStructured()) {
    s.days = 1;
    s.open_s = 8 * 3600.0;
    s.horizon_hours = 0.0;
    s.warmup_hours = 0.0;
  }
  ImGui::SameLine();
  if (ImGui::RadioButton("continuous", &form, 1) && s.dayStructured()) {
    s.horizon_hours = std::max(1.0, s.intervalsPerDay() * s.interval_minutes / 60.0);
    s.days = 0;
    s.open_s = 0.0;
  }
  if (s.dayStructured()) {
    integer(doc, "days", s.days, "scenario.days");
    ImGui::SetNextItemWidth(fieldWidth());
    if (ImGui::BeginCombo("opens at", clockText(s.open_s).c_str())) {
      for (int q = 0; q < 96; ++q) {
        const double t = q * 900.0;
        if (ImGui::Selectable(clockText(t).c_str(), std::abs(t - s.open_s) < 1.0)) s.open_s = t;
      }
      ImGui::EndCombo();
    }
    problemsFor(doc, "scenario.open");
    ImGui::SameLine();
    ImGui::TextDisabled("closes at %s (%d intervals)",
                        clockText(s.open_s + s.intervalsPerDay() * s.intervalSeconds()).c_str(),
                        s.intervalsPerDay());
  } else {
    number(doc, "measured hours", s.horizon_hours, "%.1f", "scenario.horizon_hours", 1.0);
    number(doc, "warm-up hours", s.warmup_hours, "%.1f", "scenario.warmup_hours", 1.0);
  }
  ImGui::SetNextItemWidth(fieldWidth());
  if (ImGui::BeginCombo("interval", fmt::format("{:g} min", s.interval_minutes).c_str())) {
    for (double m : kIntervalChoices)
      if (ImGui::Selectable(fmt::format("{:g} min", m).c_str(), m == s.interval_minutes))
        s.interval_minutes = m;
    ImGui::EndCombo();
  }
  problemsFor(doc, "scenario.interval_minutes");
  ImGui::SetNextItemWidth(fieldWidth());
  ImGui::InputScalar("seed", ImGuiDataType_U64, &s.seed);
  problemsFor(doc, "scenario.seed");
  integer(doc, "replications", s.replications, "scenario.replications");
}

constexpr ChannelKind kChannelKinds[] = {ChannelKind::Voice, ChannelKind::Chat, ChannelKind::Email,
                                         ChannelKind::Messaging};

// Chats an agent holds and silent abandonment (docs/MODEL.md "Chat concurrency"). The
// slowdown curve follows the number of chats while it is the default one; a curve of the
// file's own is kept (and validated) as it is.
void drawChatSettings(Document& doc, ChannelSpec& ch, const std::string& key) {
  const int before = ch.concurrency;
  integer(doc, "chats per agent", ch.concurrency, key + ".concurrency");
  if (ch.concurrency != before &&
      (ch.concurrency_slowdown.empty() || ch.concurrency_slowdown == defaultChatSlowdown(before)))
    ch.concurrency_slowdown =
        ch.concurrency > 1 ? defaultChatSlowdown(ch.concurrency) : std::vector<double>{};
  if (ch.concurrency > 1) {
    std::string curve;
    for (double f : ch.concurrency_slowdown)
      curve += fmt::format("{}{:.2f}", curve.empty() ? "" : ", ", f);
    ImGui::TextDisabled(
        "handle time × %s at 1, 2, ... chats%s", curve.c_str(),
        ch.concurrency_slowdown == defaultChatSlowdown(ch.concurrency) ? " (default)" : "");
    problemsFor(doc, key + ".concurrency_slowdown");
  }
  percent(doc, "abandoners who leave silently", ch.silent_abandon, key + ".silent_abandon");
  if (ch.silent_abandon > 0.0)
    number(doc, "finding a silent one (s)", ch.silent_discovery_s, "%.0f",
           key + ".silent_discovery_s", 5.0);
}

void drawChannel(Document& doc, Scenario& s, std::size_t c, bool& remove) {
  ChannelSpec& ch = s.channels[c];
  const std::string key = fmt::format("channels[{}]", c);
  text(doc, "id", ch.id, key + ".id");
  ImGui::SetNextItemWidth(fieldWidth());
  if (ImGui::BeginCombo("kind", toString(ch.kind))) {
    for (ChannelKind k : kChannelKinds)
      if (ImGui::Selectable(toString(k), ch.kind == k)) ch.kind = k;
    ImGui::EndCombo();
  }
  problemsFor(doc, key + ".kind");
  ImGui::TextDisabled("Arrivals per hour and agents per interval: the Per interval tab.");
  problemsFor(doc, key + ".arrivals.per_hour");
  problemsFor(doc, key + ".agents");
  number(doc, "daily busyness α (0 = off)", ch.arrivals.busyness_alpha, "%.1f",
         key + ".arrivals.busyness_alpha", 1.0);
  distribution(doc, "handle time", ch.handle_time, key + ".handle_time");
  bool patience = ch.patience.has_value();
  if (ImGui::Checkbox("customers abandon", &patience))
    ch.patience = patience ? std::optional(DistSpec::exponential(300.0)) : std::nullopt;
  if (ch.patience) {
    ImGui::SameLine();
    distribution(doc, "patience", *ch.patience, key + ".patience");
  }
  percent(doc, "balk when no agent is free", ch.balk_probability, key + ".balk_probability");
  if (ch.kind == ChannelKind::Chat || ch.kind == ChannelKind::Messaging)
    drawChatSettings(doc, ch, key);
  if (ch.asynchronous())
    ImGui::TextDisabled("Worked after calls and chats; the service level counts the reply.");
  number(doc, "service-level threshold (s)", ch.service_level.threshold_s, "%.0f",
         key + ".service_level.threshold_s", 5.0);
  percent(doc, "service-level target", ch.service_level.target, key + ".service_level.target");
  if (ImGui::Button("Remove this channel")) remove = true;
}

void drawChannels(Document& doc, Scenario& s) {
  std::optional<std::size_t> remove;
  for (std::size_t c = 0; c < s.channels.size(); ++c) {
    ImGui::PushID(static_cast<int>(c));
    const std::string header =
        fmt::format("{} ({})###channel", s.channels[c].id, toString(s.channels[c].kind));
    if (ImGui::CollapsingHeader(header.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
      bool r = false;
      drawChannel(doc, s, c, r);
      if (r) remove = c;
    }
    ImGui::PopID();
  }
  problemsFor(doc, "channels");
  if (remove) s.channels.erase(s.channels.begin() + static_cast<std::ptrdiff_t>(*remove));
  if (ImGui::Button("Add a channel")) {
    ChannelSpec ch;
    ch.id = fmt::format("channel{}", s.channels.size() + 1);
    ch.agents = {1};
    ch.arrivals.per_hour = {10.0};
    ch.handle_time = DistSpec::exponential(300.0);
    s.channels.push_back(std::move(ch));
  }
}

// Per-interval lists: one value means constant. Changing the number of intervals resizes
// every list that is not constant (repeating its last value); a constant list stays one value.
template <typename T>
void resizeList(std::vector<T>& list, int n) {
  if (list.empty()) list.push_back(T{});
  if (list.size() == 1 && n > 1) return;
  list.resize(static_cast<std::size_t>(std::max(n, 1)), list.back());
}

template <typename T>
void makePerInterval(std::vector<T>& list, int n) {
  if (list.empty()) list.push_back(T{});
  list.resize(static_cast<std::size_t>(std::max(n, 1)), list.back());
}

void drawPerInterval(Document& doc, Scenario& s) {
  int n = s.intervalsPerDay();
  ImGui::SetNextItemWidth(fieldWidth());
  if (ImGui::InputInt("intervals per day (or cycle)", &n)) {
    n = std::clamp(n, 1, static_cast<int>(1440.0 / std::max(s.interval_minutes, 1.0)) * 7);
    for (ChannelSpec& ch : s.channels) {
      resizeList(ch.arrivals.per_hour, n);
      if (s.agent_groups.empty()) resizeList(ch.agents, n);
    }
    for (AgentGroupSpec& g : s.agent_groups) resizeList(g.agents, n);
    // With every list constant the count cannot show; make the first arrivals list carry it.
    if (n > 1 && !s.channels.empty() && s.intervalsPerDay() != n)
      makePerInterval(s.channels.front().arrivals.per_hour, n);
  }
  ImGui::SameLine();
  ImGui::TextDisabled("%g min each", s.interval_minutes);
  n = s.intervalsPerDay();

  // Columns: arrivals per channel, then agents per channel (or per group).
  struct Column {
    std::string header, key;
    std::vector<double>* rates = nullptr;
    std::vector<int>* agents = nullptr;
  };
  std::vector<Column> columns;
  for (std::size_t c = 0; c < s.channels.size(); ++c) {
    ChannelSpec& ch = s.channels[c];
    columns.push_back({ch.id + " /h", fmt::format("channels[{}].arrivals.per_hour", c),
                       &ch.arrivals.per_hour, nullptr});
  }
  if (s.agent_groups.empty()) {
    for (std::size_t c = 0; c < s.channels.size(); ++c)
      columns.push_back({s.channels[c].id + " agents", fmt::format("channels[{}].agents", c),
                         nullptr, &s.channels[c].agents});
  } else {
    for (std::size_t g = 0; g < s.agent_groups.size(); ++g)
      columns.push_back({s.agent_groups[g].id + " agents",
                         fmt::format("agent_groups[{}].agents", g), nullptr,
                         &s.agent_groups[g].agents});
  }
  for (const Column& col : columns) problemsFor(doc, col.key);
  const int shown = std::min(static_cast<int>(columns.size()), 63);
  if (shown == 0) return;

  // Constant lists get a button to make them per interval (and back).
  ImGui::TextDisabled("A column with one value is constant over the day.");
  for (int i = 0; i < shown; ++i) {
    Column& col = columns[static_cast<std::size_t>(i)];
    const std::size_t size = col.rates ? col.rates->size() : col.agents->size();
    if (size <= 1 && n > 1) {
      ImGui::SameLine();
      ImGui::PushID(i);
      if (ImGui::SmallButton(fmt::format("vary {}", col.header).c_str())) {
        if (col.rates) makePerInterval(*col.rates, n);
        if (col.agents) makePerInterval(*col.agents, n);
      }
      ImGui::PopID();
    }
  }

  constexpr ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                    ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX |
                                    ImGuiTableFlags_SizingFixedFit;
  const float height = std::max(ImGui::GetContentRegionAvail().y, ImGui::GetTextLineHeight() * 8);
  if (!ImGui::BeginTable("per_interval", shown + 1, flags, ImVec2(0.0f, height))) return;
  ImGui::TableSetupScrollFreeze(1, 1);
  ImGui::TableSetupColumn(s.dayStructured() ? "from" : "from start");
  const float cell = ImGui::GetFontSize() * 5.0f;
  for (int i = 0; i < shown; ++i)
    ImGui::TableSetupColumn(columns[static_cast<std::size_t>(i)].header.c_str(),
                            ImGuiTableColumnFlags_WidthFixed, cell);
  ImGui::TableHeadersRow();
  for (int k = 0; k < n; ++k) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const double start = k * s.intervalSeconds();
    if (s.dayStructured())
      ImGui::TextUnformatted(clockText(s.open_s + start).c_str());
    else
      ImGui::Text("+%d:%02d", static_cast<int>(start / 3600), static_cast<int>(start / 60) % 60);
    for (int i = 0; i < shown; ++i) {
      Column& col = columns[static_cast<std::size_t>(i)];
      ImGui::TableNextColumn();
      ImGui::PushID(i * 100000 + k);
      ImGui::SetNextItemWidth(-1.0f);
      if (col.rates && !col.rates->empty()) {
        const std::size_t at = col.rates->size() == 1 ? 0 : static_cast<std::size_t>(k);
        if (at < col.rates->size() && (k == 0 || col.rates->size() > 1))
          ImGui::InputDouble("##v", &(*col.rates)[at], 0.0, 0.0, "%g");
      } else if (col.agents && !col.agents->empty()) {
        const std::size_t at = col.agents->size() == 1 ? 0 : static_cast<std::size_t>(k);
        if (at < col.agents->size() && (k == 0 || col.agents->size() > 1))
          ImGui::InputInt("##v", &(*col.agents)[at], 0, 0);
      }
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
}

void drawGroups(Document& doc, Scenario& s) {
  ImGui::TextWrapped(
      "Without groups every channel has its own agents. With groups, agents with skills serve "
      "the ticked channels, in priority order of the list.");
  std::optional<std::size_t> remove;
  for (std::size_t g = 0; g < s.agent_groups.size(); ++g) {
    AgentGroupSpec& group = s.agent_groups[g];
    const std::string key = fmt::format("agent_groups[{}]", g);
    ImGui::PushID(static_cast<int>(g));
    if (ImGui::CollapsingHeader((group.id + "###group").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
      text(doc, "id", group.id, key + ".id");
      ImGui::AlignTextToFramePadding();
      ImGui::TextUnformatted("skills");
      channelChoice(doc, s, group.channels, key + ".channels");
      number(doc, "proficiency (× handle time)", group.proficiency, "%.2f", key + ".proficiency",
             0.05);
      // What customers feel of the team ([outcomes]): docs/MODEL.md "Outcomes".
      percent(doc, "empathy", group.empathy, key + ".empathy");
      percent(doc, "professionalism", group.professionalism, key + ".professionalism");
      // Negative for a team that resolves less than typical (e.g. from role-play scores).
      percent(doc, "FCR uplift", group.fcr_uplift, key + ".fcr_uplift", 50.0f, -50.0f);
      bool own = group.cost_per_hour.has_value();
      if (ImGui::Checkbox("own hourly cost", &own))
        group.cost_per_hour =
            own ? std::optional(s.costs ? s.costs->agent_per_hour : 30.0) : std::nullopt;
      if (group.cost_per_hour) {
        ImGui::SameLine();
        number(doc, "per paid hour", *group.cost_per_hour, "%.2f", key + ".cost_per_hour");
      }
      if (ImGui::Button("Remove this group")) remove = g;
    }
    ImGui::PopID();
  }
  if (remove) {
    s.agent_groups.erase(s.agent_groups.begin() + static_cast<std::ptrdiff_t>(*remove));
    // Back to dedicated agents: channels need their own staffing again.
    if (s.agent_groups.empty())
      for (ChannelSpec& ch : s.channels)
        if (ch.agents.empty()) ch.agents = {1};
  }
  if (ImGui::Button("Add an agent group")) {
    AgentGroupSpec g;
    g.id = fmt::format("group{}", s.agent_groups.size() + 1);
    for (const ChannelSpec& ch : s.channels) g.channels.push_back(ch.id);
    g.agents = {1};
    s.agent_groups.push_back(std::move(g));
  }
}

void drawCosts(Document& doc, Scenario& s) {
  bool costed = s.costs.has_value();
  if (ImGui::Checkbox("agents have a cost ([costs])", &costed))
    s.costs = costed ? std::optional(CostSpec{30.0, 0.3, {}}) : std::nullopt;
  if (!s.costs) {
    ImGui::TextDisabled("Without [costs] results have no cost figures.");
    return;
  }
  number(doc, "per paid agent hour", s.costs->agent_per_hour, "%.2f", "costs.agent_per_hour", 1.0);
  percent(doc, "shrinkage (paid time off the phones)", s.costs->shrinkage, "costs.shrinkage",
          99.0f);
}

constexpr Complexity kComplexities[] = {Complexity::Routine, Complexity::Complex,
                                        Complexity::Emotional};

void drawIntents(Document& doc, Scenario& s) {
  ImGui::TextWrapped(
      "Contact reasons: each contact of a channel draws one from the channel's shares.");
  problemsFor(doc, "intents");
  const int columns = 6 + static_cast<int>(std::min<std::size_t>(s.channels.size(), 50));
  constexpr ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                    ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX;
  std::optional<std::size_t> remove;
  if (!s.intents.empty() && ImGui::BeginTable("intents", columns, flags)) {
    const float w = ImGui::GetFontSize() * 5.5f;
    ImGui::TableSetupColumn("id", ImGuiTableColumnFlags_WidthFixed, w * 1.5f);
    ImGui::TableSetupColumn("complexity", ImGuiTableColumnFlags_WidthFixed, w * 1.4f);
    ImGui::TableSetupColumn("handle ×", ImGuiTableColumnFlags_WidthFixed, w);
    ImGui::TableSetupColumn("FCR %", ImGuiTableColumnFlags_WidthFixed, w);
    ImGui::TableSetupColumn("bot solves %", ImGuiTableColumnFlags_WidthFixed, w * 1.3f);
    for (int c = 0; c < columns - 6; ++c)
      ImGui::TableSetupColumn((s.channels[static_cast<std::size_t>(c)].id + " share %").c_str(),
                              ImGuiTableColumnFlags_WidthFixed, w);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableHeadersRow();
    for (std::size_t i = 0; i < s.intents.size(); ++i) {
      IntentSpec& in = s.intents[i];
      ImGui::PushID(static_cast<int>(i));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::SetNextItemWidth(-1.0f);
      ImGui::InputText("##id", &in.id);
      ImGui::TableNextColumn();
      ImGui::SetNextItemWidth(-1.0f);
      if (ImGui::BeginCombo("##complexity", toString(in.complexity))) {
        for (Complexity k : kComplexities)
          if (ImGui::Selectable(toString(k), in.complexity == k)) in.complexity = k;
        ImGui::EndCombo();
      }
      ImGui::TableNextColumn();
      ImGui::SetNextItemWidth(-1.0f);
      ImGui::InputDouble("##hf", &in.handle_factor, 0.0, 0.0, "%.2f");
      ImGui::TableNextColumn();
      float fcr = static_cast<float>(in.fcr * 100.0);
      ImGui::SetNextItemWidth(-1.0f);
      if (ImGui::DragFloat("##fcr", &fcr, 0.5f, 0.0f, 100.0f, "%.1f")) in.fcr = fcr / 100.0;
      ImGui::TableNextColumn();
      bool own = in.bot_containment.has_value();
      if (ImGui::Checkbox("##own", &own))
        in.bot_containment = own ? std::optional(s.bot ? s.bot->containment : 0.3) : std::nullopt;
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Own bot containment (else the [bot] value)");
      if (in.bot_containment) {
        ImGui::SameLine();
        float b = static_cast<float>(*in.bot_containment * 100.0);
        ImGui::SetNextItemWidth(-1.0f);
        if (ImGui::DragFloat("##bot", &b, 0.5f, 0.0f, 100.0f, "%.1f"))
          in.bot_containment = b / 100.0;
      }
      for (int c = 0; c < columns - 6; ++c) {
        ImGui::TableNextColumn();
        const std::string& id = s.channels[static_cast<std::size_t>(c)].id;
        float share = static_cast<float>(in.shareOf(id) * 100.0);
        ImGui::PushID(c);
        ImGui::SetNextItemWidth(-1.0f);
        if (ImGui::DragFloat("##share", &share, 0.5f, 0.0f, 100.0f, "%.1f")) {
          auto it = std::find_if(in.share.begin(), in.share.end(),
                                 [&](const auto& p) { return p.first == id; });
          if (it != in.share.end())
            it->second = share / 100.0;
          else
            in.share.emplace_back(id, share / 100.0);
        }
        ImGui::PopID();
      }
      ImGui::TableNextColumn();
      if (ImGui::SmallButton("remove")) remove = i;
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  for (std::size_t i = 0; i < s.intents.size(); ++i)
    for (const Diagnostic& d : doc.problems)
      if (underKey(d.key, fmt::format("intents[{}]", i)) && d.key != "intents") {
        ImGui::TextColored(kErrorColour, "%s: %s", d.key.c_str(), d.message.c_str());
      }
  if (remove) s.intents.erase(s.intents.begin() + static_cast<std::ptrdiff_t>(*remove));
  if (ImGui::Button("Add a contact reason")) {
    IntentSpec in;
    in.id = fmt::format("reason{}", s.intents.size() + 1);
    for (const ChannelSpec& ch : s.channels) in.share.emplace_back(ch.id, 0.0);
    s.intents.push_back(std::move(in));
  }
}

void drawBot(Document& doc, Scenario& s) {
  bool on = s.bot.has_value();
  if (ImGui::Checkbox("an AI assistant answers first ([bot])", &on)) {
    if (on) {
      BotSpec b;
      b.conversation = DistSpec::lognormal(120.0, 0.8);
      b.containment = 0.3;
      if (!s.channels.empty()) b.channels = {s.channels.front().id};
      s.bot = std::move(b);
    } else {
      s.bot.reset();
    }
  }
  problemsFor(doc, "bot");
  if (!s.bot) return;
  BotSpec& b = *s.bot;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("in front of");
  channelChoice(doc, s, b.channels, "bot.channels");
  distribution(doc, "conversation", b.conversation, "bot.conversation");
  percent(doc, "containment (bot resolves)", b.containment, "bot.containment");
  int cold = b.cold ? 1 : 0;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("escalation");
  ImGui::SameLine();
  ImGui::RadioButton("warm (context passed on)", &cold, 0);
  ImGui::SameLine();
  ImGui::RadioButton("cold (customer starts over)", &cold, 1);
  b.cold = cold == 1;
  if (b.cold)
    number(doc, "cold handle-time factor", b.cold_handle_factor, "%.2f", "bot.cold_handle_factor",
           0.05);
  number(doc, "escalated handle-time factor", b.escalated_handle_factor, "%.2f",
         "bot.escalated_handle_factor", 0.05);
  integer(doc, "extra turns before a person", b.loop_turns, "bot.loop_turns");
  number(doc, "turn length (s)", b.turn_s, "%.0f", "bot.turn_s", 5.0);
  percent(doc, "give up at each extra turn", b.loop_abandon, "bot.loop_abandon");
  percent(doc, "false containment", b.false_containment, "bot.false_containment");
  number(doc, "cost per conversation", b.cost_per_conversation, "%.3f", "bot.cost_per_conversation",
         0.01);
}

void drawToml(const Document& doc) {
  ImGui::TextDisabled("What Save writes (comments in the original file are not kept).");
  std::string copy = doc.current_toml;
  ImGui::InputTextMultiline("##toml", &copy, ImVec2(-1.0f, -1.0f), ImGuiInputTextFlags_ReadOnly);
}

}  // namespace

// -------------------------------------------------------------------------------------------
// [SECTION] The panel

void drawScenarioPanel(AppState& state) {
  if (!beginPanel("Scenario", &state.open.scenario, state, {0.0f, 0.0f, 0.42f, 1.0f})) {
    ImGui::End();
    return;
  }
  drawFileRow(state);
  if (!state.load_errors.empty()) drawLoadErrors(state);
  if (!state.doc.scenario) {
    ImGui::TextDisabled("No scenario open. Type a file name above and press Open.");
    ImGui::End();
    return;
  }
  drawStatusRow(state);
  ImGui::Separator();
  Document& doc = state.doc;
  Scenario& s = *doc.scenario;
  // A tab asked for from outside (the smoke mode's picture) is selected once.
  auto tab = [&state](const char* name) {
    const bool select = state.scenario_tab == name;
    if (select) state.scenario_tab.clear();
    return ImGui::BeginTabItem(name, nullptr, select ? ImGuiTabItemFlags_SetSelected : 0);
  };
  if (ImGui::BeginTabBar("sections")) {
    if (tab("General")) {
      drawGeneral(doc, s);
      ImGui::EndTabItem();
    }
    if (tab("Channels")) {
      ImGui::BeginChild("channels");
      drawChannels(doc, s);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    if (tab("Per interval")) {
      drawPerInterval(doc, s);
      ImGui::EndTabItem();
    }
    if (tab("Groups")) {
      drawGroups(doc, s);
      ImGui::EndTabItem();
    }
    if (tab("Costs")) {
      drawCosts(doc, s);
      ImGui::EndTabItem();
    }
    if (tab("Reasons")) {
      drawIntents(doc, s);
      ImGui::EndTabItem();
    }
    if (tab("Bot")) {
      drawBot(doc, s);
      ImGui::EndTabItem();
    }
    if (tab("TOML")) {
      drawToml(doc);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
}

}  // namespace cx::studio
