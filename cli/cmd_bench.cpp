// cxsim bench: the engine's speed on a fixed large Erlang-A model, single-threaded.
#include <sys/resource.h>

#include <chrono>
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "sim/analytic.hpp"
#include "sim/engine.hpp"
#include "sim/metrics.hpp"

namespace cx::cli {

namespace {
double peakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}
}  // namespace

Command addBenchCommand(CLI::App& app) {
  auto arrivals = std::make_shared<double>(10e6);
  auto seed = std::make_shared<std::uint64_t>(1);
  auto* cmd = app.add_subcommand(
      "bench", "Time the engine on M/M/45+M (600/h, AHT 240 s, patience 120 s), one thread");
  cmd->add_option("--arrivals", *arrivals, "Arrivals to simulate (default 10 million)")
      ->check(CLI::Range(1e3, 1e10));
  cmd->add_option("--seed", *seed, "Random seed");
  return [arrivals, seed] {
    Scenario s;
    s.name = "bench: M/M/45+M";
    s.warmup_hours = 2;
    s.horizon_hours = *arrivals / 600.0;
    ChannelSpec phone;
    phone.id = "phone";
    phone.agents = {45};
    phone.arrivals.per_hour = {600};
    phone.handle_time = DistSpec::exponential(240);
    phone.patience = DistSpec::exponential(120);
    s.channels.push_back(phone);

    const double rss_before = peakRssMiB();
    Monitor monitor(s);
    Simulation sim(s, *seed, 0);
    const auto start = std::chrono::steady_clock::now();
    sim.run(monitor);
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const EngineStats& st = sim.stats();
    const auto m = monitor.metrics();
    const auto exact = analytic::erlangA(600.0 / 3600, 240, 45, 120, 20);
    std::cout << fmt::format(
        "model          M/M/45+M, 600 arrivals/h, AHT 240 s, patience 120 s (seed {})\n"
        "arrivals       {:.0f}\n"
        "events         {}\n"
        "wall time      {:.3f} s\n"
        "arrivals/s     {:.3g} million\n"
        "events/s       {:.3g} million\n"
        "peak memory    {:.1f} MiB (resident; {:.1f} MiB before the run)\n"
        "peak in system {} contacts; {} contact slots, {} event slots allocated\n"
        "check          P(wait) {:.4f}, abandon rate {:.4f} (exact Erlang A: {:.4f}, {:.4f})\n",
        *seed, static_cast<double>(st.arrivals), st.events, wall, st.arrivals / wall / 1e6,
        st.events / wall / 1e6, peakRssMiB(), rss_before, st.peak_in_system, st.contact_slots,
        st.event_capacity, m.overall[static_cast<std::size_t>(Metric::PWait)],
        m.overall[static_cast<std::size_t>(Metric::AbandonRate)], exact.p_wait, exact.abandon_rate);
    return kExitOk;
  };
}

}  // namespace cx::cli
