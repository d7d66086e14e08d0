// What of a PostgreSQL URL may be shown: the URL without its password, and a
// libpq message with the password (as written in the URL) scrubbed out.
// Pure functions, no libpq.
#pragma once

#include <string>

namespace regdigest {

// `url` without its password (user:password@ and ?password=...), for
// messages and logs.
std::string RedactPostgresUrl(const std::string& url);

// `message` with the URL's password (as written in it) replaced by "***".
std::string ScrubPostgresPassword(const std::string& message, const std::string& url);

}  // namespace regdigest
