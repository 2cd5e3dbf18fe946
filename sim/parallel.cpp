#include "sim/parallel.hpp"

#include <mutex>
#include <thread>
#include <vector>

namespace cx {

std::exception_ptr forEachTask(std::size_t count, int threads, const std::atomic<bool>* cancel,
                               const std::function<void(std::size_t)>& task) {
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  std::size_t error_task = count;
  std::atomic<bool> failed{false};
  auto worker = [&] {
    for (;;) {
      if (failed.load() || (cancel && cancel->load())) return;
      const std::size_t i = next.fetch_add(1);
      if (i >= count) return;
      try {
        task(i);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (i < error_task) {
          error_task = i;
          error = std::current_exception();
        }
        failed.store(true);
        return;
      }
    }
  };
  if (threads <= 1) {
    worker();
    return error;
  }
  std::vector<std::thread> pool;
  try {
    for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  } catch (...) {  // no thread to be had: stop those started before passing it on
    failed.store(true);
    for (auto& t : pool) t.join();
    throw;
  }
  for (auto& t : pool) t.join();
  return error;
}

}  // namespace cx
