#include "sim/progress.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace cx {

std::string formatDuration(double seconds) {
  const long s = std::lround(std::max(0.0, seconds));
  if (s < 60) return fmt::format("{} s", s);
  if (s < 3600) return fmt::format("{} min {:02} s", s / 60, s % 60);
  return fmt::format("{} h {:02} min", s / 3600, (s % 3600) / 60);
}

ProgressMeter::ProgressMeter(std::string unit, int total, bool terminal, double start_s)
    : unit_(std::move(unit)),
      total_(std::max(total, 0)),
      terminal_(terminal),
      start_s_(start_s),
      last_s_(start_s) {}

std::string ProgressMeter::status(int done, double now_s) const {
  const double elapsed = now_s - start_s_;
  std::string text = fmt::format("{}/{} {}", done, total_, unit_);
  if (done > 0 && elapsed > 0) {
    const double rate = done / elapsed;
    text += rate >= 10 ? fmt::format(" · {:.0f}/s", rate) : fmt::format(" · {:.2g}/s", rate);
    if (done < total_) text += " · " + formatDuration((total_ - done) / rate) + " left";
  }
  return text;
}

std::string ProgressMeter::update(int done, double now_s) {
  done = std::clamp(done, 0, total_);
  const bool last = done == total_;
  if (terminal_) {
    if (!last && drawn_ && now_s - last_s_ < kRedrawEvery_s) return {};
    last_s_ = now_s;
    drawn_ = true;
    const int filled = total_ > 0 ? done * kBarWidth / total_ : kBarWidth;
    return fmt::format("\r[{}{}] {}\033[K", std::string(static_cast<std::size_t>(filled), '#'),
                       std::string(static_cast<std::size_t>(kBarWidth - filled), '.'),
                       status(done, now_s));
  }
  if (last || now_s - last_s_ < kLogEvery_s) return {};
  last_s_ = now_s;
  return "progress: " + status(done, now_s) + "\n";
}

std::string ProgressMeter::finish() const {
  return terminal_ && drawn_ ? "\r\033[K" : "";
}

}  // namespace cx
