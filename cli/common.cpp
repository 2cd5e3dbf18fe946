#include "cli/common.hpp"

#include <unistd.h>

#include <chrono>
#include <csignal>
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

namespace {
std::atomic<bool> g_interrupted{false};
extern "C" void onInterrupt(int) {
  g_interrupted.store(true);
  std::signal(SIGINT, SIG_DFL);  // a second Ctrl-C is not caught
}
double steadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

InterruptGuard::InterruptGuard() {
  g_interrupted.store(false);
  std::signal(SIGINT, onInterrupt);
}
InterruptGuard::~InterruptGuard() {
  std::signal(SIGINT, SIG_DFL);
}
const std::atomic<bool>* InterruptGuard::flag() const {
  return &g_interrupted;
}

StderrProgress::StderrProgress(std::string unit, int total, bool enabled) {
  if (enabled)
    meter_ = std::make_unique<ProgressMeter>(std::move(unit), total, stderrIsTerminal(),
                                             steadySeconds());
}
void StderrProgress::finish() {
  if (meter_) std::cerr << meter_->finish() << std::flush;
  meter_.reset();
}
void StderrProgress::operator()(int done) {
  if (!meter_) return;
  const std::string text = meter_->update(done, steadySeconds());
  if (!text.empty()) std::cerr << text << std::flush;
}

}  // namespace cx::cli
