#include "sim/engine.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <deque>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sim/distributions.hpp"
#include "sim/event_queue.hpp"
#include "sim/rng.hpp"

namespace cx {

namespace {

constexpr double kDay = 86400.0;
constexpr std::uint32_t kNil = 0xFFFFFFFFu;
constexpr double kMaxSlots = 4.0e9;  // intervals in a run: their numbers are 32-bit targets

// Event kinds and their priorities at equal times: clock events (staffing, window edges)
// first, then releases (service end) before abandonment before new arrivals — so an agent
// freed at the instant a caller's patience runs out answers that caller.
enum EventKind : std::uint32_t {
  kSlot,
  kClose,
  kWarmupEnd,
  kHorizonEnd,
  kServiceEnd,
  kAbandon,
  kArrival,
  kBotEnd,
  kRetry,
  kTransfer
};
constexpr int kPrioClock = 0, kPrioRelease = 1, kPrioAbandon = 2, kPrioArrival = 3;

// What the bot conversation ends in, decided when it starts.
enum class BotResult : std::uint8_t { None, Deflect, GiveUp, Escalate };

struct Contact {
  double arrival = 0.0;
  double queued = 0.0;  // reached the agents (after the bot, if any)
  double answered = 0.0;
  double bot_s = 0.0;
  double handle = 0.0;  // drawn on arrival; scaled by the serving group's proficiency
  double patience = 0.0;
  std::uint64_t id = 0;
  std::uint32_t prev = kNil, next = kNil;  // FCFS queue links
  std::uint32_t channel = 0;
  std::uint32_t group = 0;  // the group of the agent serving it
  std::uint32_t interval = 0;
  std::uint32_t day = 0;
  std::uint32_t intent = ContactRecord::kNoIntent;
  std::uint32_t attempt = 1;  // contact number on the case
  std::uint64_t case_id = 0;
  double case_start = 0.0;
  TimerId abandon;
  bool measured = false;
  bool waited = false;
  bool resolved = false;  // if handled, the problem is solved (agent's FCR, bot not false)
  bool repeated = false;  // had to tell the story again (no shared context)
  bool switched = false;  // came back on another channel than last time
  bool case_ended = false;
  bool follow_up = false;       // the agent's promised call back (no bot, no abandonment)
  bool chase = false;           // the customer chasing a broken promise
  std::uint16_t bot_turns = 0;  // loop turns before a person was offered (or given up)
  bool transferred = false;     // passed by a first-tier agent to specialists
  bool empowered = false;       // the agent took the policy's extra time
  double u_resolve = 0.0;       // the uniform the resolution is decided by (vs fcr)
  double fcr_factor = 1.0;      // × the intent's fcr (repeat contacts without the history)
  double tier1 = 0.0;           // first agent's time before a transfer
  double held = 0.0;            // when the transferred contact started waiting for a specialist
  double held_wait = 0.0;       // how long it waited for the specialist
  std::uint32_t agent = kNil;   // concurrent channels: the serving agent's chat record
  double u_silent = 1.0;        // the uniform deciding whether an abandonment is silent
  bool silent = false;          // abandoned without a word: its chat stays queued (a ghost)
  bool ghost = false;           // a silent abandoner's chat, waiting to be discovered
  BotResult bot = BotResult::None;
};

struct IntentRt {
  double handle_factor = 1.0, fcr = 1.0, containment = 0.0;
  int transfer_to = -1;  // the specialists' group; -1: no transfers
  double transfer_share = 0.0;
  Sampler transfer_after;
  bool needs_care = false;  // the empowerment policy applies to it
};

// Where the current interval-sample stretch of a channel or group began.
struct Stretch {
  bool active = false;
  double last_t = 0.0;
  double start_s = 0.0;
  std::uint64_t slot = 0;
  std::uint32_t interval = 0, day = 0;
  bool after_close = false;
};

struct ChannelState {
  Sampler handle;
  Sampler patience;
  bool has_patience = false;
  double balk_probability = 0.0;
  // Chat concurrency: an agent holds up to `concurrency` of this channel's contacts.
  int concurrency = 1;
  std::vector<double> slowdown;  // handle-time factor of an agent's n-th chat, [n-1]
  double silent_share = 0.0, discovery_s = 0.0;
  bool async = false;              // email, messaging: worked after the synchronous queues
  std::vector<double> rate_per_s;  // per interval of the day / cycle
  // Day d's multiplier of the rates: a busyness factor Gamma(alpha, 1/alpha) times the day
  // factor. Drawn day by day as the run reaches a day (the d-th draw of the channel's stream,
  // whatever the horizon), so a long horizon allocates nothing up front.
  double busyness_alpha = 0.0;
  std::vector<double> day_factors;
  std::vector<double> busyness;  // days drawn so far
  Rng arrival_rng, handle_rng, patience_rng, balk_rng, busyness_rng;
  std::vector<std::uint32_t> groups;  // the groups that serve this channel
  // With intents: cumulative shares and the intent each ends at (zero shares left out).
  std::vector<std::pair<double, std::uint32_t>> intent_cum;
  Rng intent_rng, resolve_rng, silent_rng;
  bool has_bot = false;
  Sampler bot_time;
  Rng bot_rng, bot_time_rng;
  int in_bot = 0;  // contacts talking to the bot now

  int busy = 0;  // contacts of this channel being handled (agents, for concurrency 1)
  int held = 0;  // transferred contacts waiting for a specialist
  std::uint32_t head = kNil, tail = kNil;
  std::uint32_t queue_len = 0;
  double arrival_end = 0.0;  // no arrivals at or after this time (current day / horizon)
  double open_time = 0.0;    // day form: opening time of the current day

  Stretch stretch;
  double busy_int = 0.0, queue_int = 0.0;

  ChannelState(const ChannelSpec& spec, std::uint64_t seed, std::uint32_t rep)
      : handle(spec.handle_time),
        has_patience(spec.patience.has_value()),
        balk_probability(spec.balk_probability),
        concurrency(spec.concurrency),
        slowdown(spec.concurrency_slowdown),
        silent_share(spec.silent_abandon),
        discovery_s(spec.silent_discovery_s),
        async(spec.asynchronous()),
        arrival_rng(seed, rep, "arrivals/" + spec.id),
        handle_rng(seed, rep, "handle/" + spec.id),
        patience_rng(seed, rep, "patience/" + spec.id),
        balk_rng(seed, rep, "balk/" + spec.id),
        busyness_rng(seed, rep, "busyness/" + spec.id),
        intent_rng(seed, rep, "intent/" + spec.id),
        resolve_rng(seed, rep, "resolve/" + spec.id),
        silent_rng(seed, rep, "silent/" + spec.id),
        bot_rng(seed, rep, "bot/" + spec.id),
        bot_time_rng(seed, rep, "bot-time/" + spec.id) {
    if (has_patience) patience = Sampler(*spec.patience);
    busyness_alpha = spec.arrivals.busyness_alpha;
    day_factors = spec.arrivals.day_factors;
  }

  double busynessOn(std::size_t day) {
    if (busyness_alpha <= 0.0 && day_factors.empty()) return 1.0;
    while (busyness.size() <= day) {
      const std::size_t d = busyness.size();
      double f = 1.0;
      if (busyness_alpha > 0.0) f = busyness_rng.gamma(busyness_alpha, 1.0 / busyness_alpha);
      if (!day_factors.empty()) f *= day_factors[d % day_factors.size()];
      busyness.push_back(f);
    }
    return busyness[day];
  }

