// Self-contained HTML reports for `cxsim run`, `sweep` and `compare --report FILE.html`: one
// file with inline CSS and inline SVG charts, no script and no external reference, so it opens
// offline and can be mailed as it is. The tables show every metric as mean ± 95% half-width,
// rounded for reading; each row carries its metric's JSON name (`data-metric`) so the figures
// can be traced to the JSON of the same run.
#pragma once

#include <string>
#include <vector>

#include "sim/compare.hpp"
#include "sim/experiment.hpp"
#include "sim/scenario.hpp"
#include "sim/sweep.hpp"

namespace cx {

// A metric's value as shown in the reports: counts with one decimal and thousands separators
// ("4,820.1"), shares as percentages with two decimals ("91.82%"), seconds and money with two
// decimals, other values with three. NaN (undefined) is "–".
std::string htmlNumber(const MetricInfo& info, double x);

// "1234567.5" -> "1,234,567.5": thousands separators in a formatted number.
std::string groupThousands(const std::string& number);

// `cxsim run`: the scenario's name, file, seed and replications; per-interval charts (contacts
// offered against agents on duty, service level against each channel's target, abandonment
// and queue) when the scenario has more than one interval; tables of every metric overall,
// per channel, per agent group and per interval.
std::string runReportHtml(const Scenario& scenario, const ExperimentResult& result);

// `cxsim sweep`: a scatter of two metrics over the points — the `--frontier` metrics when
// given (the Pareto-efficient points filled and joined), else agents or cost against service
// level — and the table of every point with its keys and metrics.
std::string sweepReportHtml(const SweepResult& result);

// `cxsim compare`: per-interval service level of A and B, and per scope the table of both
// means, the paired difference with its 95% CI, the independent-streams CI and the verdict.
std::string compareReportHtml(const Scenario& a, const Scenario& b, const Comparison& c);

}  // namespace cx
