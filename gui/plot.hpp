// Charts drawn with Dear ImGui's draw lists (ImPlot is not packaged for Debian): line, step,
// area and bar series over categories (intervals) or a numeric x axis, and heatmaps; with
// axes, nice ticks, units, a legend and a hover readout. Plus the two exports every panel
// offers: a chart as PNG (read back from the frame after it is drawn) and a table as CSV.
//
// A chart is plain data the panel fills each frame (imgui_club's habit: the widget is handed
// the data, it never owns it). Everything here runs on the UI thread.
#pragma once

#include <imgui.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cx::studio::plot {

// --- Ticks ------------------------------------------------------------------------------------

// "Nice" tick positions covering [lo, hi]: steps of 1, 2 or 5 × 10^k, at most about
// `max_ticks` of them (Heckbert, Graphics Gems 1990). The first tick is <= lo and the last
// >= hi, so the axis can be widened to them.
struct Ticks {
  double first = 0.0;
  double step = 1.0;
  int count = 0;
  double at(int i) const { return first + step * i; }
  double last() const { return at(count - 1); }
};
Ticks niceTicks(double lo, double hi, int max_ticks);

// A number for an axis or a readout: "1,250", "0.35", "12.5k"; digits follow the tick step.
std::string formatValue(double value, double step);

// --- Series charts ----------------------------------------------------------------------------

// Points: a scatter over a numeric x axis, not joined (e.g. the points of a sweep).
enum class Kind { Line, Step, Area, Bars, Points };

struct Series {
  std::string label;  // legend and readout
  Kind kind = Kind::Line;
  std::vector<double> y;  // one per x; NaN = no value (a gap)
  // Optional band (e.g. a 95% CI): drawn shaded behind the series, shown in the readout.
  std::vector<double> lo, hi;
  ImU32 colour = 0;  // 0: the palette colour of the series' index
  // Points only: a colour per point (e.g. a third metric on rampColour); empty: `colour`.
  std::vector<ImU32> point_colours;
};

// A line through chosen (x, y) points over a numeric axis, drawn above the series with a ring
// at each point and its own legend entry: e.g. the Pareto frontier through some of a scatter's
// points, in x order.
struct Overlay {
  std::string label;
  std::vector<double> x, y;
  ImU32 colour = IM_COL32(255, 255, 255, 220);
};

// The scale a Points series' point_colours were taken from (rampColour over [lo, hi]), drawn as
// a colour bar at the chart's right with ticks and its label (e.g. "churn (%)").
struct ColourScale {
  std::string label;
  double lo = 0.0, hi = 1.0;
};

struct Chart {
  std::string id;     // unique in the window; also the default export file name
  std::string title;  // drawn above the plot
  std::string x_unit, y_unit;
  // Categories (e.g. "08:00" per interval): one per value, x at 0, 1, 2 ...; labels thinned
  // to what fits. Empty: `x` holds numeric positions for a numeric axis.
  std::vector<std::string> categories;
  std::vector<double> x;
  std::vector<Series> series;
  std::optional<double> y_min, y_max;  // fixed ends (e.g. 0 and 100 for a percentage)
  // A horizontal reference (a target), drawn dashed with its label.
  std::optional<double> reference;
  std::string reference_label;  // placed inside the plot where it covers the fewest points
  std::vector<Overlay> overlays;
  std::optional<ColourScale> colour_scale;
};

// Draws the chart filling `size` (0 for x: the available width). Right-click: export as PNG,
// data as CSV. Returns true when hovered.
bool drawChart(const Chart& chart, ImVec2 size);

// --- Heatmap ----------------------------------------------------------------------------------

struct Heatmap {
  std::string id, title, unit;
  std::vector<std::string> rows, columns;   // labels
  std::vector<std::vector<double>> values;  // [row][column]; NaN = empty cell
  std::optional<double> lo, hi;             // colour scale ends; default: the data's range
};
bool drawHeatmap(const Heatmap& heatmap, ImVec2 size);

// --- Palette ----------------------------------------------------------------------------------

ImU32 paletteColour(int index);
// A perceptually ordered ramp (viridis) for t in [0, 1]: heatmaps and colour-coded points.
ImU32 rampColour(double t);
// Green / amber / red for a value against a target (better_higher tells which way is good);
// amber within `tolerance` (a share of the target) on the wrong side.
ImU32 targetColour(double value, double target, bool better_higher, double tolerance = 0.05);

// --- Tables and exports -----------------------------------------------------------------------

// A table the panels draw and can export as CSV.
struct Table {
  std::string id;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};
// Draws the table (borders, scrolling within `height`, 0 = all rows) with an "Export CSV"
// context menu on the header row.
void drawTable(const Table& table, float height = 0.0f);

// CSV text of a table (RFC 4180 quoting) and of a chart's data (x, then one column per series
// and its band).
std::string tableCsv(const Table& table);
std::string chartCsv(const Chart& chart);
// A number for CSV: up to 10 significant digits, so 25.99999999999999 is written 26; empty
// for NaN and infinities.
std::string csvNumber(double v);
// Writes `text` to `file`; false with a message on failure.
bool writeText(const std::filesystem::path& file, const std::string& text, std::string& error);

// A chart's PNG export. "Save chart as" only asks for it: the picture is taken on a later
// frame, once the context menu has closed, from where the chart is drawn then (its hover
// readout left out), so the file holds the chart and nothing over it. main.cpp calls
// takePngRequest() after each render(); it returns the request in the frame to capture, and
// main crops the back buffer to [min, max) (ImGui coordinates) and writes the file.
struct PngRequest {
  ImVec2 min, max;
  std::filesystem::path file;
};
std::optional<PngRequest> takePngRequest();
// Whether a chart's PNG export is waiting for its frame.
bool pngExportPending();

// The smoke mode's hand on a chart's context menu, as a user's right-click and click would be:
// scriptPngExport(id) opens the menu of the chart with that id over its middle, and once it
// has been on screen for two frames "clicks" Save chart as. `clicked_frame` (ImGui's frame
// count) and the menu's rectangle tell the caller which frame showed the menu, and where.
struct ExportScript {
  std::string chart;  // empty: no script
  bool open = false;  // the menu was opened
  int shown_frames = 0;
  int clicked_frame = -1;
  ImVec2 menu_min, menu_max;
};
void scriptPngExport(const std::string& chart_id);
const ExportScript& exportScript();
// Where exports go (the popup's folder field) and the last export's outcome, for the status bar.
std::string& exportFolder();
std::string& lastExportMessage();

}  // namespace cx::studio::plot
