// Tests for cli/app/registry_session.h: a GET phase (ForEachByRegistry) runs
// every item once, skips null ones, and never has more than the registry's
// limit (common/registry/concurrency.h) running at once per registry.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli/app/registry_session.h"

namespace regdigest {
namespace {

// Counts, per registry, the calls running at once and the most seen.
class InFlight {
 public:
  void Enter(const std::string& domain) {
    std::lock_guard lock(mu_);
    int& now = now_[domain];
    ++now;
    most_[domain] = std::max(most_[domain], now);
  }
  void Leave(const std::string& domain) {
    std::lock_guard lock(mu_);
    --now_[domain];
  }
  int Most(const std::string& domain) {
    std::lock_guard lock(mu_);
    return most_[domain];
  }

 private:
  std::mutex mu_;
  std::map<std::string, int> now_, most_;
};

TEST_CASE("ForEachByRegistry: each item once, at most the registry's limit at once") {
  RegistryContext context;
  context.config.concurrency = 8;
  context.config.registries["a.example"].concurrency = 2;
  context.config.registries["b.example"].concurrency = 3;
  struct Case {
    const char* name;
    int override_limit;
    std::map<std::string, int> limits;
  };
  const Case cases[] = {
      {"per-registry settings", 0, {{"a.example", 2}, {"b.example", 3}, {"c.example", 8}}},
      {"--concurrency 1 for every registry",
       1,
       {{"a.example", 1}, {"b.example", 1}, {"c.example", 1}}},
  };
  std::vector<Reference> references;
  for (int i = 0; i < 12; ++i) {
    for (const char* domain : {"a.example", "b.example", "c.example"}) {
      references.push_back(
          Reference::Parse(std::string(domain) + "/app:t" + std::to_string(i)).value());
    }
  }
  std::vector<const Reference*> items;
  for (const Reference& r : references) items.push_back(&r);
  items[4] = nullptr;  // nothing to do for these
  items[9] = nullptr;
  for (const Case& c : cases) {
    SUBCASE(c.name) {
      RegistrySession session(context, c.override_limit);
      InFlight in_flight;
      std::vector<std::atomic<int>> calls(items.size());
      session.ForEachByRegistry(items, [&](std::size_t i) {
        const std::string& domain = references[i].domain();
        in_flight.Enter(domain);
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        ++calls[i];
        in_flight.Leave(domain);
      });
      for (std::size_t i = 0; i < items.size(); ++i) {
        CAPTURE(i);
        CHECK(calls[i].load() == (items[i] == nullptr ? 0 : 1));
      }
      for (const auto& [domain, limit] : c.limits) {
        CAPTURE(domain);
        CHECK(in_flight.Most(domain) >= 1);
        CHECK(in_flight.Most(domain) <= limit);
      }
    }
  }
}

}  // namespace
}  // namespace regdigest
