#include "common/pin/yaml_tree.h"

#include <yaml.h>

#include <map>
#include <unordered_set>

namespace regdigest {
namespace {

constexpr std::size_t kMaxDepth = 512;

Status YamlError(std::string message) {
  return Status(StatusCode::kInvalidArgument, "invalid YAML: " + std::move(message));
}

// libyaml marks count characters (a UTF-8 byte order mark not included);
// this maps them to byte offsets, moving forward from the last answer.
class CharToByte {
 public:
  explicit CharToByte(std::string_view source) : source_(source) {
    if (source_.starts_with("\xEF\xBB\xBF")) first_byte_ = 3;
    byte_ = first_byte_;
  }
  std::size_t operator()(std::size_t char_index) {
    if (char_index < char_) {
      char_ = 0;
      byte_ = first_byte_;
    }
    while (char_ < char_index && byte_ < source_.size()) {
      byte_ += Width(static_cast<unsigned char>(source_[byte_]));
      ++char_;
    }
    return std::min(byte_, source_.size());
  }

 private:
  static std::size_t Width(unsigned char lead) {
    if (lead >= 0xF0) return 4;
    if (lead >= 0xE0) return 3;
    if (lead >= 0xC0) return 2;
    return 1;
  }
  std::string_view source_;
  std::size_t first_byte_ = 0;
  std::size_t char_ = 0;
  std::size_t byte_ = 0;
};

YamlNode::Style StyleOf(yaml_scalar_style_t style) {
  switch (style) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
      return YamlNode::Style::kSingleQuoted;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
      return YamlNode::Style::kDoubleQuoted;
    case YAML_LITERAL_SCALAR_STYLE:
      return YamlNode::Style::kLiteral;
    case YAML_FOLDED_SCALAR_STYLE:
      return YamlNode::Style::kFolded;
    default:
      return YamlNode::Style::kPlain;
  }
}

std::string AnchorName(const yaml_char_t* anchor) {
  return anchor == nullptr ? "" : reinterpret_cast<const char*>(anchor);
}

// Builds the tree from events: an open collection per stack frame.
class TreeBuilder {
 public:
  explicit TreeBuilder(std::string_view source) : to_byte_(source) {}

  Status Handle(const yaml_event_t& event) {
    switch (event.type) {
      case YAML_DOCUMENT_START_EVENT:
        root_.reset();
        anchors_.clear();  // anchors are local to a document
        return Status::Ok();
      case YAML_DOCUMENT_END_EVENT:
        documents_.push_back(std::move(root_));
        return Status::Ok();
      case YAML_ALIAS_EVENT: {
        const auto found = anchors_.find(AnchorName(event.data.alias.anchor));
        if (found == anchors_.end())
          return YamlError("line " + std::to_string(event.start_mark.line + 1) + ": alias *" +
                           AnchorName(event.data.alias.anchor) +
                           " names no anchor defined before it");
        Add(found->second);
        return Status::Ok();
      }
      case YAML_SCALAR_EVENT: {
        auto node = std::make_shared<YamlNode>();
        node->value.assign(reinterpret_cast<const char*>(event.data.scalar.value),
                           event.data.scalar.length);
        node->style = StyleOf(event.data.scalar.style);
        node->start = to_byte_(event.start_mark.index);
        node->end = to_byte_(event.end_mark.index);
        Finish(node, AnchorName(event.data.scalar.anchor));
        return Status::Ok();
      }
      case YAML_SEQUENCE_START_EVENT:
        return Open(YamlNode::Type::kSequence, AnchorName(event.data.sequence_start.anchor),
                    event.start_mark.line);
      case YAML_MAPPING_START_EVENT:
        return Open(YamlNode::Type::kMapping, AnchorName(event.data.mapping_start.anchor),
                    event.start_mark.line);
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        Frame frame = std::move(stack_.back());
        stack_.pop_back();
        Finish(frame.node, frame.anchor);
        return Status::Ok();
      }
      default:
        return Status::Ok();
    }
  }

  std::vector<YamlDocument> TakeDocuments() { return std::move(documents_); }

 private:
  struct Frame {
    std::shared_ptr<YamlNode> node;
    std::string anchor;
    std::shared_ptr<const YamlNode> key;  // a mapping's key waiting for its value
  };

  Status Open(YamlNode::Type type, std::string anchor, std::size_t line) {
    if (stack_.size() >= kMaxDepth)
      return YamlError("line " + std::to_string(line + 1) + ": nested more than " +
                       std::to_string(kMaxDepth) + " levels deep");
    auto node = std::make_shared<YamlNode>();
    node->type = type;
    stack_.push_back({std::move(node), std::move(anchor), nullptr});
    return Status::Ok();
  }