  // Busy time in agent units: a chat is 1/concurrency of an agent (slot occupancy).
  void advance(double now) {
    const double dt = now - stretch.last_t;
    busy_int += concurrency == 1 ? busy * dt : busy * dt / concurrency;
    queue_int += queue_len * dt;
    stretch.last_t = now;
  }
};

struct GroupState {
  std::vector<std::uint32_t> skills;  // channel indices, highest priority first
  std::vector<int> staffing;          // per interval of the day / cycle
  double proficiency = 1.0;
  double fcr_uplift = 0.0;

  int target = 0;   // agents scheduled now
  int present = 0;  // agents on duty, including those finishing a contact over target
  int busy = 0;
  std::deque<double> idle;  // when each idle agent became idle, longest idle first
  // Contacts transferred to this group: a FIFO of contact slots, served before the channels;
  // `incoming` counts those decided but not yet answered (with the first agent, or queued).
  std::uint32_t t_head = kNil, t_tail = kNil;
  int incoming = 0;
  // Agents holding chats of concurrent channels (counted in `busy`): one record each, kept in
  // a pool; `leaving` of them were chosen to go home when their last chat ends.
  struct ChatAgent {
    int load = 0;        // chats held
    double since = 0.0;  // when the load last changed (ties: the one waiting longest)
    bool leaving = false;
  };
  std::vector<ChatAgent> chat;
  std::vector<std::uint32_t> chat_free;
  int chat_agents = 0, leaving = 0;
  std::vector<std::uint32_t> chat_channels;  // concurrent channels among the skills
  std::vector<int> chat_k, chats;            // their concurrency and chats held now
  // Intent skills: takes[i] whether the group takes contacts of intent i; empty: every one.
  std::vector<bool> intents;
  bool takes(std::uint32_t intent) const {
    return intents.empty() || intent >= intents.size() || intents[intent];
  }

  Stretch stretch;
  double busy_int = 0.0, staffed_int = 0.0;

  // Busy time in agent units: an agent holding chats counts the share of its slots in use.
  void advance(double now) {
    const double dt = now - stretch.last_t;
    double working = busy;
    if (chat_agents > 0) {
      working -= chat_agents;
      for (std::size_t i = 0; i < chats.size(); ++i)
        working += static_cast<double>(chats[i]) / chat_k[i];
    }
    busy_int += working * dt;
    staffed_int += present * dt;
    stretch.last_t = now;
  }
};

}  // namespace

struct Simulation::Impl {
  Scenario scenario;
  std::vector<ChannelState> channels;
  std::vector<GroupState> groups;
  std::vector<IntentRt> intents;
  BotSpec bot;  // the scenario's [bot], when some channel has one
  std::optional<JourneySpec> journeys;
  std::optional<EmpowermentSpec> empowerment;
  bool agent_choices = false;  // some intent may be transferred or get extra time
  Sampler retry_delay;
  std::vector<std::vector<std::pair<double, std::uint32_t>>> switch_cum;  // [channel]
  std::uint64_t seed = 0;
  std::uint32_t rep = 0;
  std::vector<Contact> contacts;
  std::vector<std::uint32_t> free_contacts;
  EventQueue calendar;
  EngineStats stats;
  SimObserver* observer = nullptr;

  bool day_form = false;
  int intervals = 1;  // K: intervals per day / cycle
  double interval_s = 3600.0;
  double warmup_end = 0.0;   // continuous: start of the measured window
  double horizon_end = 0.0;  // continuous: end of the measured window and of arrivals
  bool measuring = false;
  bool closing = false;  // day form: after closing time, while the queues drain
  std::uint64_t next_contact_id = 0;
  std::size_t in_system = 0;

  // The interval the clock is in (for new stretches and contact records).
  Stretch now_stretch;

  Impl(const Scenario& sc, std::uint64_t seed_, std::uint32_t rep_)
      : scenario(sc), seed(seed_), rep(rep_) {
    day_form = sc.dayStructured();
    intervals = sc.intervalsPerDay();
    interval_s = sc.intervalSeconds();
    if (!day_form) {
      warmup_end = sc.warmup_hours * 3600.0;
      horizon_end = warmup_end + sc.horizon_hours * 3600.0;
    }
    // Interval numbers travel as 32-bit event targets. validateScenario() keeps files far
    // inside this (a million hours of 1-minute intervals is 6e7); a scenario built in code
    // past it is refused here rather than run with counters that wrap.
    const double slots =
        day_form ? static_cast<double>(sc.days) * intervals : std::ceil(horizon_end / interval_s);
    if (!(interval_s > 0.0 && slots < kMaxSlots)) {
      throw std::invalid_argument(fmt::format(
          "the run is too long for the engine: {:g} intervals of {:g} minutes (at most {:g}); "
          "check horizon_hours, warmup_hours, days and interval_minutes",
          slots, sc.interval_minutes, kMaxSlots));
    }
    channels.reserve(sc.channels.size());
    for (const ChannelSpec& spec : sc.channels) {
      ChannelState& ch = channels.emplace_back(spec, seed, rep);
      for (int k = 0; k < intervals; ++k)
        ch.rate_per_s.push_back(spec.arrivals.perHourAt(k) / 3600.0);
    }
    const double default_containment = sc.bot ? sc.bot->containment : 0.0;
    const std::vector<AgentGroupSpec> group_specs = sc.effectiveAgentGroups();
    for (const IntentSpec& in : sc.intents) {
      IntentRt& rt = intents.emplace_back();
      rt.handle_factor = in.handle_factor;
      rt.fcr = in.fcr;
      rt.containment = in.bot_containment.value_or(default_containment);
      if (in.transfer) {
        for (std::size_t g = 0; g < group_specs.size(); ++g)
          if (group_specs[g].id == in.transfer->to) rt.transfer_to = static_cast<int>(g);
        rt.transfer_share = in.transfer->share;
        rt.transfer_after = Sampler(in.transfer->after);
      }
      if (sc.empowerment) {
        const auto& needs = sc.empowerment->needs;
        rt.needs_care = std::find(needs.begin(), needs.end(), in.complexity) != needs.end();
      }
      agent_choices = agent_choices || rt.transfer_to >= 0 || rt.needs_care;
    }
    if (sc.empowerment) empowerment = *sc.empowerment;
    if (sc.bot) bot = *sc.bot;
    if (sc.journeys) {
      journeys = *sc.journeys;
      retry_delay = Sampler(sc.journeys->delay);
      for (std::uint32_t c = 0; c < sc.channels.size(); ++c) {
        auto& cum = switch_cum.emplace_back();
        for (const auto& [from, row] : sc.journeys->switch_rows) {
          if (from != sc.channels[c].id) continue;
          double total = 0.0;
          for (const auto& [to, p] : row)
            for (std::uint32_t d = 0; d < sc.channels.size(); ++d)
              if (sc.channels[d].id == to && p > 0.0) cum.emplace_back(total += p, d);
        }
        if (cum.empty()) cum.emplace_back(1.0, c);  // no row: customers stay on the channel
      }
    }
    for (std::uint32_t c = 0; c < sc.channels.size(); ++c) {
      ChannelState& ch = channels[c];
      double cum = 0.0;
      for (std::uint32_t i = 0; i < sc.intents.size(); ++i) {
        const double share = sc.intents[i].shareOf(sc.channels[c].id);
        if (share <= 0.0) continue;
        cum += share;
        ch.intent_cum.emplace_back(cum, i);
      }
      if (sc.bot && sc.bot->serves(sc.channels[c].id)) {
        ch.has_bot = true;
        ch.bot_time = Sampler(sc.bot->conversation);
      }
    }
    for (const AgentGroupSpec& spec : group_specs) {
      GroupState& g = groups.emplace_back();
      const auto gi = static_cast<std::uint32_t>(groups.size() - 1);
      g.proficiency = spec.proficiency;
      g.fcr_uplift = spec.fcr_uplift;
      if (!spec.intents.empty()) {
        g.intents.assign(sc.intents.size(), false);
        for (std::size_t i = 0; i < sc.intents.size(); ++i)
          g.intents[i] = std::find(spec.intents.begin(), spec.intents.end(), sc.intents[i].id) !=
                         spec.intents.end();
      }
      for (int k = 0; k < intervals; ++k) g.staffing.push_back(spec.agentsAt(k));
      for (const std::string& id : spec.channels)
        for (std::uint32_t c = 0; c < sc.channels.size(); ++c)
          if (sc.channels[c].id == id) {
            g.skills.push_back(c);
            channels[c].groups.push_back(gi);
            if (channels[c].concurrency > 1) {
              g.chat_channels.push_back(c);
              g.chat_k.push_back(channels[c].concurrency);
              g.chats.push_back(0);
            }
          }
    }
  }

