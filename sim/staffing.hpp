// Staffing requirements per channel and interval (docs/STAFFING.md).
//
// Two methods:
//  - erlangRequirements(): each interval on its own, stationary, at the forecast mean rate,
//    with analytic::minimumAgents (Erlang A when the channel has patience, using its mean;
//    Erlang C otherwise), applied to what reaches the agents: the share the AI assistant
//    passes on, at the handle time of the mix it leaves. Handle time enters through its mean
//    only; balking, the daily busyness factor and returning customers are ignored, and so is
//    the work an interval inherits from the previous one — which is why the simulation method
//    exists. Transfers (an intent's `transfer`) are planned as a stream of their own for the
//    group receiving them (`StaffingPlan::transfers`), and cost the first agent only the
//    triage time.
//  - simulationRequirements(): the iterative staffing algorithm (Feldman, Mandelbaum, Massey &
//    Whitt 2008): simulate the current staffing, measure each interval, re-staff each interval
//    from what was measured, repeat until the staffing stops changing.
//
// Fractional requirements (kept until the roster step, because rounding every interval up
// before combining intervals into shifts overstates staff): `seated` is the on-phone
// requirement interpolated linearly between N−1 and N agents on the binding target's curve,
// so that it is the point where the target is met exactly; `required` = seated / (1 −
// shrinkage) is the rostered (paid) requirement, still fractional. `on_phone` is the integer
// minimum N and `agents` = ⌈required⌉; the roster (roster.hpp) works from `required`.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "sim/analytic.hpp"
#include "sim/experiment.hpp"
#include "sim/scenario.hpp"

namespace cx {

// --- Analytic building blocks with explicit parameters ---------------------------------------

// A stationary requirement at one arrival rate.
struct SeatedRequirement {
  double seated = 0.0;         // fractional agents on the phones (see above)
  int agents = 0;              // integer minimum meeting every target
  analytic::QueueResult at_n;  // the queue's figures at `agents` (for chat: at its slots)
  double offered_load = 0.0;   // erlangs of work (for chat: at the grown handle time)
};

// Voice-like queue (one contact per agent): Erlang C without patience, Erlang A with it.
// per_hour = 0 needs nobody. Throws std::invalid_argument on invalid or unreachable targets.
SeatedRequirement queueRequirement(double per_hour, double aht_s, std::optional<double> patience_s,
                                   const analytic::StaffingTarget& target);

// Chat with concurrency: an agent holds up to `concurrency` chats at once, and each chat lasts
// longer the more are held: per-chat handle time = aht_s · (1 + growth · (concurrency − 1)).
// Model: agents × concurrency pooled slots form one Erlang C/A queue at that handle time (a new
// chat takes any free slot); agents = slots / concurrency. Treating every agent as always
// holding `concurrency` chats is conservative (fewer chats at once go faster).
// Call Centre Helper's effective capacities 1.7 / 2.5 at 2 / 3 chats (CALIBRATION.md) are
// growth ≈ 0.18 / 0.10.
struct ChatConcurrency {
  int concurrency = 1;  // chats an agent holds at most, >= 1
  double growth = 0.0;  // extra handle time per additional concurrent chat, share of aht, >= 0
};
double chatHandleTime(double aht_s, const ChatConcurrency& chat);
SeatedRequirement chatRequirement(double per_hour, double aht_s, std::optional<double> patience_s,
                                  const ChatConcurrency& chat,
                                  const analytic::StaffingTarget& target);

// Email (asynchronous): `arrivals[k]` emails arrive, spread evenly, during interval k (each
// `interval_s` long); each takes `aht_s` of agent time and must be answered within
// `response_target_s` of arriving. Requirement: each email's work spread evenly over its
// response window (a fluid model), so agents(t) = work arrived in (t − T, t] / T, averaged over
// each interval and divided by the occupancy cap. With this capacity every email is answered
// within T by first-in-first-out service as well (earliest deadline first is FIFO here, and
// EDF meets every deadline whenever any schedule does). `cyclic`: the intervals repeat (work
// from the last ones spills into the first); otherwise work whose window runs past the end is
// reported as `carryover_work_s` (done after the last interval).
struct EmailRequirement {
  std::vector<double> agents;     // [interval], fractional
  double carryover_work_s = 0.0;  // non-cyclic: agent-seconds left after the last interval
};
EmailRequirement emailRequirement(const std::vector<double>& arrivals, double interval_s,
                                  double aht_s, double response_target_s, bool cyclic,
                                  double max_occupancy = 1.0);

// --- Requirements for a scenario -------------------------------------------------------------

struct StaffingOptions {
  std::optional<double> target_sl;         // overrides each channel's service_level.target
  std::optional<double> threshold_s;       // overrides each channel's service_level.threshold_s
  std::optional<double> max_abandon_rate;  // only binds for channels with patience
  std::optional<double> max_occupancy;     // in (0, 1]
  double shrinkage = 0.0;                  // share of paid time off the phones, in [0, 1)

