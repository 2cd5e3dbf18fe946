// The scenario panel: open and save a scenario file, and edit every value of it. Each change
// is checked by the loader itself (the scenario written as TOML and parsed again, see
// scenario_toml.hpp); its messages appear under the field they are about, and all of them at
// the top. Undo/redo keep the last edits (AppState::Document). Tabs: General, Channels,
// Intervals, Agents (costs, groups, staffing by interval or shifts), Reasons (intents, their
// transfers, [empowerment]), Bot, Customers ([outcomes], [journeys]) and TOML; every key of
// docs/SCENARIO_FORMAT.md has a widget.
//
// [SECTION] Field helpers: a widget, then the loader's messages for its key
// [SECTION] File row, load errors, problem list
// [SECTION] Tabs: general, channels, intervals, agents (costs, groups, shifts), reasons, bot, TOML
// [SECTION] Customers tab: outcomes and journeys
// [SECTION] The panel
//
// Edits that are more than one value (an optional table switched on with its defaults, the
// journeys' switch matrix, ticked ids) go through the helpers of scenario_toml.hpp, which the
// tests call too.

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "gui/panels.hpp"
#include "gui/scenario_toml.hpp"
#include "gui/widgets.hpp"
#include "sim/calibration.hpp"
#include "sim/journey_chain.hpp"

