// LockFile: the contents of a regdigest lock file (`regdigest.lock`), which
// records the digest each tag pointed to when it was locked, and its JSON form.
// Parse and serialize only; reading and writing the file is the caller's.
//
//   {
//     "version": 1,
//     "entries": [
//       {
//         "reference": "docker.io/library/alpine:3.19",
//         "digest": "sha256:…",
//         "mediaType": "application/vnd.oci.image.index.v1+json",
//         "platforms": {"linux/arm64": "sha256:…"},     (only when recorded)
//         "signature": {"digest": "sha256:…", "key": "SHA256:…"},  (lock --key)
//         "resolvedAt": "2026-11-28T21:06:11Z"
//       }
//     ]
//   }
//
// The serialization is stable (entries sorted by reference, fixed key order,
// 2-space indent, trailing newline) so the file diffs well in git.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "common/image/digest.h"
#include "common/image/reference.h"

namespace regdigest {

inline constexpr int kLockFileVersion = 1;
// Larger lock files are refused before parsing.
inline constexpr std::size_t kMaxLockFileBytes = 64u * 1024 * 1024;

// The signature that verified an entry when it was locked with --key: the
// signature manifest (cosign .sig or sigstore bundle referrer) and the
// fingerprint of the key that verified it.
struct LockSignature {
  Digest digest;
  std::string key;
  friend bool operator==(const LockSignature&, const LockSignature&) = default;
};

struct LockEntry {
  Reference reference;  // canonical, with its tag, no digest
  Digest digest;        // what the tag pointed to
  std::string media_type;
  std::map<std::string, Digest> platforms;  // "linux/arm64" -> platform manifest digest
  std::string resolved_at;                  // RFC 3339, UTC
  // 1-based line of this entry's "reference" in the parsed text; 0 when the
  // entry was not parsed from text. Not serialized.
  std::size_t line = 0;
  std::optional<LockSignature> signature = std::nullopt;  // set by lock --key
};

struct LockFile {
  int version = kLockFileVersion;
  std::vector<LockEntry> entries;

  // The entry for `reference` (compared canonically), or null.
  const LockEntry* Find(const Reference& reference) const;
  // Replaces the entry with the same reference, or appends `entry`.
  void Upsert(LockEntry entry);
};

// Parses and validates a lock file. Everything malformed is kInvalidArgument
// with a message saying what and where ("entry 2 (line 9): digest: …"):
// empty text, git merge conflict markers ("unresolved merge conflict (line
// N)"), not JSON, wrong types, missing or unknown fields, an invalid
// reference or digest or time, a mediaType that is not one of the four
// manifest types (IsManifestMediaType, lowercase, no parameters), duplicate
// references, a file over 64 MiB.
// A version newer than kLockFileVersion is refused with a message asking for
// a newer regdigest. Entries keep their file order.
Result<LockFile> ParseLockFile(std::string_view text);

// The stable JSON text: version first, entries sorted by reference, each with
// reference, digest, mediaType, platforms (omitted when empty), signature
// (omitted when absent), resolvedAt. Files without "signature" parse as before.
// SerializeLockFile(*ParseLockFile(x)) == x for every x this function wrote.
std::string SerializeLockFile(const LockFile& lock);

// Cheap sniff, no full parse: the text's first non-blank character opens a
// JSON object (or the text has git conflict markers) and it mentions both
// "version" and "entries". A list of
// references never does, so `record --file` can tell the two apart; a
// corrupt lock file still sniffs as one and then fails ParseLockFile clearly.
bool LooksLikeLockFile(std::string_view text);

}  // namespace regdigest
