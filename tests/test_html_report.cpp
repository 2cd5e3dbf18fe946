// HTML reports (sim/html_report.hpp): one self-contained file with inline SVG charts and no
// external reference, whose tables show the same figures as the JSON of the same run.
#include <doctest/doctest.h>

#include <cmath>
#include <regex>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/compare.hpp"
#include "sim/html_report.hpp"
#include "sim/report.hpp"
#include "sim/sweep.hpp"
#include "test_support.hpp"

using namespace cx;
using cx::test::sourcePath;
using nlohmann::json;

namespace {

// A figure as the report shows it ("4,820.1", "91.82%", "-0.76 s", "–") matches a JSON
// number when it is that number rounded to the digits shown: within half a unit of the last
// digit. "–" stands for null (undefined).
bool shownEquals(const std::string& shown, const json& value) {
  INFO("shown '" << shown << "', JSON " << value.dump());
  if (shown == "–") return value.is_null();
  if (!value.is_number()) return false;
  std::string digits;
  for (char c : shown)
    if (c != ',' && c != ' ' && c != 's' && c != '%') digits += c;
  const std::size_t point = digits.find('.');
  const int decimals = point == std::string::npos ? 0 : static_cast<int>(digits.size() - point - 1);
  double x = std::stod(digits), half_unit = 0.5 * std::pow(10.0, -decimals);
  if (shown.back() == '%') x /= 100, half_unit /= 100;
  return std::fabs(x - value.get<double>()) <= half_unit * (1 + 1e-9) + 1e-12;
}

struct Cell {
  std::string attr, mean, half;  // attr: the data-* value naming the cell
};

// The cells of one table row (data-ATTR on each cell), mean and half-width apart.
std::vector<Cell> cells(const std::string& row, const std::string& attr) {
  static const std::string kCell =
      R"re(<td class="num" data-ATTR="([^"]+)"><span class="m">([^<]*)</span>(?:<span class="h"> ± ([^<]*)</span>)?</td>)re";
  const std::regex re(std::regex_replace(kCell, std::regex("ATTR"), attr));
  std::vector<Cell> out;
  for (auto it = std::sregex_iterator(row.begin(), row.end(), re); it != std::sregex_iterator();
       ++it)
    out.push_back({(*it)[1], (*it)[2], (*it)[3]});
  return out;
}

// Rows whose <tr> carries data-ATTR="...": (value, row text).
std::vector<std::pair<std::string, std::string>> rows(const std::string& html,
                                                      const std::string& attr) {
  const std::regex re("<tr data-" + attr + "=\"([^\"]+)\"[^>]*>(.*?)</tr>");
  std::vector<std::pair<std::string, std::string>> out;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator();
       ++it)
    out.emplace_back((*it)[1], (*it)[2]);
  return out;
}

void checkSelfContained(const std::string& html) {
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("href=") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
}

ExperimentOptions quick(int reps) {
  ExperimentOptions o;
  o.seed = 3;
  o.replications = reps;
  o.threads = 2;
  return o;
}

}  // namespace

TEST_CASE("html report: numbers are rounded for reading, never invented") {
  CHECK(htmlNumber(metricInfo(Metric::Offered), 4820.14) == "4,820.1");
  CHECK(htmlNumber(metricInfo(Metric::Offered), 1234567.0) == "1,234,567.0");
  CHECK(htmlNumber(metricInfo(Metric::ServiceLevel), 0.918249) == "91.82%");
  CHECK(htmlNumber(metricInfo(Metric::AsaS), 3.054) == "3.05 s");
  CHECK(htmlNumber(metricInfo(Metric::AsaS), -0.764) == "-0.76 s");
  CHECK(htmlNumber(metricInfo(Metric::CostTotal), 88998.716) == "88,998.72");
  CHECK(htmlNumber(metricInfo(Metric::QueueMean), 0.5604) == "0.560");
  CHECK(htmlNumber(metricInfo(Metric::AsaS), NAN) == "–");
  CHECK(shownEquals("4,820.1", 4820.14));
  CHECK_FALSE(shownEquals("4,820.1", 4820.16));
  CHECK(shownEquals("91.82%", 0.918249));
  CHECK_FALSE(shownEquals("91.82%", 0.91826));
  CHECK(shownEquals("–", json(nullptr)));
}

