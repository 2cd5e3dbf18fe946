// The role-play panel (docs/ROLEPLAY.md, "In the studio"): pick a script, play it as a chat
// with a countdown and a mood meter, read the debrief, save it, and the trainer's view of the
// records folder. The engine and the records are the library's (sim/roleplay*.hpp), the
// actions gui/roleplay_view.hpp's; the panel only reads the clock (ImGui's) and draws.
//
// [SECTION] Pieces: chat bubbles, answer buttons, mood meter, countdown, mood chart
// [SECTION] Script picker and the question before a session is thrown away
// [SECTION] Play
// [SECTION] Debrief
// [SECTION] Trainer
// [SECTION] Customers from the simulation
// [SECTION] The panel

#include <GLFW/glfw3.h>  // key codes: ImGui 1.86 indexes keys by the backend's codes
#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "gui/panels.hpp"
#include "gui/plot.hpp"
#include "gui/roleplay_view.hpp"
#include "gui/widgets.hpp"

#ifndef CX_SOURCE_DIR
#define CX_SOURCE_DIR "."
#endif

namespace cx::studio {

namespace {

const ImVec4 kCustomerBubble(0.22f, 0.26f, 0.33f, 1.0f);
const ImVec4 kTraineeBubble(0.16f, 0.36f, 0.55f, 1.0f);
const ImVec4 kFailColour(0.95f, 0.30f, 0.25f, 1.0f);
const ImVec4 kPassColour(0.35f, 0.80f, 0.40f, 1.0f);
const ImVec4 kYouColour(0.55f, 0.75f, 1.0f, 1.0f);

ImVec4 toImVec4(Rgba c) {
  return ImVec4(c.r, c.g, c.b, c.a);
}

std::string scoreText(const std::optional<double>& s) {
  return s ? fmt::format("{:.0f}", *s) : "—";
}

double finalMood(const SessionSummary& s) {
  return s.mood.empty() ? 0.0 : s.mood.back();
}

// -------------------------------------------------------------------------------------------
// [SECTION] Pieces: chat bubbles, answer buttons, mood meter, countdown, mood chart

// A wrapped line in a rounded box, left (customer) or right (trainee), with a small caption.
void bubble(const std::string& who, const std::string& text, bool right, ImVec4 fill,
            const std::optional<ImVec4>& caption_colour = std::nullopt) {
  const float avail = ImGui::GetContentRegionAvail().x;
  const float wrap = std::max(avail * 0.68f, 120.0f);
  const ImVec2 pad(10.0f, 6.0f);
  const ImVec2 text_size = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap);
  const ImVec2 box(text_size.x + pad.x * 2, text_size.y + pad.y * 2);
  const float x0 = right ? ImGui::GetCursorPosX() + avail - box.x : ImGui::GetCursorPosX();
  ImGui::SetCursorPosX(right ? x0 + box.x - ImGui::CalcTextSize(who.c_str()).x : x0);
  if (caption_colour)
    ImGui::TextColored(*caption_colour, "%s", who.c_str());
  else
    ImGui::TextDisabled("%s", who.c_str());
  ImGui::SetCursorPosX(x0);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(p, ImVec2(p.x + box.x, p.y + box.y), ImGui::GetColorU32(fill), 8.0f);
  draw->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(p.x + pad.x, p.y + pad.y),
                ImGui::GetColorU32(ImGuiCol_Text), text.c_str(), nullptr, wrap);
  ImGui::Dummy(box);
}

// How the conversation ended, centred across the chat like a messaging app's notice.
void chatNotice(const std::string& text, ImVec4 colour) {
  const float avail = ImGui::GetContentRegionAvail().x;
  const float wrap = avail * 0.8f;
  const ImVec2 size = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap);
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (avail - size.x) * 0.5f));
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
  ImGui::TextColored(colour, "%s", text.c_str());
  ImGui::PopTextWrapPos();
}

// Dear ImGui's buttons do not wrap their text, and an answer is often two lines long: the
// answer buttons are drawn here, full width, with the number of the key that picks them.
float answerNumberWidth() {
  return ImGui::CalcTextSize("9. ").x;
}

ImVec2 answerSize(const std::string& text, float width) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float wrap = width - answerNumberWidth() - style.FramePadding.x * 2;
  const ImVec2 text_size = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap);
  return ImVec2(width, text_size.y + style.FramePadding.y * 2);
}

