// Replications spread over threads: the one worker pool that runExperiment, compareScenarios
// and runSweep share.
#pragma once

#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>

namespace cx {

// Runs task(0), …, task(count − 1) on `threads` threads (1: on the calling thread), each
// thread taking the next task number in turn. No more tasks are started once `cancel` (when
// given) is set or a task has thrown. An exception never leaves a worker thread (that would
// be std::terminate): the one thrown by the lowest-numbered failing task is returned, after
// every thread has joined, for the caller to rethrow when it suits it (null: none failed).
// Each task records its own result and completion; progress reporting is the task's too.
// Throws only when no thread can be started (those already started are joined first).
std::exception_ptr forEachTask(std::size_t count, int threads, const std::atomic<bool>* cancel,
                               const std::function<void(std::size_t)>& task);

}  // namespace cx
