// The role-play panel (docs/ROLEPLAY.md, "In the studio"): pick a script, play it as a chat
// with a countdown and a mood meter, read the debrief, save it, and the trainer's view of the
// records folder. The engine and the records are the library's (sim/roleplay*.hpp); the panel
// only measures time (ImGui's clock) and draws.
//
// [SECTION] Pieces: chat bubbles, mood meter, countdown
// [SECTION] Play
// [SECTION] Debrief
// [SECTION] Trainer
// [SECTION] The panel

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>

#include "gui/panels.hpp"
#include "gui/plot.hpp"
#include "gui/roleplay_view.hpp"
#include "gui/widgets.hpp"

namespace cx::studio {

namespace {

const ImVec4 kCustomerBubble(0.22f, 0.26f, 0.33f, 1.0f);
const ImVec4 kTraineeBubble(0.16f, 0.36f, 0.55f, 1.0f);
const ImVec4 kFailColour(0.95f, 0.30f, 0.25f, 1.0f);
const ImVec4 kPassColour(0.35f, 0.80f, 0.40f, 1.0f);

ImVec4 toImVec4(Rgba c) {
  return ImVec4(c.r, c.g, c.b, c.a);
}

// -------------------------------------------------------------------------------------------
// [SECTION] Pieces: chat bubbles, mood meter, countdown

// A wrapped line in a rounded box, left (customer) or right (trainee), with a small caption.
void bubble(const std::string& who, const std::string& text, bool right, ImVec4 fill) {
  const float avail = ImGui::GetContentRegionAvail().x;
  const float wrap = std::max(avail * 0.68f, 120.0f);
  const ImVec2 pad(10.0f, 6.0f);
  const ImVec2 text_size = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap);
  const ImVec2 box(text_size.x + pad.x * 2, text_size.y + pad.y * 2);
  const float x0 = right ? ImGui::GetCursorPosX() + avail - box.x : ImGui::GetCursorPosX();
  ImGui::SetCursorPosX(right ? x0 + box.x - ImGui::CalcTextSize(who.c_str()).x : x0);
  ImGui::TextDisabled("%s", who.c_str());
  ImGui::SetCursorPosX(x0);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(p, ImVec2(p.x + box.x, p.y + box.y), ImGui::GetColorU32(fill), 8.0f);
  draw->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(p.x + pad.x, p.y + pad.y),
                ImGui::GetColorU32(ImGuiCol_Text), text.c_str(), nullptr, wrap);
  ImGui::Dummy(box);
}

void moodMeter(double mood, float width) {
  ImGui::PushStyleColor(ImGuiCol_PlotHistogram, toImVec4(moodColour(mood)));
  const std::string overlay = fmt::format("mood {:.2f} · {}", mood, moodLabel(mood));
  ImGui::ProgressBar(static_cast<float>(mood), ImVec2(width, 0), overlay.c_str());
  ImGui::PopStyleColor();
}

// Full while there is time; empty (and red) once the answer is late, which costs promptness.
void countdown(double left, double limit) {
  const float share = limit > 0 ? static_cast<float>(std::clamp(left / limit, 0.0, 1.0)) : 0.0f;
  const ImVec4 colour = left > limit * 0.3 ? ImVec4(0.35f, 0.70f, 0.40f, 1.0f)
                        : left > 0         ? ImVec4(0.90f, 0.65f, 0.20f, 1.0f)
                                           : kFailColour;
  const std::string overlay =
      left >= 0 ? fmt::format("{:.0f} s left of {:.0f} s", std::ceil(left), limit)
                : fmt::format("{:.0f} s over the limit: promptness is dropping", -left);
  ImGui::PushStyleColor(ImGuiCol_PlotHistogram, colour);
  ImGui::ProgressBar(share, ImVec2(-1, 0), overlay.c_str());
  ImGui::PopStyleColor();
}

plot::Chart moodChart(const RoleplayView& view) {
  plot::Chart chart;
  chart.id = "roleplay_mood";
  chart.title = "Customer's mood over the conversation";
  chart.x_unit = "answer";
  chart.y_min = 0.0;
  chart.y_max = 1.0;
  chart.reference = kCalmMood;
  chart.reference_label = "calm";
  const SessionSummary s = view.debrief ? view.debrief->session : view.session->summary();
  std::size_t n = s.mood.size();
  if (view.debrief && view.debrief->best) n = std::max(n, view.debrief->best->summary.mood.size());
  for (std::size_t i = 0; i < n; ++i)
    chart.categories.push_back(i == 0 ? "start" : fmt::format("{}", i));
  plot::Series yours{"this session", plot::Kind::Line, s.mood, {}, {}, 0, {}};
  yours.y.resize(n, std::nan(""));
  chart.series.push_back(std::move(yours));
  if (view.debrief && view.debrief->best) {
    plot::Series best{"best path", plot::Kind::Line, view.debrief->best->summary.mood, {}, {}, 0,
                      {}};
    best.y.resize(n, std::nan(""));
    chart.series.push_back(std::move(best));
  }
  return chart;
}

