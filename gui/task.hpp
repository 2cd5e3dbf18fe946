// A one-shot job on a worker thread whose result the UI thread takes when it is ready
// (compare runs, staffing plans). RunJob (run_job.hpp) is the richer version for simulation
// runs, with progress and a live view.
#pragma once

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace cx::studio {

template <typename T>
class AsyncTask {
 public:
  AsyncTask() = default;
  AsyncTask(const AsyncTask&) = delete;
  AsyncTask& operator=(const AsyncTask&) = delete;
  ~AsyncTask() {
    if (thread_.joinable()) thread_.join();  // before the members the worker writes go away
  }

  // Runs `work` on a new thread; no effect while one is running. `work` may throw: the
  // exception's message becomes the error.
  void start(std::function<T()> work) {
    if (running_) return;
    if (thread_.joinable()) thread_.join();
    running_ = true;
    thread_ = std::jthread([this, work = std::move(work)] {
      std::shared_ptr<const T> out;
      std::string error;
      try {
        out = std::make_shared<const T>(work());
      } catch (const std::exception& e) {
        error = e.what();
      }
      {
        std::lock_guard lock(mutex_);
        result_ = std::move(out);
        error_ = std::move(error);
        ready_ = true;
      }
      running_ = false;
    });
  }

  bool running() const { return running_; }

  // True once when a run has ended; then `result` (null on error) and `error` are set.
  bool take(std::shared_ptr<const T>& result, std::string& error) {
    std::lock_guard lock(mutex_);
    if (!ready_) return false;
    ready_ = false;
    result = std::move(result_);
    error = std::move(error_);
    return true;
  }

 private:
  std::jthread thread_;
  std::atomic<bool> running_{false};
  std::mutex mutex_;
  bool ready_ = false;
  std::shared_ptr<const T> result_;
  std::string error_;
};

}  // namespace cx::studio