bool answerButton(int index, const std::string& text) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const ImVec2 size = answerSize(text, ImGui::GetContentRegionAvail().x);
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::PushID(index);
  const bool clicked = ImGui::InvisibleButton("##answer", size);
  const ImGuiCol fill = ImGui::IsItemActive()    ? ImGuiCol_ButtonActive
                        : ImGui::IsItemHovered() ? ImGuiCol_ButtonHovered
                                                 : ImGuiCol_Button;
  ImGui::PopID();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), ImGui::GetColorU32(fill),
                      style.FrameRounding);
  const ImVec2 at(p.x + style.FramePadding.x, p.y + style.FramePadding.y);
  const std::string number = fmt::format("{}.", index + 1);
  draw->AddText(at, ImGui::GetColorU32(ImGuiCol_Text), number.c_str());
  draw->AddText(ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(at.x + answerNumberWidth(), at.y),
                ImGui::GetColorU32(ImGuiCol_Text), text.c_str(), nullptr,
                size.x - answerNumberWidth() - style.FramePadding.x * 2);
  return clicked;
}

void moodMeter(double mood, float width) {
  ImGui::PushStyleColor(ImGuiCol_PlotHistogram, toImVec4(moodColour(mood)));
  const std::string overlay = fmt::format("mood {:.2f} · {}", mood, moodLabel(mood));
  ImGui::ProgressBar(static_cast<float>(mood), ImVec2(width, 0), overlay.c_str());
  ImGui::PopStyleColor();
}

// Full while there is time; empty (and red) once the answer is late, which costs promptness
// (and, past the customer's patience, mood).
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

// The customer's mood after each answer; in the debrief, the best path's beside it.
plot::Chart moodChart(const SessionSummary& s, const std::optional<BestPath>& best) {
  plot::Chart chart;
  chart.id = "roleplay_mood";
  chart.title = "Customer's mood over the conversation";
  chart.x_unit = "answer";
  chart.y_min = 0.0;
  chart.y_max = 1.0;
  chart.reference = kCalmMood;
  chart.reference_label = "calm";
  std::size_t n = s.mood.size();
  if (best) n = std::max(n, best->summary.mood.size());
  for (std::size_t i = 0; i < n; ++i)
    chart.categories.push_back(i == 0 ? "start" : fmt::format("{}", i));
  plot::Series yours{"this session", plot::Kind::Line, s.mood, {}, {}, 0, {}};
  yours.y.resize(n, std::nan(""));
  chart.series.push_back(std::move(yours));
  if (best) {
    plot::Series path{"best path", plot::Kind::Line, best->summary.mood, {}, {}, 0, {}};
    path.y.resize(n, std::nan(""));
    chart.series.push_back(std::move(path));
  }
  return chart;
}

// -------------------------------------------------------------------------------------------
// [SECTION] Script picker and the question before a session is thrown away

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
  const bool entered =
      ImGui::InputTextWithHint("##rpfile", "or a script file (TOML)", &view.path_input,
                               ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if ((ImGui::Button("Open") || entered) && !view.path_input.empty())
    openRoleplayScript(view, view.path_input, now);
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
    if (view.script) ImGui::TextDisabled("Still open: %s.", view.script->title.c_str());
  }
}

// Asks before a session with answers is thrown away for another script or a new start.
void drawSwitchGuard(RoleplayView& view) {
  if (!view.pending_switch) return;
  if (!ImGui::IsPopupOpen("Session in progress")) ImGui::OpenPopup("Session in progress");
  ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing,
                          ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal("Session in progress", nullptr, ImGuiWindowFlags_AlwaysAutoResize))
    return;
  const bool restart = view.pending_switch->empty();
  const bool finished = view.session && view.session->finished();
  ImGui::Text("The session on \"%s\" has %s that %s not saved.",
              view.script ? view.script->title.c_str() : "", finished ? "a debrief" : "answers",
              finished ? "is" : "are");
  if (restart && view.pending_journey == kAsWritten)
    ImGui::TextUnformatted("Start again with the script's own customer and discard it?");
  else if (restart && view.pending_journey && view.journeys &&
           *view.pending_journey < view.journeys->journeys.size())
    ImGui::Text(
        "Start again with the customer of case %llu and discard it?",
        static_cast<unsigned long long>(view.journeys->journeys[*view.pending_journey].case_id));
  else if (restart)
    ImGui::TextUnformatted("Start the script again and discard it?");
  else
    ImGui::Text("Open %s and discard it?", view.pending_switch->filename().string().c_str());
  if (!finished)
    ImGui::TextDisabled("(Only a finished conversation can be saved.)");
  else if (view.trainee.empty())
    ImGui::TextDisabled("(Enter the trainee's name above to save it.)");
  ImGui::BeginDisabled(!finished || view.trainee.empty());
  if (ImGui::Button(restart ? "Save, then start again" : "Save, then open")) {
    if (saveSession(view)) {
      confirmSwitch(view, ImGui::GetTime());
      ImGui::CloseCurrentPopup();
    }
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(restart ? "Discard and start again" : "Discard and open")) {
    confirmSwitch(view, ImGui::GetTime());
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Keep this session") ||
      ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
    view.pending_switch.reset();
    view.pending_journey.reset();
    ImGui::CloseCurrentPopup();
  }
  if (!view.save_message.empty() && !view.saved)
    ImGui::TextColored(kErrorColour, "%s", view.save_message.c_str());
  ImGui::EndPopup();
}

