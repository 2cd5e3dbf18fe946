// The compare panel: a baseline scenario against the current one, run on common random
// numbers (sim/compare.hpp): both means, the paired difference with its 95% CI, the CI
// independent runs would have had, and the verdict; service level per interval side by side.
//
// [SECTION] Baseline
// [SECTION] Results
// [SECTION] The panel

#include <fmt/format.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include <cmath>
#include <exception>

#include "gui/panels.hpp"
#include "gui/plot.hpp"
#include "gui/widgets.hpp"
#include "sim/report.hpp"

namespace cx::studio {

namespace {

// -------------------------------------------------------------------------------------------
// [SECTION] Baseline

void drawBaseline(AppState& state) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Baseline (A):");
  ImGui::SameLine();
  if (state.baseline)
    ImGui::TextUnformatted(state.baseline_label.c_str());
  else
    ImGui::TextDisabled("none yet");
  ImGui::BeginDisabled(!state.doc.valid());
  if (ImGui::Button("Use the current scenario as baseline")) {
    state.baseline = *state.doc.scenario;
    state.baseline_label = fmt::format("{} (snapshot of {})", state.doc.scenario->name,
                                       state.doc.path.filename().string());
  }
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16.0f);
  ImGui::InputTextWithHint("##baseline_file", "or a saved scenario file",
                           &state.baseline_path_input);
  ImGui::SameLine();
  ImGui::BeginDisabled(state.baseline_path_input.empty());
  if (ImGui::Button("Load baseline")) {
    // A small file read on the UI thread; the loader's errors are shown, the old baseline kept.
    try {
      state.baseline = loadScenario(state.baseline_path_input);
      state.baseline_label = state.baseline_path_input;
      state.compare_error.clear();
    } catch (const ScenarioError& e) {
      state.compare_error = e.diagnostics().empty() ? e.what() : e.diagnostics().front().format();
    } catch (const std::exception& e) {
      state.compare_error = e.what();
    }
  }
  ImGui::EndDisabled();

  const bool can = state.baseline && state.doc.valid() && !state.compare_job.running();
  ImGui::BeginDisabled(!can);
  if (ImGui::Button("Compare current (B) with baseline (A)")) state.pending_compare = true;
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (state.compare_job.running())
    ImGui::TextDisabled("running both scenarios…");
  else
    ImGui::TextDisabled("replications, seed and threads from the Run panel (at least 2)");
  if (!state.compare_error.empty())
    ImGui::TextColored(kErrorColour, "%s", state.compare_error.c_str());
}

// -------------------------------------------------------------------------------------------
// [SECTION] Results

ImVec4 verdictColour(const std::string& verdict) {
  if (verdict == "better") return ImVec4(0.35f, 0.8f, 0.45f, 1.0f);
  if (verdict == "worse") return kErrorColour;
  if (verdict == "higher" || verdict == "lower") return kWarnColour;
  return ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
}

plot::Table comparisonTable(const Comparison& c) {
  plot::Table t;
  t.id = "comparison";
  t.headers = {"metric",          "A (baseline)",         "B (current)", "B − A",
               "95% CI (paired)", "95% CI (independent)", "verdict"};
  for (const MetricInfo& info : allMetrics()) {
    const MetricComparison& m = c.overall[static_cast<std::size_t>(info.metric)];
    if (m.n == 0) continue;
    const double scale = std::string_view(info.unit) == "%" ? 100.0 : 1.0;
    auto f = [&](double v) {
      if (!std::isfinite(v)) return std::string("—");
      v *= scale;
      return std::abs(v) >= 1000.0 ? fmt::format("{:.0f}", v) : fmt::format("{:.4g}", v);
    };
    t.rows.push_back({fmt::format("{}{}", info.label,
                                  *info.unit ? fmt::format(" ({})", info.unit) : std::string()),
                      f(m.a), f(m.b), f(m.diff), "± " + f(m.ci95), "± " + f(m.ci95_independent),
                      m.verdict});
  }
  return t;
}

void drawResultTable(const Comparison& c) {
  const plot::Table t = comparisonTable(c);
  constexpr ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                    ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollY;
  const float height = std::max(ImGui::GetContentRegionAvail().y * 0.5f,
                                ImGui::GetTextLineHeightWithSpacing() * 8.0f);
  if (!ImGui::BeginTable("comparison", static_cast<int>(t.headers.size()), flags,
                         ImVec2(0.0f, height)))
    return;
  ImGui::TableSetupScrollFreeze(1, 1);
  for (const std::string& h : t.headers) ImGui::TableSetupColumn(h.c_str());
  ImGui::TableHeadersRow();
  for (const auto& row : t.rows) {
    ImGui::TableNextRow();
    for (std::size_t i = 0; i < row.size(); ++i) {
      ImGui::TableSetColumnIndex(static_cast<int>(i));
      if (i + 1 == row.size())
        ImGui::TextColored(verdictColour(row[i]), "%s", row[i].c_str());
      else
        ImGui::TextUnformatted(row[i].c_str());
    }
  }
  ImGui::EndTable();
  if (ImGui::Button("Export table as CSV")) {
    std::string error;
    const std::filesystem::path file =
        std::filesystem::path(plot::exportFolder().empty() ? "." : plot::exportFolder()) /
        "comparison.csv";
    plot::lastExportMessage() =
        plot::writeText(file, plot::tableCsv(t), error) ? "Saved " + file.string() : error;
  }
}

plot::Chart intervalChart(const Comparison& c, const Scenario& s) {
  plot::Chart chart;
  chart.id = "compare_service_level";
  chart.title = "Service level per interval, all channels";
  chart.y_unit = "%";
  chart.y_min = 0.0;
  chart.y_max = 100.0;
  for (int k = 0; k < s.intervalsPerDay(); ++k) chart.categories.push_back(intervalLabel(s, k));
  auto series = [](const char* label, const ExperimentResult& r) {
    plot::Series out;
    out.label = label;
    for (const MetricEstimates& e : r.intervals) {
      const Estimate& x = e[static_cast<std::size_t>(Metric::ServiceLevel)];
      out.y.push_back(x.mean * 100.0);
      out.lo.push_back((x.mean - x.ci95) * 100.0);
      out.hi.push_back((x.mean + x.ci95) * 100.0);
    }
    return out;
  };
  chart.series = {series("A baseline", c.a), series("B current", c.b)};
  return chart;
}

}  // namespace

// -------------------------------------------------------------------------------------------
// [SECTION] The panel

void drawComparePanel(AppState& state) {
  if (!beginPanel("Compare", &state.open.compare, state, {0.42f, 0.42f, 1.0f, 1.0f})) {
    ImGui::End();
    return;
  }
  drawBaseline(state);
  ImGui::Separator();
  if (!state.comparison) {
    ImGui::TextDisabled("No comparison yet.");
    ImGui::End();
    return;
  }
  const Comparison& c = *state.comparison;
  ImGui::TextDisabled("%s. Differences are B − A; a verdict needs the 95%% CI to exclude 0.",
                      state.comparison_label.c_str());
  drawResultTable(c);
  if (state.baseline &&
      state.baseline->intervalsPerDay() == static_cast<int>(c.a.intervals.size()) &&
      c.a.intervals.size() == c.b.intervals.size())
    plot::drawChart(intervalChart(c, *state.baseline),
                    ImVec2(0.0f, std::max(ImGui::GetContentRegionAvail().y,
                                          ImGui::GetTextLineHeight() * 12.0f)));
  ImGui::End();
}

}  // namespace cx::studio
