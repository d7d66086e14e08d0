// A minimal YAML node tree built from libyaml's event parser, where every
// scalar keeps its byte range in the source text. It exists so that a value
// (an image reference) can be found by structure and then replaced in place:
// the YAML is never re-serialised, so formatting and comments stay as written.
// Aliases share the anchored node; `<<` merge keys are followed by Find().
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/base/status.h"

namespace regdigest {

struct YamlNode {
  enum class Type { kScalar, kSequence, kMapping };
  enum class Style { kPlain, kSingleQuoted, kDoubleQuoted, kLiteral, kFolded };

  Type type = Type::kScalar;
  // Scalars: the value after unquoting/unescaping, its style, and the byte
  // range [start, end) of the whole scalar in the source (quotes included;
  // a tag or anchor written before it may be included too).
  std::string value;
  Style style = Style::kPlain;
  std::size_t start = 0, end = 0;
  std::vector<std::shared_ptr<const YamlNode>> items;  // sequence items
  std::vector<std::pair<std::shared_ptr<const YamlNode>, std::shared_ptr<const YamlNode>>>
      entries;  // mapping key/value pairs, in source order

  bool IsScalar() const { return type == Type::kScalar; }
  bool IsMapping() const { return type == Type::kMapping; }
  bool IsSequence() const { return type == Type::kSequence; }
  // A mapping's value for scalar key `key`, looking into `<<` merge keys
  // (a mapping or a sequence of mappings) when the key is not written
  // directly; null when absent or when this is not a mapping.
  const YamlNode* Find(std::string_view key) const;

  // [offset, offset + value.size()) holds `value` exactly as written, without
  // quotes; false for block scalars and scalars written with escapes or
  // folded over lines, whose source text differs from their value.
  bool SourceRange(std::string_view source, std::size_t& offset) const;
};

// A document's root node; an empty document is an empty plain scalar.
using YamlDocument = std::shared_ptr<const YamlNode>;

// Every document of a (multi-document, `---`) YAML stream. kInvalidArgument
// for malformed YAML ("line N: ..."), an undefined alias, UTF-16 input, or
// nesting deeper than 512 levels.
Result<std::vector<YamlDocument>> ParseYamlDocuments(std::string_view source);

}  // namespace regdigest