// -------------------------------------------------------------------------------------------
// [SECTION] Play

// Who the customer is when they came from a simulated journey, and what happened to them,
// above the chat (which scrolls): the trainee reads it before the first line, as an agent
// reads the case history.
void drawJourneyHeader(const RoleplayScript& script, const PlayedJourney& j) {
  ImGui::TextColored(kWarnColour,
                     "%s is the customer of case %llu of %s: mood %.2f → %.2f, patience %.0f s → "
                     "%.0f s after these contacts:",
                     script.persona.name.c_str(), static_cast<unsigned long long>(j.case_id),
                     j.source.c_str(), j.before.mood, script.persona.mood, j.before.patience_s,
                     script.persona.patience_s);
  ImGui::Indent(16.0f);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", j.story.c_str());
  ImGui::PopStyleColor();
  ImGui::Unindent(16.0f);
}

void drawTranscript(const RoleplayView& view) {
  const RoleplayScript& script = *view.script;
  const SessionSummary s = view.session->summary();
  const std::string you = view.trainee.empty() ? "trainee" : view.trainee;
  for (const Turn& t : s.transcript) {
    const ScriptNode& node = script.nodes[static_cast<std::size_t>(t.node)];
    bubble(script.persona.name, node.customer, false, kCustomerBubble);
    // A late answer says so where it was given: that is where promptness and mood were lost.
    const bool late = t.seconds > t.limit_s;
    const std::string caption =
        late ? fmt::format("{} · {:.0f} s, {:.0f} s late", you, t.seconds, t.seconds - t.limit_s)
             : fmt::format("{} · {:.0f} s", you, t.seconds);
    bubble(caption, node.choices[static_cast<std::size_t>(t.choice)].text, true, kTraineeBubble,
           late ? std::optional<ImVec4>(kWarnColour) : std::nullopt);
  }
  if (!view.session->finished()) {
    bubble(script.persona.name, view.session->current().customer, false, kCustomerBubble);
    return;
  }
  if (s.ending == Ending::Reached) {
    const ScriptNode& end = script.nodes[static_cast<std::size_t>(s.ending_node)];
    if (!end.customer.empty()) bubble(script.persona.name, end.customer, false, kCustomerBubble);
  }
  ImGui::Spacing();
  chatNotice(endingText(script, s),
             s.ending == Ending::Reached && s.resolved ? kPassColour : kWarnColour);
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
  // A journey's customer has their contacts in the history too; the chat's header lists them.
  const std::string& history =
      view.journey ? view.written->persona.history : script.persona.history;
  if (!history.empty()) ImGui::TextWrapped("Already happened: %s", history.c_str());
  if (view.journey) drawJourneyHeader(script, *view.journey);
  moodMeter(view.session->state().mood, std::min(ImGui::GetContentRegionAvail().x * 0.4f, 360.0f));
  if (!view.session->finished()) {
    ImGui::SameLine();
    ImGui::TextDisabled("answer %d", view.session->state().turn + 1);
    ImGui::SameLine();
    if (ImGui::Button("Start over")) requestRestart(view, now);
  }
  if (view.journey) {
    ImGui::SameLine();
    if (ImGui::Button("Play the script's own customer")) playAsWritten(view, now);
  }
  ImGui::Separator();

  // The answers' height first, so the chat above takes exactly what is left.
  const ImGuiStyle& style = ImGui::GetStyle();
  float answers_h = ImGui::GetFrameHeightWithSpacing() + style.ItemSpacing.y;
  if (!view.session->finished())
    for (const Choice& c : view.session->current().choices)
      answers_h += answerSize(c.text, ImGui::GetContentRegionAvail().x).y + style.ItemSpacing.y;
  const float chart_w = std::min(ImGui::GetContentRegionAvail().x * 0.3f, 380.0f);
  const float h = std::max(ImGui::GetContentRegionAvail().y - answers_h, 120.0f);
  ImGui::BeginChild("##chat", ImVec2(ImGui::GetContentRegionAvail().x - chart_w, h), true);
  drawTranscript(view);
  ImGui::SetScrollHereY(1.0f);  // the newest line in view, as in a chat
  ImGui::EndChild();
  ImGui::SameLine();
  plot::drawChart(moodChart(view.session->summary(), std::nullopt), ImVec2(chart_w, h));

  if (view.session->finished()) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("The conversation has ended.");
    ImGui::SameLine();
    if (ImGui::Button("See the debrief")) view.select_tab = "Debrief";
    ImGui::SameLine();
    if (ImGui::Button("Play again")) requestRestart(view, now);
    return;
  }
  countdown(secondsLeft(view, now), view.session->limitNow());
  const auto& choices = view.session->current().choices;
  int picked = -1;
  for (std::size_t i = 0; i < choices.size(); ++i)
    if (answerButton(static_cast<int>(i), choices[i].text)) picked = static_cast<int>(i);
  // Keys 1-9 (row or keypad) answer too, unless the trainee is typing in a field.
  if (!ImGui::GetIO().WantTextInput &&
      ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows))
    for (int i = 0; i < static_cast<int>(choices.size()) && i < 9; ++i)
      if (ImGui::IsKeyPressed(GLFW_KEY_1 + i, false) ||
          ImGui::IsKeyPressed(GLFW_KEY_KP_1 + i, false))
        picked = i;
  if (picked >= 0) answerChoice(view, picked, now);
}