namespace cx::studio {

namespace {

// -------------------------------------------------------------------------------------------
// [SECTION] Field helpers: a widget, then the loader's messages for its key

// The messages of the loader's last verdict whose key is `key` or lies under it.
bool underKey(const std::string& key, const std::string& prefix) {
  if (key.compare(0, prefix.size(), prefix) != 0) return false;
  return key.size() == prefix.size() || key[prefix.size()] == '.' || key[prefix.size()] == '[';
}

void showProblem(const Diagnostic& d) {
  ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
  ImGui::Indent();
  ImGui::TextWrapped("%s: %s", d.key.c_str(), d.message.c_str());
  ImGui::Unindent();
  ImGui::PopStyleColor();
}

void problemsFor(const Document& doc, const std::string& key) {
  for (const Diagnostic& d : doc.problems)
    if (underKey(d.key, key)) showProblem(d);
}

bool hasProblem(const Document& doc, const std::string& key) {
  return std::any_of(doc.problems.begin(), doc.problems.end(),
                     [&](const Diagnostic& d) { return underKey(d.key, key); });
}

// Only the messages about `key` itself (a table as a whole), not those about its keys, which
// appear under their own widgets.
void problemsAt(const Document& doc, const std::string& key) {
  for (const Diagnostic& d : doc.problems)
    if (d.key == key) showProblem(d);
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

// The family of a random duration, keeping its mean (and CV where the new family has one).
void kindCombo(DistSpec& d, float width) {
  ImGui::SetNextItemWidth(width);
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
}

// A random duration: its family, mean and (where the family has one) CV.
void distribution(const Document& doc, const char* label, DistSpec& d, const std::string& key) {
  ImGui::PushID(label);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(label);
  ImGui::SameLine();
  kindCombo(d, fieldWidth());
  if (d.kind == DistSpec::Kind::Empirical) {
    ImGui::SameLine();
    ImGui::TextDisabled("%zu values, mean %.0f s%s%s", d.values_s.size(), d.mean_s,
                        d.source.empty() ? "" : " from ", d.source.c_str());
  } else {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(fieldWidth() * 0.6f);
    ImGui::InputDouble(d.kind == DistSpec::Kind::Deterministic ? "s##value" : "s mean##mean",
                       &d.mean_s, 0.0, 0.0, "%.1f");
    if (d.kind == DistSpec::Kind::Lognormal || d.kind == DistSpec::Kind::Gamma) {
      ImGui::SameLine();
      ImGui::SetNextItemWidth(fieldWidth() * 0.45f);
      ImGui::InputDouble("CV##cv", &d.cv, 0.0, 0.0, "%.2f");
    }
  }
  problemsFor(doc, key);
  ImGui::PopID();
}

// The outer height of a table of `rows` rows of widgets under a header row, with room for a
// horizontal scrollbar: a table that scrolls sideways would otherwise fill the window's height.
float tableHeight(std::size_t rows) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float row = ImGui::GetFrameHeight() + style.CellPadding.y * 2.0f;
  const float header = ImGui::GetTextLineHeight() + style.CellPadding.y * 2.0f;
  return static_cast<float>(rows) * row + header + style.ScrollbarSize + 4.0f;
}

// The next item on this line when `width` still fits, else on the next line.
void sameLineIfFits(float width) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

// Ids as checkboxes after a label, in the order of `options`, wrapping at the panel's edge.
// Ids chosen that are not among the options (a channel renamed since) are shown too, ticked
// and marked, so they can be unticked. Ticking appends: a priority order is kept. With
// `keep_one`, the last ticked box cannot be unticked (an empty list would mean "all").
void idChoice(const Document& doc, const std::vector<std::string>& options,
              std::vector<std::string>& chosen, const std::string& key, bool keep_one = false) {
  std::vector<std::string> shown = options;
  for (const std::string& id : chosen)
    if (std::find(shown.begin(), shown.end(), id) == shown.end()) shown.push_back(id);
  const ImGuiStyle& style = ImGui::GetStyle();
  for (std::size_t i = 0; i < shown.size(); ++i) {
    const std::string& id = shown[i];
    const std::string label = i < options.size() ? id : id + " (unknown)";
    sameLineIfFits(ImGui::GetFrameHeight() + style.ItemInnerSpacing.x +
                   ImGui::CalcTextSize(label.c_str()).x);
    bool on = std::find(chosen.begin(), chosen.end(), id) != chosen.end();
    const bool locked = keep_one && on && chosen.size() == 1;
    ImGui::PushID(static_cast<int>(i));
    ImGui::BeginDisabled(locked);
    if (ImGui::Checkbox(label.c_str(), &on)) setChosen(chosen, id, on);
    ImGui::EndDisabled();
    ImGui::PopID();
  }
  problemsFor(doc, key);
}

std::vector<std::string> channelIds(const Scenario& s) {
  std::vector<std::string> out;
  for (const ChannelSpec& ch : s.channels) out.push_back(ch.id);
  return out;
}

// Channel ids as checkboxes (skills, bot channels), in the scenario's channel order.
void channelChoice(const Document& doc, const Scenario& s, std::vector<std::string>& chosen,
                   const std::string& key) {
  idChoice(doc, channelIds(s), chosen, key);
}

// Factors edited in a grid, `per_row` a row, each row labelled with the numbers it covers
// ("1–7", "8–14"): day factors, the chat slowdown curve.
void factorGrid(const char* id, const char* what, std::vector<double>& values, int per_row) {
  const int n = static_cast<int>(values.size());
  if (n == 0) return;
  const int columns = std::min(n, per_row);
  constexpr ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_NoHostExtendX;
  if (!ImGui::BeginTable(id, columns + 1, flags)) return;
  const float cell = ImGui::GetFontSize() * 3.0f;
  ImGui::TableSetupColumn(what, ImGuiTableColumnFlags_WidthFixed);
  for (int c = 0; c < columns; ++c)
    ImGui::TableSetupColumn(fmt::format("+{}", c).c_str(), ImGuiTableColumnFlags_WidthFixed, cell);
  for (int row = 0; row * per_row < n; ++row) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const int first = row * per_row, last = std::min(n, first + per_row);
    ImGui::AlignTextToFramePadding();
    if (last - first == 1)
      ImGui::Text("%s %d", what, first + 1);
    else
      ImGui::Text("%ss %d\u2013%d", what, first + 1, last);
    for (int k = first; k < last; ++k) {
      ImGui::TableNextColumn();
      ImGui::PushID(k);
      ImGui::SetNextItemWidth(-1.0f);
      ImGui::InputDouble("##f", &values[static_cast<std::size_t>(k)], 0.0, 0.0, "%.2f");
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s %d", what, k + 1);
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
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
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
    ImGui::TextWrapped("· %zu problem%s: it cannot be run or loaded until fixed",
                       doc.problems.size(), doc.problems.size() == 1 ? "" : "s");
    for (const Diagnostic& d : doc.problems) {
      ImGui::Bullet();
      ImGui::TextWrapped("%s: %s", d.key.empty() ? "(file)" : d.key.c_str(), d.message.c_str());
    }
    ImGui::PopStyleColor();
  }
}

// -------------------------------------------------------------------------------------------
// [SECTION] Tabs: general, channels, intervals, agents (costs, groups, shifts), reasons, bot, TOML

constexpr double kIntervalChoices[] = {5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 720, 1440};

void drawGeneralFields(Document& doc, Scenario& s) {
  text(doc, "name", s.name, "scenario.name");
  // A typed 0 days (or the - button at 1) is held at 1, and says so until the next change.
  ImGuiStorage* storage = ImGui::GetStateStorage();
  const ImGuiID held = ImGui::GetID("days held at 1");
  int form = s.dayStructured() ? 0 : 1;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("time");
  ImGui::SameLine();
  if (ImGui::RadioButton("days with opening hours", &form, 0) && !s.dayStructured()) {
    storage->SetBool(held, false);
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
    // At least one day: 0 would be the continuous form, which the radio buttons above choose.
    ImGui::SetNextItemWidth(fieldWidth());
    if (ImGui::InputInt("days", &s.days)) {
      storage->SetBool(held, s.days < 1);
      s.days = std::max(s.days, 1);
    }
    if (storage->GetBool(held))
      ImGui::TextColored(kWarnColour,
                         "At least 1 day: a run without days is the continuous form (above).");
    problemsFor(doc, "scenario.days");
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

void drawGeneral(Document& doc, Scenario& s) {
  // Shifts are laid on the plan's intervals: a change of those lays them out again.
  const double interval = s.interval_minutes, open = s.open_s;
  const bool day_form = s.dayStructured();
  drawGeneralFields(doc, s);
  if (s.interval_minutes != interval || s.open_s != open || s.dayStructured() != day_form)
    expandShifts(s);
}

constexpr ChannelKind kChannelKinds[] = {ChannelKind::Voice, ChannelKind::Chat, ChannelKind::Email,
                                         ChannelKind::Messaging};

// Chats an agent holds and silent abandonment (docs/MODEL.md "Chat concurrency"). The
// slowdown curve follows the number of chats while it is the default one; a curve of the
// file's own is kept (and validated) as it is. The default is the one in force for the
// scenario (its calibration's chat capacities, data/calibration.toml [engine]).
void drawChatSettings(Document& doc, const EngineDefaults& defaults, ChannelSpec& ch,
                      const std::string& key) {
  const int before = ch.concurrency;
  integer(doc, "chats per agent", ch.concurrency, key + ".concurrency");
  if (ch.concurrency != before &&
      (ch.concurrency_slowdown.empty() || ch.concurrency_slowdown == defaults.chatSlowdown(before)))
    ch.concurrency_slowdown =
        ch.concurrency > 1 ? defaults.chatSlowdown(ch.concurrency) : std::vector<double>{};
  if (ch.concurrency > 1) {
    const bool standard = ch.concurrency <= kDefaultSlowdownMax;
    const bool is_default =
        standard && ch.concurrency_slowdown == defaults.chatSlowdown(ch.concurrency);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("handle time × for a chat picked up as the agent's n-th");
    ImGui::SameLine();
    if (is_default) {
      ImGui::TextDisabled("(default)");
    } else if (standard) {
      if (ImGui::SmallButton("back to the default"))
        ch.concurrency_slowdown = defaults.chatSlowdown(ch.concurrency);
    } else {
      ImGui::TextDisabled("(no default beyond %d chats)", kDefaultSlowdownMax);
    }
    // At least one factor per chat held; a longer curve of the file's own is kept as it is.
    if (ch.concurrency_slowdown.size() < static_cast<std::size_t>(ch.concurrency))
      ch.concurrency_slowdown.resize(
          static_cast<std::size_t>(ch.concurrency),
          ch.concurrency_slowdown.empty() ? 1.0 : ch.concurrency_slowdown.back());
    factorGrid("slowdown", "chat", ch.concurrency_slowdown, 5);
    problemsFor(doc, key + ".concurrency_slowdown");
  }
  percent(doc, "abandoners who leave silently", ch.silent_abandon, key + ".silent_abandon");
  if (ch.silent_abandon > 0.0)
    number(doc, "finding a silent one (s)", ch.silent_discovery_s, "%.0f",
           key + ".silent_discovery_s", 5.0);
}

// arrivals.day_factors: each day's rates × its factor, the list repeating (seven make a week).
void drawDayFactors(const Document& doc, Scenario& s, std::size_t c) {
  ChannelSpec& ch = s.channels[c];
  std::vector<double>& factors = ch.arrivals.day_factors;
  const std::string key = fmt::format("channels[{}].arrivals.day_factors", c);
  bool on = !factors.empty();
  if (ImGui::Checkbox("rates vary by day (day factors)", &on))
    factors = on ? std::vector<double>(7, 1.0) : std::vector<double>{};
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Day d's rates × the d-th factor. The list repeats: seven factors make a weekly "
        "pattern. Day 1 is the first simulated day.");
  if (on) {
    int n = static_cast<int>(factors.size());
    ImGui::SetNextItemWidth(fieldWidth() * 0.75f);
    if (ImGui::InputInt("days in the cycle", &n))
      factors.resize(static_cast<std::size_t>(std::clamp(n, 1, 366)), 1.0);
    if (s.channels.size() > 1) {
      ImGui::SameLine();
      if (ImGui::SmallButton("same for every channel"))
        for (ChannelSpec& other : s.channels) other.arrivals.day_factors = factors;
    }
    factorGrid("day_factors", "day", factors, 7);
  }
  problemsFor(doc, key);
}

void drawChannel(Document& doc, Scenario& s, std::size_t c, bool& remove) {
  ChannelSpec& ch = s.channels[c];
  const std::string key = fmt::format("channels[{}]", c);
  problemsAt(doc, key);  // e.g. no agent group serves it
  text(doc, "id", ch.id, key + ".id");
  ImGui::SetNextItemWidth(fieldWidth());
  if (ImGui::BeginCombo("kind", toString(ch.kind))) {
    for (ChannelKind k : kChannelKinds)
      if (ImGui::Selectable(toString(k), ch.kind == k)) ch.kind = k;
    ImGui::EndCombo();
  }
  problemsFor(doc, key + ".kind");
  ImGui::TextDisabled("Arrivals per hour and agents per interval: the Intervals tab.");
  problemsFor(doc, key + ".arrivals.per_hour");
  problemsFor(doc, key + ".agents");
  number(doc, "daily busyness α (0 = off)", ch.arrivals.busyness_alpha, "%.1f",
         key + ".arrivals.busyness_alpha", 1.0);
  drawDayFactors(doc, s, c);
  distribution(doc, "handle time", ch.handle_time, key + ".handle_time");
  bool patience = ch.patience.has_value();
  if (ImGui::Checkbox("customers abandon", &patience))
    ch.patience = patience ? std::optional(DistSpec::exponential(300.0)) : std::nullopt;
  if (ch.patience) {
    ImGui::SameLine();
    distribution(doc, "patience", *ch.patience, key + ".patience");
  }
  percent(doc, "balk when no agent is free", ch.balk_probability, key + ".balk_probability");
  // Also shown for another kind that still has them, so the loader's message has its widget.
  if (ch.kind == ChannelKind::Chat || ch.kind == ChannelKind::Messaging || ch.concurrency != 1 ||
      ch.silent_abandon != 0.0)
    drawChatSettings(doc, s.engine_defaults, ch, key);
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
  problemsAt(doc, "channels");
  if (remove) s.channels.erase(s.channels.begin() + static_cast<std::ptrdiff_t>(*remove));
  if (ImGui::Button("Add a channel")) {
    ChannelSpec ch;
    ch.id = fmt::format("channel{}", s.channels.size() + 1);
    ch.agents = {1};
    ch.arrivals.per_hour = {10.0};
    ch.handle_time = DistSpec::exponential(300.0);
    ch.silent_discovery_s = s.engine_defaults.silent_discovery_s;  // the defaults in force
    ch.service_level.threshold_s = s.engine_defaults.service_level_threshold_s;
    ch.service_level.target = s.engine_defaults.service_level_target;
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
      if (s.agent_groups.empty() && ch.shifts.empty()) resizeList(ch.agents, n);
    }
    for (AgentGroupSpec& g : s.agent_groups)
      if (g.shifts.empty()) resizeList(g.agents, n);
    // With every list constant the count cannot show; make the first arrivals list carry it.
    if (n > 1 && !s.channels.empty() && s.intervalsPerDay() != n)
      makePerInterval(s.channels.front().arrivals.per_hour, n);
    expandShifts(s);  // agents from shifts, over the new plan
  }
  ImGui::SameLine();
  ImGui::TextDisabled("%g min each", s.interval_minutes);
  n = s.intervalsPerDay();

  // Columns: arrivals per channel, then agents per channel (or per group).
  struct Column {
    std::string header, key;
    std::vector<double>* rates = nullptr;
    std::vector<int>* agents = nullptr;
    bool from_shifts = false;  // shown, edited as shifts in the Agents tab
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
                         nullptr, &s.channels[c].agents, !s.channels[c].shifts.empty()});
  } else {
    for (std::size_t g = 0; g < s.agent_groups.size(); ++g)
      columns.push_back({s.agent_groups[g].id + " agents",
                         fmt::format("agent_groups[{}].agents", g), nullptr,
                         &s.agent_groups[g].agents, !s.agent_groups[g].shifts.empty()});
  }
  for (const Column& col : columns) problemsFor(doc, col.key);
  const int shown = std::min(static_cast<int>(columns.size()), 63);
  if (shown == 0) return;

