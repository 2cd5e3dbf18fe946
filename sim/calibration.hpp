// Calibration: data/calibration.toml read into plain structs — the customer-outcome models'
// coefficients, and the engine defaults a scenario file may leave out ([engine]).
//
// Every coefficient in the file carries its value, a solidity label (sourced / quoted /
// computed / assumed, CALIBRATION.md), its source and optionally a `misquote` or `note`; the
// loader keeps all but the value in `provenance` so reports can show where a number came
// from. A scenario that wants other values starts from a loaded Calibration and overrides
// fields, or parses an overriding file on top of it (parseCalibration with a base).
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/customers.hpp"
#include "sim/satisfaction.hpp"
#include "sim/scenario.hpp"  // Diagnostic, SourceLoc, EngineDefaults

namespace cx {

enum class Solidity { Sourced, Quoted, Computed, Assumed };
const char* toString(Solidity solidity);

struct CalibrationEntry {
  std::string key;  // dotted, e.g. "satisfaction.service.unresolved"
  double value = 0.0;
  Solidity solidity = Solidity::Assumed;
  std::string source;
  // Optional notes. `misquote`: a commonly quoted figure this value deliberately does not use
  // and why (CALIBRATION.md's list of traced claims), so nobody "corrects" the value to the
  // folklore; `note`: any other remark. Empty when the file has none.
  std::string misquote;
  std::string note;
  std::string file;
  SourceLoc loc;
};

// What role-play scores stand for in the simulation (sim/training.hpp).
struct TrainingParams {
  // FCR added per rubric point of ownership above the typical agent's score (100 ×
  // satisfaction.care.reference_agent); below it, taken away.
  double fcr_per_ownership_point = 0.004;
};

struct Calibration {
  SatisfactionParams satisfaction;  // in-code defaults equal the shipped file
  CustomerParams customers;
  TrainingParams training;
  EngineDefaults engine;  // [engine]: what the scenario loader fills keys a file leaves out with
  std::vector<CalibrationEntry> provenance;  // one per key read, in file order

  const CalibrationEntry* find(std::string_view key) const;
};

// Every key the file may hold, in the order of data/calibration.toml.
std::vector<std::string> calibrationKeys();
// The value a calibration holds for `key` (one of calibrationKeys()); nullopt for other keys.
std::optional<double> calibrationValue(const Calibration& calibration, std::string_view key);

// Thrown with every problem found in a calibration file.
class CalibrationError : public std::runtime_error {
 public:
  explicit CalibrationError(std::vector<Diagnostic> diagnostics);
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// Parse calibration text. Without `base` every key is required; with one, the text overrides
// only the keys it names and the rest keep `base`'s values and provenance.
Calibration parseCalibration(std::string_view toml_text, const std::string& name_for_errors,
                             const Calibration* base = nullptr);
// Read a complete calibration file.
Calibration loadCalibration(const std::filesystem::path& file);

// Where the shipped calibration is: data/calibration.toml under the current folder if there
// is one, else the data folder of the source tree this library was built from. The returned
// path may not exist (a moved binary); loadCalibration then says so.
std::filesystem::path defaultCalibrationPath();

}  // namespace cx