// -------------------------------------------------------------------------------------------
// [SECTION] Debrief

// Why a session did not pass, first reason first (as the CLI's debrief says it).
std::string whyNotPassed(const RoleplayScript& script, const SessionSummary& s) {
  if (!s.breaches.empty()) return "a compliance rule was breached";
  if (s.ending == Ending::CustomerLeft) return "the customer left before the conversation ended";
  if (s.ending != Ending::Reached) return "the conversation did not reach an ending";
  return fmt::format("overall below the pass mark of {:.0f}", script.pass_mark);
}

void drawResultAndSave(RoleplayView& view) {
  const RoleplayScript& script = *view.script;
  const SessionSummary& s = view.debrief->session;
  if (s.passed)
    ImGui::TextColored(kPassColour, "PASSED · overall %.0f (pass mark %.0f)", s.overall,
                       script.pass_mark);
  else
    ImGui::TextColored(kFailColour, "NOT PASSED · overall %.0f: %s", s.overall,
                       whyNotPassed(script, s).c_str());
  ImGui::SameLine();
  ImGui::Text("· %s · customer %s at the end", endingText(script, s).c_str(),
              moodLabel(finalMood(s)));
  if (view.journey)
    ImGui::TextDisabled("The customer of case %llu of %s (mood %.2f at the start, not %.2f)",
                        static_cast<unsigned long long>(view.journey->case_id),
                        view.journey->source.c_str(), script.persona.mood,
                        view.journey->before.mood);
  for (const std::string& id : s.breaches) {
    const ComplianceRule* rule = script.rule(id);
    ImGui::TextColored(kFailColour, "COMPLIANCE FAILURE [%s]: %s", id.c_str(),
                       rule ? rule->rule.c_str() : "");
  }

  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Trainee");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(160.0f);
  ImGui::InputTextWithHint("##trainee2", "name", &view.trainee);
  ImGui::SameLine();
  ImGui::TextUnformatted("records");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x * 0.35f, 200.0f));
  ImGui::InputTextWithHint("##data", defaultRoleplayDataDir().string().c_str(), &view.data_dir);
  ImGui::SameLine();
  ImGui::BeginDisabled(view.saved);
  if (ImGui::Button(view.saved ? "Saved" : "Save session")) saveSession(view);
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Play again")) requestRestart(view, ImGui::GetTime());
  if (!view.save_message.empty())
    ImGui::TextColored(view.saved ? kPassColour : kErrorColour, "%s", view.save_message.c_str());
}

void drawYourConversation(const RoleplayScript& script, const SessionSummary& s) {
  ImGui::TextUnformatted("Your conversation, with feedback");
  ImGui::Separator();
  for (std::size_t i = 0; i < s.transcript.size(); ++i) {
    const Turn& t = s.transcript[i];
    const ScriptNode& node = script.nodes[static_cast<std::size_t>(t.node)];
    const Choice& c = node.choices[static_cast<std::size_t>(t.choice)];
    ImGui::TextWrapped("%zu. %s: %s", i + 1, script.persona.name.c_str(), node.customer.c_str());
    ImGui::Indent(20.0f);
    ImGui::TextColored(
        t.seconds > t.limit_s ? kWarnColour : kYouColour,
        "You (answer %d, %.0f s of %.0f s, promptness %.0f, mood %.2f → %.2f):", t.choice + 1,
        t.seconds, t.limit_s, t.promptness, t.mood_before, t.mood_after);
    ImGui::TextWrapped("%s", c.text.c_str());
    for (const std::string& b : t.breaches) {
      const ComplianceRule* rule = script.rule(b);
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextColored(kFailColour, "COMPLIANCE FAILURE [%s]: %s", b.c_str(),
                         rule ? rule->rule.c_str() : "");
      ImGui::PopTextWrapPos();
    }
    if (!c.feedback.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
      ImGui::TextWrapped("Feedback: %s", c.feedback.c_str());
      ImGui::PopStyleColor();
    }
    ImGui::Unindent(20.0f);
  }
  if (s.ending == Ending::Reached) {
    const ScriptNode& end = script.nodes[static_cast<std::size_t>(s.ending_node)];
    ImGui::TextWrapped("%zu. %s: %s", s.transcript.size() + 1, script.persona.name.c_str(),
                       end.customer.c_str());
  }
  ImGui::TextColored(s.resolved ? kPassColour : kWarnColour, "Ending: %s",
                     endingText(script, s).c_str());
}

