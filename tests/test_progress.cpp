// Progress text (sim/progress.hpp): a bar redrawn in place on a terminal, a line every few
// seconds in a log, with the rate and the time left; driven by a fake clock.
#include <doctest/doctest.h>

#include <string>

#include "sim/progress.hpp"

using cx::ProgressMeter;

TEST_CASE("progress: a log gets a line every 5 s with the rate and the time left") {
  ProgressMeter m("points", 100, false, 1000.0);
  CHECK(m.update(1, 1000.5).empty());
  CHECK(m.update(20, 1004.9).empty());
  CHECK(m.update(25, 1005.0) == "progress: 25/100 points · 5/s · 15 s left\n");
  CHECK(m.update(30, 1006.0).empty());  // next line not before 1010
  CHECK(m.update(50, 1010.0) == "progress: 50/100 points · 5/s · 10 s left\n");
  CHECK(m.update(100, 1020.0).empty());  // the end: the command reports for itself
  CHECK(m.finish().empty());
  // A short job writes nothing at all.
  ProgressMeter quick("replications", 10, false, 0.0);
  for (int i = 1; i <= 10; ++i) CHECK(quick.update(i, 0.4 * i).empty());
}

TEST_CASE("progress: a terminal gets a bar, redrawn at most 10 times a second") {
  ProgressMeter m("replications", 8, true, 0.0);
  const std::string first = m.update(0, 0.0);
  CHECK(first == "\r[........................] 0/8 replications\033[K");
  CHECK(m.update(1, 0.05).empty());  // too soon
  CHECK(m.update(2, 1.0) == "\r[######..................] 2/8 replications · 2/s · 3 s left\033[K");
  CHECK(m.update(3, 1.01).empty());
  // The last update always draws, full, with no time left.
  CHECK(m.update(8, 1.02) == "\r[########################] 8/8 replications · 7.8/s\033[K");
  CHECK(m.finish() == "\r\033[K");
  // Out-of-range counts are clamped, never drawn past the bar.
  ProgressMeter c("points", 4, true, 0.0);
  CHECK(c.update(9, 1.0).find("[########################] 4/4") != std::string::npos);
}

TEST_CASE("progress: durations read naturally") {
  CHECK(cx::formatDuration(0.2) == "0 s");
  CHECK(cx::formatDuration(42.4) == "42 s");
  CHECK(cx::formatDuration(185) == "3 min 05 s");
  CHECK(cx::formatDuration(2 * 3600 + 7 * 60 + 30) == "2 h 07 min");
  CHECK(cx::formatDuration(-3) == "0 s");
}