  // ---- contacts and queues -------------------------------------------------------------

  std::uint32_t newContact() {
    std::uint32_t slot;
    if (!free_contacts.empty()) {
      slot = free_contacts.back();
      free_contacts.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(contacts.size());
      contacts.emplace_back();
    }
    ++in_system;
    stats.peak_in_system = std::max(stats.peak_in_system, in_system);
    return slot;
  }

  void freeContact(std::uint32_t slot) {
    free_contacts.push_back(slot);
    --in_system;
  }

  void enqueue(ChannelState& ch, std::uint32_t slot) {
    Contact& c = contacts[slot];
    c.prev = ch.tail;
    c.next = kNil;
    if (ch.tail != kNil)
      contacts[ch.tail].next = slot;
    else
      ch.head = slot;
    ch.tail = slot;
    ++ch.queue_len;
  }

  void unlink(ChannelState& ch, std::uint32_t slot) {
    Contact& c = contacts[slot];
    if (c.prev != kNil)
      contacts[c.prev].next = c.next;
    else
      ch.head = c.next;
    if (c.next != kNil)
      contacts[c.next].prev = c.prev;
    else
      ch.tail = c.prev;
    --ch.queue_len;
  }

  void report(const Contact& c, Outcome outcome, double now, bool open_at_end = false) {
    if (!c.measured) return;
    ContactRecord r;
    r.id = c.id;
    r.channel = c.channel;
    r.group = c.group;
    r.interval = c.interval;
    r.day = c.day;
    r.intent = c.intent;
    r.outcome = outcome;
    r.waited = c.waited;
    r.via_bot = c.bot != BotResult::None;
    r.reached_agents = c.bot == BotResult::None || c.bot == BotResult::Escalate;
    r.resolved = c.resolved && (outcome == Outcome::Answered || outcome == Outcome::Deflected);
    r.arrival_s = c.arrival;
    r.bot_s = c.bot_s;
    r.case_id = c.case_id;
    r.case_start_s = c.case_start;
    r.contact_number = c.attempt;
    r.repeated_info = c.repeated;
    r.switched_channel = c.switched;
    r.case_ended = c.case_ended;
    r.follow_up = c.follow_up;
    r.chase = c.chase;
    r.transferred = c.transferred;
    r.bot_turns = c.bot_turns;
    r.empowered = c.empowered;
    r.silent = c.silent;
    r.open_at_end = open_at_end;
    if (outcome == Outcome::Answered) {
      r.wait_s = c.answered - c.queued;
      r.handle_s = c.tier1 + c.handle;
      if (c.transferred) r.transfer_wait_s = c.held_wait;
      r.response_s = channels[c.channel].async ? now - c.queued : r.wait_s;
    } else if (r.reached_agents) {
      r.wait_s = now - c.queued;
    }
    observer->onContact(r);
  }

  // ---- routing -------------------------------------------------------------------------

  // The group whose longest-idle agent has been idle longest, among those serving channel c;
  // -1 when every agent who could take the contact is busy.
  int groupWithIdleAgent(const ChannelState& ch, std::uint32_t intent) const {
    int best = -1;
    double since = std::numeric_limits<double>::infinity();
    for (std::uint32_t g : ch.groups) {
      const GroupState& gs = groups[g];
      if (!gs.idle.empty() && gs.idle.front() < since && gs.takes(intent)) {
        since = gs.idle.front();
        best = static_cast<int>(g);
      }
    }
    return best;
  }

  // The first channel, in the group's priority order, with someone waiting; -1 if none.
  // Without `async_too`, only the synchronous channels (what keeps agents after closing).
  int channelWithQueue(const GroupState& g, bool async_too = true) const {
    std::uint32_t slot = kNil;
    return nextWaiting(g, slot, async_too);
  }

  // The contact group g takes next from the channel queues: the oldest of the first channel,
  // in the group's priority order, that has one of the intents the group takes (the head,
  // for a group that takes every intent; else found by walking the queue). Synchronous
  // channels come first: email and messaging are worked when no call or chat waits. Returns
  // the channel, -1 if none; the contact in `slot`.
  int nextWaiting(const GroupState& g, std::uint32_t& slot, bool async_too = true) const {
    for (int pass = 0; pass < (async_too ? 2 : 1); ++pass)
      for (std::uint32_t c : g.skills)
        if (channels[c].async == (pass == 1) && waitingIn(g, c, slot)) return static_cast<int>(c);
    return -1;
  }

  // The oldest contact of channel c that group g takes, in `slot`; false if none.
  bool waitingIn(const GroupState& g, std::uint32_t c, std::uint32_t& slot) const {
    const ChannelState& ch = channels[c];
    if (ch.queue_len == 0) return false;
    if (g.intents.empty()) {
      slot = ch.head;
      return true;
    }
    for (std::uint32_t s = ch.head; s != kNil; s = contacts[s].next)
      if (g.takes(contacts[s].intent)) {
        slot = s;
        return true;
      }
    return false;
  }

  // ---- chat concurrency ----------------------------------------------------------------

  static int chatIndex(const GroupState& gs, std::uint32_t c) {
    for (std::size_t i = 0; i < gs.chat_channels.size(); ++i)
      if (gs.chat_channels[i] == c) return static_cast<int>(i);
    return -1;
  }

  // Among the groups serving concurrent channel c and taking the intent, the agent already
  // holding chats with a free slot and the fewest chats (ties: unchanged longest); false if
  // none. Idle agents are preferred by the caller, so this spreads chats over the agents.
  bool chatAgentWithRoom(const ChannelState& ch, std::uint32_t intent, std::uint32_t& g_out,
                         std::uint32_t& a_out) const {
    int best_load = ch.concurrency;
    double best_since = 0.0;
    for (std::uint32_t g : ch.groups) {
      const GroupState& gs = groups[g];
      if (gs.chat_agents == 0 || !gs.takes(intent)) continue;
      const int a = roomiest(gs, ch.concurrency);
      if (a < 0) continue;
      const auto& rec = gs.chat[static_cast<std::size_t>(a)];
      if (rec.load < best_load || (rec.load == best_load && rec.since < best_since)) {
        best_load = rec.load;
        best_since = rec.since;
        g_out = g;
        a_out = static_cast<std::uint32_t>(a);
      }
    }
    return best_load < ch.concurrency;
  }