// -------------------------------------------------------------------------------------------
// [SECTION] Play

void drawScriptPicker(RoleplayView& view) {
  const double now = ImGui::GetTime();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Script");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(260.0f);
  const std::string current = view.script ? view.script->title : "choose a script…";
  if (ImGui::BeginCombo("##script", current.c_str())) {
    for (const auto& file : view.shipped)
      if (ImGui::Selectable(file.stem().string().c_str(),
                            view.script && view.script->source_path == file))
        openRoleplayScript(view, file, now);
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x * 0.35f, 160.0f));
  ImGui::InputTextWithHint("##rpfile", "or a script file (TOML)", &view.path_input);
  ImGui::SameLine();
  if (ImGui::Button("Open")) openRoleplayScript(view, view.path_input, now);
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Trainee");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(160.0f);
  ImGui::InputTextWithHint("##trainee", "name", &view.trainee);
  if (!view.load_errors.empty()) {
    ImGui::TextColored(kErrorColour,
                       "%s was not opened; the validator says:", view.failed_path.string().c_str());
    for (const std::string& e : view.load_errors)
      ImGui::TextColored(kErrorColour, "  %s", e.c_str());
  }
}

// Asks before a session with answers is thrown away for another script.
void drawSwitchGuard(RoleplayView& view) {
  if (!view.pending_switch) return;
  if (!ImGui::IsPopupOpen("Session in progress")) ImGui::OpenPopup("Session in progress");
  ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing,
                          ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal("Session in progress", nullptr, ImGuiWindowFlags_AlwaysAutoResize))
    return;
  ImGui::Text("The session on \"%s\" has answers that are not saved.",
              view.script ? view.script->title.c_str() : "");
  ImGui::Text("Open %s and discard it?", view.pending_switch->filename().string().c_str());
  const bool finished = view.session && view.session->finished();
  ImGui::BeginDisabled(!finished || view.trainee.empty());
  if (ImGui::Button("Save, then open")) {
    if (saveSession(view)) {
      openRoleplayScript(view, *view.pending_switch, ImGui::GetTime(), true);
      ImGui::CloseCurrentPopup();
    }
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Discard and open")) {
    openRoleplayScript(view, *view.pending_switch, ImGui::GetTime(), true);
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Keep playing") ||
      ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
    view.pending_switch.reset();
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

void drawTranscript(const RoleplayView& view) {
  const RoleplayScript& script = *view.script;
  const SessionSummary s = view.session->summary();
  for (const Turn& t : s.transcript) {
    const ScriptNode& node = script.nodes[t.node];
    bubble(script.persona.name, node.customer, false, kCustomerBubble);
    bubble(fmt::format("{} · {:.0f} s", view.trainee.empty() ? "trainee" : view.trainee, t.seconds),
           node.choices[t.choice].text, true, kTraineeBubble);
  }
  if (!view.session->finished()) {
    bubble(script.persona.name, view.session->current().customer, false, kCustomerBubble);
  } else if (view.session->currentIndex() >= 0 &&
             script.nodes[view.session->currentIndex()].ending) {
    const ScriptNode& end = script.nodes[view.session->currentIndex()];
    if (!end.customer.empty()) bubble(script.persona.name, end.customer, false, kCustomerBubble);
  }
}

void drawPlay(RoleplayView& view) {
  if (!view.script || !view.session) {
    ImGui::TextDisabled("Pick a script above to start a conversation.");
    return;
  }
  const RoleplayScript& script = *view.script;
  const double now = ImGui::GetTime();
  ImGui::TextWrapped("%s (%s) · %s, %s", script.title.c_str(), toString(script.level),
                     script.persona.name.c_str(), script.persona.channel.c_str());
  ImGui::TextWrapped("Situation: %s", script.situation.c_str());
  if (!script.persona.history.empty())
    ImGui::TextWrapped("Already happened: %s", script.persona.history.c_str());
  moodMeter(view.session->state().mood, std::min(ImGui::GetContentRegionAvail().x * 0.4f, 360.0f));
  ImGui::SameLine();
  ImGui::TextDisabled("answer %d", view.session->state().turn + 1);
  ImGui::Separator();

  const float choices_h =
      view.session->finished()
          ? ImGui::GetFrameHeightWithSpacing() * 2
          : ImGui::GetFrameHeightWithSpacing() *
                (2.5f + static_cast<float>(view.session->current().choices.size()));
  const float chart_w = std::min(ImGui::GetContentRegionAvail().x * 0.3f, 380.0f);
  const float h = std::max(ImGui::GetContentRegionAvail().y - choices_h, 120.0f);
  ImGui::BeginChild("##chat", ImVec2(ImGui::GetContentRegionAvail().x - chart_w, h), true);
  drawTranscript(view);
  ImGui::SetScrollHereY(1.0f);  // the newest line in view, as in a chat
  ImGui::EndChild();
  ImGui::SameLine();
  plot::drawChart(moodChart(view), ImVec2(chart_w, h));

  if (view.session->finished()) {
    ImGui::Text("The conversation ended (%s).", toString(view.session->summary().ending));
    ImGui::SameLine();
    if (ImGui::Button("See the debrief")) view.select_tab = "Debrief";
    ImGui::SameLine();
    if (ImGui::Button("Play again")) restartSession(view, now);
    return;
  }
  countdown(secondsLeft(view, now), view.session->limitNow());
  const auto& choices = view.session->current().choices;
  int picked = -1;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    const std::string label = fmt::format("{}. {}##c{}", i + 1, choices[i].text, i);
    if (ImGui::Button(label.c_str(), ImVec2(-1, 0))) picked = static_cast<int>(i);
  }
  // Keys 1-9 answer too (the GLFW key codes of the digits are their ASCII codes), unless the
  // trainee is typing in a field.
  if (!ImGui::GetIO().WantTextInput &&
      ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows))
    for (std::size_t i = 0; i < choices.size() && i < 9; ++i)
      if (ImGui::IsKeyPressed('1' + static_cast<int>(i), false)) picked = static_cast<int>(i);
  if (picked >= 0) answerChoice(view, picked, now);
}