  // An anchor names its node once the node is complete, so aliases never
  // make cycles.
  void Finish(std::shared_ptr<const YamlNode> node, const std::string& anchor) {
    if (!anchor.empty()) anchors_[anchor] = node;
    Add(std::move(node));
  }

  void Add(std::shared_ptr<const YamlNode> node) {
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Frame& frame = stack_.back();
    if (frame.node->IsSequence()) {
      frame.node->items.push_back(std::move(node));
    } else if (frame.key == nullptr) {
      frame.key = std::move(node);
    } else {
      frame.node->entries.emplace_back(std::move(frame.key), std::move(node));
      frame.key = nullptr;
    }
  }

  CharToByte to_byte_;
  std::vector<Frame> stack_;
  std::map<std::string, std::shared_ptr<const YamlNode>> anchors_;
  std::shared_ptr<const YamlNode> root_;
  std::vector<YamlDocument> documents_;
};

class Parser {
 public:
  Parser() { yaml_parser_initialize(&parser_); }
  ~Parser() { yaml_parser_delete(&parser_); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;
  yaml_parser_t* get() { return &parser_; }

 private:
  yaml_parser_t parser_;
};

class Event {
 public:
  Event() = default;
  ~Event() { yaml_event_delete(&event_); }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  yaml_event_t* get() { return &event_; }

 private:
  yaml_event_t event_{};
};

}  // namespace

namespace {

// Find through merge keys, visiting each merged mapping once: aliases share
// nodes and never form cycles, so a node seen before has already been
// searched without success, and a chain of anchors merged twice at every
// level stays linear instead of taking 2^N steps.
const YamlNode* FindIn(const YamlNode& node, std::string_view key,
                       std::unordered_set<const YamlNode*>& visited) {
  if (!node.IsMapping() || !visited.insert(&node).second) return nullptr;
  for (const auto& [k, v] : node.entries)
    if (k->IsScalar() && k->value == key) return v.get();
  for (const auto& [k, v] : node.entries) {
    if (!k->IsScalar() || k->value != "<<" || k->style != YamlNode::Style::kPlain) continue;
    if (const YamlNode* found = FindIn(*v, key, visited)) return found;
    if (!v->IsSequence()) continue;
    for (const auto& merged : v->items)
      if (const YamlNode* found = FindIn(*merged, key, visited)) return found;
  }
  return nullptr;
}

}  // namespace

const YamlNode* YamlNode::Find(std::string_view key) const {
  std::unordered_set<const YamlNode*> visited;
  return FindIn(*this, key, visited);
}

bool YamlNode::SourceRange(std::string_view source, std::size_t& offset) const {
  if (!IsScalar() || end > source.size() || end < start) return false;
  std::size_t text_end = end;
  char quote = '\0';
  if (style == Style::kSingleQuoted) quote = '\'';
  if (style == Style::kDoubleQuoted) quote = '"';
  if (style == Style::kLiteral || style == Style::kFolded) return false;
  if (quote != '\0') {
    if (text_end == start || source[text_end - 1] != quote) return false;
    --text_end;
  }
  if (text_end - start < value.size() + (quote != '\0' ? 1 : 0)) return false;
  const std::size_t begin = text_end - value.size();
  if (source.substr(begin, value.size()) != value) return false;
  if (quote != '\0' && source[begin - 1] != quote) return false;
  offset = begin;
  return true;
}

Result<std::vector<YamlDocument>> ParseYamlDocuments(std::string_view source) {
  if (source.starts_with("\xFE\xFF") || source.starts_with("\xFF\xFE"))
    return YamlError("UTF-16 text is not supported; save the file as UTF-8");
  Parser parser;
  yaml_parser_set_input_string(parser.get(), reinterpret_cast<const unsigned char*>(source.data()),
                               source.size());
  TreeBuilder builder(source);
  while (true) {
    Event event;
    if (!yaml_parser_parse(parser.get(), event.get())) {
      const yaml_parser_t& p = *parser.get();
      std::string message = "line " + std::to_string(p.problem_mark.line + 1) + ": " +
                            (p.problem != nullptr ? p.problem : "parse error");
      if (p.context != nullptr) message += std::string(" ") + p.context;
      return YamlError(std::move(message));
    }
    if (event.get()->type == YAML_STREAM_END_EVENT) break;
    if (Status status = builder.Handle(*event.get()); !status.ok()) return status;
  }
  return builder.TakeDocuments();
}

}  // namespace regdigest