void drawBestPath(const RoleplayScript& script, const SessionSummary& s,
                  const std::optional<BestPath>& best) {
  ImGui::TextUnformatted("The best path, for comparison");
  ImGui::Separator();
  if (!best) {
    ImGui::TextDisabled("No path completes this script without a breach.");
    return;
  }
  ImGui::TextDisabled("overall %.0f · customer %s at the end · %ld paths searched%s",
                      best->summary.overall, moodLabel(finalMood(best->summary)),
                      best->paths_searched, best->exhaustive ? "" : " (budget reached)");
  const std::size_t differ = firstDifference(s, *best);
  for (std::size_t i = 0; i < best->summary.transcript.size(); ++i) {
    const Turn& t = best->summary.transcript[i];
    const ScriptNode& node = script.nodes[static_cast<std::size_t>(t.node)];
    ImGui::TextWrapped("%zu. %s: %s", i + 1, script.persona.name.c_str(), node.customer.c_str());
    ImGui::Indent(20.0f);
    if (i == differ && differ < s.transcript.size())
      ImGui::TextColored(kWarnColour, "Best (answer %d) · you answered %d here:", t.choice + 1,
                         s.transcript[i].choice + 1);
    else
      ImGui::TextColored(kPassColour, "Best (answer %d):", t.choice + 1);
    ImGui::TextWrapped("%s", node.choices[static_cast<std::size_t>(t.choice)].text.c_str());
    ImGui::Unindent(20.0f);
  }
  ImGui::TextColored(kPassColour, "Ending: %s", endingText(script, best->summary).c_str());
}

void drawDebrief(RoleplayView& view) {
  if (!view.debrief || !view.script) {
    ImGui::TextDisabled("The debrief appears here when a conversation ends.");
    return;
  }
  const RoleplayScript& script = *view.script;
  const SessionSummary& s = view.debrief->session;
  const std::optional<BestPath>& best = view.debrief->best;
  drawResultAndSave(view);
  ImGui::Separator();

  // Scores beside the mood chart.
  plot::Table table;
  table.id = "roleplay_scores";
  table.headers = {"dimension", "this session", "best path"};
  for (int d = 0; d < kDimensions; ++d)
    table.rows.push_back(
        {label(kAllDimensions[static_cast<std::size_t>(d)]),
         scoreText(s.scores[static_cast<std::size_t>(d)]),
         best ? scoreText(best->summary.scores[static_cast<std::size_t>(d)]) : "—"});
  table.rows.push_back({"overall", fmt::format("{:.0f}", s.overall),
                        best ? fmt::format("{:.0f}", best->summary.overall) : "—"});
  const float top_h = 220.0f;
  ImGui::BeginChild("##scores",
                    ImVec2(std::min(ImGui::GetContentRegionAvail().x * 0.35f, 380.0f), top_h));
  plot::drawTable(table);
  ImGui::EndChild();
  ImGui::SameLine();
  plot::drawChart(moodChart(s, best), ImVec2(0, top_h));

  // The trainee's conversation beside the best path.
  const float half = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  ImGui::BeginChild("##debrief_yours", ImVec2(half, 0), true);
  drawYourConversation(script, s);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("##debrief_best", ImVec2(0, 0), true);
  drawBestPath(script, s, best);
  ImGui::EndChild();
}

// -------------------------------------------------------------------------------------------
// [SECTION] Trainer

// The periods in the rows, in order (ISO dates and weeks sort as text).
std::vector<std::string> periodsOf(const std::vector<AggregateRow>& rows) {
  std::vector<std::string> periods;
  for (const AggregateRow& r : rows)
    if (std::find(periods.begin(), periods.end(), r.period) == periods.end())
      periods.push_back(r.period);
  std::sort(periods.begin(), periods.end());
  return periods;
}

const AggregateRow* rowFor(const std::vector<AggregateRow>& rows, const std::string& trainee,
                           const std::string& period) {
  for (const AggregateRow& r : rows)
    if (r.trainee == trainee && r.period == period) return &r;
  return nullptr;
}

