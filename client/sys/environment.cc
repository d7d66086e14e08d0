#include "client/sys/environment.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace regdigest {

std::optional<std::string> SystemEnvironment::Get(std::string_view name) const {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::string SystemEnvironment::PasswdHome() const {
  if (const passwd* pw = getpwuid(getuid()); pw != nullptr && pw->pw_dir != nullptr) {
    return pw->pw_dir;
  }
  return "";
}

const Environment& RealEnvironment() {
  static const SystemEnvironment* const env = new SystemEnvironment();
  return *env;
}

std::optional<std::string> NonEmptyVariable(const Environment& env, std::string_view name) {
  std::optional<std::string> value = env.Get(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

std::string HomeDirectory(const Environment& env) {
  if (std::optional<std::string> home = NonEmptyVariable(env, "HOME")) return *home;
  return env.PasswdHome();
}

std::string HomeDirectory() { return HomeDirectory(RealEnvironment()); }

}  // namespace regdigest
