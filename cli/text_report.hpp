// The human-readable report of `cxsim run`.
#pragma once

#include <string>

#include "sim/experiment.hpp"
#include "sim/scenario.hpp"

namespace cx::cli {

std::string textReport(const Scenario& scenario, const ExperimentResult& result);

// "12.3% ± 0.4%", "1,234 ± 56", "8.2 s ± 0.3" ...: a metric estimate for people.
std::string formatEstimate(const MetricInfo& info, const Estimate& e);

}  // namespace cx::cli