void drawTrainerCharts(RoleplayView& view) {
  const std::vector<std::string> periods = periodsOf(view.rows);
  std::vector<std::string> trainees;
  for (const AggregateRow& r : view.rows)
    if (r.trainee != "(all)" &&
        std::find(trainees.begin(), trainees.end(), r.trainee) == trainees.end())
      trainees.push_back(r.trainee);
  if (std::find(trainees.begin(), trainees.end(), view.chart_trainee) == trainees.end())
    view.chart_trainee.clear();  // a trainee no longer in the records

  const std::string whose = view.chart_trainee.empty() ? "(all)" : view.chart_trainee;
  plot::Chart dims;
  dims.id = "roleplay_dimensions";
  dims.title = view.chart_trainee.empty() ? "Team score by dimension"
                                          : view.chart_trainee + "'s score by dimension";
  dims.categories = periods;
  dims.y_min = 0.0;
  dims.y_max = 100.0;
  for (std::size_t d = 0; d < kAllDimensions.size(); ++d) {
    plot::Series s{label(kAllDimensions[d]), plot::Kind::Line, {}, {}, {}, 0, {}};
    for (const std::string& p : periods) {
      const AggregateRow* r = rowFor(view.rows, whose, p);
      s.y.push_back(r && r->mean[d] ? *r->mean[d] : std::nan(""));
    }
    dims.series.push_back(std::move(s));
  }
  plot::Chart people;
  people.id = "roleplay_trainees_overall";
  people.title = "Overall score by trainee";
  people.categories = periods;
  people.y_min = 0.0;
  people.y_max = 100.0;
  for (const std::string& t : trainees) {
    plot::Series s{t, plot::Kind::Line, {}, {}, {}, 0, {}};
    for (const std::string& p : periods) {
      const AggregateRow* r = rowFor(view.rows, t, p);
      s.y.push_back(r && r->overall ? *r->overall : std::nan(""));
    }
    people.series.push_back(std::move(s));
  }

  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Dimensions of");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(180.0f);
  if (ImGui::BeginCombo("##whose",
                        view.chart_trainee.empty() ? "the team" : view.chart_trainee.c_str())) {
    if (ImGui::Selectable("the team", view.chart_trainee.empty())) view.chart_trainee.clear();
    for (const std::string& t : trainees)
      if (ImGui::Selectable(t.c_str(), view.chart_trainee == t)) view.chart_trainee = t;
    ImGui::EndCombo();
  }
  const float w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
  const float h = std::max(ImGui::GetContentRegionAvail().y, 160.0f);
  plot::drawChart(dims, ImVec2(w, h));
  ImGui::SameLine();
  plot::drawChart(people, ImVec2(0, h));
}

// The training link: the team's scores applied to an agent group of the studio's scenario.
void drawTrainingLink(RoleplayView& view, AppState& state) {
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::TextUnformatted("What the team's scores mean in the studio's scenario");
  if (!state.doc.scenario) return;
  Scenario& s = *state.doc.scenario;
  if (s.agent_groups.empty()) {
    ImGui::TextDisabled(
        "%s has no [[agent_groups]]: the team's empathy, professionalism and ownership set a "
        "group's (docs/ROLEPLAY.md, What training is worth).",
        state.doc.path.filename().string().c_str());
    return;
  }
  view.link_group = std::clamp(view.link_group, 0, static_cast<int>(s.agent_groups.size()) - 1);
  const auto g = static_cast<std::size_t>(view.link_group);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Agent group");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12.0f);
  if (ImGui::BeginCombo("##link_group", s.agent_groups[g].id.c_str())) {
    for (std::size_t i = 0; i < s.agent_groups.size(); ++i)
      if (ImGui::Selectable(s.agent_groups[i].id.c_str(), i == g))
        view.link_group = static_cast<int>(i);
    ImGui::EndCombo();
  }
  const GroupSkills now = skillsOf(s.agent_groups[g]);
  const GroupSkills team = teamSkillsFor(view, s, g);
  ImGui::SameLine();
  ImGui::Text("empathy %.3f -> %.3f · professionalism %.3f -> %.3f · FCR uplift %+.4f -> %+.4f",
              now.empathy, team.empathy, now.professionalism, team.professionalism, now.fcr_uplift,
              team.fcr_uplift);
  if (ImGui::Button(
          fmt::format("Set group {} from the team's scores", s.agent_groups[g].id).c_str()))
    applyTeamToGroup(view, s, g);
  ImGui::SameLine();
  ImGui::TextDisabled(
      "every session in the records: each trainee's mean, then the team's;%s",
      s.outcomes ? "" : " the scenario has no [outcomes], so only FCR will show it");
  if (!view.link_message.empty()) ImGui::TextWrapped("%s", view.link_message.c_str());
}