  // Group g's chat agent (not leaving) with the fewest chats, fewer than `limit`; -1 if none.
  static int roomiest(const GroupState& gs, int limit) {
    int best = -1;
    for (std::size_t a = 0; a < gs.chat.size(); ++a) {
      const auto& rec = gs.chat[a];
      if (rec.load == 0 || rec.leaving || rec.load >= limit) continue;
      if (best < 0 || rec.load < gs.chat[static_cast<std::size_t>(best)].load ||
          (rec.load == gs.chat[static_cast<std::size_t>(best)].load &&
           rec.since < gs.chat[static_cast<std::size_t>(best)].since))
        best = static_cast<int>(a);
    }
    return best;
  }

  // Agents of group g who hold chats take waiting chats into their free slots, the least
  // loaded first, channels in the group's order (synchronous first).
  void fillChatSlots(std::uint32_t g, double now) {
    GroupState& gs = groups[g];
    if (gs.chat_agents == 0) return;
    bool took = true;
    while (took) {
      took = false;
      for (int pass = 0; pass < 2 && !took; ++pass)
        for (std::uint32_t c : gs.chat_channels) {
          std::uint32_t slot = kNil;
          if (channels[c].async != (pass == 1) || !waitingIn(gs, c, slot)) continue;
          const int a = roomiest(gs, channels[c].concurrency);
          if (a < 0) continue;
          ChannelState& ch = channels[c];
          ch.advance(now);
          unlink(ch, slot);
          startService(g, c, slot, now, static_cast<std::uint32_t>(a));
          took = true;
          break;
        }
    }
  }

  // The contact in `slot` takes a chat slot of group g's agent `agent` (kNil: an agent who
  // was idle, counted busy, starts holding chats). Returns the agent's chats, this one in.
  int takeChatSlot(std::uint32_t g, std::uint32_t c, std::uint32_t slot, std::uint32_t agent,
                   double now) {
    GroupState& gs = groups[g];
    gs.advance(now);
    if (agent == kNil) {
      if (!gs.chat_free.empty()) {
        agent = gs.chat_free.back();
        gs.chat_free.pop_back();
      } else {
        agent = static_cast<std::uint32_t>(gs.chat.size());
        gs.chat.emplace_back();
      }
      gs.chat[agent] = GroupState::ChatAgent{};
      ++gs.chat_agents;
    }
    auto& rec = gs.chat[agent];
    ++rec.load;
    rec.since = now;
    ++gs.chats[static_cast<std::size_t>(chatIndex(gs, c))];
    contacts[slot].agent = agent;
    return rec.load;
  }

  // A contact of channel c handled by group g's `agent` (kNil: not a chat) ends: the agent
  // takes more, or is free (leaves if going home, else the next contact or idle).
  void releaseSlot(std::uint32_t g, std::uint32_t c, std::uint32_t agent, double now) {
    if (agent == kNil) {
      releaseAgent(g, now);
      return;
    }
    GroupState& gs = groups[g];
    gs.advance(now);
    auto& rec = gs.chat[agent];
    --rec.load;
    rec.since = now;
    --gs.chats[static_cast<std::size_t>(chatIndex(gs, c))];
    if (rec.load > 0) {
      fillChatSlots(g, now);
      return;
    }
    gs.chat_free.push_back(agent);
    --gs.chat_agents;
    if (rec.leaving) {  // chosen to go home when staffing dropped
      rec.leaving = false;
      --gs.leaving;
      --gs.present;
      --gs.busy;
      return;
    }
    releaseAgent(g, now);
  }

  // `n` of group g's chat agents (the least loaded) go home when their chats end.
  void markLeaving(GroupState& gs, int n) {
    for (; n > 0; --n) {
      const int a = roomiest(gs, std::numeric_limits<int>::max());
      if (a < 0) return;
      gs.chat[static_cast<std::size_t>(a)].leaving = true;
      ++gs.leaving;
    }
  }

  // Staffing went up again: up to `n` agents chosen to leave stay after all.
  void unmarkLeaving(GroupState& gs, int n) {
    for (auto& rec : gs.chat) {
      if (n == 0) return;
      if (rec.leaving) {
        rec.leaving = false;
        --gs.leaving;
        --n;
      }
    }
  }

  // An agent of group g (already counted busy) starts on contact `slot` of channel c; on a
  // concurrent channel, `agent` is the chat agent whose free slot it takes (kNil: an agent
  // who was idle).
  void startService(std::uint32_t g, std::uint32_t c, std::uint32_t slot, double now,
                    std::uint32_t agent = kNil) {
    ChannelState& ch = channels[c];
    ch.advance(now);
    ++ch.busy;
    Contact& ct = contacts[slot];
    ct.group = g;
    // Concurrent for the group's agents if the channel is one of their skills (specialists
    // taking a transferred chat without the skill hold it alone).
    const bool concurrent = ch.concurrency > 1 && chatIndex(groups[g], c) >= 0;
    const int load = concurrent ? takeChatSlot(g, c, slot, agent, now) : 1;
    if (ct.ghost) {  // a chat whose customer has gone: the agent finds out
      ct.answered = now;
      ct.handle = ch.discovery_s;
      calendar.push(now + ct.handle, kPrioRelease, kServiceEnd, slot);
      return;
    }
    if (ct.transferred) {  // a specialist picks up a transferred contact
      ct.held_wait = now - ct.held;
    } else {
      ct.answered = now;
      calendar.cancel(ct.abandon);
      if (agent_choices && ct.intent != ContactRecord::kNoIntent && agentTransfers(g, slot, now))
        return;
    }
    ct.handle *= groups[g].proficiency;
    if (concurrent) ct.handle *= ch.slowdown[static_cast<std::size_t>(load - 1)];
    if (ct.empowered) ct.handle += empowerment->extra_minutes * 60.0;
    // Resolution by the agent who handles it: the intent's fcr, moved by the group's uplift
    // (lowered when negative) and raised by the policy's extra time; the same uniform whatever
    // the change (CRN), so a raise only resolves more and a cut only resolves fewer.
    if (ct.intent != ContactRecord::kNoIntent && (groups[g].fcr_uplift != 0.0 || ct.empowered)) {
      const double gain = groups[g].fcr_uplift + (ct.empowered ? empowerment->fcr_gain : 0.0);
      ct.resolved =
          ct.u_resolve < std::clamp(intents[ct.intent].fcr * ct.fcr_factor + gain, 0.0, 1.0);
    }
    calendar.push(now + ct.handle, kPrioRelease, kServiceEnd, slot);
  }

  // What the agent who answers a contact decides: pass it to specialists (the intent's
  // transfer, unless the agent is one), or take the empowerment policy's extra time with a
  // customer who needs it. Drawn from the contact's own stream, so the choices of one contact
  // do not move another's. Returns true when the contact is being transferred.
  bool agentTransfers(std::uint32_t g, std::uint32_t slot, double now) {
    Contact& ct = contacts[slot];
    const IntentRt& in = intents[ct.intent];
    Rng r(seed, rep, fmt::format("agent/{}/{}", ct.case_id, ct.attempt));
    const double u_transfer = r.uniform(), u_empower = r.uniform();
    const double triage = in.transfer_to >= 0 ? in.transfer_after.sample(r) : 0.0;
    if (in.needs_care && u_empower < empowerment->use) ct.empowered = true;
    if (in.transfer_to < 0 || static_cast<int>(g) == in.transfer_to ||
        u_transfer >= in.transfer_share)
      return false;
    ct.transferred = true;
    ct.tier1 = triage * groups[g].proficiency;
    ++groups[static_cast<std::size_t>(in.transfer_to)].incoming;
    ++stats.transfers;
    calendar.push(now + ct.tier1, kPrioRelease, kTransfer, slot);
    return true;
  }

