// Tests for common/registry/concurrency.h: the one per-registry concurrency
// rule (--concurrency, else the registry's own setting, else the top level)
// and the grouping of references by registry that every GET phase uses.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/registry/concurrency.h"

namespace regdigest {
namespace {

ToolConfig ConfigWith(int top, const std::string& domain, int per_registry) {
  ToolConfig config;
  config.concurrency = top;
  if (!domain.empty()) config.registries[domain].concurrency = per_registry;
  return config;
}

TEST_CASE("RegistryConcurrency: --concurrency, else per registry, else top level") {
  struct Case {
    const char* name;
    int override_limit;
    int top;
    std::string configured_domain;  // "" for no per-registry entry
    int per_registry;               // 0: the entry does not set concurrency
    std::string asked;
    int want;
  };
  const Case cases[] = {
      {"defaults", 0, kDefaultConcurrency, "", 0, "docker.io", 8},
      {"top level", 0, 3, "", 0, "localhost:5000", 3},
      {"per registry wins over top level", 0, 8, "localhost:5000", 2, "localhost:5000", 2},
      {"per registry only for its own domain", 0, 8, "localhost:5000", 2, "ghcr.io", 8},
      {"entry without concurrency: top level", 0, 5, "localhost:5000", 0, "localhost:5000", 5},
      {"--concurrency wins over per registry", 6, 8, "localhost:5000", 2, "localhost:5000", 6},
      {"--concurrency wins over top level", 1, 8, "", 0, "quay.io", 1},
      {"case-insensitive domain", 0, 8, "registry.example", 4, "Registry.Example", 4},
      {"docker.io alias", 0, 8, "docker.io", 3, "index.docker.io", 3},
      {"clamped above", 1000, 8, "", 0, "docker.io", kMaxConcurrency},
      {"negative override means none", -3, 7, "", 0, "docker.io", 7},
      {"a zero top level is clamped to one", 0, 0, "", 0, "docker.io", 1},
  };
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      const ToolConfig config = ConfigWith(c.top, c.configured_domain, c.per_registry);
      CHECK(RegistryConcurrency(c.override_limit, config, c.asked) == c.want);
    }
  }
}

Reference Ref(const std::string& text) { return Reference::Parse(text).value(); }

TEST_CASE("GroupByRegistry: registries in order of first appearance, each with its limit") {
  const Reference a1 = Ref("localhost:5000/a:1");
  const Reference b1 = Ref("ghcr.io/b:1");
  const Reference a2 = Ref("localhost:5000/a:2");
  const Reference hub = Ref("nginx:1.25");
  struct Case {
    const char* name;
    std::vector<const Reference*> references;
    int override_limit;
    std::vector<RegistryWork> want;
  };
  const Case cases[] = {
      {"nothing", {}, 0, {}},
      {"only nulls", {nullptr, nullptr}, 0, {}},
      {"one registry", {&a1, &a2}, 0, {{"localhost:5000", 2, {0, 1}}}},
      {"two registries, interleaved, nulls skipped",
       {&a1, nullptr, &b1, &a2, &hub},
       0,
       {{"localhost:5000", 2, {0, 3}}, {"ghcr.io", 8, {2}}, {"docker.io", 8, {4}}}},
      {"--concurrency applies to every registry",
       {&b1, &a1},
       5,
       {{"ghcr.io", 5, {0}}, {"localhost:5000", 5, {1}}}},
  };
  const ToolConfig config = ConfigWith(8, "localhost:5000", 2);
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      const std::vector<RegistryWork> got = GroupByRegistry(c.references, c.override_limit, config);
      REQUIRE(got.size() == c.want.size());
      for (std::size_t i = 0; i < got.size(); ++i) {
        CHECK(got[i].domain == c.want[i].domain);
        CHECK(got[i].limit == c.want[i].limit);
        CHECK(got[i].indexes == c.want[i].indexes);
      }
    }
  }
}

}  // namespace
}  // namespace regdigest
