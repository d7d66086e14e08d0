// Tests for client/history/postgres_schema.h and postgres_history_store.h
// without a server: the URL shown in messages, the password scrubbed from
// libpq's messages, and the two backends' schema versions kept equal. (The
// server side is tests/integration/test_history_postgres.sh.)
#include <doctest/doctest.h>

#include "client/history/history_schema.h"
#include "client/history/history_store.h"
#include "client/history/postgres_schema.h"
#include "client/history/postgres_url.h"

namespace regdigest {
namespace {

TEST_CASE("A PostgreSQL URL is shown without its password") {
  struct Case {
    std::string url, want;
  };
  const Case cases[] = {
      {"postgresql://rd:s3cret@db.example:5432/history", "postgresql://rd@db.example:5432/history"},
      {"postgres://rd@db/history", "postgres://rd@db/history"},
      {"postgresql://db/history?sslmode=verify-full",
       "postgresql://db/history?sslmode=verify-full"},
      {"postgresql://rd@db/h?password=s3cret&sslmode=require",
       "postgresql://rd@db/h?sslmode=require"},
      {"postgresql://rd:p%40ss@db/h?sslmode=require&password=x",
       "postgresql://rd@db/h?sslmode=require"},
      {"postgresql://", "postgresql://"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.url);
    CHECK(RedactPostgresUrl(c.url) == c.want);
  }
}

TEST_CASE("The password is scrubbed from a libpq message") {
  CHECK(ScrubPostgresPassword("invalid percent-encoded token: \"p%zzss\"",
                              "postgresql://rd:p%zzss@db/h") ==
        "invalid percent-encoded token: \"***\"");
  CHECK(ScrubPostgresPassword("bad value s3cret", "postgresql://db/h?password=s3cret") ==
        "bad value ***");
  CHECK(ScrubPostgresPassword("no secret here", "postgresql://rd@db/h") == "no secret here");
}

TEST_CASE("Both backends have the same number of schema versions") {
  CHECK(PostgresHistoryMigrations().size() == static_cast<std::size_t>(HistorySchemaVersion()));
}

TEST_CASE("The backend follows the --db value") {
  CHECK(IsPostgresUrl("postgresql://rd@db/h"));
  CHECK(IsPostgresUrl("postgres://rd@db/h"));
  CHECK_FALSE(IsPostgresUrl("/var/lib/history.db"));
  CHECK_FALSE(IsPostgresUrl("postgresql.db"));
  CHECK_FALSE(IsPostgresUrl("mysql://x"));
}

}  // namespace
}  // namespace regdigest
