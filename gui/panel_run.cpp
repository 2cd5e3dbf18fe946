// The run panel: replications, seed and threads; a run on worker threads with a progress bar
// and cancel; the live view of one replication as the engine reports it.
//
// [SECTION] Settings and controls
// [SECTION] Live view
// [SECTION] The panel

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "gui/panels.hpp"
#include "gui/plot.hpp"
#include "gui/widgets.hpp"

namespace cx::studio {

namespace {

// -------------------------------------------------------------------------------------------
// [SECTION] Settings and controls

void drawSettings(AppState& state) {
  RunSettings& s = state.run_settings;
  const bool running = state.run_job.running();
  ImGui::BeginDisabled(running);
  const float field = ImGui::GetFontSize() * 7.0f;
  ImGui::SetNextItemWidth(field);
  if (ImGui::InputInt("replications", &s.replications, 1, 10))
    s.replications = std::clamp(s.replications, 1, 100000);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(field);
  ImGui::InputScalar("seed", ImGuiDataType_U64, &s.seed);
  ImGui::SameLine();
  // A number field with steps, like the others: a slider over a range of one or two cores is
  // all handle, and the handle hides the value.
  const int hardware = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ImGui::SetNextItemWidth(field);
  ImGui::InputInt("threads", &s.threads, 1, 1);
  s.threads = std::clamp(s.threads, 1, hardware);
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(
        "Worker threads for replications, 1 to %d (the cores here). Leave one core "
        "for the window.",
        hardware);
}

void drawControls(AppState& state) {
  RunJob& job = state.run_job;
  const bool valid = state.doc.valid();
  if (!job.running()) {
    ImGui::BeginDisabled(!valid);
    if (ImGui::Button("Run  (F5)")) state.pending_run = true;
    ImGui::EndDisabled();
    if (!valid) {
      ImGui::SameLine();
      ImGui::TextColored(kWarnColour, "%s",
                         state.doc.scenario ? "Fix the scenario's problems to run it."
                                            : "Open a scenario to run it.");
    }
  } else {
    ImGui::BeginDisabled(job.cancelling());
    if (ImGui::Button(job.cancelling() ? "Cancelling…" : "Cancel  (Esc)")) job.cancel();
    ImGui::EndDisabled();
  }
  const int total = std::max(job.total(), 1);
  const int done = job.done();
  const float fraction = job.running() || done > 0 ? static_cast<float>(done) / total : 0.0f;
  std::string text =
      job.running() || done > 0
          ? fmt::format("{} / {} replications · {:.1f} s", done, job.total(), job.elapsedSeconds())
          : std::string("not run yet");
  ImGui::SameLine();
  ImGui::ProgressBar(fraction, ImVec2(-1.0f, 0.0f), text.c_str());
  // Wrapped: in the usual layout the panel is narrower than the line.
  std::string status = fmt::format("Frame {:.1f} ms", state.frame_ms);
  if (state.last_run) {
    const ExperimentResult& r = state.last_run->result;
    status += fmt::format(" · last run: {}, {:.2f} s on {} thread{}{}", state.last_run->label,
                          r.wall_s, r.threads, r.threads == 1 ? "" : "s",
                          r.cancelled ? " (cancelled: the completed replications only)" : "");
  }
  wrappedDisabled(status);
  if (!state.run_error.empty()) wrappedText(kErrorColour, state.run_error);
}

// -------------------------------------------------------------------------------------------
// [SECTION] Live view

void drawLive(const AppState& state, float height) {
  plot::Chart chart;
  chart.id = "live_replication";
  const bool finished = state.live && state.live->finished;
  chart.title = finished ? "Replication 1, as simulated" : "Replication 1, live";
  chart.x_unit = "simulated hours";
  chart.y_unit = "agents, contacts";
  plot::Series staffed{"agents present", plot::Kind::Step, {}, {}, {}, 0, {}};
  plot::Series busy{"agents busy", plot::Kind::Line, {}, {}, {}, 0, {}};
  plot::Series queue{"contacts waiting", plot::Kind::Area, {}, {}, {}, 0, {}};
  if (state.live) {
    chart.x = state.live->hours;
    staffed.y = state.live->staffed;
    busy.y = state.live->busy;
    queue.y = state.live->queue;
  }
  chart.series = {std::move(staffed), std::move(busy), std::move(queue)};
  chart.y_min = 0.0;
  plot::drawChart(chart, ImVec2(0.0f, height));
}

}  // namespace

// -------------------------------------------------------------------------------------------
// [SECTION] The panel

void drawRunPanel(AppState& state) {
  if (!beginPanel("Run", &state.open.run, state, {0.42f, 0.0f, 1.0f, 0.42f})) {
    ImGui::End();
    return;
  }
  drawSettings(state);
  drawControls(state);
  ImGui::Spacing();
  ImGui::TextWrapped(
      "Means per interval of one replication as the engine reports it, all channels together; "
      "the same random streams as the run's first replication. In the day form the hours are "
      "opening hours, one day after another.");
  drawLive(state, std::max(ImGui::GetContentRegionAvail().y, ImGui::GetTextLineHeight() * 10.0f));
  ImGui::End();
}

}  // namespace cx::studio