TEST_CASE("html report: run — charts inline, every table figure equals the JSON's") {
  Scenario s = loadScenario(sourcePath("scenarios/examples/shared_context.toml"),
                            {"scenario.days=1", "scenario.name=Bot <&> \"test\""});
  const ExperimentResult r = runExperiment(s, quick(3));
  const json j = json::parse(resultToJson(s, r).dump());
  const std::string html = runReportHtml(s, r);
  checkSelfContained(html);
  // Three per-interval charts (load, service level, abandonment).
  std::size_t svgs = 0;
  for (std::size_t p = html.find("<svg"); p != std::string::npos; p = html.find("<svg", p + 1))
    ++svgs;
  CHECK(svgs == 3);
  // The name is escaped, and the seed and replications are stated.
  CHECK(html.find("<h1>Bot &lt;&amp;&gt; &quot;test&quot;</h1>") != std::string::npos);
  CHECK(html.find("3 replications · seed 3") != std::string::npos);

  // The metrics table: one row per metric the scenario defines, a cell per scope.
  std::size_t checked = 0;
  for (const auto& [metric, row] : rows(html, "metric")) {
    const std::vector<Cell> cs = cells(row, "scope");
    if (cs.empty()) continue;  // the per-interval tables' rows are keyed by interval
    CHECK(cs.size() == 3);     // overall, phone, chat
    for (const Cell& c : cs) {
      const json& e = c.attr == "overall" ? j["overall"][metric] : j["channels"][c.attr][metric];
      REQUIRE(e.is_object());
      CHECK(shownEquals(c.mean, e["mean"]));
      if (!c.half.empty()) CHECK(shownEquals(c.half, e["ci95"]));
      ++checked;
    }
  }
  // Every metric the scenario defines (all but the email/messaging and silent-chat ones).
  std::size_t defined = 0;
  for (const auto& [name, e] : j["overall"].items()) defined += !e["mean"].is_null();
  CHECK(defined == kMetricCount - 3);
  CHECK(checked == 3 * defined);

  // The per-interval tables: the first is the phone's.
  const auto interval_rows = rows(html, "interval");
  REQUIRE(interval_rows.size() == 3 * j["intervals"].size());  // phone, chat, all channels
  for (std::size_t k = 0; k < j["intervals"].size(); ++k) {
    const std::vector<Cell> cs = cells(interval_rows[k].second, "metric");
    CHECK(cs.size() == 7);
    for (const Cell& c : cs) {
      const json& e = j["intervals"][k]["channels"]["phone"][c.attr];
      CHECK(shownEquals(c.mean, e["mean"]));
      if (!c.half.empty()) CHECK(shownEquals(c.half, e["ci95"]));
    }
  }
}

TEST_CASE("html report: a one-interval run says so instead of drawing empty charts") {
  const Scenario s =
      test::singleQueue(300, DistSpec::exponential(240), 22, DistSpec::exponential(120), 2.0, 0.5);
  const std::string html = runReportHtml(s, runExperiment(s, quick(2)));
  CHECK(html.find("<svg") == std::string::npos);
  CHECK(html.find("One interval") != std::string::npos);
  CHECK(html.find("data-scope=\"overall\"") != std::string::npos);
}

