// Fuzz target: regdigest lock files (common/lock_file.h). A lock file that
// parses must serialize to text that parses again to the same entries, and
// serializing is stable: serialize(parse(serialize(x))) == serialize(x).
#include <algorithm>
#include <string>
#include <vector>

#include "common/drift/lock_file.h"
#include "tests/fuzz/fuzz_check.h"

namespace regdigest::fuzz {
namespace {

// Entries in serialization order (by canonical reference).
std::vector<const LockEntry*> Sorted(const LockFile& lock) {
  std::vector<const LockEntry*> sorted;
  for (const LockEntry& entry : lock.entries) sorted.push_back(&entry);
  std::sort(sorted.begin(), sorted.end(), [](const LockEntry* a, const LockEntry* b) {
    return a->reference.String() < b->reference.String();
  });
  return sorted;
}

bool SameEntry(const LockEntry& a, const LockEntry& b) {
  return a.reference == b.reference && a.digest == b.digest && a.media_type == b.media_type &&
         a.platforms == b.platforms && a.resolved_at == b.resolved_at;
}

}  // namespace
}  // namespace regdigest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regdigest;
  const std::string_view text = fuzz::AsText(data, size);
  (void)LooksLikeLockFile(text);
  Result<LockFile> lock = ParseLockFile(text);
  if (!lock.ok()) {
    FUZZ_CHECK(lock.status().code() == StatusCode::kInvalidArgument);
    FUZZ_CHECK(!lock.status().message().empty());
    return 0;
  }
  for (const LockEntry& entry : lock->entries) {
    FUZZ_CHECK(entry.reference.tag().has_value() && !entry.reference.digest().has_value());
    FUZZ_CHECK(lock->Find(entry.reference) == &entry);
  }
  const std::string serialized = SerializeLockFile(*lock);
  FUZZ_CHECK(LooksLikeLockFile(serialized));
  Result<LockFile> again = ParseLockFile(serialized);
  if (!again.ok()) {
    std::fprintf(stderr, "serialized lock file does not parse: %s\n",
                 again.status().message().c_str());
  }
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->version == lock->version);
  FUZZ_CHECK(again->entries.size() == lock->entries.size());
  const std::vector<const LockEntry*> before = fuzz::Sorted(*lock);
  for (size_t i = 0; i < before.size(); ++i) {
    FUZZ_CHECK(fuzz::SameEntry(*before[i], again->entries[i]));
  }
  FUZZ_CHECK(SerializeLockFile(*again) == serialized);
  return 0;
}
