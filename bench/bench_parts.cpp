// Micro-benchmarks of the engine's building blocks (Google Benchmark): where the time of
// `cxsim bench` goes. Run: build/cx_bench_parts
#include <benchmark/benchmark.h>

#include "sim/distributions.hpp"
#include "sim/event_queue.hpp"
#include "sim/rng.hpp"

static void BM_RngExponential(benchmark::State& state) {
  cx::Rng rng(1, 0, "bench");
  for (auto _ : state) benchmark::DoNotOptimize(rng.exponential(240.0));
}
BENCHMARK(BM_RngExponential);

static void BM_SamplerLognormal(benchmark::State& state) {
  cx::DistSpec spec;
  spec.kind = cx::DistSpec::Kind::Lognormal;
  spec.mean_s = 300;
  spec.cv = 1.1;
  cx::Sampler s(spec);
  cx::Rng rng(1, 0, "bench");
  for (auto _ : state) benchmark::DoNotOptimize(s.sample(rng));
}
BENCHMARK(BM_SamplerLognormal);

// Push and pop in a calendar holding `range(0)` events (a hold model).
static void BM_EventQueueHold(benchmark::State& state) {
  cx::EventQueue q;
  cx::Rng rng(1, 0, "bench");
  for (int i = 0; i < state.range(0); ++i) q.push(rng.exponential(1.0), 1, 0, 0);
  for (auto _ : state) {
    const cx::Event e = q.pop();
    q.push(e.time + rng.exponential(1.0), 1, 0, 0);
  }
}
BENCHMARK(BM_EventQueueHold)->Arg(64)->Arg(1024)->Arg(65536);

BENCHMARK_MAIN();