// -------------------------------------------------------------------------------------------
// [SECTION] Debrief

std::string scoreText(const std::optional<double>& s) {
  return s ? fmt::format("{:.0f}", *s) : "—";
}

void drawDebrief(RoleplayView& view) {
  if (!view.debrief || !view.script) {
    ImGui::TextDisabled("The debrief appears here when a conversation ends.");
    return;
  }
  const RoleplayScript& script = *view.script;
  const SessionSummary& s = view.debrief->session;
  const double final_mood = s.mood.empty() ? 0.0 : s.mood.back();
  ImGui::TextColored(s.passed ? kPassColour : kFailColour, "%s · overall %.0f (pass mark %.0f)",
                     s.passed ? "PASSED" : "NOT PASSED", s.overall, script.pass_mark);
  ImGui::SameLine();
  ImGui::Text("· %s · customer %s at the end%s", toString(s.ending), moodLabel(final_mood),
              s.resolved ? " · resolved" : "");
  for (const std::string& id : s.breaches) {
    const ComplianceRule* rule = script.rule(id);
    ImGui::TextColored(kFailColour, "COMPLIANCE FAILURE [%s]: %s — the session fails outright",
                       id.c_str(), rule ? rule->rule.c_str() : "");
  }
  // Save.
  ImGui::SetNextItemWidth(160.0f);
  ImGui::InputTextWithHint("##trainee2", "trainee", &view.trainee);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x * 0.4f, 200.0f));
  ImGui::InputTextWithHint("##data", defaultRoleplayDataDir().string().c_str(), &view.data_dir);
  ImGui::SameLine();
  ImGui::BeginDisabled(view.saved);
  if (ImGui::Button(view.saved ? "Saved" : "Save session")) saveSession(view);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Play again")) restartSession(view, ImGui::GetTime());
  if (!view.save_message.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(view.saved ? kPassColour : kErrorColour, "%s", view.save_message.c_str());
  }
  ImGui::Separator();

  // Scores and mood side by side.
  const std::optional<BestPath>& best = view.debrief->best;
  plot::Table table;
  table.id = "roleplay_scores";
  table.headers = {"dimension", "this session", "best path"};
  for (int d = 0; d < kDimensions; ++d)
    table.rows.push_back({label(kAllDimensions[d]), scoreText(s.scores[d]),
                          best ? scoreText(best->summary.scores[d]) : "—"});
  table.rows.push_back({"overall", fmt::format("{:.0f}", s.overall),
                        best ? fmt::format("{:.0f}", best->summary.overall) : "—"});
  const float left_w = std::min(ImGui::GetContentRegionAvail().x * 0.4f, 440.0f);
  ImGui::BeginGroup();
  ImGui::BeginChild("##scores", ImVec2(left_w, 230.0f));
  plot::drawTable(table);
  ImGui::EndChild();
  ImGui::EndGroup();
  ImGui::SameLine();
  plot::drawChart(moodChart(view), ImVec2(0, 230.0f));
  ImGui::Separator();

  // Transcript with feedback, then the best path.
  ImGui::BeginChild("##debrief_transcript", ImVec2(0, 0));
  if (ImGui::CollapsingHeader("Your conversation, with feedback", ImGuiTreeNodeFlags_DefaultOpen)) {
    for (std::size_t i = 0; i < s.transcript.size(); ++i) {
      const Turn& t = s.transcript[i];
      const ScriptNode& node = script.nodes[t.node];
      const Choice& c = node.choices[t.choice];
      ImGui::PushID(static_cast<int>(i));
      ImGui::TextWrapped("%zu. Customer: %s", i + 1, node.customer.c_str());
      ImGui::TextColored(ImVec4(0.55f, 0.75f, 1.0f, 1.0f),
                         "   You (choice %d, %.0f s of %.0f s, "
                         "promptness %.0f, mood %.2f → %.2f):",
                         t.choice + 1, t.seconds, t.limit_s, t.promptness, t.mood_before,
                         t.mood_after);
      ImGui::Indent(20.0f);
      ImGui::TextWrapped("%s", c.text.c_str());
      if (!c.feedback.empty()) ImGui::TextDisabled("Feedback: %s", c.feedback.c_str());
      for (const std::string& b : t.breaches)
        ImGui::TextColored(kFailColour, "COMPLIANCE FAILURE [%s]", b.c_str());
      ImGui::Unindent(20.0f);
      ImGui::PopID();
    }
  }
  if (ImGui::CollapsingHeader("The best path, for comparison")) {
    if (!best) {
      ImGui::TextDisabled("No path completes this script without a breach.");
    } else {
      ImGui::TextDisabled("Overall %.0f, customer %s at the end (%ld paths searched%s)",
                          best->summary.overall,
                          moodLabel(best->summary.mood.empty() ? 0.0 : best->summary.mood.back()),
                          best->paths_searched, best->exhaustive ? "" : ", budget reached");
      for (std::size_t i = 0; i < best->summary.transcript.size(); ++i) {
        const Turn& t = best->summary.transcript[i];
        const ScriptNode& node = script.nodes[t.node];
        ImGui::TextWrapped("%zu. Customer: %s", i + 1, node.customer.c_str());
        ImGui::Indent(20.0f);
        ImGui::TextWrapped("Best: %s", node.choices[t.choice].text.c_str());
        ImGui::Unindent(20.0f);
      }
    }
  }
  ImGui::EndChild();
}

