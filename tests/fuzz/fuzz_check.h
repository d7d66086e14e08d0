// Helpers shared by the libFuzzer targets in tests/fuzz: FUZZ_CHECK, an
// invariant that aborts (so libFuzzer records the input as a crash) with a
// message naming the broken property, and a view of the raw input bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

// Aborts with "fuzz invariant failed: <condition> (file:line)" when false.
#define FUZZ_CHECK(...)                                                                   \
  do {                                                                                    \
    if (!(__VA_ARGS__)) {                                                                 \
      std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #__VA_ARGS__, __FILE__, \
                   __LINE__);                                                             \
      std::abort();                                                                       \
    }                                                                                     \
  } while (false)

namespace regdigest::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace regdigest::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