  // The first agent hands over: free again, and the contact goes to the specialists (at once
  // if one is idle, else it waits for them, on hold: it does not abandon).
  void onTransfer(std::uint32_t slot, double now) {
    Contact& ct = contacts[slot];
    ChannelState& ch = channels[ct.channel];
    ch.advance(now);
    --ch.busy;
    const std::uint32_t agent = ct.agent;
    ct.agent = kNil;
    releaseSlot(ct.group, ct.channel, agent, now);
    // Without a shared case history ([journeys] shared_context = false) the specialist cannot
    // read what the first agent learnt: the customer tells the story again, as on a repeat
    // contact (longer handling, resolved at repeat_fcr_factor × fcr, an effort driver). At most
    // once per contact: a repeat contact has already paid it. The same uniform decides (CRN).
    if (journeys && !journeys->shared_context && !ct.repeated) {
      ct.repeated = true;
      ct.fcr_factor = journeys->repeat_fcr_factor;
      ct.handle *= journeys->repeat_handle_factor;
      ct.resolved = ct.u_resolve < intents[ct.intent].fcr * ct.fcr_factor;
    }
    const auto to = static_cast<std::uint32_t>(intents[ct.intent].transfer_to);
    GroupState& sp = groups[to];
    ct.held = now;
    sp.advance(now);
    if (!sp.idle.empty()) {
      sp.idle.pop_front();
      ++sp.busy;
      --sp.incoming;
      startService(to, ct.channel, slot, now);
    } else {
      ++ch.held;
      ch.advance(now);
      pushTransfer(sp, slot);
    }
  }

  void pushTransfer(GroupState& g, std::uint32_t slot) {
    contacts[slot].next = kNil;
    if (g.t_tail != kNil)
      contacts[g.t_tail].next = slot;
    else
      g.t_head = slot;
    g.t_tail = slot;
  }

  std::uint32_t popTransfer(GroupState& g) {
    const std::uint32_t slot = g.t_head;
    g.t_head = contacts[slot].next;
    if (g.t_head == kNil) g.t_tail = kNil;
    return slot;
  }

  // Group g's agent who has just finished (still counted busy) leaves if staffing dropped
  // meanwhile, else takes the next waiting contact or becomes idle.
  void releaseAgent(std::uint32_t g, double now) {
    GroupState& gs = groups[g];
    gs.advance(now);
    if (gs.present - gs.leaving > gs.target) {  // staffing dropped while this agent was busy
      --gs.present;
      --gs.busy;
    } else if (!takeFromQueue(g, now)) {
      --gs.busy;
      gs.idle.push_back(now);
    }
  }

  // Group g's free agent (counted busy) takes the oldest contact transferred to the group, or
  // else the oldest contact of its highest-priority channel with a queue; returns false if
  // nobody waits.
  // A chat taken this way is followed by more into free slots unless `fill` is false.
  bool takeFromQueue(std::uint32_t g, double now, bool fill = true) {
    GroupState& gs = groups[g];
    if (gs.t_head != kNil) {
      const std::uint32_t slot = popTransfer(gs);
      ChannelState& held = channels[contacts[slot].channel];
      held.advance(now);
      --held.held;
      --gs.incoming;
      startService(g, contacts[slot].channel, slot, now);
      return true;
    }
    std::uint32_t slot = kNil;
    const int c = nextWaiting(gs, slot);
    if (c < 0) return false;
    ChannelState& ch = channels[static_cast<std::uint32_t>(c)];
    ch.advance(now);
    unlink(ch, slot);
    startService(g, static_cast<std::uint32_t>(c), slot, now);
    if (fill && ch.concurrency > 1) fillChatSlots(g, now);  // no-op unless it holds chats
    return true;
  }

  // Idle agents of group g take waiting contacts, longest idle first.
  void serveQueues(std::uint32_t g, double now) {
    GroupState& gs = groups[g];
    while (!gs.idle.empty() && (gs.t_head != kNil || channelWithQueue(gs) >= 0)) {
      gs.idle.pop_front();
      ++gs.busy;
      takeFromQueue(g, now, false);  // one each first: chats spread over the agents
    }
    fillChatSlots(g, now);
  }

  // Staffing changes take effect at once for idle agents (those idle the shortest leave
  // first); an agent over the new level who is busy finishes the contact first and then
  // leaves (see onServiceEnd).
  void setStaffing(std::uint32_t g, int target, double now) {
    GroupState& gs = groups[g];
    gs.advance(now);
    gs.target = target;
    if (gs.leaving > 0 && gs.present - gs.leaving < target) {  // they stay after all
      unmarkLeaving(gs, std::min(gs.leaving, target - (gs.present - gs.leaving)));
      fillChatSlots(g, now);
    }
    if (gs.present < target) {
      gs.idle.insert(gs.idle.end(), static_cast<std::size_t>(target - gs.present), now);
      gs.present = target;
      serveQueues(g, now);
    } else if (gs.present - gs.leaving > target) {
      const auto leave =
          std::min(gs.idle.size(), static_cast<std::size_t>(gs.present - gs.leaving - target));
      gs.idle.erase(gs.idle.end() - static_cast<std::ptrdiff_t>(leave), gs.idle.end());
      gs.present -= static_cast<int>(leave);
      // Agents holding chats stop taking new ones and go when their last one ends; the
      // others over the target go as they finish (releaseAgent).
      if (gs.chat_agents > 0) markLeaving(gs, gs.present - gs.leaving - target);
    }
  }

  // Whether a contact of one of the group's channels is still with the bot (and may come).
  bool botBusy(const GroupState& g) const {
    for (std::uint32_t c : g.skills)
      if (channels[c].in_bot > 0) return true;
    return false;
  }

  // Day form, after closing: a group's agents stay until nobody waits on its synchronous
  // channels, then go home as they finish; the drain is reported apart from the intervals.
  // Emails and messages left wait for the next day (the backlog).
  void checkDrain(double now) {
    for (std::uint32_t g = 0; g < groups.size(); ++g) {
      GroupState& gs = groups[g];
      if (gs.target > 0 && channelWithQueue(gs, false) < 0 && !botBusy(gs) && gs.incoming == 0)
        setStaffing(g, 0, now);
      if (gs.present == 0 && gs.stretch.active) {
        flushGroup(g, now);
        gs.stretch.active = false;
      }
    }
    for (std::uint32_t c = 0; c < channels.size(); ++c) {
      ChannelState& ch = channels[c];
      if ((ch.queue_len == 0 || ch.async) && ch.busy == 0 && ch.in_bot == 0 && ch.held == 0 &&
          ch.stretch.active) {
        flushChannel(c, now);
        ch.stretch.active = false;
      }
    }
  }

  // ---- interval samples ----------------------------------------------------------------

  void restart(Stretch& st, double now) {
    const double last_t = st.last_t;
    st = now_stretch;
    st.last_t = last_t;
    st.start_s = now;
    st.active = measuring;
  }

  void flushChannel(std::uint32_t c, double now) {
    ChannelState& ch = channels[c];
    ch.advance(now);
    const Stretch& st = ch.stretch;
    if (st.active && now > st.start_s) {
      IntervalSample s;
      s.channel = c;
      s.interval = st.interval;
      s.day = st.day;
      s.slot = st.slot;
      s.after_close = st.after_close;
      s.start_s = st.start_s;
      s.duration_s = now - st.start_s;
      s.busy_agent_s = ch.busy_int;
      s.queue_contact_s = ch.queue_int;
      observer->onInterval(s);
    }
    ch.busy_int = ch.queue_int = 0.0;
    restart(ch.stretch, now);
  }

