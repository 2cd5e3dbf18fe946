// Progress of a long job (replications, sweep points) as text for stderr: on a terminal a
// bar redrawn in place with the rate and the time left; in a log (stderr redirected) a line
// now and then, so logs stay short. The meter only formats: the caller supplies the clock
// and writes the text, which keeps it testable and usable from any front end.
#pragma once

#include <string>

namespace cx {

class ProgressMeter {
 public:
  // `unit` names what is counted ("points", "replications"); times are seconds on any clock.
  ProgressMeter(std::string unit, int total, bool terminal, double start_s);

  // What to write now that `done` of `total` are finished at time `now_s`; empty when
  // nothing is due (a terminal redraws at most 10 times a second and always at the end; a
  // log gets a line every `kLogEvery_s`, none for jobs shorter than that).
  std::string update(int done, double now_s);
  // What to write when the job ends early or late: clears the bar on a terminal.
  std::string finish() const;

  static constexpr double kLogEvery_s = 5.0;
  static constexpr double kRedrawEvery_s = 0.1;
  static constexpr int kBarWidth = 24;

 private:
  std::string status(int done, double now_s) const;  // "37/100 points · 12.3/s · 5 s left"

  std::string unit_;
  int total_;
  bool terminal_;
  double start_s_;
  double last_s_;  // last redraw or line
  bool drawn_ = false;
};

// "42 s", "3 min 05 s", "2 h 07 min".
std::string formatDuration(double seconds);

}  // namespace cx
