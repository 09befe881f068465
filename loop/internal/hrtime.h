// The monotonic clock in nanoseconds (libuv's uv_hrtime; Node's process.hrtime.bigint()).
#pragma once

#include <time.h>

#include <cstdint>

namespace vow::internal {

inline std::int64_t monotonicNs() noexcept {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

}  // namespace vow::internal
