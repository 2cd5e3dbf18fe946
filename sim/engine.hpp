// The discrete-event engine for one replication of a scenario: Poisson arrivals per channel
// (constant or per interval, with an optional daily busyness factor), FCFS queues, agents per
// channel following a staffing schedule, patience (abandonment) and balking.
//
// It knows nothing of metrics: everything it observes leaves through SimObserver as contact
// records and interval samples (records.hpp). The model is documented in docs/MODEL.md.
#pragma once

#include <cstdint>
#include <memory>

#include "sim/records.hpp"
#include "sim/scenario.hpp"

namespace cx {

struct EngineStats {
  std::uint64_t events = 0;           // events processed (cancelled timers excluded)
  std::uint64_t arrivals = 0;         // contacts that arrived, measured or not (retries included)
  std::uint64_t retries = 0;          // of which a case's second or later contact ([journeys])
  std::uint64_t cases_open = 0;       // cases still open when the run ended ([journeys])
  std::uint64_t transfers = 0;        // contacts passed to specialists (intents' transfer)
  std::uint64_t silent_abandons = 0;  // chats abandoned without a word (found by an agent later)
  std::size_t peak_in_system = 0;     // most contacts in the system at once
  std::size_t contact_slots = 0;      // contact records held (memory follows this)
  std::size_t event_capacity = 0;     // event calendar entries allocated
  double end_time_s = 0.0;            // simulation clock when the calendar ran dry
};

class Simulation {
 public:
  // The scenario must be valid (validateScenario() empty); it is copied where needed, so the
  // caller's object may change afterwards. Random streams come from (seed, replication, ...).
  // Throws std::invalid_argument for a run with more intervals than the engine can number
  // (about 4e9: far beyond what validateScenario() accepts).
  Simulation(const Scenario& scenario, std::uint64_t seed, std::uint32_t replication);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Runs the replication to the end, reporting to `observer`. Call once.
  void run(SimObserver& observer);

  const EngineStats& stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cx