  // Constant lists get a button to make them per interval (and back).
  ImGui::TextDisabled("A column with one value is constant over the day.");
  if (std::any_of(columns.begin(), columns.end(), [](const Column& c) { return c.from_shifts; }))
    ImGui::TextDisabled("Greyed: agents from shifts, edited in the Agents tab.");
  for (int i = 0; i < shown; ++i) {
    Column& col = columns[static_cast<std::size_t>(i)];
    const std::size_t size = col.rates ? col.rates->size() : col.agents->size();
    if (size <= 1 && n > 1 && !col.from_shifts) {
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
        if (at < col.agents->size() && (k == 0 || col.agents->size() > 1)) {
          ImGui::BeginDisabled(col.from_shifts);
          ImGui::InputInt("##v", &(*col.agents)[at], 0, 0);
          ImGui::EndDisabled();
        }
      }
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
}

// A clock time on the plan's interval boundaries, over the whole day.
bool clockCombo(const char* id, double& t, const Scenario& s, float width) {
  bool changed = false;
  ImGui::SetNextItemWidth(width);
  if (ImGui::BeginCombo(id, clockText(t).c_str())) {
    const double step = std::max(s.interval_minutes, 5.0) * 60.0;
    for (double c = 0.0; c < 86400.0 - 1.0; c += step) {
      if (ImGui::Selectable(clockText(c).c_str(), std::abs(c - t) < 1.0)) {
        t = c;
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  return changed;
}

// The shifts of a channel or group, with their breaks; true when one changed (the caller lays
// them out again).
bool shiftTable(const Scenario& s, std::vector<ShiftSpec>& shifts) {
  bool changed = false;
  std::optional<std::size_t> remove;
  constexpr ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                    ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_NoHostExtendX;
  if (ImGui::BeginTable("shifts", 5, flags)) {
    const float w = ImGui::GetFontSize() * 4.5f;
    ImGui::TableSetupColumn("start", ImGuiTableColumnFlags_WidthFixed, w);
    ImGui::TableSetupColumn("hours", ImGuiTableColumnFlags_WidthFixed, w * 0.8f);
    ImGui::TableSetupColumn("agents", ImGuiTableColumnFlags_WidthFixed, w * 0.8f);
    ImGui::TableSetupColumn("breaks (start, minutes)", ImGuiTableColumnFlags_WidthFixed, w * 2.6f);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableHeadersRow();
    for (std::size_t i = 0; i < shifts.size(); ++i) {
      ShiftSpec& sh = shifts[i];
      ImGui::PushID(static_cast<int>(i));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      changed |= clockCombo("##start", sh.start_s, s, -1.0f);
      ImGui::TableNextColumn();
      ImGui::SetNextItemWidth(-1.0f);
      changed |= ImGui::InputDouble("##hours", &sh.hours, 0.0, 0.0, "%g");
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Breaks included; whole intervals of %g min", s.interval_minutes);
      ImGui::TableNextColumn();
      ImGui::SetNextItemWidth(-1.0f);
      changed |= ImGui::InputInt("##agents", &sh.agents, 0, 0);
      ImGui::TableNextColumn();
      std::optional<std::size_t> drop;
      for (std::size_t b = 0; b < sh.breaks.size(); ++b) {
        ImGui::PushID(static_cast<int>(b));
        changed |= clockCombo("##bstart", sh.breaks[b].start_s, s, w);
        ImGui::SameLine();
        ImGui::SetNextItemWidth(w * 0.7f);
        changed |= ImGui::InputDouble("##minutes", &sh.breaks[b].minutes, 0.0, 0.0, "%g");
        ImGui::SameLine();
        if (ImGui::SmallButton("x")) drop = b;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Remove this break");
        ImGui::PopID();
      }
      if (drop) {
        sh.breaks.erase(sh.breaks.begin() + static_cast<std::ptrdiff_t>(*drop));
        changed = true;
      }
      if (!sh.breaks.empty()) ImGui::SameLine();
      if (ImGui::SmallButton("+")) {
        // Half-way through the shift, on an interval boundary, one interval or 30 min long.
        const double step = s.intervalSeconds() > 0.0 ? s.intervalSeconds() : 1800.0;
        const double mid = sh.start_s + std::floor(sh.hours * 1800.0 / step) * step;
        sh.breaks.push_back({std::fmod(mid, 86400.0), std::max(s.interval_minutes, 30.0)});
        changed = true;
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Add a break (paid, off duty)");
      ImGui::TableNextColumn();
      if (ImGui::SmallButton("remove")) remove = i;
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (remove) {
    shifts.erase(shifts.begin() + static_cast<std::ptrdiff_t>(*remove));
    changed = true;
  }
  if (ImGui::SmallButton("add a shift")) {
    ShiftSpec next = shifts.empty() ? ShiftSpec{} : shifts.back();
    if (!shifts.empty()) next.start_s = std::fmod(next.start_s + next.hours * 3600.0, 86400.0);
    shifts.push_back(next);
    changed = true;
  }
  return changed;
}

// How the agents of a channel or group are given: per interval (the Intervals tab) or by the
// shifts they work. Shift edits lay all shifts out again (expandShifts), so `agents` stays what
// the shifts give, and the file keeps the shifts (scenario_toml.hpp).
void drawStaffing(const Document& doc, Scenario& s, std::vector<int>& agents,
                  std::vector<ShiftSpec>& shifts, std::vector<int>& on_break,
                  const std::string& key) {
  ImGui::PushID("staffing");
  int mode = shifts.empty() ? 0 : 1;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("agents");
  ImGui::SameLine();
  // Per interval: the agents the shifts gave stay, as a list; a list has no breaks.
  if (ImGui::RadioButton("per interval (Intervals tab)", &mode, 0) && !shifts.empty()) {
    shifts.clear();
    on_break.clear();
  }
  ImGui::SameLine();
  bool changed = false;
  if (ImGui::RadioButton("shifts", &mode, 1) && shifts.empty()) {
    ShiftSpec first;
    first.start_s = s.dayStructured() ? s.open_s : 8 * 3600.0;
    first.hours =
        s.dayStructured() ? std::min(8.0, s.intervalsPerDay() * s.interval_minutes / 60.0) : 8.0;
    first.agents =
        agents.empty() ? 1 : std::max(1, *std::max_element(agents.begin(), agents.end()));
    shifts.push_back(first);
    changed = true;
  }
  if (!shifts.empty()) changed |= shiftTable(s, shifts);
  if (changed) expandShifts(s);
  problemsFor(doc, key + ".shifts");
  ImGui::PopID();
}

// A group's intent skills: every reason (an empty list), or only the ticked ones.
void drawIntentSkills(const Document& doc, const Scenario& s, AgentGroupSpec& group,
                      const std::string& key) {
  if (s.intents.empty() && group.intents.empty()) return;
  std::vector<std::string> ids;
  for (const IntentSpec& in : s.intents) ids.push_back(in.id);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("reasons");
  ImGui::SameLine();
  bool some = !group.intents.empty();
  if (ImGui::Checkbox("only some:", &some)) group.intents = some ? ids : std::vector<std::string>{};
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Intent skills: the group takes only contacts of the ticked reasons. Every reason on "
        "a channel must be taken by some group serving it.");
  if (some) {
    idChoice(doc, ids, group.intents, key + ".intents", true);
  } else {
    ImGui::SameLine();
    ImGui::TextDisabled("takes every reason");
    problemsFor(doc, key + ".intents");
  }
}

void drawGroups(Document& doc, Scenario& s) {
  ImGui::TextWrapped(
      "Without groups every channel has its own agents. With groups, agents with skills serve "
      "the ticked channels, in priority order of the list.");
  problemsAt(doc, "agent_groups");
  if (s.agent_groups.empty()) {
    for (std::size_t c = 0; c < s.channels.size(); ++c) {
      ChannelSpec& ch = s.channels[c];
      ImGui::PushID(static_cast<int>(c));
      if (ImGui::CollapsingHeader(fmt::format("{}'s own agents###own", ch.id).c_str(),
                                  ImGuiTreeNodeFlags_DefaultOpen))
        drawStaffing(doc, s, ch.agents, ch.shifts, ch.on_break, fmt::format("channels[{}]", c));
      ImGui::PopID();
    }
  }
  std::optional<std::size_t> remove;
  for (std::size_t g = 0; g < s.agent_groups.size(); ++g) {
    AgentGroupSpec& group = s.agent_groups[g];
    const std::string key = fmt::format("agent_groups[{}]", g);
    ImGui::PushID(static_cast<int>(g));
    if (ImGui::CollapsingHeader((group.id + "###group").c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
      problemsAt(doc, key);
      text(doc, "id", group.id, key + ".id");
      ImGui::AlignTextToFramePadding();
      ImGui::TextUnformatted("skills");
      channelChoice(doc, s, group.channels, key + ".channels");
      drawIntentSkills(doc, s, group, key);
      drawStaffing(doc, s, group.agents, group.shifts, group.on_break, key);
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
    g.empathy = s.engine_defaults.empathy;  // the defaults in force
    g.professionalism = s.engine_defaults.professionalism;
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
  problemsAt(doc, "intents");
  const int columns = 6 + static_cast<int>(std::min<std::size_t>(s.channels.size(), 50));
  constexpr ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                    ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX;
  std::optional<std::size_t> remove;
  if (!s.intents.empty() &&
      ImGui::BeginTable("intents", columns, flags, ImVec2(0.0f, tableHeight(s.intents.size())))) {
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
  // The table's messages under it (a transfer's under the transfers' table).
  for (std::size_t i = 0; i < s.intents.size(); ++i) {
    const std::string key = fmt::format("intents[{}]", i);
    for (const Diagnostic& d : doc.problems)
      if (underKey(d.key, key) && !underKey(d.key, key + ".transfer")) showProblem(d);
  }
  if (remove) s.intents.erase(s.intents.begin() + static_cast<std::ptrdiff_t>(*remove));
  if (ImGui::Button("Add a contact reason")) {
    IntentSpec in;
    in.id = fmt::format("reason{}", s.intents.size() + 1);
    for (const ChannelSpec& ch : s.channels) in.share.emplace_back(ch.id, 0.0);
    in.fcr = s.engine_defaults.fcr;  // the default in force
    s.intents.push_back(std::move(in));
  }
}

// intents[].transfer, one row per reason: to which group, how often, after how long.
void drawTransfers(const Document& doc, Scenario& s) {
  ImGui::TextWrapped(
      "A first agent passes the reason's contacts to specialists: after the triage time (on the "
      "first agent's time) they wait for an agent of the chosen group, who handles them in "
      "full.");
  const bool groups = !s.agent_groups.empty();
  if (!groups)
    ImGui::TextDisabled("Transfers go to an agent group: add groups first (Agents tab).");
  constexpr ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                    ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX;
  if (!s.intents.empty() &&
      ImGui::BeginTable("transfers", 7, flags, ImVec2(0.0f, tableHeight(s.intents.size())))) {
    const float w = ImGui::GetFontSize() * 4.5f;
    ImGui::TableSetupColumn("reason", ImGuiTableColumnFlags_WidthFixed, w * 1.3f);
    ImGui::TableSetupColumn("transfer", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("to group", ImGuiTableColumnFlags_WidthFixed, w * 1.4f);
    ImGui::TableSetupColumn("share %", ImGuiTableColumnFlags_WidthFixed, w * 0.8f);
    ImGui::TableSetupColumn("triage time", ImGuiTableColumnFlags_WidthFixed, w * 1.4f);
    ImGui::TableSetupColumn("mean s", ImGuiTableColumnFlags_WidthFixed, w * 0.8f);
    ImGui::TableSetupColumn("CV", ImGuiTableColumnFlags_WidthFixed, w * 0.6f);
    ImGui::TableHeadersRow();
    for (std::size_t i = 0; i < s.intents.size(); ++i) {
      IntentSpec& in = s.intents[i];
      ImGui::PushID(static_cast<int>(i));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::AlignTextToFramePadding();
      ImGui::TextUnformatted(in.id.c_str());
      ImGui::TableNextColumn();
      bool on = in.transfer.has_value();
      ImGui::BeginDisabled(!groups && !on);
      if (ImGui::Checkbox("##on", &on))
        in.transfer = on ? std::optional(defaultTransfer(s)) : std::nullopt;
      ImGui::EndDisabled();
      if (in.transfer) {
        TransferSpec& t = *in.transfer;
        ImGui::TableNextColumn();
        ImGui::SetNextItemWidth(-1.0f);
        if (ImGui::BeginCombo("##to", t.to.c_str())) {
          for (const AgentGroupSpec& g : s.agent_groups)
            if (ImGui::Selectable(g.id.c_str(), g.id == t.to)) t.to = g.id;
          ImGui::EndCombo();
        }
        ImGui::TableNextColumn();
        float share = static_cast<float>(t.share * 100.0);
        ImGui::SetNextItemWidth(-1.0f);
        if (ImGui::DragFloat("##share", &share, 0.5f, 0.0f, 100.0f, "%.1f"))
          t.share = share / 100.0;
        if (ImGui::IsItemHovered())
          ImGui::SetTooltip("%% of these contacts an agent of another group transfers");
        ImGui::TableNextColumn();
        kindCombo(t.after, -1.0f);
        ImGui::TableNextColumn();
        ImGui::SetNextItemWidth(-1.0f);
        if (t.after.kind == DistSpec::Kind::Empirical)
          ImGui::TextDisabled("%zu values", t.after.values_s.size());
        else
          ImGui::InputDouble("##mean", &t.after.mean_s, 0.0, 0.0, "%.0f");
        ImGui::TableNextColumn();
        if (t.after.kind == DistSpec::Kind::Lognormal || t.after.kind == DistSpec::Kind::Gamma) {
          ImGui::SetNextItemWidth(-1.0f);
          ImGui::InputDouble("##cv", &t.after.cv, 0.0, 0.0, "%.2f");
        }
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  for (std::size_t i = 0; i < s.intents.size(); ++i)
    problemsFor(doc, fmt::format("intents[{}].transfer", i));
}

// [empowerment]: extra time for the customers of some complexities.
void drawEmpowerment(const Document& doc, Scenario& s) {
  bool on = s.empowerment.has_value();
  if (ImGui::Checkbox("agents may take it ([empowerment])", &on))
    s.empowerment = on ? std::optional(defaultEmpowerment(s.engine_defaults)) : std::nullopt;
  problemsAt(doc, "empowerment");
  if (!s.empowerment) {
    ImGui::TextDisabled("Without it handle times and FCR are the reasons' own.");
    return;
  }
  EmpowermentSpec& e = *s.empowerment;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("who needs it: reasons that are");
  for (Complexity k : kComplexities) {
    bool need = std::find(e.needs.begin(), e.needs.end(), k) != e.needs.end();
    ImGui::SameLine();
    if (ImGui::Checkbox(toString(k), &need)) {
      std::vector<Complexity> needs;
      for (Complexity c : kComplexities) {
        const bool was = std::find(e.needs.begin(), e.needs.end(), c) != e.needs.end();
        if (c == k ? need : was) needs.push_back(c);
      }
      e.needs = std::move(needs);
    }
  }
  problemsFor(doc, "empowerment.needs");
  number(doc, "extra time (min)", e.extra_minutes, "%.1f", "empowerment.extra_minutes", 1.0);
  percent(doc, "agents take it", e.use, "empowerment.use");
  percent(doc, "FCR gain when taken (added)", e.fcr_gain, "empowerment.fcr_gain");
}

void drawBot(Document& doc, Scenario& s) {
  bool on = s.bot.has_value();
  if (ImGui::Checkbox("an AI assistant answers first ([bot])", &on)) {
    if (on) {
      BotSpec b;
      b.conversation = DistSpec::lognormal(120.0, 0.8);
      b.containment = 0.3;
      b.turn_s = s.engine_defaults.bot_turn_s;  // the default in force
      if (!s.channels.empty()) b.channels = {s.channels.front().id};
      s.bot = std::move(b);
    } else {
      s.bot.reset();
    }
  }
  problemsAt(doc, "bot");
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

// -------------------------------------------------------------------------------------------
// [SECTION] Customers tab: outcomes and journeys

// [journeys] switch: where customers of each channel come back, one row per channel.
void drawSwitchMatrix(const Document& doc, const Scenario& s, JourneySpec& j) {
  ImGui::TextWrapped(
      "Where customers come back: a ticked channel's row gives the next contact's channel "
      "(%% adding up to 100); an unticked channel keeps its customers.");
  std::vector<std::string> rows = channelIds(s);
  for (const auto& [from, row] : j.switch_rows)  // rows of channels renamed since
    if (std::find(rows.begin(), rows.end(), from) == rows.end()) rows.push_back(from);
  const int to_columns = static_cast<int>(std::min<std::size_t>(s.channels.size(), 60));
  constexpr ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                    ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX;
  if (!rows.empty() &&
      ImGui::BeginTable("switch", to_columns + 2, flags, ImVec2(0.0f, tableHeight(rows.size())))) {
    const float w = ImGui::GetFontSize() * 4.5f;
    ImGui::TableSetupColumn("from \\ next %", ImGuiTableColumnFlags_WidthFixed, w * 1.6f);
    for (int c = 0; c < to_columns; ++c)
      ImGui::TableSetupColumn(s.channels[static_cast<std::size_t>(c)].id.c_str(),
                              ImGuiTableColumnFlags_WidthFixed, w);
    ImGui::TableSetupColumn("sum", ImGuiTableColumnFlags_WidthFixed, w * 0.8f);
    ImGui::TableHeadersRow();
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const std::string& from = rows[r];
      ImGui::PushID(static_cast<int>(r));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      bool on = switchRow(j, from) != nullptr;
      const bool known = r < s.channels.size();
      if (ImGui::Checkbox(known ? from.c_str() : (from + " (unknown)").c_str(), &on))
        setSwitchRow(j, from, on);
      const auto* row = switchRow(j, from);
      double sum = 0.0;
      for (int c = 0; c < to_columns; ++c) {
        ImGui::TableNextColumn();
        if (!row) continue;
        const std::string& to = s.channels[static_cast<std::size_t>(c)].id;
        float p = static_cast<float>(switchProbability(j, from, to) * 100.0);
        ImGui::PushID(c);
        ImGui::SetNextItemWidth(-1.0f);
        if (ImGui::DragFloat("##p", &p, 0.5f, 0.0f, 100.0f, "%.1f"))
          setSwitchProbability(j, from, to, p / 100.0);
        ImGui::PopID();
      }
      ImGui::TableNextColumn();
      if ((row = switchRow(j, from)) != nullptr) {
        for (const auto& entry : *row) sum += entry.second;
        if (std::abs(sum - 1.0) > 1e-6)
          ImGui::TextColored(kErrorColour, "%.1f", sum * 100.0);
        else
          ImGui::TextDisabled("100");
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  problemsFor(doc, "journeys.switch");
}

// What the switch matrix and the return rates imply if every contact reached an agent at once
// (sim/journey_chain.hpp; docs/MODEL.md, "The chain across channels").
void drawJourneyChain(const Document& doc, const Scenario& s) {
  if (!doc.valid()) {
    ImGui::TextDisabled("Shown when the scenario has no problems.");
    return;
  }
  JourneyChain chain;
  try {  // an edit this frame may not be validated yet (a channel renamed in the matrix)
    chain = journeyChain(s);
  } catch (const std::exception&) {
    ImGui::TextDisabled("Shown when the scenario has no problems.");
    return;
  }
  ImGui::TextWrapped(
      "If every contact reached an agent at once (no abandonment, bot or transfers): per "
      "channel a case starts on, its contacts on each channel and the cases resolved; then what "
      "returning customers add to each channel's fresh contacts.");
  const auto n = static_cast<int>(std::min<Eigen::Index>(chain.contacts.cols(), 60));
  constexpr ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                    ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollX;
  if (!ImGui::BeginTable("chain", n + 4, flags,
                         ImVec2(0.0f, tableHeight(static_cast<std::size_t>(n) + 1))))
    return;
  const float w = ImGui::GetFontSize() * 4.5f;
  ImGui::TableSetupColumn("started on", ImGuiTableColumnFlags_WidthFixed, w * 1.6f);
  ImGui::TableSetupColumn("fresh", ImGuiTableColumnFlags_WidthFixed, w);
  ImGui::TableSetupColumn("contacts", ImGuiTableColumnFlags_WidthFixed, w);
  for (int c = 0; c < n; ++c)
    ImGui::TableSetupColumn(chain.channels[static_cast<std::size_t>(c)].c_str(),
                            ImGuiTableColumnFlags_WidthFixed, w);
  ImGui::TableSetupColumn("resolved", ImGuiTableColumnFlags_WidthFixed, w);
  ImGui::TableHeadersRow();
  for (int i = 0; i < n; ++i) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(chain.channels[static_cast<std::size_t>(i)].c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%.1f%%", 100.0 * chain.fresh(i));
    ImGui::TableNextColumn();
    ImGui::Text("%.3f", chain.contacts.row(i).sum());
    for (int j = 0; j < n; ++j) {
      ImGui::TableNextColumn();
      ImGui::Text("%.3f", chain.contacts(i, j));
    }
    ImGui::TableNextColumn();
    ImGui::Text("%.1f%%", 100.0 * chain.resolved(i));
  }
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextUnformatted("returns add");
  ImGui::TableNextColumn();
  ImGui::TableNextColumn();
  for (int j = 0; j < n; ++j) {
    ImGui::TableNextColumn();
    if (std::isnan(chain.returns(j)))
      ImGui::TextDisabled("-");
    else
      ImGui::Text("%+.1f%%", 100.0 * chain.returns(j));
  }
  ImGui::EndTable();
}

void drawJourneys(Document& doc, Scenario& s) {
  bool on = s.journeys.has_value();
  if (ImGui::Checkbox("unsolved problems come back ([journeys])", &on))
    s.journeys = on ? std::optional(defaultJourneys(s.engine_defaults)) : std::nullopt;
  problemsAt(doc, "journeys");
  if (!s.journeys) {
    ImGui::TextDisabled("Without it every contact is a case of its own: nobody comes back.");
    return;
  }
  JourneySpec& j = *s.journeys;
  percent(doc, "come back when not resolved", j.retry_unresolved, "journeys.retry_unresolved");
  percent(doc, "come back after giving up", j.retry_abandoned, "journeys.retry_abandoned");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("After abandoning the queue, balking or quitting the bot");
  distribution(doc, "retry after", j.delay, "journeys.delay");
  integer(doc, "contacts before a case ends unresolved", j.max_contacts, "journeys.max_contacts");
  if (ImGui::TreeNodeEx("Case history and promises", ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::Checkbox("agents see the case history (shared context)", &j.shared_context);
    problemsFor(doc, "journeys.shared_context");
    if (!j.shared_context)
      ImGui::TextDisabled("Each new contact starts over: the story is told again.");
    // Used only without a shared context (greyed out with one, unless they need fixing).
    ImGui::BeginDisabled(j.shared_context && !hasProblem(doc, "journeys.repeat_handle_factor") &&
                         !hasProblem(doc, "journeys.repeat_fcr_factor"));
    number(doc, "handle time × told again", j.repeat_handle_factor, "%.2f",
           "journeys.repeat_handle_factor", 0.05);
    number(doc, "FCR × without the history", j.repeat_fcr_factor, "%.2f",
           "journeys.repeat_fcr_factor", 0.05);
    ImGui::EndDisabled();
    percent(doc, "agent promises to call back", j.promise_follow_up, "journeys.promise_follow_up");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("After an answered contact that did not solve the problem");
    percent(doc, "promises broken (the customer chases)", j.broken_promise,
            "journeys.broken_promise");
    ImGui::TreePop();
  }
  if (ImGui::TreeNodeEx("Switching channels", ImGuiTreeNodeFlags_DefaultOpen)) {
    drawSwitchMatrix(doc, s, j);
    ImGui::TreePop();
  }
  if (ImGui::TreeNodeEx("What the journeys imply", ImGuiTreeNodeFlags_DefaultOpen)) {
    drawJourneyChain(doc, s);
    ImGui::TreePop();
  }
}

// An optional value of [outcomes] that falls back on the calibration's, shown × `scale` with
// `decimals` decimals.
bool ownOrCalibrated(const Document& doc, const char* label, std::optional<double>& v,
                     double calibrated, int decimals, const std::string& key, double scale = 1.0) {
  const std::string format = fmt::format("%.{}f", decimals);
  bool changed = false;
  ImGui::PushID(label);
  bool own = v.has_value();
  if (ImGui::Checkbox("##own", &own)) {
    v = own ? std::optional(calibrated) : std::nullopt;
    changed = true;
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Own value (else the calibration's)");
  ImGui::SameLine();
  if (v) {
    double shown = *v * scale;
    ImGui::SetNextItemWidth(fieldWidth());
    if (ImGui::InputDouble(label, &shown, 0.0, 0.0, format.c_str())) {
      v = shown / scale;
      changed = true;
    }
  } else {
    ImGui::AlignTextToFramePadding();
    ImGui::TextDisabled("%s: %s, the calibration's", label,
                        fmt::format("{:.{}f}", calibrated * scale, decimals).c_str());
  }
  problemsFor(doc, key);
  ImGui::PopID();
  return changed;
}

void drawOutcomes(Document& doc, Scenario& s) {
  const std::filesystem::path base =
      doc.path.has_parent_path() ? doc.path.parent_path() : std::filesystem::path(".");
  bool on = s.outcomes.has_value();
  if (ImGui::Checkbox("CSAT, NPS, CES and churn ([outcomes])", &on)) {
    s.outcomes = on ? std::optional(defaultOutcomes()) : std::nullopt;
    refreshCalibration(s, base);
  }
  problemsAt(doc, "outcomes");
  if (!s.outcomes) {
    ImGui::TextDisabled("Without it results have no CSAT, NPS, CES, churn or revenue at risk.");
    return;
  }
  OutcomesSpec& o = *s.outcomes;
  long long customers = o.customers;
  const long long step = 1000, fast = 100000;
  ImGui::SetNextItemWidth(fieldWidth());
  if (ImGui::InputScalar("customers in the base", ImGuiDataType_S64, &customers, &step, &fast))
    o.customers = static_cast<long>(customers);
  problemsFor(doc, "outcomes.customers");
  // The calibration in force (refreshCalibration): where the scenario has no value of its
  // own, the calibration's, shown and used as the start of an own value.
  const Calibration in_code;
  const Calibration& calibrated = o.calibration ? *o.calibration : in_code;
  bool changed = false;
  changed |= ownOrCalibrated(doc, "revenue per customer per year", o.value_per_year,
                             calibrated.customers.value_per_year, 2, "outcomes.value_per_year");
  changed |=
      ownOrCalibrated(doc, "survey response rate (%)", o.response_rate,
                      calibrated.satisfaction.response_rate, 1, "outcomes.response_rate", 100.0);
  ImGui::SetNextItemWidth(fieldWidth() * 1.6f);
  changed |= ImGui::InputTextWithHint("calibration file", "none", &o.calibration_file);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Values on top of data/calibration.toml (any of its keys), relative to the scenario's "
        "folder.");
  problemsFor(doc, "outcomes.calibration");
  if (changed) refreshCalibration(s, base);
  ImGui::TextDisabled("The agents' empathy, professionalism and FCR uplift: the Agents tab.");
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
  // A tab asked for from outside (the smoke mode's picture) is selected once. Each tab's
  // content scrolls in a child window: the tabs stay in view, and the panel itself gets no
  // scrollbar that would narrow the tab bar.
  auto tab = [&state](const char* name) {
    const bool select = state.scenario_tab == name;
    if (select) state.scenario_tab.clear();
    if (!ImGui::BeginTabItem(name, nullptr, select ? ImGuiTabItemFlags_SetSelected : 0))
      return false;
    // At least a dozen lines even under a long problem list (the panel scrolls then).
    ImGui::BeginChild("content", ImVec2(0.0f, std::max(ImGui::GetContentRegionAvail().y,
                                                       ImGui::GetTextLineHeight() * 12.0f)));
    return true;
  };
  auto endTab = [] {
    ImGui::EndChild();
    ImGui::EndTabItem();
  };
  if (ImGui::BeginTabBar("sections")) {
    if (tab("General")) {
      drawGeneral(doc, s);
      endTab();
    }
    if (tab("Channels")) {
      drawChannels(doc, s);
      endTab();
    }
    if (tab("Intervals")) {
      drawPerInterval(doc, s);
      endTab();
    }
    // Eight tabs: their labels still fit the panel's first-use width at 1280×800.
    if (tab("Agents")) {
      drawCosts(doc, s);
      ImGui::Separator();
      drawGroups(doc, s);
      endTab();
    }
    if (tab("Reasons")) {
      drawIntents(doc, s);
      const bool transfers =
          std::any_of(s.intents.begin(), s.intents.end(),
                      [](const IntentSpec& in) { return in.transfer.has_value(); });
      if (ImGui::CollapsingHeader("Transfers to specialists",
                                  transfers ? ImGuiTreeNodeFlags_DefaultOpen : 0))
        drawTransfers(doc, s);
      if (ImGui::CollapsingHeader("Empowerment: extra time for those who need it",
                                  s.empowerment ? ImGuiTreeNodeFlags_DefaultOpen : 0))
        drawEmpowerment(doc, s);
      endTab();
    }
    if (tab("Bot")) {
      drawBot(doc, s);
      endTab();
    }
    if (tab("Customers")) {
      if (ImGui::CollapsingHeader("Outcomes: what customers feel and do",
                                  ImGuiTreeNodeFlags_DefaultOpen))
        drawOutcomes(doc, s);
      if (ImGui::CollapsingHeader("Journeys: customers coming back",
                                  ImGuiTreeNodeFlags_DefaultOpen))
        drawJourneys(doc, s);
      endTab();
    }
    if (tab("TOML")) {
      drawToml(doc);
      endTab();
    }
    ImGui::EndTabBar();
  }
  ImGui::End();
}

}  // namespace cx::studio
