// RunProcess: runs a program (no shell, PATH searched like execvp), feeds it
// stdin, captures stdout and stderr, and kills it when a timeout expires.
// Used to run Docker credential helpers (`docker-credential-<name> get`).
// ProcessRunner puts it behind an interface so that callers can be tested
// with a fake; SystemProcessRunner is the one real implementation.
// Thread safety: RunProcess and SystemProcessRunner may be called from
// several threads at once.
#pragma once

#include <poll.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"

namespace regdigest {

struct ProcessResult {
  // Exit status; 128 + signal number when the program was killed by a signal.
  int exit_code = 0;
  std::string stdout_text;
  std::string stderr_text;  // truncated to kMaxProcessStderrBytes
};

inline constexpr std::size_t kMaxProcessStdoutBytes = 1024 * 1024;
inline constexpr std::size_t kMaxProcessStderrBytes = 64 * 1024;
inline constexpr std::chrono::milliseconds kDefaultProcessTimeout = std::chrono::seconds(30);

// argv[0] is the program name, looked up in PATH unless it contains a '/'.
// Errors (all kIo): program not found ("cannot run docker-credential-foo: not
// found in PATH"), not executable, timeout (the program is killed with
// SIGKILL), stdout larger than kMaxProcessStdoutBytes. A non-zero exit code
// is not an error: it is returned in ProcessResult::exit_code.
// A program that exits without reading its stdin does not raise SIGPIPE in
// the caller. Whatever the error, a started program is never left behind:
// it is killed and reaped before RunProcess returns. Safe to call from
// several threads at once.
Result<ProcessResult> RunProcess(const std::vector<std::string>& argv, std::string_view stdin_text,
                                 std::chrono::milliseconds timeout = kDefaultProcessTimeout);

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // As RunProcess.
  virtual Result<ProcessResult> Run(const std::vector<std::string>& argv,
                                    std::string_view stdin_text,
                                    std::chrono::milliseconds timeout) = 0;
};

// RunProcess.
class SystemProcessRunner : public ProcessRunner {
 public:
  Result<ProcessResult> Run(const std::vector<std::string>& argv, std::string_view stdin_text,
                            std::chrono::milliseconds timeout) override;
};

// The process-wide SystemProcessRunner (never destroyed).
ProcessRunner& RealProcesses();

// For tests: replaces the poll() RunProcess waits with (nullptr restores the
// real one), so that a failing poll can be simulated. Not for concurrent use
// with RunProcess.
using PollFunction = int (*)(::pollfd*, nfds_t, int);
void SetPollFunctionForTesting(PollFunction poll_function);

}  // namespace regdigest