TEST_CASE("html report: sweep — a scatter with the frontier, one row per point as in the JSON") {
  SweepSpec spec;
  spec.file = sourcePath("scenarios/validation/erlang_a.toml");
  spec.overrides = {"scenario.horizon_hours=2"};
  spec.ranges = {parseRange("channels.phone.agents=40:46:2"),
                 parseRange("channels.phone.arrivals.per_hour=560:640:80")};
  spec.frontier = parseFrontier("agents_mean:min,service_level");
  const PreparedSweep prepared = prepareSweep(spec, 3);
  const SweepResult r = runSweep(spec, prepared, quick(2));
  const json j = json::parse(sweepJson(r).dump());
  const std::string html = sweepReportHtml(r);
  checkSelfContained(html);
  CHECK(html.find("Pareto-efficient") != std::string::npos);

  const auto point_rows = rows(html, "point");
  REQUIRE(point_rows.size() == 8);
  std::size_t pareto = 0;
  for (std::size_t i = 0; i < point_rows.size(); ++i) {
    const json& p = j["points"][i];
    CHECK(point_rows[i].first == std::to_string(i));
    const std::string& row = point_rows[i].second;
    for (const std::string& key : r.keys)
      CHECK(row.find("<td data-key=\"" + key + "\">" + p["values"][key].dump() + "</td>") !=
            std::string::npos);
    const std::vector<Cell> cs = cells(row, "metric");
    CHECK(cs.size() == 14);  // the metrics a plain queue defines
    for (const Cell& c : cs) {
      CHECK(shownEquals(c.mean, p["overall"][c.attr]["mean"]));
      if (!c.half.empty()) CHECK(shownEquals(c.half, p["overall"][c.attr]["ci95"]));
    }
    const bool marked = row.find("<td>yes</td>") != std::string::npos;
    CHECK(marked == p["pareto"].get<bool>());
    pareto += marked;
  }
  // One filled marker per efficient point in the chart.
  std::size_t filled = 0;
  for (std::size_t at = html.find("r=\"4.5\" fill=\"#d62728\""); at != std::string::npos;
       at = html.find("r=\"4.5\" fill=\"#d62728\"", at + 1))
    ++filled;
  CHECK(pareto >= 1);
  CHECK(filled == pareto + 1);  // and one in the legend
}

TEST_CASE("html report: compare — both means, the paired difference and the verdict") {
  Scenario a = loadScenario(sourcePath("scenarios/default.toml"), {"scenario.days=1"});
  Scenario b = loadScenario(sourcePath("scenarios/default.toml"),
                            {"scenario.days=1", "channels.chat.agents[4]=14"});
  const Comparison c = compareScenarios(a, b, quick(3));
  const json j = json::parse(comparisonToJson(a, b, c).dump());
  const std::string html = compareReportHtml(a, b, c);
  checkSelfContained(html);
  // Overall first, then a table per channel, each under its heading.
  const std::regex col(R"re(<td class="num" data-col="(\w+)">([^<]*)</td>)re");
  const std::vector<std::pair<std::string, const json*>> sections = {
      {"<h2>Overall</h2>", &j["overall"]},
      {"<h2>Channel phone</h2>", &j["channels"]["phone"]},
      {"<h2>Channel chat</h2>", &j["channels"]["chat"]}};
  for (std::size_t t = 0; t < sections.size(); ++t) {
    const std::size_t from = html.find(sections[t].first);
    REQUIRE(from != std::string::npos);
    const std::size_t to = t + 1 < sections.size() ? html.find(sections[t + 1].first) : html.size();
    const auto metric_rows = rows(html.substr(from, to - from), "metric");
    // Every metric the scenario has and none other: not the bot's three (no [bot]), the cases'
    // (no [journeys]) or the backlogs' (no email or messaging, no silent abandonment).
    std::size_t defined = 0;
    for (const auto& [name, e] : sections[t].second->items())
      defined += !e["a"].is_null() || !e["b"].is_null();
    CHECK(defined == kMetricCount - 9);
    CHECK(metric_rows.size() == defined);
    for (const auto& [metric, row] : metric_rows) {
      const json& e = (*sections[t].second)[metric];
      std::size_t columns = 0;
      for (auto it = std::sregex_iterator(row.begin(), row.end(), col);
           it != std::sregex_iterator(); ++it, ++columns)
        CHECK(shownEquals((*it)[2], e[std::string((*it)[1])]));
      CHECK(columns == 5);  // a, b, diff, ci95, ci95_independent
      CHECK(row.find(">" + e["verdict"].get<std::string>() + "</td>") != std::string::npos);
    }
  }
}
