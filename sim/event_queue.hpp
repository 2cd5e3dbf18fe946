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
  std::uint64_t order;  // priority in the top 8 bits, scheduling sequence below
  std::uint32_t kind;   // what happens (interpreted by the model)
  std::uint32_t target; // whom it happens to (channel, contact slot, ...)
  std::uint32_t timer;  // timer slot, or kNoTimer
  std::uint32_t timer_gen;

  static constexpr std::uint32_t kNoTimer = 0xFFFFFFFFu;
};

// A handle on a scheduled timer; cancelling a handle whose timer has fired or been
// cancelled already does nothing.
struct TimerId {
  std::uint32_t slot = Event::kNoTimer;
  std::uint32_t gen = 0;
};

class EventQueue {
 public:
  static constexpr int kPriorityBits = 8;

  void push(double time, int priority, std::uint32_t kind, std::uint32_t target) {
    pushEvent({time, makeOrder(priority), kind, target, Event::kNoTimer, 0});
  }

  TimerId pushTimer(double time, int priority, std::uint32_t kind, std::uint32_t target) {
    std::uint32_t slot;
    if (!free_timers_.empty()) {
      slot = free_timers_.back();
      free_timers_.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(timer_gen_.size());
      timer_gen_.push_back(0);
    }
    const std::uint32_t gen = timer_gen_[slot];
    pushEvent({time, makeOrder(priority), kind, target, slot, gen});
    return {slot, gen};
  }

  void cancel(TimerId id) {
    if (id.slot == Event::kNoTimer || timer_gen_[id.slot] != id.gen) return;
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
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    Event e = heap_.back();
    heap_.pop_back();
    if (e.timer != Event::kNoTimer) releaseTimer(e.timer);
    return e;
  }

  std::size_t size() const { return heap_.size() - cancelled_; }
  // Entries held, live or cancelled: what memory use follows.
  std::size_t capacity() const { return heap_.capacity(); }
  std::size_t timerSlots() const { return timer_gen_.size(); }

 private:
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.time > b.time || (a.time == b.time && a.order > b.order);
    }
  };

  std::uint64_t makeOrder(int priority) {
    assert(priority >= 0 && priority < (1 << kPriorityBits));
    return (static_cast<std::uint64_t>(priority) << (64 - kPriorityBits)) | sequence_++;
  }

  void pushEvent(const Event& e) {
    heap_.push_back(e);
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  }

  bool isCancelled(const Event& e) const {
    return e.timer != Event::kNoTimer && timer_gen_[e.timer] != e.timer_gen;
  }

  void releaseTimer(std::uint32_t slot) {
    ++timer_gen_[slot];
    free_timers_.push_back(slot);
  }

  void skipCancelled() {
    while (!heap_.empty() && isCancelled(heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), Later{});
      heap_.pop_back();
      --cancelled_;
    }
  }

  void compact() {
    std::erase_if(heap_, [this](const Event& e) { return isCancelled(e); });
    std::make_heap(heap_.begin(), heap_.end(), Later{});
    cancelled_ = 0;
    if (heap_.capacity() > 4 * heap_.size() + 1024) heap_.shrink_to_fit();
  }

  std::vector<Event> heap_;
  std::vector<std::uint32_t> timer_gen_;
  std::vector<std::uint32_t> free_timers_;
  std::size_t cancelled_ = 0;
  std::uint64_t sequence_ = 0;
};

}  // namespace cx
