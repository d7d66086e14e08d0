// Tests for common/platform.h: parsing, containerd-style normalisation, matching.
#include <doctest/doctest.h>

#include <string>

#include "common/image/platform.h"

namespace regdigest {
namespace {

TEST_CASE("Platform::Parse accepts os/arch[/variant]") {
  struct Case {
    std::string input, os, architecture, variant;
  };
  const Case cases[] = {
      {"linux/amd64", "linux", "amd64", ""},     {"linux/arm64", "linux", "arm64", ""},
      {"linux/arm/v7", "linux", "arm", "v7"},    {"linux/arm64/v8", "linux", "arm64", "v8"},
      {"windows/amd64", "windows", "amd64", ""}, {"linux/x86_64", "linux", "x86_64", ""},
      {"linux/386", "linux", "386", ""},         {"unknown/unknown", "unknown", "unknown", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    Result<Platform> p = Platform::Parse(c.input);
    REQUIRE(p.ok());
    CHECK(p->os == c.os);
    CHECK(p->architecture == c.architecture);
    CHECK(p->variant == c.variant);
    CHECK(p->String() == c.input);  // Parse keeps what was written
  }
}

TEST_CASE("Platform::Parse rejects malformed platforms with a precise message") {
  struct Case {
    std::string input, message;
  };
  const Case cases[] = {
      {"linux", "platform \"linux\" must be os/arch[/variant]"},
      {"", "platform \"\" must be os/arch[/variant]"},
      {"linux/arm/v7/extra", "platform \"linux/arm/v7/extra\" must be os/arch[/variant]"},
      {"/amd64", "platform \"/amd64\" has an empty os"},
      {"linux/", "platform \"linux/\" has an empty architecture"},
      {"linux/arm/", "platform \"linux/arm/\" has an empty variant"},
      {"Linux/amd64",
       "platform \"Linux/amd64\" has an invalid os \"Linux\": only lowercase letters, digits and _ "
       "are allowed"},
      {"linux/x86-64",
       "platform \"linux/x86-64\" has an invalid architecture \"x86-64\": only lowercase letters, "
       "digits and _ are allowed"},
      {"linux/arm/v7.1",
       "platform \"linux/arm/v7.1\" has an invalid variant \"v7.1\": only lowercase letters, "
       "digits and _ are allowed"},
      {"linux amd64", "platform \"linux amd64\" must be os/arch[/variant]"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    Result<Platform> p = Platform::Parse(c.input);
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().code() == StatusCode::kInvalidArgument);
    CHECK(p.status().message() == c.message);
  }
}

TEST_CASE("Platform::Normalized folds aliases and default variants like containerd") {
  struct Case {
    Platform in;
    std::string normalized;
  };
  const Case cases[] = {
      {{"linux", "amd64", ""}, "linux/amd64"},      {{"linux", "x86_64", ""}, "linux/amd64"},
      {{"linux", "x86-64", ""}, "linux/amd64"},     {{"linux", "amd64", "v1"}, "linux/amd64"},
      {{"linux", "amd64", "v3"}, "linux/amd64/v3"}, {{"linux", "aarch64", ""}, "linux/arm64/v8"},
      {{"linux", "arm64", ""}, "linux/arm64/v8"},   {{"linux", "arm64", "8"}, "linux/arm64/v8"},
      {{"linux", "arm64", "v8"}, "linux/arm64/v8"}, {{"linux", "arm64", "v9"}, "linux/arm64/v9"},
      {{"linux", "armhf", ""}, "linux/arm/v7"},     {{"linux", "armel", ""}, "linux/arm/v6"},
      {{"linux", "arm", ""}, "linux/arm/v7"},       {{"linux", "arm", "7"}, "linux/arm/v7"},
      {{"linux", "arm", "6"}, "linux/arm/v6"},      {{"linux", "arm", "v5"}, "linux/arm/v5"},
      {{"linux", "i386", ""}, "linux/386"},         {{"linux", "386", ""}, "linux/386"},
      {{"Linux", "AMD64", ""}, "linux/amd64"},      {{"macos", "arm64", ""}, "darwin/arm64/v8"},
      {{"linux", "s390x", ""}, "linux/s390x"},      {{"linux", "ppc64le", ""}, "linux/ppc64le"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in.String());
    CHECK(c.in.Normalized().String() == c.normalized);
    CHECK(c.in.Normalized().Normalized() == c.in.Normalized());  // idempotent
  }
}

TEST_CASE("Platform::Matches compares normalised values") {
  struct Case {
    Platform a, b;
    bool matches;
  };
  const Case cases[] = {
      {{"linux", "amd64", ""}, {"linux", "amd64", ""}, true},
      {{"linux", "x86_64", ""}, {"linux", "amd64", ""}, true},
      {{"linux", "arm64", ""}, {"linux", "arm64", "v8"}, true},
      {{"linux", "aarch64", ""}, {"linux", "arm64", "v8"}, true},
      {{"linux", "arm", ""}, {"linux", "arm", "v7"}, true},
      {{"linux", "armhf", ""}, {"linux", "arm", "v7"}, true},
      {{"linux", "amd64", "v1"}, {"linux", "amd64", ""}, true},
      {{"linux", "arm", "v6"}, {"linux", "arm", "v7"}, false},
      {{"linux", "amd64", ""}, {"linux", "arm64", ""}, false},
      {{"linux", "amd64", ""}, {"windows", "amd64", ""}, false},
      {{"linux", "amd64", "v2"}, {"linux", "amd64", ""}, false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.a.String());
    CAPTURE(c.b.String());
    CHECK(c.a.Matches(c.b) == c.matches);
    CHECK(c.b.Matches(c.a) == c.matches);
  }
}

TEST_CASE("Platform::IsUnknown spots attestation platforms") {
  struct Case {
    Platform p;
    bool unknown;
  };
  const Case cases[] = {
      {{"unknown", "unknown", ""}, true}, {{"linux", "unknown", ""}, true},
      {{"unknown", "amd64", ""}, true},   {{"linux", "amd64", ""}, false},
      {{"linux", "arm", "v7"}, false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.p.String());
    CHECK(c.p.IsUnknown() == c.unknown);
  }
}

}  // namespace
}  // namespace regdigest
