// What the test harness's servers (PostgreSQL, Redis) share: a free loopback port to start one on, and
// the end of its log for an error message. Thread-safe.
#pragma once

#include <filesystem>
#include <string>

#include "core/error.hpp"

namespace vidgen::testing {

// A TCP port on 127.0.0.1 that was free a moment ago (another process may take it before the caller
// binds it: start servers with a retry).
Result<int> free_loopback_port();

// The last 1,500 bytes of `file`, or all of it when shorter; empty when it cannot be read.
std::string tail_of(const std::filesystem::path& file);

}  // namespace vidgen::testing