  // Simulation method.
  std::uint64_t seed = 1;
  int replications = 10;
  int max_iterations = 25;
  int threads = 0;  // 0 = all hardware threads
  // Start from the Erlang answer (the usual case), or from the offered load ⌈R⌉ + 1 of each
  // interval (to show the algorithm finds the answer on its own).
  bool start_from_offered_load = false;
};

struct IntervalRequirement {
  double per_hour = 0.0;        // forecast arrivals per hour (mean, before busyness)
  double seated = 0.0;          // fractional on-phone requirement
  double required = 0.0;        // seated / (1 − shrinkage): fractional rostered requirement
  int on_phone = 0;             // integer on-phone agents (minimum meeting the targets)
  int agents = 0;               // ⌈required⌉: rostered agents
  double service_level = 0.0;   // at `on_phone`: Erlang (analytic) or simulated mean
  double asa_s = 0.0;           // likewise (NaN when undefined in simulation)
  double abandon_rate = 0.0;    // likewise
  double effective_load = 0.0;  // erlangs: λ·AHT (Erlang), or the load the simulation implies
  // Simulation method: contacts per hour that arrived in the last simulation (fresh and
  // returning customers; for a transferred stream, the transfers), so that an interval without
  // a forecast but with returning customers shows what it was staffed for. NaN in the Erlang
  // method.
  double offered_per_hour = std::numeric_limits<double>::quiet_NaN();
};

struct ChannelRequirement {
  std::string id;
  std::string model;  // "Erlang A", "Erlang C"
  double target = 0.8;
  double threshold_s = 20.0;
  std::vector<IntervalRequirement> intervals;  // [Scenario::intervalsPerDay()]
  // Email and messaging in the day form: agent-seconds of the day's work whose reply window
  // runs past closing, left for the next morning. Those replies wait overnight whatever the
  // day's staffing, and the plan does not add that work to the morning (docs/STAFFING.md).
  double carryover_work_s = 0.0;
};

struct StaffingPlan {
  std::string method;  // "erlang" or "simulation"
  double shrinkage = 0.0;
  // Per channel, same order as Scenario::channels. With [[agent_groups]], `on_phone`, `seated`
  // and `required` are the channel's part of its groups' agents (see `groups`).
  std::vector<ChannelRequirement> channels;
  // With [[agent_groups]]: per group, same order as Scenario::agent_groups — what is staffed
  // and rostered. Each channel is carried by the groups that list it first (or, if none does,
  // by all groups serving it), in proportion to the share of its contact reasons each takes;
  // the Erlang method adds up those parts (it sees neither the pooling gain nor the time a
  // group gives to its second skills: a starting point), the simulation method measures the
  // shared operation. Service figures are the worst channel's.
  std::vector<ChannelRequirement> groups;
  // With transfers (an intent's `transfer = { to = GROUP, ... }`): per group receiving them, in
  // the order of Scenario::agent_groups, the transferred stream as a queue of its own (`id` is
  // the group's). Planned by Erlang C (a transferred customer is on hold and does not abandon;
  // the group takes transfers before its channels) at the target of the feeding channel with
  // the shortest threshold; `per_hour` is the planned transfers, `service_level` the share
  // picked up within the threshold, `asa_s` the mean hold and, measured, `abandon_rate` the
  // share never picked up. Its `seated` is part of the group's requirement.
  std::vector<ChannelRequirement> transfers;
  // Simulation method only.
  int iterations = 0;        // simulation runs made (each of `replications` replications)
  bool converged = true;     // false: stopped by max_iterations or a cycle (see `note`)
  std::string note;          // how the search ended, for reports
  std::vector<int> changes;  // [iteration]: intervals whose staffing that iteration changed
  int alternations = 0;      // times an interval alternating between two levels kept the larger
  int replications = 0;
  std::uint64_t seed = 0;
  double wall_s = 0.0;