void drawTrainer(RoleplayView& view, AppState& state) {
  if (view.trainer_message.empty()) refreshTrainer(view);  // first look: what is there already
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Records folder");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x * 0.35f, 200.0f));
  if (ImGui::InputTextWithHint("##data_t", defaultRoleplayDataDir().string().c_str(),
                               &view.data_dir, ImGuiInputTextFlags_EnterReturnsTrue))
    refreshTrainer(view);
  ImGui::SameLine();
  int period = static_cast<int>(view.period);
  ImGui::SetNextItemWidth(110.0f);
  if (ImGui::Combo("##period", &period, "by day\0by week\0by month\0")) {
    view.period = static_cast<Period>(period);
    refreshTrainer(view);
  }
  ImGui::SameLine();
  if (ImGui::Button("Refresh")) refreshTrainer(view);
  ImGui::SameLine();
  const std::string default_csv = (recordsDir(view) / "trainees.csv").string();
  ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x - 110.0f, 120.0f));
  ImGui::InputTextWithHint("##csv", default_csv.c_str(), &view.csv_path);
  ImGui::SameLine();
  ImGui::BeginDisabled(view.rows.empty());
  if (ImGui::Button("Export CSV"))
    exportTrainerCsv(view, view.csv_path.empty() ? default_csv : view.csv_path);
  ImGui::EndDisabled();
  if (!view.trainer_message.empty()) ImGui::TextDisabled("%s", view.trainer_message.c_str());
  for (const std::string& p : view.record_problems)
    ImGui::TextColored(kWarnColour, "skipped %s", p.c_str());
  if (view.rows.empty()) {
    ImGui::TextDisabled(
        "No sessions yet: sessions saved here or by `cxsim roleplay play` show up after "
        "Refresh.");
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
  // Every row when they fit in 40% of the height, else that much with a scrollbar.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float row_h = ImGui::GetTextLineHeight() + 2.0f * style.CellPadding.y;
  const float all_rows =
      row_h * static_cast<float>(table.rows.size() + 1) + style.ScrollbarSize + 4.0f;
  plot::drawTable(table, std::min(all_rows, ImGui::GetContentRegionAvail().y * 0.4f));
  drawTrainingLink(view, state);
  drawTrainerCharts(view);
}

// -------------------------------------------------------------------------------------------
// [SECTION] Customers from the simulation

// Which scenario to run: the studio's own (as edited, saved or not; it is copied, never
// changed) or another file, loaded for this list only.
void drawJourneySource(RoleplayView& view, const AppState& state) {
  ImGui::TextWrapped(
      "Play the script's customer as one from a simulated run: the cases that ended unresolved "
      "(gave up, not solved, still open), hardest first. Their mood and patience are lowered "
      "by what happened to them, and their contacts become the customer's history.");
  int source = view.journeys_from_file ? 1 : 0;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Run");
  ImGui::SameLine();
  const std::string current =
      "the current scenario (" +
      (state.doc.scenario ? state.doc.path.filename().string() : std::string("none")) + ")";
  ImGui::RadioButton(current.c_str(), &source, 0);
  ImGui::SameLine();
  ImGui::RadioButton("another scenario file", &source, 1);
  view.journeys_from_file = source == 1;
  if (view.journeys_from_file) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(std::max(ImGui::GetContentRegionAvail().x * 0.4f, 200.0f));
    if (ImGui::InputTextWithHint("##journeys_file", "scenario (TOML) with [journeys]",
                                 &view.journeys_file, ImGuiInputTextFlags_EnterReturnsTrue))
      view.journeys_pending = true;
  }
  ImGui::SameLine();
  const bool running = view.journeys_job.running();
  ImGui::BeginDisabled(running);
  if (ImGui::Button(running ? "Simulating…" : "Find customers")) view.journeys_pending = true;
  ImGui::EndDisabled();
  if (!view.journeys_error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
    ImGui::TextWrapped("%s", view.journeys_error.c_str());
    ImGui::PopStyleColor();
  }
}

// One row per case: its number and toll, then the library's account of each contact.
void drawJourneyList(RoleplayView& view, const JourneyList& list, float height) {
  constexpr std::size_t kShown = 100;  // the hardest; the rest are easier versions of them
  ImGui::BeginChild("##journeys", ImVec2(ImGui::GetContentRegionAvail().x * 0.55f, height), true);
  for (std::size_t i = 0; i < list.journeys.size() && i < kShown; ++i) {
    const JourneyToll& t = list.tolls[i];
    const std::string head =
        fmt::format("case {} · {} contact{} · mood -{:.2f}##case{}", list.journeys[i].case_id,
                    list.journeys[i].contacts.size(),
                    list.journeys[i].contacts.size() == 1 ? "" : "s", t.total, i);
    if (ImGui::Selectable(head.c_str(), view.picked_journey == static_cast<int>(i)))
      view.picked_journey = static_cast<int>(i);
    ImGui::Indent(16.0f);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", list.lines[i].c_str());
    ImGui::PopStyleColor();
    ImGui::Unindent(16.0f);
  }
  if (list.journeys.size() > kShown)
    ImGui::TextDisabled("… and %zu easier cases", list.journeys.size() - kShown);
  ImGui::EndChild();
}

