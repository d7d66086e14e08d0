// Logging on stderr for -v/-vv. Nothing secret is passed to the logger
// anywhere in regdigest; this decides what is shown and how, and makes every
// message safe to show: logged values may be untrusted (references, registry
// answers), so each message is escaped (EscapeForTerminal), capped, and has
// the query and user info of every URL in it removed. Our own messages are
// one line each. The sinks are thread-safe (spdlog's _mt sinks).
#pragma once

#include <spdlog/sinks/sink.h>

#include <memory>

namespace regdigest {

// 0: warnings only; 1: debug; 2 or more: trace.
void SetupLogging(int verbosity);

// A sink that passes each message, made safe as described above, to `inner`.
std::shared_ptr<spdlog::sinks::sink> MakeSafeSink(std::shared_ptr<spdlog::sinks::sink> inner);

}  // namespace regdigest