  // What is staffed: `groups` with [[agent_groups]], `channels` without (Scenario::staffedIds()).
  const std::vector<ChannelRequirement>& staffed() const {
    return groups.empty() ? channels : groups;
  }
  // [staffed unit][interval] integer on-phone staffing, for withStaffing().
  std::vector<std::vector<int>> onPhone() const;
};

// A channel's service level and abandonment among the contacts that reached its agents: the
// metrics' definitions (DESIGN.md §3) count customers who gave up in the bot's loop as
// abandoned, which no staffing can change, so the simulation method measures without them.
// From the means over replications: SL × ended / (ended − lost), (abandoned − lost) / (ended −
// lost), with ended = answered + abandoned and lost = bot_gave_up. `bot_gave_up` is lost /
// ended (0 without a bot).
struct QueueFigures {
  double service_level = 0.0;
  double abandon_rate = 0.0;
  double bot_gave_up = 0.0;
};
QueueFigures queueFigures(const MetricEstimates& e);

// Throws std::invalid_argument on bad options (shrinkage outside [0, 1), target outside
// [0, 1), ...) or an unreachable target, naming the channel and interval.
StaffingPlan erlangRequirements(const Scenario& scenario, const StaffingOptions& options);

// The iterative staffing algorithm. Each iteration simulates the current staffing (the same
// seed every time: common random numbers, so the measurement is a deterministic function of
// the staffing). For each interval it finds the offered load that, in the channel's Erlang
// model with the interval's current agents, would give the service level (and abandonment and
// occupancy, when capped) that was measured; the interval's next staffing is the Erlang minimum
// at that effective load. This load carries what the stationary formula misses — work carried
// in from the previous interval, non-exponential times, busy days, balking. It stops when no
// interval changes (then every interval meets its targets in the simulation). An interval sent
// back to the level it had two iterations earlier keeps the larger of the two; if the whole
// staffing still cycles, the element-wise maximum of the cycle is simulated once more and
// returned.
// Shared agent groups: each channel is re-staffed as above at its part of its groups' agents
// (the split of the Erlang start, kept fixed); a group grows by the sum of its channels'
// shortfalls, and with none shrinks by what its tightest channel can spare (docs/STAFFING.md).
// Transfers: the stream a group receives is re-staffed like a channel, from its measured hold
// (picked up within the threshold, by the interval the transfers joined the group's queue);
// an interval of such a group sent back to any level it had before keeps the larger.
// An interval without a forecast in which contacts arrived in the simulation (returning
// customers) is re-staffed like the others (`offered_per_hour` says what came).
// `progress` (optional) is called after each iteration with (iteration, intervals changed).
StaffingPlan simulationRequirements(const Scenario& scenario, const StaffingOptions& options,
                                    const std::function<void(int, int)>& progress = {});

// The scenario with the options' service-level target and threshold (when given) written into
// every channel, so that simulations measure what the staffing aimed at.
Scenario withTargets(const Scenario& scenario, const StaffingOptions& options);

// The scenario with each staffed unit's agents (Scenario::staffedIds(): the channels, or the
// agent groups) replaced by `on_phone[u]` (one value per interval); their shifts and breaks go.
// Throws std::invalid_argument on a count or length that does not fit the scenario.
Scenario withStaffing(const Scenario& scenario, const std::vector<std::vector<int>>& on_phone);

}  // namespace cx
