#include "cli/common.hpp"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <stdexcept>

namespace cx::cli {

std::optional<Scenario> loadOrReport(const std::filesystem::path& file,
                                     const std::vector<std::string>& overrides) {
  try {
    return loadScenario(file, overrides);
  } catch (const ScenarioError& e) {
    for (const Diagnostic& d : e.diagnostics()) std::cerr << "error: " << d.format() << "\n";
    return std::nullopt;
  }
}

void writeOutput(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text << std::flush;
    return;
  }
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

bool stderrIsTerminal() {
  return isatty(STDERR_FILENO) != 0;
}

}  // namespace cx::cli
