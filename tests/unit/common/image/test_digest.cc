// Tests for common/digest.h: parsing, hashing and matching.
#include <doctest/doctest.h>

#include <string>

#include "common/image/digest.h"

namespace regdigest {
namespace {

const std::string kHex64(64, 'a');
const std::string kHex128(128, 'b');
constexpr const char* kSha256Empty =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* kSha256Abc =
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* kSha512Abc =
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
    "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";
constexpr const char* kSha512Empty =
    "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
    "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";

TEST_CASE("Digest::Parse accepts well-formed digests") {
  struct Case {
    std::string input;
    std::string algorithm;
    std::string hex;
  };
  const Case cases[] = {
      {"sha256:" + kHex64, "sha256", kHex64},
      {"sha512:" + kHex128, "sha512", kHex128},
      {std::string("sha256:") + kSha256Abc, "sha256", kSha256Abc},
      {std::string("sha256:") + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
       "sha256", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    Result<Digest> d = Digest::Parse(c.input);
    REQUIRE(d.ok());
    CHECK(d->algorithm() == c.algorithm);
    CHECK(d->hex() == c.hex);
    CHECK(d->String() == c.input);
    CHECK(d->ShortHex() == c.hex.substr(0, 12));
  }
}

TEST_CASE("Digest::Parse rejects malformed digests with a precise message") {
  struct Case {
    std::string input;
    std::string phrase;
  };
  const Case cases[] = {
      {"", "digest must be algorithm:hex"},
      {kHex64, "digest must be algorithm:hex"},
      {":" + kHex64, "digest must be algorithm:hex"},
      {"md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported digest algorithm \"md5\""},
      {"SHA256:" + kHex64, "unsupported digest algorithm \"SHA256\""},
      {"sha384:" + std::string(96, 'a'), "unsupported digest algorithm \"sha384\""},
      {"sha256:" + kHex64.substr(1), "sha256 digest must have 64 hex characters, got 63"},
      {"sha256:" + kHex64 + "a", "sha256 digest must have 64 hex characters, got 65"},
      {"sha256:", "sha256 digest must have 64 hex characters, got 0"},
      {"sha256:" + kHex128, "sha256 digest must have 64 hex characters, got 128"},
      {"sha512:" + kHex64, "sha512 digest must have 128 hex characters, got 64"},
      {"sha256:" + std::string(63, 'a') + "A", "must be lowercase hex, found 'A'"},
      {"sha256:" + std::string(63, 'a') + "g", "non-hex character 'g'"},
      {"sha256:" + std::string(63, 'a') + ":", "non-hex character ':'"},
      {"sha512:" + std::string(127, 'b') + "F", "sha512 digest must be lowercase hex"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.input);
    Result<Digest> d = Digest::Parse(c.input);
    REQUIRE_FALSE(d.ok());
    CHECK(d.status().code() == StatusCode::kInvalidArgument);
    CAPTURE(d.status().message());
    CHECK(d.status().message().find(c.phrase) != std::string::npos);
  }
}

TEST_CASE("Digest::Sha256Of and Sha512Of compute known vectors") {
  struct Case {
    std::string bytes;
    std::string expected;
    bool sha512;
  };
  const Case cases[] = {
      {"", std::string("sha256:") + kSha256Empty, false},
      {"abc", std::string("sha256:") + kSha256Abc, false},
      {"", std::string("sha512:") + kSha512Empty, true},
      {"abc", std::string("sha512:") + kSha512Abc, true},
  };
  for (const Case& c : cases) {
    CAPTURE(c.bytes);
    CAPTURE(c.expected);
    const Digest d = c.sha512 ? Digest::Sha512Of(c.bytes) : Digest::Sha256Of(c.bytes);
    CHECK(d.String() == c.expected);
    Result<Digest> parsed = Digest::Parse(c.expected);
    REQUIRE(parsed.ok());
    CHECK(*parsed == d);
  }
}

TEST_CASE("Digest::Matches recomputes with the digest's own algorithm") {
  const Digest abc256 = Digest::Sha256Of("abc");
  const Digest abc512 = Digest::Sha512Of("abc");
  struct Case {
    const Digest* digest;
    std::string bytes;
    bool matches;
  };
  const Case cases[] = {
      {&abc256, "abc", true}, {&abc256, "abd", false}, {&abc256, "", false},
      {&abc512, "abc", true}, {&abc512, "ab", false},  {&abc256, std::string("abc\0", 4), false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.digest->String());
    CAPTURE(c.bytes);
    CHECK(c.digest->Matches(c.bytes) == c.matches);
  }
  // Binary content with embedded NULs hashes every byte.
  const std::string binary("\0\x01\xff", 3);
  CHECK(Digest::Sha256Of(binary).Matches(binary));
  CHECK_FALSE(Digest::Sha256Of(binary).Matches(std::string("\0", 1)));
}

TEST_CASE("Digest values compare and order by algorithm then hex") {
  Result<Digest> a = Digest::Parse("sha256:" + std::string(64, '0'));
  Result<Digest> b = Digest::Parse("sha256:" + std::string(64, '1'));
  Result<Digest> c = Digest::Parse("sha512:" + std::string(128, '0'));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(c.ok());
  CHECK(*a == *a);
  CHECK(*a != *b);
  CHECK(*a < *b);
  CHECK(*b < *c);
}

}  // namespace
}  // namespace regdigest
