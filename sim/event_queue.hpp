// The event calendar: a binary heap ordered by (time, priority, sequence), so events at the
// same instant run in a fixed order — by priority first (a release before a seize, as in
// simmer), then in the order they were scheduled (as in SimPy).
//
// Timers (e.g. a contact's abandonment) can be cancelled. Cancellation is lazy — the entry
// stays in the heap and is skipped when it surfaces — and the heap is compacted whenever
// cancelled entries outnumber live ones, so memory stays proportional to the live events.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <vector>

namespace cx {

struct Event {
  double time;
  // Priority in the top 4 bits, then the scheduling sequence (56 bits), then the event's
  // kind (low 4 bits): comparing `order` compares priority, then sequence, which is unique.
  std::uint64_t order;
  std::uint32_t target;  // whom it happens to (channel, contact slot, ...)
  std::uint32_t timer;   // timer slot, or kNoTimer

  static constexpr std::uint32_t kNoTimer = 0xFFFFFFFFu;
  static constexpr std::uint64_t kSequenceMask = (std::uint64_t{1} << 56) - 1;
  std::uint32_t kind() const { return static_cast<std::uint32_t>(order) & 0xFu; }
  std::uint64_t sequence() const { return (order >> 4) & kSequenceMask; }
};

// A handle on a scheduled timer; cancelling a handle whose timer has fired or been
// cancelled already does nothing.
struct TimerId {
  std::uint32_t slot = Event::kNoTimer;
  std::uint64_t sequence = 0;
};

// A 4-ary min-heap: shallower than a binary heap, and the four children of a node share a
// cache line or two, which makes pops cheaper for the small calendars a contact centre has.
class EventQueue {
 public:
  static constexpr int kMaxPriority = 15;
  static constexpr std::uint32_t kMaxKind = 15;

  void push(double time, int priority, std::uint32_t kind, std::uint32_t target) {
    pushEvent({time, makeOrder(priority, kind), target, Event::kNoTimer});
  }

  TimerId pushTimer(double time, int priority, std::uint32_t kind, std::uint32_t target) {
    std::uint32_t slot;
    if (!free_timers_.empty()) {
      slot = free_timers_.back();
      free_timers_.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(timer_seq_.size());
      timer_seq_.push_back(kDead);
    }
    const Event e{time, makeOrder(priority, kind), target, slot};
    timer_seq_[slot] = e.sequence();
    pushEvent(e);
    return {slot, e.sequence()};
  }

  void cancel(TimerId id) {
    if (id.slot == Event::kNoTimer || timer_seq_[id.slot] != id.sequence) return;
    releaseTimer(id.slot);
    ++cancelled_;
    if (cancelled_ > 256 && cancelled_ * 2 > heap_.size()) compact();
  }

  bool empty() {
    skipCancelled();
    return heap_.empty();
  }

  // The next live event; the queue must not be empty.
  Event pop() {
    skipCancelled();
    assert(!heap_.empty() && "pop() on an empty event queue");
    Event e = heap_.front();
    removeTop();
    if (e.timer != Event::kNoTimer) releaseTimer(e.timer);
    return e;
  }

  std::size_t size() const { return heap_.size() - cancelled_; }
  // Entries held, live or cancelled: what memory use follows.
  std::size_t capacity() const { return heap_.capacity(); }
  std::size_t timerSlots() const { return timer_seq_.size(); }

 private:
  static constexpr std::uint64_t kDead = ~std::uint64_t{0};
  static constexpr std::size_t kArity = 4;

  static bool before(const Event& a, const Event& b) {
    return a.time < b.time || (a.time == b.time && a.order < b.order);
  }

  std::uint64_t makeOrder(int priority, std::uint32_t kind) {
    assert(priority >= 0 && priority <= kMaxPriority && kind <= kMaxKind);
    assert(sequence_ <= Event::kSequenceMask);
    return (static_cast<std::uint64_t>(priority) << 60) | (sequence_++ << 4) | kind;
  }

  void pushEvent(const Event& e) {
    std::size_t i = heap_.size();
    heap_.push_back(e);
    while (i > 0) {  // sift the hole up
      const std::size_t parent = (i - 1) / kArity;
      if (!before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  void removeTop() {
    const Event last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return;
    std::size_t i = 0;
    for (;;) {  // sift the hole down, then drop the last event into it
      const std::size_t first = kArity * i + 1;
      if (first >= n) break;
      std::size_t best = first;
      const std::size_t end = std::min(first + kArity, n);
      for (std::size_t c = first + 1; c < end; ++c)
        if (before(heap_[c], heap_[best])) best = c;
      if (!before(heap_[best], last)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = last;
  }

  bool isCancelled(const Event& e) const {
    return e.timer != Event::kNoTimer && timer_seq_[e.timer] != e.sequence();
  }

  void releaseTimer(std::uint32_t slot) {
    timer_seq_[slot] = kDead;
    free_timers_.push_back(slot);
  }

  void skipCancelled() {
    while (!heap_.empty() && isCancelled(heap_.front())) {
      removeTop();
      --cancelled_;
    }
  }

  void compact() {
    std::erase_if(heap_, [this](const Event& e) { return isCancelled(e); });
    const std::vector<Event> live = std::move(heap_);
    heap_.clear();
    heap_.reserve(live.size());
    for (const Event& e : live) pushEvent(e);
    cancelled_ = 0;
  }

  std::vector<Event> heap_;
  std::vector<std::uint64_t> timer_seq_;  // per timer slot: sequence of its live timer, or kDead
  std::vector<std::uint32_t> free_timers_;
  std::size_t cancelled_ = 0;
  std::uint64_t sequence_ = 0;
};

}  // namespace cx
