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

Result<std::string> HomeDirectory(const Environment& env) {
  if (std::optional<std::string> home = env.Get("HOME")) {
    if (home->empty()) {
      return Status(StatusCode::kUsage, "HOME is set but empty; set it to your home directory");
    }
    if (home->front() != '/') {
      return Status(StatusCode::kUsage, "HOME is not an absolute path (\"" + *home +
                                            "\"); set it to your home directory");
    }
    return *home;
  }
  std::string passwd_home = env.PasswdHome();
  if (passwd_home.empty() || passwd_home.front() != '/') {
    return Status(StatusCode::kUsage,
                  "HOME is not set and the user has no home directory; set HOME");
  }
  return passwd_home;
}

Result<std::string> HomeDirectory() { return HomeDirectory(RealEnvironment()); }

Result<std::string> XdgBaseDirectory(const Environment& env, std::string_view variable,
                                     std::string_view home_relative) {
  if (std::optional<std::string> dir = env.Get(variable); dir && dir->starts_with('/')) return *dir;
  Result<std::string> home = HomeDirectory(env);
  if (!home.ok()) return home.status();
  return *home + "/" + std::string(home_relative);
}

}  // namespace regdigest