  void flushGroup(std::uint32_t g, double now) {
    GroupState& gs = groups[g];
    gs.advance(now);
    const Stretch& st = gs.stretch;
    if (st.active && now > st.start_s) {
      GroupSample s;
      s.group = g;
      s.interval = st.interval;
      s.day = st.day;
      s.slot = st.slot;
      s.after_close = st.after_close;
      s.start_s = st.start_s;
      s.duration_s = now - st.start_s;
      s.busy_agent_s = gs.busy_int;
      s.staffed_agent_s = gs.staffed_int;
      s.staffing = gs.target;
      observer->onGroupInterval(s);
    }
    gs.busy_int = gs.staffed_int = 0.0;
    restart(gs.stretch, now);
  }

  void flushAll(double now) {
    for (std::uint32_t c = 0; c < channels.size(); ++c) flushChannel(c, now);
    for (std::uint32_t g = 0; g < groups.size(); ++g) flushGroup(g, now);
  }

  void setMeasuring(bool on) {
    measuring = on;
    for (auto& ch : channels) ch.stretch.active = on;
    for (auto& g : groups) g.stretch.active = on;
  }

  // ---- arrivals ------------------------------------------------------------------------

  // Piecewise-constant Poisson process: draw an exponential gap at the current piece's rate;
  // if it crosses the piece's end, restart from that end at the next rate (memorylessness).
  void scheduleNextArrival(std::uint32_t c, double from) {
    ChannelState& ch = channels[c];
    double t = from;
    while (t < ch.arrival_end) {
      double rate, end;
      if (day_form) {
        auto k = static_cast<int>((t - ch.open_time) / interval_s);
        k = std::clamp(k, 0, intervals - 1);
        end = ch.open_time + (k + 1) * interval_s;
        if (end <= t) end = ch.open_time + (++k + 1) * interval_s;
        rate = ch.rate_per_s[std::min(k, intervals - 1)] * ch.busynessOn(now_stretch.day);
      } else {
        auto g = static_cast<std::uint64_t>(t / interval_s);
        if ((g + 1) * interval_s <= t) ++g;
        auto d = static_cast<std::size_t>(t / kDay);
        if ((d + 1) * kDay <= t) ++d;
        rate = ch.rate_per_s[g % intervals] * ch.busynessOn(d);
        end = intervals > 1 ? (g + 1) * interval_s : std::numeric_limits<double>::infinity();
        const ArrivalSpec& a = scenario.channels[c].arrivals;
        if (a.busyness_alpha > 0.0 || !a.day_factors.empty()) end = std::min(end, (d + 1) * kDay);
      }
      end = std::min(end, ch.arrival_end);
      if (rate > 0.0) {
        const double next = t + ch.arrival_rng.exponential(1.0 / rate);
        if (next < end) {
          calendar.push(next, kPrioArrival, kArrival, c);
          return;
        }
      }
      t = end;
    }
  }

  void onArrival(std::uint32_t c, double now) {
    ChannelState& ch = channels[c];
    ++stats.arrivals;
    const std::uint32_t slot = newContact();
    Contact& ct = contacts[slot];
    ct.arrival = now;
    ct.id = next_contact_id++;
    ct.channel = c;
    ct.measured = measuring;
    ct.waited = false;
    ct.abandon = TimerId{};
    // Both durations are drawn for every contact, in arrival order, so two scenarios run on
    // the same seed see the same customers (common random numbers).
    ct.handle = ch.handle.sample(ch.handle_rng);
    ct.patience = ch.has_patience ? ch.patience.sample(ch.patience_rng) : 0.0;
    ct.intent = ContactRecord::kNoIntent;
    ct.resolved = true;  // without intents an answered contact solves the problem
    ct.bot = BotResult::None;
    ct.bot_turns = 0;
    ct.bot_s = 0.0;
    ct.case_id = ct.id;
    ct.case_start = now;
    ct.attempt = 1;
    ct.repeated = ct.switched = ct.case_ended = ct.follow_up = ct.chase = false;
    ct.fcr_factor = 1.0;
    ct.transferred = ct.empowered = false;
    ct.tier1 = 0.0;
    ct.silent = ct.ghost = false;
    ct.agent = kNil;
    ct.u_silent = ch.silent_share > 0.0 ? ch.silent_rng.uniform() : 1.0;
    if (!ch.intent_cum.empty()) drawIntent(ch, ct);
    stamp(ch, ct, now);
    scheduleNextArrival(c, now);
    if (ch.has_bot) {
      startBot(ch, slot, now, ch.bot_rng, ch.bot_time_rng);
      return;
    }
    toAgents(c, slot, now);
  }

  // The report interval and day of a contact arriving now.
  void stamp(const ChannelState& ch, Contact& ct, double now) const {
    if (day_form) {
      ct.day = now_stretch.day;
      ct.interval = static_cast<std::uint32_t>(
          std::clamp(static_cast<int>((now - ch.open_time) / interval_s), 0, intervals - 1));
    } else {
      ct.day = static_cast<std::uint32_t>(now / kDay);
      ct.interval = static_cast<std::uint32_t>(static_cast<std::uint64_t>(now / interval_s) %
                                               static_cast<std::uint64_t>(intervals));
    }
  }

  // ---- journeys ------------------------------------------------------------------------

  // A contact ends: reported, then its case either comes back later (the slot is kept for the
  // next attempt) or ends. Every draw for a later attempt comes from a stream of its own,
  // derived from (seed, replication, case, attempt), so fresh arrivals keep their streams
  // whatever the journeys do (common random numbers across scenarios).
  void finish(std::uint32_t slot, Outcome outcome, double now) {
    Contact& ct = contacts[slot];
    const bool handled = outcome == Outcome::Answered || outcome == Outcome::Deflected;
    double when = -1.0;
    bool retry = false;
    std::uint32_t next = ct.channel;
    bool follow_up = false, chase = false;
    if (journeys && !(handled && ct.resolved) &&
        static_cast<int>(ct.attempt) < journeys->max_contacts) {
      Rng r(seed, rep, fmt::format("journey/{}/{}", ct.case_id, ct.attempt));
      const double p = handled ? journeys->retry_unresolved : journeys->retry_abandoned;
      const double u_retry = r.uniform(), u_channel = r.uniform();
      const double delay = retry_delay.sample(r);
      // An agent who could not solve it may promise to come back to the customer: kept, the
      // agent calls back; broken, the customer chases. Drawn after the others (CRN).
      if (outcome == Outcome::Answered && journeys->promise_follow_up > 0.0) {
        const double u_promise = r.uniform(), u_broken = r.uniform();
        if (u_promise < journeys->promise_follow_up)
          (u_broken < journeys->broken_promise ? chase : follow_up) = true;
      }
      if (u_retry < p || follow_up || chase) {
        retry = true;
        when = comeBackTime(now, delay);
        const auto& cum = switch_cum[ct.channel];
        const double u = u_channel * cum.back().first;
        auto it = std::lower_bound(cum.begin(), cum.end(), u,
                                   [](const auto& e, double x) { return e.first < x; });
        if (!follow_up) next = (it == cum.end() ? cum.back() : *it).second;
      }
    }
    ct.case_ended = !retry;
    report(ct, outcome, now);
    if (when < 0.0) {  // ended, or coming back after the horizon: open at the end
      if (retry) ++stats.cases_open;
      freeContact(slot);
      return;
    }
    ct.switched = next != ct.channel;
    ct.channel = next;
    ct.follow_up = follow_up;
    ct.chase = chase;
    ++ct.attempt;
    calendar.push(when, kPrioArrival, kRetry, slot);
  }

