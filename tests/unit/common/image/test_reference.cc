// Tests for common/reference.h, modelled on distribution/reference's
// reference_test.go and normalize_test.go (ParseNormalizedNamed behaviour).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/image/reference.h"

namespace regdigest {
namespace {

const std::string kD256 = "sha256:" + std::string(64, 'f');
const std::string kD512 = "sha512:" + std::string(128, 'f');
const std::string kBusyboxDigest =
    "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa";
const std::string kHexId = "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a";

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

struct ValidCase {
  std::string input;
  std::string domain;
  std::string path;
  std::string tag;     // "" = none
  std::string digest;  // "" = none
  std::string familiar_name;
};

std::vector<ValidCase> ValidCases() {
  return {
      // Docker Hub normalisation.
      {"ubuntu", "docker.io", "library/ubuntu", "", "", "ubuntu"},
      {"ubuntu:22.04", "docker.io", "library/ubuntu", "22.04", "", "ubuntu"},
      {"docker.io/ubuntu", "docker.io", "library/ubuntu", "", "", "ubuntu"},
      {"docker.io/library/ubuntu", "docker.io", "library/ubuntu", "", "", "ubuntu"},
      {"index.docker.io/library/ubuntu", "docker.io", "library/ubuntu", "", "", "ubuntu"},
      {"index.docker.io/ubuntu:latest", "docker.io", "library/ubuntu", "latest", "", "ubuntu"},
      {"library/ubuntu", "docker.io", "library/ubuntu", "", "", "ubuntu"},
      {"jenkins/jenkins:lts", "docker.io", "jenkins/jenkins", "lts", "", "jenkins/jenkins"},
      {"docker.io/jenkins/jenkins", "docker.io", "jenkins/jenkins", "", "", "jenkins/jenkins"},
      {"index.docker.io/fooo/bar", "docker.io", "fooo/bar", "", "", "fooo/bar"},
      {"library/foo/bar", "docker.io", "library/foo/bar", "", "", "library/foo/bar"},
      {"docker.io/library/foo/bar", "docker.io", "library/foo/bar", "", "", "library/foo/bar"},
      {"store/foo/bar", "docker.io", "store/foo/bar", "", "", "store/foo/bar"},
      {"other/library", "docker.io", "other/library", "", "", "other/library"},
      {"ubuntu-12.04-base", "docker.io", "library/ubuntu-12.04-base", "", "", "ubuntu-12.04-base"},
      // Familiar names that would parse as something else keep more of the name.
      {"docker.io/" + kHexId, "docker.io", "library/" + kHexId, "", "", "library/" + kHexId},
      {"docker.io/localhost/app", "docker.io", "localhost/app", "", "", "docker.io/localhost/app"},
      {"docker.io/foo.bar/baz:1", "docker.io", "foo.bar/baz", "1", "", "docker.io/foo.bar/baz"},
      {"thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", "docker.io",
       "library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev", "", "",
       "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev"},
      // A first component without '.', ':' or uppercase is a path, not a domain.
      {"test_com", "docker.io", "library/test_com", "", "", "test_com"},
      {"test_com/foo", "docker.io", "test_com/foo", "", "", "test_com/foo"},
      {"docker/migrator", "docker.io", "docker/migrator", "", "", "docker/migrator"},
      {"docker-rules/docker", "docker.io", "docker-rules/docker", "", "", "docker-rules/docker"},
      {"docker---rules/docker", "docker.io", "docker---rules/docker", "", "",
       "docker---rules/docker"},
      {"dock__er/docker", "docker.io", "dock__er/docker", "", "", "dock__er/docker"},
      {"d/docker", "docker.io", "d/docker", "", "", "d/docker"},
      {"jess/t", "docker.io", "jess/t", "", "", "jess/t"},
      {"ab-c__d--e/f.g_h", "docker.io", "ab-c__d--e/f.g_h", "", "", "ab-c__d--e/f.g_h"},
      {"foo/foo_bar.com:8080", "docker.io", "foo/foo_bar.com", "8080", "", "foo/foo_bar.com"},
      // Without a '/', a domain-looking name is a Docker Hub image and ':' a tag.
      {"localhost", "docker.io", "library/localhost", "", "", "localhost"},
      {"localhost:5000", "docker.io", "library/localhost", "5000", "", "localhost"},
      {"test.com:tag", "docker.io", "library/test.com", "tag", "", "test.com"},
      {"test.com:5000", "docker.io", "library/test.com", "5000", "", "test.com"},
      {"foo_bar.com:8080", "docker.io", "library/foo_bar.com", "8080", "", "foo_bar.com"},
      {"192.168.1.1", "docker.io", "library/192.168.1.1", "", "", "192.168.1.1"},
      {"192.168.1.1:5000", "docker.io", "library/192.168.1.1", "5000", "", "192.168.1.1"},
      // Other registries.
      {"ghcr.io/owner/repo:v1", "ghcr.io", "owner/repo", "v1", "", "ghcr.io/owner/repo"},
      {"localhost/foo", "localhost", "foo", "", "", "localhost/foo"},
      {"localhost:5000/foo/bar:tag", "localhost:5000", "foo/bar", "tag", "",
       "localhost:5000/foo/bar"},
      {"registry-1.docker.io/library/ubuntu", "registry-1.docker.io", "library/ubuntu", "", "",
       "registry-1.docker.io/library/ubuntu"},
      {"test.com/repo:tag", "test.com", "repo", "tag", "", "test.com/repo"},
      {"test:5000/repo", "test:5000", "repo", "", "", "test:5000/repo"},
      {"test:5000/repo@" + kD256, "test:5000", "repo", "", kD256, "test:5000/repo"},
      {"test:5000/repo:tag@" + kD256, "test:5000", "repo", "tag", kD256, "test:5000/repo"},
      {"test-com:8080/foo", "test-com:8080", "foo", "", "", "test-com:8080/foo"},
      {"127.0.0.1:5000/docker/docker", "127.0.0.1:5000", "docker/docker", "", "",
       "127.0.0.1:5000/docker/docker"},
      {"127.0.0.1:8000/privatebase", "127.0.0.1:8000", "privatebase", "", "",
       "127.0.0.1:8000/privatebase"},
      {"192.168.0.1:8/debian", "192.168.0.1:8", "debian", "", "", "192.168.0.1:8/debian"},
      {"192.168.1.1:5000/repo:5050", "192.168.1.1:5000", "repo", "5050", "",
       "192.168.1.1:5000/repo"},
      {"example.com/privatebase", "example.com", "privatebase", "", "", "example.com/privatebase"},
      {"sub-dom1.foo.com/bar/baz/quux:some-long-tag", "sub-dom1.foo.com", "bar/baz/quux",
       "some-long-tag", "", "sub-dom1.foo.com/bar/baz/quux"},
      {"b.gcr.io/test.example.com/my-app:test.example.com", "b.gcr.io", "test.example.com/my-app",
       "test.example.com", "", "b.gcr.io/test.example.com/my-app"},
      {"xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com", "myimage", "xn--n3h.com", "",
       "xn--n3h.com/myimage"},
      {"xn--7o8h.com/myimage:xn--7o8h.com@" + kD512, "xn--7o8h.com", "myimage", "xn--7o8h.com",
       kD512, "xn--7o8h.com/myimage"},
      {"xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo", "", "", "xn--n3h.com:18080/foo"},
      // IPv6 registries.
      {"[2001:db8::1]/repo", "[2001:db8::1]", "repo", "", "", "[2001:db8::1]/repo"},
      {"[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]", "repo", "tag", "",
       "[2001:db8:1:2:3:4:5:6]/repo"},
      {"[2001:db8::1]:5000/repo:tag@" + kD256, "[2001:db8::1]:5000", "repo", "tag", kD256,
       "[2001:db8::1]:5000/repo"},
      {"[2001:db8::]:5000/repo", "[2001:db8::]:5000", "repo", "", "", "[2001:db8::]:5000/repo"},
      {"[::1]:5000/repo", "[::1]:5000", "repo", "", "", "[::1]:5000/repo"},
      {"[fc00::1]:5000/docker/docker", "[fc00::1]:5000", "docker/docker", "", "",
       "[fc00::1]:5000/docker/docker"},
      // An uppercase first component is taken as a domain, as Docker does.
      {"Docker/docker", "Docker", "docker", "", "", "Docker/docker"},
      {"FOO/bar", "FOO", "bar", "", "", "FOO/bar"},
      {"Uppercase/lowercase:tag", "Uppercase", "lowercase", "tag", "", "Uppercase/lowercase"},
      // Tags and digests.
      {"lowercase:Uppercase", "docker.io", "library/lowercase", "Uppercase", "", "lowercase"},
      {"ubuntu:_tag", "docker.io", "library/ubuntu", "_tag", "", "ubuntu"},
      {"ubuntu:" + Repeat("t", 128), "docker.io", "library/ubuntu", Repeat("t", 128), "", "ubuntu"},
      {"busybox:latest@" + kBusyboxDigest, "docker.io", "library/busybox", "latest", kBusyboxDigest,
       "busybox"},
      {"redis@" + kD256, "docker.io", "library/redis", "", kD256, "redis"},
      {"dmcgowan/myapp@" + kD256, "docker.io", "dmcgowan/myapp", "", kD256, "dmcgowan/myapp"},
      // 255 characters in total is the limit, not more.
      {"example.com/" + Repeat("a/", 120) + "abc", "example.com", Repeat("a/", 120) + "abc", "", "",
       "example.com/" + Repeat("a/", 120) + "abc"},
  };
}

TEST_CASE("Reference::Parse accepts and normalises valid references") {
  const std::vector<ValidCase> cases = ValidCases();
  for (const ValidCase& c : cases) {
    CAPTURE(c.input);
    Result<Reference> r = Reference::Parse(c.input);
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    CHECK(r->domain() == c.domain);
    CHECK(r->path() == c.path);
    CHECK(r->tag().value_or("") == c.tag);
    CHECK(r->tag().has_value() == !c.tag.empty());
    CHECK((r->digest() ? r->digest()->String() : "") == c.digest);
    CHECK(r->Name() == c.domain + "/" + c.path);
    CHECK(r->FamiliarName() == c.familiar_name);
    std::string suffix;
    if (!c.tag.empty()) suffix += ":" + c.tag;
    if (!c.digest.empty()) suffix += "@" + c.digest;
    CHECK(r->String() == c.domain + "/" + c.path + suffix);
    CHECK(r->FamiliarString() == c.familiar_name + suffix);
    // Both printed forms parse back to the same reference.
    Result<Reference> again = Reference::Parse(r->String());
    REQUIRE(again.ok());
    CHECK(*again == *r);
    Result<Reference> familiar = Reference::Parse(r->FamiliarString());
    REQUIRE(familiar.ok());
    CHECK(*familiar == *r);
  }
  CHECK(cases.size() >= 60);
}

struct InvalidCase {
  std::string input;
  std::string phrase;  // must appear in the error message
};

std::vector<InvalidCase> InvalidCases() {
  return {
      {"", "reference is empty"},
      {":justtag", "has no repository name"},
      {"@" + kD256, "has a digest but no repository name"},
      {"ubuntu:", "has ':' but no tag"},
      {"ubuntu:@" + kD256, "has ':' but no tag"},
      {"ubuntu@", "ends with '@' but has no digest"},
      {"example.com/", "no repository name after the registry domain"},
      {"localhost:5000/:tag", "no repository name after the registry domain"},
      {"docker.io/", "no repository name"},
      {"/", "must not start with '/'"},
      {"/docker", "must not start with '/'"},
      // Digests.
      {"repo@sha256:" + Repeat("f", 34), "sha256 digest must have 64 hex characters, got 34"},
      {"validname@invaliddigest:" + Repeat("f", 64), "unsupported digest algorithm"},
      {"ubuntu@" + Repeat("f", 64), "digest must be algorithm:hex"},
      {"ubuntu@sha256:" + Repeat("F", 64), "lowercase hex"},
      {"ubuntu@sha256:" + Repeat("f", 63) + "z", "non-hex character 'z'"},
      {"ubuntu@" + kD256 + "@" + kD256, "invalid digest"},
      {"[fe80::1%@invalidzone]:5000/repo", "invalid character '['"},
      // Hex identifiers.
      {kHexId, "cannot specify 64-byte hexadecimal strings"},
      {Repeat("a", 64), "looks like an image ID"},
      // Uppercase repository names.
      {"Uppercase:tag", "repository name \"Uppercase\" must be lowercase"},
      {"UBUNTU", "must be lowercase"},
      {"docker/Docker", "repository name \"docker/Docker\" must be lowercase"},
      {"docker.io/docker/Docker", "must be lowercase"},
      {"test:5000/Uppercase/lowercase:tag", "\"Uppercase/lowercase\" must be lowercase"},
      // Path grammar.
      {"aa/asdf$$^/aa", "contains invalid character '$'"},
      {"ubuntu latest", "invalid character ' ' (space)"},
      {"-docker", "\"-docker\" of \"-docker\" must start with a lowercase letter or digit"},
      {"-docker/docker", "must start with a lowercase letter or digit"},
      {"docker-/docker", "\"docker-\" of \"docker-/docker\" must end with"},
      {"-docker-/docker", "must start with"},
      {"____/____", "must start with"},
      {"_docker/_docker", "must start with"},
      {"foo/.bar", "\".bar\" of \"foo/.bar\" must start with"},
      {"foo/bar.", "must end with a lowercase letter or digit"},
      {"docker/dock..er", "invalid separator \"..\""},
      {"docker/dock_.er", "invalid separator \"_.\""},
      {"docker/dock-.er", "invalid separator \"-.\""},
      // With a '.', the first component is a registry domain, as for Docker.
      {"dock..er/docker", "invalid registry domain \"dock..er\""},
      {"dock_.er/docker", "invalid registry domain \"dock_.er\""},
      {"a___b", "invalid separator \"___\""},
      {"docker///docker", "empty path component ('//')"},
      {"docker.io/docker///docker", "empty path component"},
      {"docker/", "must not end with '/'"},
      {"[2001:db8::1]", "invalid character '['"},
      {"[2001:db8::1]:5000", "invalid character '['"},
      {"[2001:db8::1]:tag", "invalid character '['"},
      // Domain grammar.
      {"https://github.com/docker/docker", "must not include a URL scheme"},
      {"-docker.io/docker/docker", "invalid registry domain \"-docker.io\""},
      {"example-.com/foo", "invalid component \"example-\""},
      {"example..com/foo", "has an empty component"},
      {"exa_mple.com/foo", "invalid registry domain \"exa_mple.com\""},
      {"example.com:/foo", "has ':' but no port"},
      {"example.com:80a/foo", "invalid port \"80a\""},
      {"127.0.0.1:99999/app:v1",
       "invalid port \"99999\" in registry domain \"127.0.0.1:99999\" (must be 1 to 65535)"},
      {"localhost:65536/app", "(must be 1 to 65535)"},
      {"localhost:0/app", "(must be 1 to 65535)"},
      {"localhost:00000/app", "(must be 1 to 65535)"},
      {"localhost:123456789012345678901234567890/app", "(must be 1 to 65535)"},
      {"[::1]:70000/app", "(must be 1 to 65535)"},
      {"fc00::1:5000/debian", "invalid port"},
      {"ubuntu:ta/g", "invalid port \"ta\""},
      {"[fe80::1%eth0]:5000/repo", "only hex digits and ':' are allowed, found '%'"},
      {"[2001:db8:3:4::192.0.2.33]:5000/debian", "only hex digits and ':' are allowed"},
      {"[::1/foo", "without a closing ']'"},
      {"[]:5000/foo", "empty brackets"},
      {"[::1]x/foo", "unexpected \"x\" after IPv6 address"},
      {"[::1]:/foo", "has ':' but no port"},
      // Tags.
      {"ubuntu:-tag", "invalid tag \"-tag\": must start with a letter, digit or '_'"},
      {"ubuntu:.tag", "must start with"},
      {"ubuntu:tag!", "invalid tag \"tag!\": contains invalid character '!'"},
      {"ubuntu:tag:tag2", "contains invalid character ':'"},
      {"ubuntu:latest ", "invalid character ' ' (space)"},
      {"ubuntu:" + Repeat("t", 129), "129 characters long; the limit is 128"},
      // Length.
      {Repeat("a/", 128) + "a:tag", "the limit is 255"},
      {Repeat("a/", 127) + "a", "265 characters long; the limit is 255"},
      {"example.com/" + Repeat("a/", 120) + "abcd", "256 characters long"},
      {"this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_"
       "namespace_because_its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_"
       "its_lenth_is_greater_than_255_this_is_not_a_valid_namespace_because_its_lenth_is_"
       "greater_than_255/docker",
       "the limit is 255"},
  };
}

TEST_CASE("Reference::Parse rejects invalid references with a precise message") {
  const std::vector<InvalidCase> cases = InvalidCases();
  for (const InvalidCase& c : cases) {
    CAPTURE(c.input);
    Result<Reference> r = Reference::Parse(c.input);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidReference);
    CAPTURE(r.status().message());
    CHECK(r.status().message().find(c.phrase) != std::string::npos);
  }
  CHECK(cases.size() >= 60);
}

TEST_CASE("Reference::WithDefaultTag and Identifier") {
  struct Case {
    std::string input;
    std::string with_default;  // String() after WithDefaultTag()
    std::string identifier;    // Identifier() of the parsed reference
  };
  const Case cases[] = {
      {"ubuntu", "docker.io/library/ubuntu:latest", "latest"},
      {"ubuntu:22.04", "docker.io/library/ubuntu:22.04", "22.04"},
      {"ubuntu@" + kD256, "docker.io/library/ubuntu@" + kD256, kD256},
      {"ubuntu:22.04@" + kD256, "docker.io/library/ubuntu:22.04@" + kD256, kD256},
      {"localhost:5000/app", "localhost:5000/app:latest", "latest"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    Result<Reference> r = Reference::Parse(c.input);
    REQUIRE(r.ok());
    CHECK(r->WithDefaultTag().String() == c.with_default);
    CHECK(r->Identifier() == c.identifier);
    CHECK(r->WithDefaultTag().Identifier() == c.identifier);
  }
}

TEST_CASE("Reference equality covers domain, path, tag and digest") {
  auto parse = [](const std::string& s) {
    Result<Reference> r = Reference::Parse(s);
    REQUIRE(r.ok());
    return *r;
  };
  CHECK(parse("ubuntu") == parse("docker.io/library/ubuntu"));
  CHECK(parse("ubuntu") == parse("index.docker.io/ubuntu"));
  CHECK_FALSE(parse("ubuntu") == parse("ubuntu:latest"));
  CHECK_FALSE(parse("ubuntu:a") == parse("ubuntu:b"));
  CHECK_FALSE(parse("ubuntu") == parse("ubuntu@" + kD256));
  CHECK_FALSE(parse("ghcr.io/a/b") == parse("quay.io/a/b"));
}

}  // namespace
}  // namespace regdigest
