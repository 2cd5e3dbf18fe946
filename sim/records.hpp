// What leaves the engine (DESIGN.md §4): flat per-contact records and per-interval samples,
// through one observer interface. Metrics, CSAT, churn and cost are computed from these,
// never from engine internals.
#pragma once

#include <cstdint>
#include <limits>

namespace cx {

enum class Outcome : std::uint8_t {
  Answered,   // reached an agent
  Abandoned,  // left the queue before an agent answered (patience ran out)
  Balked,     // left at once on finding no free agent
  Deflected,  // resolved (or so it seemed) by the bot, no agent needed
};
const char* toString(Outcome outcome);

// One contact, reported when its outcome is final (answered contacts: when service ends).
// Only contacts arriving inside the measured window are reported.
struct ContactRecord {
  std::uint64_t id = 0;        // arrival order within the replication (all channels)
  std::uint32_t channel = 0;   // index into Scenario::channels
  std::uint32_t group = 0;     // answered: the agent's group (Scenario::effectiveAgentGroups())
  std::uint32_t interval = 0;  // report interval of the arrival (time of day / cycle position)
  std::uint32_t day = 0;       // day (day form) or 24-hour period (continuous form) of arrival
  std::uint32_t intent = kNoIntent;  // index into Scenario::intents
  Outcome outcome = Outcome::Answered;
  bool waited = false;            // found no free agent on reaching the agents
  bool reached_agents = true;     // came to the agent queue (not deflected, not lost in the bot)
  bool via_bot = false;           // talked to the bot first
  bool resolved = false;          // handled and the problem solved (agent's FCR; bot: not falsely)
  bool repeated_info = false;     // had to tell the story again (journeys without shared context)
  bool switched_channel = false;  // this attempt is on another channel than the last one
  bool case_ended = true;         // no further contact on this case follows (solved or given up)
  bool follow_up = false;         // the agent's promised call back ([journeys] promises)
  bool chase = false;             // the customer chasing a promise that was broken
  bool transferred = false;       // passed to specialists by the first agent (an effort driver)
  bool empowered = false;         // the agent took the empowerment policy's extra time
  bool silent = false;            // abandoned without saying so (chat): found by an agent later
  bool open_at_end = false;       // still waiting when the run ended (an email backlog)
  int bot_turns = 0;              // the bot's loop turns before a person was offered
  double transfer_wait_s = 0.0;   // transferred: the wait for the specialist (on hold)
  std::uint32_t contact_number = 1;  // attempt on the case: 1 = first contact
  std::uint64_t case_id = 0;         // the id of the case's first contact
  double case_start_s = 0.0;         // arrival of the case's first contact
  double arrival_s = 0.0;            // simulation time of arrival
  double bot_s = 0.0;                // time with the bot (escalated: before joining the queue)
  double wait_s = 0.0;    // time in the agent queue until answered or gone (0 for balked)
  double handle_s = 0.0;  // service time (answered only)
  // Answered: time from reaching the agents to the first response — the answer (wait_s) on
  // synchronous channels, the agent's reply (end of handling) on email and messaging.
  double response_s = 0.0;

  static constexpr std::uint32_t kNoIntent = std::numeric_limits<std::uint32_t>::max();
};

// Time-weighted state of one channel over a stretch of one interval (inside the measured
// window). Integrals, not averages, so stretches add up: mean = integral / duration_s.
struct IntervalSample {
  std::uint32_t channel = 0;
  std::uint32_t interval = 0;  // report interval, as in ContactRecord
  std::uint32_t day = 0;
  std::uint64_t slot = 0;    // absolute interval number since time 0
  bool after_close = false;  // day form: the drain after closing (interval = the last one)
  double start_s = 0.0;
  double duration_s = 0.0;
  double busy_agent_s = 0.0;     // ∫ agents handling a contact of this channel
  double queue_contact_s = 0.0;  // ∫ contacts waiting
};

// The same for one agent group: its agents on duty and busy (on any of its channels).
struct GroupSample {
  std::uint32_t group = 0;  // index into Scenario::effectiveAgentGroups()
  std::uint32_t interval = 0;
  std::uint32_t day = 0;
  std::uint64_t slot = 0;
  bool after_close = false;
  double start_s = 0.0;
  double duration_s = 0.0;
  double busy_agent_s = 0.0;     // ∫ agents handling a contact
  double staffed_agent_s = 0.0;  // ∫ agents present (on duty, or finishing a contact)
  int staffing = 0;              // agents scheduled for the interval
};

class SimObserver {
 public:
  virtual ~SimObserver() = default;
  virtual void onContact(const ContactRecord& record) = 0;
  virtual void onInterval(const IntervalSample& sample) = 0;
  virtual void onGroupInterval(const GroupSample& sample) = 0;
};

}  // namespace cx
