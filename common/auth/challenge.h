// WWW-Authenticate parsing (RFC 7235 section 4.1): the challenges a registry
// sends with a 401, e.g. Bearer realm="https://auth.docker.io/token",
// service="registry.docker.io". Pure functions: no I/O.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"

namespace regdigest {

struct Challenge {
  std::string scheme;                         // lowercased: "bearer", "basic", ...
  std::map<std::string, std::string> params;  // keys lowercased, quoted values unescaped
  std::string token68;  // the token68 form ("Negotiate abc=="), mutually exclusive with params
  std::string Param(std::string_view key) const;  // "" when absent (key case-insensitive)
};

// All challenges in all given header values, in order. Handles several
// challenges in one header ("Basic realm=\"x\", Bearer realm=\"y\",service=\"z\""),
// several headers, quoted values with commas and backslash escapes, token68
// forms, unquoted values (leniently: anything up to a comma or whitespace, so
// realm=https://host/token works), optional whitespace around '=' and ',',
// and empty list elements. When a parameter repeats, the first one wins.
// A header that cannot be parsed (missing scheme, unterminated quoted string,
// missing '=' or ',', empty header...) yields kInvalidArgument naming what is
// wrong and where.
Result<std::vector<Challenge>> ParseChallenges(const std::vector<std::string>& header_values);

// First challenge with that scheme (case-insensitive), if any; nullptr otherwise.
const Challenge* FindChallenge(const std::vector<Challenge>& challenges, std::string_view scheme);

}  // namespace regdigest