// The chosen case as the script's customer would be, and the button that starts the session.
void drawJourneyPick(RoleplayView& view, const JourneyList& list, float height) {
  ImGui::BeginChild("##journey_pick", ImVec2(0, height), true);
  if (view.picked_journey < 0 ||
      static_cast<std::size_t>(view.picked_journey) >= list.journeys.size()) {
    ImGui::TextDisabled("Choose a case on the left.");
    ImGui::EndChild();
    return;
  }
  const std::size_t i = static_cast<std::size_t>(view.picked_journey);
  const JourneyToll& t = list.tolls[i];
  ImGui::Text("Case %llu", static_cast<unsigned long long>(list.journeys[i].case_id));
  ImGui::TextWrapped(
      "Mood lost: %.2f (contacts %.2f, waiting %.2f, unresolved %.2f, bot %.2f, story again "
      "%.2f, switches %.2f)",
      t.total, t.contacts, t.waiting, t.unresolved, t.bot, t.repeated, t.switched);
  ImGui::Separator();
  if (!view.written) {
    ImGui::TextDisabled("Choose a script above: its customer becomes this case's.");
    ImGui::EndChild();
    return;
  }
  const Persona& base = view.written->persona;
  const Persona p = personaFromJourney(base, list.journeys[i], list.scenario);
  ImGui::TextWrapped("%s in \"%s\": mood %.2f → %.2f (%s), patience %.0f s → %.0f s",
                     base.name.c_str(), view.written->title.c_str(), base.mood, p.mood,
                     moodLabel(p.mood), base.patience_s, p.patience_s);
  const std::string label = "Play \"" + view.written->title + "\" with this customer";
  if (ImGui::Button(label.c_str())) playJourney(view, i, ImGui::GetTime());
  if (view.journey && view.session) {
    const std::string where = view.session->finished()
                                  ? std::string("finished")
                                  : fmt::format("answer {}", view.session->state().turn + 1);
    ImGui::TextDisabled("Playing now: the customer of case %llu (%s)",
                        static_cast<unsigned long long>(view.journey->case_id), where.c_str());
  }
  ImGui::EndChild();
}

void drawCustomers(RoleplayView& view, const AppState& state) {
  drawJourneySource(view, state);
  ImGui::Separator();
  if (view.journeys_job.running()) {
    ImGui::TextDisabled("Simulating one run to find its unresolved cases…");
    return;
  }
  if (!view.journeys) {
    ImGui::TextDisabled("Find customers to list the hardest cases of a run.");
    return;
  }
  const JourneyList& list = *view.journeys;
  ImGui::Text("%zu unresolved cases in replication 0 of %s (seed %llu)", list.journeys.size(),
              list.source.c_str(), static_cast<unsigned long long>(list.seed));
  if (!list.multi_contact()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kWarnColour);
    ImGui::TextWrapped(
        "This scenario has no [journeys]: every contact is its own case, so these are single "
        "contacts (mostly customers who gave up waiting). A scenario with [journeys] gives "
        "multi-contact cases: customers who came back, switched channel, told the story again "
        "(e.g. scenarios/examples/shared_context.toml, as another scenario file).");
    ImGui::PopStyleColor();
  }
  if (list.journeys.empty()) {
    ImGui::TextDisabled("No case ended unresolved: a busier operation will have some.");
    return;
  }
  const float h = std::max(ImGui::GetContentRegionAvail().y, 160.0f);
  drawJourneyList(view, list, h);
  ImGui::SameLine();
  drawJourneyPick(view, list, h);
}

}  // namespace

// -------------------------------------------------------------------------------------------
// [SECTION] The panel

void drawRoleplayPanel(AppState& state) {
  if (!state.roleplay) state.roleplay = std::make_shared<RoleplayView>();
  RoleplayView& view = *state.roleplay;
  if (view.shipped.empty()) view.shipped = listScripts(shippedScriptsDir(CX_SOURCE_DIR));
  if (beginPanel("Role-play", &state.open.roleplay, state, {0.15f, 0.05f, 0.85f, 0.95f})) {
    drawScriptPicker(view);
    drawSwitchGuard(view);
    if (ImGui::BeginTabBar("##roleplay_tabs")) {
      const char* tabs[] = {"Play", "Debrief", "Trainer", "Customers from the simulation"};
      for (const char* tab : tabs) {
        const ImGuiTabItemFlags flags =
            view.select_tab == tab ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
        if (!ImGui::BeginTabItem(tab, nullptr, flags)) continue;
        if (tab == tabs[0]) drawPlay(view);
        if (tab == tabs[1]) drawDebrief(view);
        if (tab == tabs[2]) drawTrainer(view, state);
        if (tab == tabs[3]) drawCustomers(view, state);
        ImGui::EndTabItem();
      }
      view.select_tab.clear();
      ImGui::EndTabBar();
    }
  }
  ImGui::End();
}

}  // namespace cx::studio
