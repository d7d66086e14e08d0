#include "common/pin/yaml_images.h"

#include <algorithm>
#include <set>

#include "common/pin/yaml_tree.h"

namespace regdigest {
namespace {

// Collects `image:` values once each, with their position in the source.
class ImageCollector {
 public:
  explicit ImageCollector(std::string_view content) : content_(content) {}

  void Add(const YamlNode* node) {
    if (node == nullptr || !node->IsScalar() || node->value.empty()) return;
    if (node->style == YamlNode::Style::kPlain && (node->value == "~" || node->value == "null"))
      return;
    if (!seen_.insert(node).second) return;
    ImageOccurrence occurrence;
    occurrence.text = node->value;
    if (!node->SourceRange(content_, occurrence.offset)) {
      occurrence.offset = node->start;
      occurrence.skipped =
          node->style == YamlNode::Style::kLiteral || node->style == YamlNode::Style::kFolded
              ? "written as a block scalar"
              : "written with escapes or over several lines";
    } else if (occurrence.text.find('$') != std::string::npos) {
      occurrence.skipped = "uses variable " + FirstVariable(occurrence.text);
    }
    found_.push_back(std::move(occurrence));
  }

  std::vector<ImageOccurrence> Take() {
    std::sort(found_.begin(), found_.end(), [](const ImageOccurrence& a, const ImageOccurrence& b) {
      return a.offset < b.offset;
    });
    return std::move(found_);
  }

 private:
  std::string_view content_;
  std::set<const YamlNode*> seen_;
  std::vector<ImageOccurrence> found_;
};

bool IsContainerList(const YamlNode& key) {
  return key.IsScalar() && (key.value == "containers" || key.value == "initContainers" ||
                            key.value == "ephemeralContainers");
}

// Visits each node once (aliases share nodes), so alias-heavy input stays linear.
void CollectContainerImages(const YamlNode* node, ImageCollector& images,
                            std::set<const YamlNode*>& visited) {
  if (node == nullptr || node->IsScalar() || !visited.insert(node).second) return;
  for (const auto& item : node->items) CollectContainerImages(item.get(), images, visited);
  for (const auto& [key, value] : node->entries) {
    if (IsContainerList(*key) && value->IsSequence()) {
      for (const auto& container : value->items) images.Add(container->Find("image"));
    }
    CollectContainerImages(value.get(), images, visited);
  }
}

}  // namespace

Result<std::vector<ImageOccurrence>> FindComposeImages(std::string_view content) {
  Result<std::vector<YamlDocument>> documents = ParseYamlDocuments(content);
  if (!documents.ok()) return documents.status();
  ImageCollector images(content);
  for (const YamlDocument& document : *documents) {
    const YamlNode* services = document ? document->Find("services") : nullptr;
    if (services == nullptr || !services->IsMapping()) continue;
    for (const auto& [name, service] : services->entries) images.Add(service->Find("image"));
  }
  return images.Take();
}

Result<std::vector<ImageOccurrence>> FindKubernetesImages(std::string_view content) {
  Result<std::vector<YamlDocument>> documents = ParseYamlDocuments(content);
  if (!documents.ok()) return documents.status();
  ImageCollector images(content);
  std::set<const YamlNode*> visited;
  for (const YamlDocument& document : *documents)
    CollectContainerImages(document.get(), images, visited);
  return images.Take();
}

Result<std::optional<ImageFileKind>> DetectYamlImageFileKind(std::string_view content) {
  Result<std::vector<YamlDocument>> documents = ParseYamlDocuments(content);
  if (!documents.ok()) return documents.status();
  for (const YamlDocument& document : *documents) {
    if (document == nullptr || !document->IsMapping()) continue;
    const YamlNode* services = document->Find("services");
    if (services != nullptr && services->IsMapping())
      return std::optional<ImageFileKind>(ImageFileKind::kCompose);
    if (document->Find("apiVersion") != nullptr && document->Find("kind") != nullptr)
      return std::optional<ImageFileKind>(ImageFileKind::kKubernetes);
  }
  return std::optional<ImageFileKind>();
}

}  // namespace regdigest
