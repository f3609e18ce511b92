// Measuring helpers for the benchmarks: wall-clock time, elapsed time, CPU time of a process and
// percentiles of sorted samples.
//
// Ownership: values in, values out. Thread safety: every function may be called from any thread.
// Failure: process_cpu_seconds gives 0 for a process it cannot read; nothing else fails.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <vector>

namespace wq::testing {

// Milliseconds since the Unix epoch (system clock).
std::int64_t wall_ms();

// Seconds of the steady clock since `start`.
double seconds_since(std::chrono::steady_clock::time_point start);

// User plus system CPU seconds of process `pid` so far (/proc/<pid>/stat).
double process_cpu_seconds(pid_t pid);

// The `q` quantile (0 < q <= 1) of ascending `sorted` by the nearest-rank method; 0 when empty.
double percentile(const std::vector<double>& sorted, double q);

}  // namespace wq::testing
