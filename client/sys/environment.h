// Environment: the process environment behind a small interface, so code that
// reads variables (HOME, XDG_*, DOCKER_CONFIG, DOCKER_HOST, REGDIGEST_CONFIG) can be tested
// with an in-memory fake. SystemEnvironment is the one real implementation.
// Thread safety: the real implementation only reads; do not setenv() while
// other threads use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/base/status.h"

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

// The home directory, for the paths that need one: $HOME when it is set,
// else (unset) the passwd entry's home. kUsage, never a path under "/", when
// HOME is set but empty or relative, or unset with no passwd home:
// "HOME is set but empty; set it to your home directory".
Result<std::string> HomeDirectory(const Environment& env);
Result<std::string> HomeDirectory();  // HomeDirectory(RealEnvironment())

// One rule for the XDG base directories (XDG_CONFIG_HOME, XDG_DATA_HOME...):
// $variable when it is an absolute path; unset, empty and relative values are
// ignored, as the XDG Base Directory specification says; then
// <home>/<home_relative> (errors as HomeDirectory).
Result<std::string> XdgBaseDirectory(const Environment& env, std::string_view variable,
                                     std::string_view home_relative);

}  // namespace regdigest
