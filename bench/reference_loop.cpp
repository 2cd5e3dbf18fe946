// The yardstick for `cxsim bench`: a minimal hand-written simulation of the same M/M/45+M
// model (600 arrivals/h, exponential handle time 240 s and patience 120 s) with a binary-heap
// event queue (std::priority_queue) and std::mt19937_64 — no scenario, no statistics beyond
// two counters. The engine aims for at least two-thirds of this loop's throughput.
//
// Usage: cx_reference_loop [ARRIVALS] (default 10 million)
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <queue>
#include <random>
#include <vector>

namespace {

struct Ev {
  double t;
  std::uint64_t seq;
  int type;  // 0 arrival, 1 service end, 2 abandonment
  std::uint32_t id;
};
struct Later {
  bool operator()(const Ev& a, const Ev& b) const {
    return a.t > b.t || (a.t == b.t && a.seq > b.seq);
  }
};

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t total = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000ULL;
  const double lambda = 600.0 / 3600, aht = 240, patience = 120;
  const int agents = 45;

  std::mt19937_64 gen(1);
  std::exponential_distribution<double> inter(lambda), service(1.0 / aht), give_up(1.0 / patience);
  std::priority_queue<Ev, std::vector<Ev>, Later> events;
  std::deque<std::uint32_t> queue;
  std::vector<std::uint8_t> waiting;  // per contact: 1 while in queue
  std::uint64_t seq = 0, arrivals = 0, processed = 0, waited = 0, abandoned = 0;
  int busy = 0;

  const auto start = std::chrono::steady_clock::now();
  events.push({inter(gen), seq++, 0, 0});
  while (!events.empty()) {
    const Ev e = events.top();
    events.pop();
    ++processed;
    if (e.type == 0) {
      const auto id = static_cast<std::uint32_t>(arrivals++);
      waiting.push_back(0);
      if (arrivals < total) events.push({e.t + inter(gen), seq++, 0, 0});
      if (busy < agents) {
        ++busy;
        events.push({e.t + service(gen), seq++, 1, id});
      } else {
        ++waited;
        waiting[id] = 1;
        queue.push_back(id);
        events.push({e.t + give_up(gen), seq++, 2, id});
      }
    } else if (e.type == 1) {
      while (!queue.empty() && !waiting[queue.front()]) queue.pop_front();
      if (queue.empty()) {
        --busy;
      } else {
        waiting[queue.front()] = 0;
        queue.pop_front();
        events.push({e.t + service(gen), seq++, 1, 0});
      }
    } else if (waiting[e.id]) {
      waiting[e.id] = 0;
      ++abandoned;
    }
  }
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("reference loop  %llu arrivals, %llu events in %.3f s\n",
              static_cast<unsigned long long>(arrivals), static_cast<unsigned long long>(processed),
              wall);
  std::printf("arrivals/s      %.3g million\nevents/s        %.3g million\n", arrivals / wall / 1e6,
              processed / wall / 1e6);
  std::printf("check           P(wait) %.4f, P(abandon) %.4f\n", double(waited) / arrivals,
              double(abandoned) / arrivals);
  return 0;
}
