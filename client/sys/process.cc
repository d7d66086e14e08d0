#include "client/sys/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <system_error>
#include <thread>
#include <utility>

extern char** environ;

namespace regdigest {
namespace {

using Clock = std::chrono::steady_clock;

std::atomic<PollFunction> g_poll{nullptr};

int Poll(pollfd* fds, nfds_t count, int timeout_ms) {
  if (PollFunction fake = g_poll.load(); fake != nullptr) return fake(fds, count, timeout_ms);
  return ::poll(fds, count, timeout_ms);
}

std::string ErrnoText(int error) { return std::generic_category().message(error); }

// Owns one file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      Close();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Fd() { Close(); }
  int get() const { return fd_; }
  bool open() const { return fd_ >= 0; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read;
  Fd write;
};

Status MakePipe(Pipe& pipe) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return Status(StatusCode::kIo, "cannot create pipe: " + ErrnoText(errno));
  }
  pipe.read = Fd(fds[0]);
  pipe.write = Fd(fds[1]);
  return Status::Ok();
}

void SetNonBlocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Blocks SIGPIPE in the calling thread while it lives, so writing to a child
// that closed its stdin yields EPIPE instead of killing the process. A SIGPIPE
// raised meanwhile is consumed before the old mask is restored.
class SigpipeBlocker {
 public:
  SigpipeBlocker() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  SigpipeBlocker(const SigpipeBlocker&) = delete;
  SigpipeBlocker& operator=(const SigpipeBlocker&) = delete;
  ~SigpipeBlocker() {
    if (!was_pending_) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        timespec zero{};
        sigtimedwait(&set_, nullptr, &zero);
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t set_;
  sigset_t old_;
  bool was_pending_ = false;
};

// Starts argv with stdin/stdout/stderr connected to the given pipe ends.
Result<pid_t> Spawn(const std::vector<std::string>& argv, int in, int out, int err) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err, STDERR_FILENO);

  // The child gets an empty signal mask and default SIGPIPE handling, whatever
  // this thread currently blocks or ignores.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t empty;
  sigemptyset(&empty);
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setsigdefault(&attr, &pipe_only);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  pid_t pid = -1;
  int rc = posix_spawnp(&pid, argv[0].c_str(), &actions, &attr, args.data(), environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (rc == 0) return pid;

  const std::string& program = argv[0];
  if (rc == ENOENT) {
    bool has_slash = program.find('/') != std::string::npos;
    return Status(StatusCode::kIo, "cannot run " + program + ": " +
                                       (has_slash ? "no such file" : "not found in PATH"));
  }
  return Status(StatusCode::kIo, "cannot run " + program + ": " + ErrnoText(rc));
}

// Milliseconds until the deadline, rounded up; 0 when it has passed.
int MillisUntil(Clock::time_point deadline) {
  auto left = deadline - Clock::now();
  if (left <= Clock::duration::zero()) return 0;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return static_cast<int>(std::min<long long>(ms, 1 << 30));
}