// -------------------------------------------------------------------------------------------
// [SECTION] Trainer

void drawTrainer(RoleplayView& view) {
  if (view.trainer_message.empty()) refreshTrainer(view);  // first look: what is there already
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Records folder");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x * 0.4f, 200.0f));
  ImGui::InputTextWithHint("##data_t", defaultRoleplayDataDir().string().c_str(), &view.data_dir);
  ImGui::SameLine();
  int period = static_cast<int>(view.period);
  ImGui::SetNextItemWidth(100.0f);
  if (ImGui::Combo("##period", &period, "by day\0by week\0by month\0")) {
    view.period = static_cast<Period>(period);
    refreshTrainer(view);
  }
  ImGui::SameLine();
  if (ImGui::Button("Refresh")) refreshTrainer(view);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(220.0f);
  ImGui::InputTextWithHint("##csv", "trainees.csv", &view.csv_path);
  ImGui::SameLine();
  ImGui::BeginDisabled(view.rows.empty());
  if (ImGui::Button("Export CSV"))
    exportTrainerCsv(view, view.csv_path.empty() ? "trainees.csv" : view.csv_path);
  ImGui::EndDisabled();
  if (!view.trainer_message.empty()) ImGui::TextDisabled("%s", view.trainer_message.c_str());
  for (const std::string& p : view.record_problems)
    ImGui::TextColored(kWarnColour, "%s", p.c_str());
  if (view.rows.empty()) {
    ImGui::TextDisabled(
        "No sessions yet: saved sessions (here or `cxsim roleplay play`) show up "
        "after Refresh.");
    return;
  }

  plot::Table table;
  table.id = "roleplay_trainees";
  table.headers = {"trainee", "period", "sessions", "passed"};
  for (Dimension d : kAllDimensions) table.headers.push_back(label(d));
  table.headers.push_back("overall");
  for (const AggregateRow& r : view.rows) {
    std::vector<std::string> row = {r.trainee, r.period, fmt::format("{}", r.sessions),
                                    fmt::format("{}", r.passed)};
    for (const auto& m : r.mean) row.push_back(scoreText(m));
    row.push_back(scoreText(r.overall));
    table.rows.push_back(std::move(row));
  }
  plot::drawTable(table, std::min(ImGui::GetContentRegionAvail().y * 0.45f, 320.0f));

  // Team score per dimension over the periods, and each trainee's overall.
  std::vector<std::string> periods;
  for (const AggregateRow& r : view.rows)
    if (std::find(periods.begin(), periods.end(), r.period) == periods.end())
      periods.push_back(r.period);
  std::sort(periods.begin(), periods.end());
  auto at = [&](const std::string& trainee, const std::string& period) -> const AggregateRow* {
    for (const AggregateRow& r : view.rows)
      if (r.trainee == trainee && r.period == period) return &r;
    return nullptr;
  };
  plot::Chart dims;
  dims.id = "roleplay_team_dimensions";
  dims.title = "Team score by dimension over time";
  dims.categories = periods;
  dims.y_min = 0.0;
  dims.y_max = 100.0;
  for (int d = 0; d < kDimensions; ++d) {
    plot::Series s{label(kAllDimensions[d]), plot::Kind::Line, {}, {}, {}, 0, {}};
    for (const std::string& p : periods) {
      const AggregateRow* r = at("(all)", p);
      s.y.push_back(r && r->mean[d] ? *r->mean[d] : std::nan(""));
    }
    dims.series.push_back(std::move(s));
  }
  plot::Chart people;
  people.id = "roleplay_trainee_overall";
  people.title = "Overall score by trainee over time";
  people.categories = periods;
  people.y_min = 0.0;
  people.y_max = 100.0;
  std::vector<std::string> trainees;
  for (const AggregateRow& r : view.rows)
    if (r.trainee != "(all)" &&
        std::find(trainees.begin(), trainees.end(), r.trainee) == trainees.end())
      trainees.push_back(r.trainee);
  for (const std::string& t : trainees) {
    plot::Series s{t, plot::Kind::Line, {}, {}, {}, 0, {}};
    for (const std::string& p : periods) {
      const AggregateRow* r = at(t, p);
      s.y.push_back(r && r->overall ? *r->overall : std::nan(""));
    }
    people.series.push_back(std::move(s));
  }
  const float w = ImGui::GetContentRegionAvail().x * 0.5f - ImGui::GetStyle().ItemSpacing.x;
  const float h = std::max(ImGui::GetContentRegionAvail().y, 160.0f);
  plot::drawChart(dims, ImVec2(w, h));
  ImGui::SameLine();
  plot::drawChart(people, ImVec2(0, h));
}

}  // namespace