  // When a customer who ended a contact at `end` and wants to come back `delay` later does:
  // in the day form only open hours count towards the delay (a customer who would call back
  // at night calls after the next opening, as far into the day as the delay had left to run).
  // -1: after the simulated horizon (the case is open at the end).
  double comeBackTime(double end, double delay) const {
    if (!day_form) return end + delay < horizon_end ? end + delay : -1.0;
    const double open_len = intervals * interval_s;
    double d = std::floor((end - scenario.open_s) / kDay);
    const double open = d * kDay + scenario.open_s;
    double left = delay;
    if (end < open + open_len) {
      const double from = std::max(end, open);
      if (from + left < open + open_len) return d < scenario.days ? from + left : -1.0;
      left -= open + open_len - from;
    }
    while (++d < scenario.days) {
      if (left < open_len) return d * kDay + scenario.open_s + left;
      left -= open_len;
    }
    return -1.0;
  }

  void onRetry(std::uint32_t slot, double now) {
    ++stats.arrivals;
    ++stats.retries;
    Contact& ct = contacts[slot];
    ChannelState& ch = channels[ct.channel];
    Rng r(seed, rep, fmt::format("contact/{}/{}", ct.case_id, ct.attempt));
    ct.arrival = now;
    ct.id = next_contact_id++;
    ct.measured = measuring;
    ct.waited = false;
    ct.abandon = TimerId{};
    ct.handle = ch.handle.sample(r);
    ct.patience = ch.has_patience ? ch.patience.sample(r) : 0.0;
    ct.bot = BotResult::None;
    ct.bot_turns = 0;
    ct.bot_s = 0.0;
    ct.resolved = true;
    ct.transferred = ct.empowered = false;
    ct.tier1 = 0.0;
    ct.silent = false;
    ct.u_silent = 1.0;
    if (ch.silent_share > 0.0)  // a stream of its own, so the draws below stay aligned
      ct.u_silent = Rng(seed, rep, fmt::format("silent/{}/{}", ct.case_id, ct.attempt)).uniform();
    ct.repeated = !journeys->shared_context && !ct.follow_up;  // the agent who promised knows
    ct.fcr_factor = ct.repeated ? journeys->repeat_fcr_factor : 1.0;
    if (ct.intent != ContactRecord::kNoIntent) {
      ct.handle *= intents[ct.intent].handle_factor;
      ct.u_resolve = r.uniform();
      ct.resolved = ct.u_resolve < intents[ct.intent].fcr * ct.fcr_factor;
    }
    if (ct.repeated) ct.handle *= journeys->repeat_handle_factor;
    stamp(ch, ct, now);
    if (ch.has_bot && !ct.follow_up) {
      startBot(ch, slot, now, r, r);
      return;
    }
    toAgents(ct.channel, slot, now);
  }

  // The contact's reason, and whether an agent will solve it (drawn now, one uniform each,
  // so the streams stay aligned across scenarios that differ in other ways).
  void drawIntent(ChannelState& ch, Contact& ct) {
    const double u = ch.intent_rng.uniform() * ch.intent_cum.back().first;
    auto it = std::lower_bound(ch.intent_cum.begin(), ch.intent_cum.end(), u,
                               [](const auto& e, double x) { return e.first < x; });
    if (it == ch.intent_cum.end()) --it;
    ct.intent = it->second;
    ct.handle *= intents[ct.intent].handle_factor;
    ct.u_resolve = ch.resolve_rng.uniform();
    ct.resolved = ct.u_resolve < intents[ct.intent].fcr;
  }

  // The bot answers first. Its outcome is decided now from three uniforms (contained?,
  // falsely?, the loop turn the customer gives up at), always drawn, for common random numbers.
  void startBot(ChannelState& ch, std::uint32_t slot, double now, Rng& decide, Rng& time) {
    Contact& ct = contacts[slot];
    const double u_contain = decide.uniform();
    const double u_false = decide.uniform();
    const double u_loop = decide.uniform();
    ct.bot_s = ch.bot_time.sample(time);
    const double containment =
        ct.intent == ContactRecord::kNoIntent ? bot.containment : intents[ct.intent].containment;
    if (u_contain < containment) {
      ct.bot = BotResult::Deflect;
      ct.resolved = u_false >= bot.false_containment;
    } else {
      // Each extra turn before a person is offered loses a share loop_abandon of those still
      // there: the customer leaves at turn k = ceil(ln(1-u) / ln(1-p)) if k <= loop_turns.
      int turns = bot.loop_turns;
      ct.bot = BotResult::Escalate;
      if (bot.loop_abandon > 0.0 && bot.loop_turns > 0) {
        const double k = bot.loop_abandon >= 1.0
                             ? 1.0
                             : std::ceil(std::log1p(-u_loop) / std::log1p(-bot.loop_abandon));
        if (k <= bot.loop_turns) {
          turns = static_cast<int>(std::max(k, 1.0));
          ct.bot = BotResult::GiveUp;
        }
      }
      ct.bot_s += turns * bot.turn_s;
      ct.bot_turns = static_cast<std::uint16_t>(std::min(turns, 65535));
      if (ct.bot == BotResult::Escalate) {
        ct.handle *= bot.escalated_handle_factor * (bot.cold ? bot.cold_handle_factor : 1.0);
        if (bot.cold) ct.repeated = true;  // the customer tells the agent everything again
      }
    }
    ++ch.in_bot;
    calendar.push(now + ct.bot_s, kPrioArrival, kBotEnd, slot);
  }

  void onBotEnd(std::uint32_t slot, double now) {
    Contact& ct = contacts[slot];
    ChannelState& ch = channels[ct.channel];
    --ch.in_bot;
    if (ct.bot == BotResult::Escalate) {
      toAgents(ct.channel, slot, now);
    } else {
      finish(slot, ct.bot == BotResult::Deflect ? Outcome::Deflected : Outcome::Abandoned, now);
    }
    if (closing) checkDrain(now);
  }

  // The contact reaches the agents: answered by the longest-idle agent who can, or it balks,
  // or it queues with its patience running.
  void toAgents(std::uint32_t c, std::uint32_t slot, double now) {
    ChannelState& ch = channels[c];
    Contact& ct = contacts[slot];
    ct.queued = now;
    const int g = groupWithIdleAgent(ch, ct.intent);
    if (g >= 0) {
      GroupState& gs = groups[static_cast<std::uint32_t>(g)];
      gs.advance(now);
      gs.idle.pop_front();
      ++gs.busy;
      startService(static_cast<std::uint32_t>(g), c, slot, now);
      return;
    }
    std::uint32_t chat_g = 0, chat_a = 0;  // no idle agent: a free slot of one holding chats
    if (ch.concurrency > 1 && chatAgentWithRoom(ch, ct.intent, chat_g, chat_a)) {
      startService(chat_g, c, slot, now, chat_a);
      return;
    }
    ct.waited = true;
    if (ch.balk_probability > 0.0 && ch.balk_rng.uniform() < ch.balk_probability && !ct.follow_up) {
      finish(slot, Outcome::Balked, now);
      return;
    }
    ch.advance(now);
    enqueue(ch, slot);
    if (ch.has_patience && !ct.follow_up)
      ct.abandon = calendar.pushTimer(now + ct.patience, kPrioAbandon, kAbandon, slot);
  }

