// Environment: the process environment behind a small interface, so code that
// reads variables (HOME, XDG_*, DOCKER_CONFIG, REGDIGEST_CONFIG) can be tested
// with an in-memory fake. SystemEnvironment is the one real implementation.
// Thread safety: the real implementation only reads; do not setenv() while
// other threads use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace regdigest {

class Environment {
 public:
  virtual ~Environment() = default;
  // The variable's value; nullopt when it is unset (set but empty is "").
  virtual std::optional<std::string> Get(std::string_view name) const = 0;
  // The home directory in the current user's passwd entry; "" when unknown.
  virtual std::string PasswdHome() const = 0;
};

// getenv() and getpwuid(getuid()).
class SystemEnvironment : public Environment {
 public:
  std::optional<std::string> Get(std::string_view name) const override;
  std::string PasswdHome() const override;
};

// The process-wide SystemEnvironment (never destroyed).
const Environment& RealEnvironment();

// The variable's value when set and non-empty; nullopt otherwise.
std::optional<std::string> NonEmptyVariable(const Environment& env, std::string_view name);

// $HOME when set and non-empty, else the passwd entry's home; "" when neither
// is known.
std::string HomeDirectory(const Environment& env);
std::string HomeDirectory();  // HomeDirectory(RealEnvironment())

}  // namespace regdigest