// -------------------------------------------------------------------------------------------
// [SECTION] The panel

void drawRoleplayPanel(AppState& state) {
  if (!state.roleplay) state.roleplay = std::make_shared<RoleplayView>();
  RoleplayView& view = *state.roleplay;
  if (view.shipped.empty())
    view.shipped = listScripts(std::filesystem::path(CX_SOURCE_DIR) / "scenarios" / "roleplay");
  if (beginPanel("Role-play", &state.open.roleplay, state, {0.15f, 0.05f, 0.85f, 0.95f})) {
    drawScriptPicker(view);
    drawSwitchGuard(view);
    if (ImGui::BeginTabBar("##roleplay_tabs")) {
      const char* tabs[] = {"Play", "Debrief", "Trainer"};
      for (const char* tab : tabs) {
        const ImGuiTabItemFlags flags =
            view.select_tab == tab ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
        if (!ImGui::BeginTabItem(tab, nullptr, flags)) continue;
        if (tab == tabs[0]) drawPlay(view);
        if (tab == tabs[1]) drawDebrief(view);
        if (tab == tabs[2]) drawTrainer(view);
        ImGui::EndTabItem();
      }
      view.select_tab.clear();
      ImGui::EndTabBar();
    }
  }
  ImGui::End();
}

}  // namespace cx::studio
