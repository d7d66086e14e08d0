#include "common/pin/unified_diff.h"

#include <algorithm>
#include <vector>

namespace regdigest {
namespace {

// Lines with their '\n' (the last one may lack it).
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t newline = text.find('\n', begin);
    const std::size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
    lines.push_back(text.substr(begin, end - begin));
    begin = end;
  }
  return lines;
}

enum class OpType { kEqual, kDelete, kInsert };
struct Op {
  OpType type;
  std::size_t a = 0, b = 0;  // lines of `a` and `b` before this one
};

// Myers' O((N+M)D) shortest edit script. frontier[d][k + d] is the furthest x
// reached on diagonal k = x - y with d edits.
std::vector<Op> EditScript(const std::vector<std::string_view>& a,
                           const std::vector<std::string_view>& b) {
  const long n = static_cast<long>(a.size()), m = static_cast<long>(b.size());
  std::vector<std::vector<long>> frontier;
  auto at = [&frontier](long d, long k) { return frontier[d][k + d]; };
  for (long d = 0; d <= n + m; ++d) {
    std::vector<long> v(static_cast<std::size_t>(2 * d + 1));
    bool done = false;
    for (long k = -d; k <= d; k += 2) {
      long x = 0;
      if (d > 0)
        x = (k == -d || (k != d && at(d - 1, k - 1) < at(d - 1, k + 1))) ? at(d - 1, k + 1)
                                                                         : at(d - 1, k - 1) + 1;
      long y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[k + d] = x;
      if (x >= n && y >= m) done = true;
    }
    frontier.push_back(std::move(v));
    if (done) break;
  }
  std::vector<Op> ops;
  long x = n, y = m;
  for (long d = static_cast<long>(frontier.size()) - 1; d >= 0; --d) {
    const long k = x - y;
    if (d > 0) {
      const bool down = k == -d || (k != d && at(d - 1, k - 1) < at(d - 1, k + 1));
      const long prev_k = down ? k + 1 : k - 1;
      const long prev_x = at(d - 1, prev_k), prev_y = prev_x - prev_k;
      const long mid_x = down ? prev_x : prev_x + 1;  // where the snake of step d starts
      while (x > mid_x) --x, --y, ops.push_back({OpType::kEqual, std::size_t(x), std::size_t(y)});
      if (down) {
        ops.push_back({OpType::kInsert, std::size_t(prev_x), std::size_t(prev_y)});
      } else {
        ops.push_back({OpType::kDelete, std::size_t(prev_x), std::size_t(prev_y)});
      }
      x = prev_x;
      y = prev_y;
    } else {
      while (x > 0) --x, --y, ops.push_back({OpType::kEqual, std::size_t(x), std::size_t(y)});
    }
  }
  std::reverse(ops.begin(), ops.end());
  return ops;
}

std::string Range(std::size_t before, std::size_t count) {
  // A range of one line is "l"; an empty one names the line before it.
  const std::size_t start = count == 0 ? before : before + 1;
  return count == 1 ? std::to_string(start) : std::to_string(start) + "," + std::to_string(count);
}

void AppendLine(std::string& out, char prefix, std::string_view line) {
  out += prefix;
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::string UnifiedDiff(std::string_view path, std::string_view before, std::string_view after,
                        std::size_t context) {
  if (before == after) return "";
  const std::vector<std::string_view> a = SplitLines(before), b = SplitLines(after);
  const std::vector<Op> ops = EditScript(a, b);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::string out = "--- a/" + std::string(path) + "\n+++ b/" + std::string(path) + "\n";
  std::size_t i = 0;
  while (i < ops.size()) {
    if (ops[i].type == OpType::kEqual) {
      ++i;
      continue;
    }
    // A hunk: this change, and every next one within 2 * context equal lines.
    const std::size_t first = i;
    std::size_t last = i;
    for (std::size_t j = i + 1, equal_run = 0; j < ops.size(); ++j) {
      if (ops[j].type == OpType::kEqual) {
        if (++equal_run > 2 * context) break;
      } else {
        last = j;
        equal_run = 0;
      }
    }
    const std::size_t begin = first >= context ? first - context : 0;
    const std::size_t end = std::min(ops.size(), last + context + 1);
    std::size_t old_count = 0, new_count = 0;
    for (std::size_t j = begin; j < end; ++j) {
      if (ops[j].type != OpType::kInsert) ++old_count;
      if (ops[j].type != OpType::kDelete) ++new_count;
    }
    out +=
        "@@ -" + Range(ops[begin].a, old_count) + " +" + Range(ops[begin].b, new_count) + " @@\n";
    for (std::size_t j = begin; j < end; ++j) {
      switch (ops[j].type) {
        case OpType::kEqual:
          AppendLine(out, ' ', a[ops[j].a]);
          break;
        case OpType::kDelete:
          AppendLine(out, '-', a[ops[j].a]);
          break;
        case OpType::kInsert:
          AppendLine(out, '+', b[ops[j].b]);
          break;
      }
    }
    i = end;
  }
  return out;
}

}  // namespace regdigest
