#include "cli/app/password_prompt.h"

#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <iterator>

namespace regdigest {
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
struct termios saved_terminal;  // restored by the handler
volatile std::sig_atomic_t terminal_saved = 0;

void RestoreTerminalAndReraise(int signal_number) {
  if (terminal_saved) tcsetattr(STDIN_FILENO, TCSANOW, &saved_terminal);
  const char newline = '\n';
  (void)!write(STDERR_FILENO, &newline, 1);
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

}  // namespace

bool StdinIsTerminal() { return isatty(STDIN_FILENO) == 1; }

Result<std::string> PromptPassword(const std::string& prompt) {
  std::cerr << prompt << std::flush;
  if (tcgetattr(STDIN_FILENO, &saved_terminal) != 0) {
    return Status(StatusCode::kIo,
                  std::string("cannot read the terminal's settings: ") + std::strerror(errno));
  }
  struct sigaction action {};
  action.sa_handler = RestoreTerminalAndReraise;
  sigemptyset(&action.sa_mask);
  struct sigaction previous[std::size(kSignals)];
  for (std::size_t i = 0; i < std::size(kSignals); ++i) {
    sigaction(kSignals[i], &action, &previous[i]);
  }
  terminal_saved = 1;
  struct termios quiet = saved_terminal;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  quiet.c_lflag |= ECHONL;
  Status status;
  if (tcsetattr(STDIN_FILENO, TCSANOW, &quiet) != 0) {
    status = Status(StatusCode::kIo,
                    std::string("cannot turn off the terminal's echo: ") + std::strerror(errno));
  }
  std::string password;
  if (status.ok() && !std::getline(std::cin, password)) {
    status = Status(StatusCode::kUsage, "no password entered");
  }
  tcsetattr(STDIN_FILENO, TCSANOW, &saved_terminal);
  terminal_saved = 0;
  for (std::size_t i = 0; i < std::size(kSignals); ++i)
    sigaction(kSignals[i], &previous[i], nullptr);
  if (!status.ok()) {
    std::cerr << "\n";
    return status;
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  return password;
}

}  // namespace regdigest