  void onServiceEnd(std::uint32_t slot, double now) {
    Contact& ct = contacts[slot];
    const std::uint32_t g = ct.group, c = ct.channel, agent = ct.agent;
    ChannelState& ch = channels[c];
    ch.advance(now);
    groups[g].advance(now);
    --ch.busy;
    ct.agent = kNil;
    if (ct.ghost)  // found gone: nothing to report (reported when the customer left)
      freeContact(slot);
    else
      finish(slot, Outcome::Answered, now);
    releaseSlot(g, c, agent, now);
    if (closing) checkDrain(now);
  }

  // Patience ran out. A silent abandoner's chat stays in the queue (a ghost in its place)
  // until an agent picks it up and finds nobody there; the customer's contact ends now.
  void onAbandon(std::uint32_t slot, double now) {
    ChannelState& ch = channels[contacts[slot].channel];
    ch.advance(now);
    if (contacts[slot].u_silent < ch.silent_share) {
      const std::uint32_t ghost = newContact();  // may move `contacts`: no references held
      Contact& gh = contacts[ghost];
      const Contact& ct = contacts[slot];
      gh = Contact{};
      gh.ghost = true;
      gh.channel = ct.channel;
      gh.intent = ct.intent;
      gh.arrival = ct.arrival;
      gh.queued = ct.queued;
      gh.prev = ct.prev;
      gh.next = ct.next;
      (gh.prev != kNil ? contacts[gh.prev].next : ch.head) = ghost;
      (gh.next != kNil ? contacts[gh.next].prev : ch.tail) = ghost;
      contacts[slot].silent = true;
      ++stats.silent_abandons;
    } else {
      unlink(ch, slot);
    }
    finish(slot, Outcome::Abandoned, now);
    if (closing) checkDrain(now);
  }

  // ---- the clock -----------------------------------------------------------------------

  double slotStart(std::uint64_t g) const {
    if (!day_form) return static_cast<double>(g) * interval_s;
    const std::uint64_t d = g / static_cast<std::uint64_t>(intervals);
    const std::uint64_t k = g % static_cast<std::uint64_t>(intervals);
    return static_cast<double>(d) * kDay + scenario.open_s + static_cast<double>(k) * interval_s;
  }

  void onSlot(std::uint64_t slot, double now) {
    const auto k = static_cast<int>(slot % static_cast<std::uint64_t>(intervals));
    now_stretch.slot = slot;
    now_stretch.interval = static_cast<std::uint32_t>(k);
    now_stretch.day =
        static_cast<std::uint32_t>(day_form ? slot / static_cast<std::uint64_t>(intervals)
                                            : static_cast<std::uint64_t>(now / kDay));
    now_stretch.after_close = false;
    if (day_form && k == 0) {  // opening: a new day's arrivals
      measuring = true;
      closing = false;
    }
    flushAll(now);
    if (day_form && k == 0) {
      for (std::uint32_t c = 0; c < channels.size(); ++c) {
        ChannelState& ch = channels[c];
        ch.open_time = now;
        ch.arrival_end = now + intervals * interval_s;
        scheduleNextArrival(c, now);
      }
    }
    for (std::uint32_t g = 0; g < groups.size(); ++g) setStaffing(g, groups[g].staffing[k], now);
    if (day_form && k == intervals - 1) {
      calendar.push(now + interval_s, kPrioClock, kClose, now_stretch.day);
    } else {
      const double next = slotStart(slot + 1);
      if (day_form || next < horizon_end)
        calendar.push(next, kPrioClock, kSlot, static_cast<std::uint32_t>(slot + 1));
    }
  }

  void onClose(std::uint32_t day, double now) {
    now_stretch.after_close = true;
    flushAll(now);
    closing = true;
    checkDrain(now);
    if (static_cast<int>(day) + 1 < scenario.days)
      calendar.push(slotStart(static_cast<std::uint64_t>(day + 1) * intervals), kPrioClock, kSlot,
                    static_cast<std::uint32_t>((day + 1) * intervals));
  }

  void run(SimObserver& obs) {
    observer = &obs;
    if (day_form) {
      calendar.push(slotStart(0), kPrioClock, kSlot, 0);
    } else {
      measuring = warmup_end <= 0.0;
      for (auto& ch : channels) ch.arrival_end = horizon_end;
      onSlot(0, 0.0);
      for (std::uint32_t c = 0; c < channels.size(); ++c) scheduleNextArrival(c, 0.0);
      if (warmup_end > 0.0) calendar.push(warmup_end, kPrioClock, kWarmupEnd, 0);
      calendar.push(horizon_end, kPrioClock, kHorizonEnd, 0);
    }

    double now = 0.0;
    while (!calendar.empty()) {
      const Event e = calendar.pop();
      now = e.time;
      ++stats.events;
      switch (e.kind()) {
        case kArrival:
          onArrival(e.target, now);
          break;
        case kServiceEnd:
          onServiceEnd(e.target, now);
          break;
        case kAbandon:
          onAbandon(e.target, now);
          break;
        case kBotEnd:
          onBotEnd(e.target, now);
          break;
        case kRetry:
          onRetry(e.target, now);
          break;
        case kTransfer:
          onTransfer(e.target, now);
          if (closing) checkDrain(now);
          break;
        case kSlot:
          onSlot(e.target, now);
          break;
        case kClose:
          onClose(e.target, now);
          break;
        case kWarmupEnd:
          flushAll(now);  // discards the warm-up stretch
          setMeasuring(true);
          break;
        case kHorizonEnd:
          flushAll(now);
          setMeasuring(false);
          break;
        default:
          assert(false && "unknown event kind");
      }
    }
    // Anyone still waiting now had no agent and no patience: they leave unanswered.
    // Emails and messages still waiting are an open backlog, not abandoned.
    for (ChannelState& ch : channels) {
      while (ch.head != kNil) {
        const std::uint32_t slot = ch.head;
        unlink(ch, slot);
        if (!contacts[slot].ghost) {
          // With journeys the case is open at the end, neither resolved nor given up.
          contacts[slot].case_ended = !journeys && !ch.async;
          if (journeys) ++stats.cases_open;
          report(contacts[slot], Outcome::Abandoned, now, ch.async);
        }
        freeContact(slot);
      }
    }
    for (GroupState& g : groups) {  // transferred, never picked up by a specialist
      while (g.t_head != kNil) {
        const std::uint32_t slot = popTransfer(g);
        --channels[contacts[slot].channel].held;
        contacts[slot].case_ended = !journeys;
        if (journeys) ++stats.cases_open;
        report(contacts[slot], Outcome::Abandoned, now);
        freeContact(slot);
      }
    }
    for (std::uint32_t c = 0; c < channels.size(); ++c)
      if (channels[c].stretch.active) flushChannel(c, now);
    for (std::uint32_t g = 0; g < groups.size(); ++g)
      if (groups[g].stretch.active) flushGroup(g, now);
    stats.end_time_s = now;
    stats.contact_slots = contacts.capacity();
    stats.event_capacity = calendar.capacity();
  }
};

Simulation::Simulation(const Scenario& scenario, std::uint64_t seed, std::uint32_t replication)
    : impl_(std::make_unique<Impl>(scenario, seed, replication)) {}
Simulation::~Simulation() = default;
void Simulation::run(SimObserver& observer) {
  impl_->run(observer);
}
const EngineStats& Simulation::stats() const {
  return impl_->stats;
}

}  // namespace cx