// Reaps pid; kills it first when kill_now, or when it outlives the deadline.
int Reap(pid_t pid, bool kill_now, Clock::time_point deadline, bool& timed_out) {
  if (kill_now) ::kill(pid, SIGKILL);
  int status = 0;
  while (true) {
    pid_t r = ::waitpid(pid, &status, kill_now ? 0 : WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) return -1;
    if (r == 0) {
      if (MillisUntil(deadline) == 0) {
        timed_out = true;
        kill_now = true;
        ::kill(pid, SIGKILL);
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    }
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

enum class ReadOutcome { kMore, kDone };

// Reads what is available from fd into out (keeping at most cap bytes; sets
// overflow when more arrived than that).
ReadOutcome ReadSome(int fd, std::string& out, std::size_t cap, bool& overflow) {
  char buffer[65536];
  ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n > 0) {
    std::size_t room = cap > out.size() ? cap - out.size() : 0;
    if (static_cast<std::size_t>(n) > room) overflow = true;
    out.append(buffer, std::min(static_cast<std::size_t>(n), room));
    return ReadOutcome::kMore;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return ReadOutcome::kMore;
  return ReadOutcome::kDone;
}

}  // namespace

Result<ProcessResult> RunProcess(const std::vector<std::string>& argv, std::string_view stdin_text,
                                 std::chrono::milliseconds timeout) {
  if (argv.empty() || argv[0].empty()) {
    return Status(StatusCode::kInvalidArgument, "cannot run a program: empty command");
  }
  const std::string& program = argv[0];
  SigpipeBlocker sigpipe_blocker;

  Pipe in, out, err;
  for (Pipe* p : {&in, &out, &err}) {
    if (Status s = MakePipe(*p); !s.ok()) return s;
  }
  Result<pid_t> pid = Spawn(argv, in.read.get(), out.write.get(), err.write.get());
  if (!pid.ok()) return pid.status();
  in.read.Close();
  out.write.Close();
  err.write.Close();
  for (const Fd* fd : {&in.write, &out.read, &err.read}) SetNonBlocking(fd->get());
  if (stdin_text.empty()) in.write.Close();

  const auto deadline = Clock::now() + timeout;
  ProcessResult result;
  std::size_t written = 0;
  bool timed_out = false;
  bool stdout_overflow = false;
  bool stderr_overflow = false;
  while (in.write.open() || out.read.open() || err.read.open()) {
    int wait_ms = MillisUntil(deadline);
    if (wait_ms == 0) {
      timed_out = true;
      break;
    }
    pollfd fds[3];
    Fd* owners[3];
    nfds_t count = 0;
    auto watch = [&](Fd& fd, short events) {
      if (!fd.open()) return;
      fds[count] = pollfd{fd.get(), events, 0};
      owners[count++] = &fd;
    };
    watch(in.write, POLLOUT);
    watch(out.read, POLLIN);
    watch(err.read, POLLIN);
    int ready = Poll(fds, count, wait_ms);
    if (ready < 0 && errno != EINTR) {
      const int error = errno;
      Reap(*pid, /*kill_now=*/true, deadline, timed_out);  // never leave the helper running
      return Status(StatusCode::kIo, "cannot wait for " + program + ": " + ErrnoText(error));
    }
    for (nfds_t i = 0; ready > 0 && i < count; ++i) {
      if (fds[i].revents == 0) continue;
      Fd& fd = *owners[i];
      if (&fd == &in.write) {
        std::size_t chunk = std::min<std::size_t>(stdin_text.size() - written, 65536);
        ssize_t n = ::write(fd.get(), stdin_text.data() + written, chunk);
        if (n > 0) written += static_cast<std::size_t>(n);
        // EPIPE (the child closed its stdin) and other errors end the input.
        bool failed = n < 0 && errno != EAGAIN && errno != EINTR;
        if (failed || written == stdin_text.size()) fd.Close();
      } else if (&fd == &out.read) {
        if (ReadSome(fd.get(), result.stdout_text, kMaxProcessStdoutBytes, stdout_overflow) ==
            ReadOutcome::kDone) {
          fd.Close();
        }
      } else if (ReadSome(fd.get(), result.stderr_text, kMaxProcessStderrBytes, stderr_overflow) ==
                 ReadOutcome::kDone) {
        fd.Close();
      }
    }
    if (stdout_overflow) break;
  }

  bool kill_now = timed_out || stdout_overflow;
  result.exit_code = Reap(*pid, kill_now, deadline, timed_out);
  if (timed_out) {
    return Status(StatusCode::kIo, program + " timed out after " + std::to_string(timeout.count()) +
                                       " ms and was killed");
  }
  if (stdout_overflow) {
    return Status(StatusCode::kIo, "output of " + program + " exceeds " +
                                       std::to_string(kMaxProcessStdoutBytes) + " bytes");
  }
  if (result.exit_code < 0) {
    return Status(StatusCode::kIo, "cannot get the exit status of " + program);
  }
  return result;
}

Result<ProcessResult> SystemProcessRunner::Run(const std::vector<std::string>& argv,
                                               std::string_view stdin_text,
                                               std::chrono::milliseconds timeout) {
  return RunProcess(argv, stdin_text, timeout);
}

void SetPollFunctionForTesting(PollFunction poll_function) { g_poll.store(poll_function); }

ProcessRunner& RealProcesses() {
  static SystemProcessRunner* const runner = new SystemProcessRunner();
  return *runner;
}

}  // namespace regdigest
