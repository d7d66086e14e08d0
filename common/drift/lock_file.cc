#include "common/drift/lock_file.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include "common/base/display_text.h"
#include "common/base/timestamp.h"
#include "common/image/media_types.h"
#include "common/image/platform.h"

namespace regdigest {
namespace {

using Json = nlohmann::ordered_json;

Status Invalid(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

// What the JSON parser does not tell: the line of each element of the
// top-level "entries" array (of its "reference" key for an object), and
// whether some object repeats a key (the parser would keep only one).
struct TextLayout {
  std::vector<std::size_t> entry_lines;
  std::optional<Status> duplicate_key;
};

// Scans text that is known to be valid JSON.
TextLayout ScanLayout(std::string_view text) {
  TextLayout layout;
  struct Frame {
    char kind;  // '{' or '['
    std::set<std::string_view> keys;
  };
  std::vector<Frame> stack;
  std::size_t line = 1;
  bool expect_entry = false;    // the next value is an element of "entries"
  bool entry_has_line = false;  // the current entry's "reference" line is known
  const auto in_entries = [&stack] {
    return stack.size() == 2 && stack[0].kind == '{' && stack[1].kind == '[';
  };
  const auto in_entry_object = [&stack] {
    return stack.size() == 3 && stack[0].kind == '{' && stack[1].kind == '[' &&
           stack[2].kind == '{';
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (expect_entry && c != ']') {
      layout.entry_lines.push_back(line);
      entry_has_line = false;
    }
    expect_entry = false;
    if (c == '{' || c == '[') {
      stack.push_back(Frame{c, {}});
      expect_entry = in_entries();
    } else if (c == '}' || c == ']') {
      if (!stack.empty()) stack.pop_back();
    } else if (c == ',') {
      expect_entry = in_entries();
    } else if (c == '"') {
      const std::size_t start = i + 1;
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
      const std::string_view token = text.substr(start, i - start);
      const std::size_t next = text.find_first_not_of(" \t\r\n", i + 1);
      const bool is_key = next != std::string_view::npos && text[next] == ':' && !stack.empty();
      if (!is_key) continue;
      if (!stack.back().keys.insert(token).second && !layout.duplicate_key) {
        layout.duplicate_key =
            Invalid("line " + std::to_string(line) + ": duplicate key " + Quoted(token));
      }
      if (token == "reference" && in_entry_object() && !entry_has_line) {
        layout.entry_lines.back() = line;
        entry_has_line = true;
      }
    }
  }
  return layout;
}

// "entry 3 (line 14)": where an entry is, for error messages.
std::string EntryPlace(std::size_t index, std::size_t line) {
  std::string place = "entry " + std::to_string(index + 1);
  if (line > 0) place += " (line " + std::to_string(line) + ")";
  return place;
}

Result<std::string> RequiredString(const Json& entry, const char* key) {
  auto it = entry.find(key);
  if (it == entry.end()) return Invalid(std::string("missing \"") + key + "\"");
  if (!it->is_string()) return Invalid(std::string("\"") + key + "\" must be a string");
  return it->get<std::string>();
}

// {"digest": "sha256:…", "key": "SHA256:…"}
Result<LockSignature> ParseSignature(const Json& json) {
  if (!json.is_object()) return Invalid("must be a JSON object");
  for (const auto& item : json.items()) {
    if (item.key() != "digest" && item.key() != "key") {
      return Invalid("unknown field \"" + item.key() + "\"");
    }
  }
  Result<std::string> digest_text = RequiredString(json, "digest");
  if (!digest_text.ok()) return digest_text.status();
  Result<Digest> digest = Digest::Parse(*digest_text);
  if (!digest.ok()) return digest.status().WithContext("digest");
  Result<std::string> key = RequiredString(json, "key");
  if (!key.ok()) return key.status();
  if (!key->starts_with("SHA256:") || key->size() <= 7 || key->size() > 100) {
    return Invalid("\"key\" must be a key fingerprint \"SHA256:…\"");
  }
  return LockSignature{*digest, *key};
}

Result<LockEntry> ParseEntry(const Json& json) {
  if (!json.is_object()) return Invalid("must be a JSON object");
  static const std::set<std::string> kKnown = {"reference", "digest",     "mediaType",
                                               "platforms", "resolvedAt", "signature"};
  for (const auto& item : json.items()) {
    if (kKnown.count(item.key()) == 0) return Invalid("unknown field " + Quoted(item.key()));
  }
  Result<std::string> reference_text = RequiredString(json, "reference");
  if (!reference_text.ok()) return reference_text.status();
  Result<Reference> reference = Reference::Parse(*reference_text);
  if (!reference.ok()) {
    // A corrupt file, not a usage error: kInvalidArgument, whatever the parser said.
    return Invalid("reference: " + reference.status().ToString());
  }
  if (reference->digest()) {
    return Invalid("reference " + Quoted(*reference_text) +
                   " must not include a digest (the digest belongs in \"digest\")");
  }
  Result<std::string> digest_text = RequiredString(json, "digest");
  if (!digest_text.ok()) return digest_text.status();
  Result<Digest> digest = Digest::Parse(*digest_text);
  if (!digest.ok()) return digest.status().WithContext("digest");
  Result<std::string> media_type = RequiredString(json, "mediaType");
  if (!media_type.ok()) return media_type.status();
  if (media_type->empty()) return Invalid("\"mediaType\" must not be empty");
  // Only a manifest type regdigest resolves is ever written; anything else
  // was not written by regdigest (or by one that stored a web page's type).
  if (!IsManifestMediaType(*media_type) || *media_type != BaseMediaType(*media_type)) {
    return Invalid("\"mediaType\" \"" + DisplayText(*media_type, 100) +
                   "\" is not a manifest media type");
  }
  Result<std::string> resolved_at = RequiredString(json, "resolvedAt");
  if (!resolved_at.ok()) return resolved_at.status();
  if (Result<WallTime> time = ParseRfc3339(*resolved_at); !time.ok()) {
    return time.status().WithContext("resolvedAt");
  }
  LockEntry entry{reference->WithDefaultTag(), *digest, *media_type, {}, *resolved_at};
  if (auto it = json.find("platforms"); it != json.end()) {
    if (!it->is_object()) return Invalid("\"platforms\" must be an object");
    for (const auto& item : it->items()) {
      const std::string where = "platforms[" + Quoted(item.key()) + "]";
      if (Result<Platform> platform = Platform::Parse(item.key()); !platform.ok()) {
        return platform.status().WithContext(where);
      }
      if (!item.value().is_string()) return Invalid(where + " must be a digest string");
      Result<Digest> platform_digest = Digest::Parse(item.value().get<std::string>());
      if (!platform_digest.ok()) return platform_digest.status().WithContext(where);
      entry.platforms.emplace(item.key(), *platform_digest);
    }
  }
  if (auto it = json.find("signature"); it != json.end()) {
    Result<LockSignature> signature = ParseSignature(*it);
    if (!signature.ok()) return signature.status().WithContext("signature");
    entry.signature = std::move(signature).value();
  }
  return entry;
}

// The 1-based line of the first git conflict marker ("<<<<<<< ", "=======",
// ">>>>>>> " at the start of a line, as git writes them), or 0.
std::size_t MergeConflictLine(std::string_view text) {
  std::size_t line = 1;
  for (std::size_t begin = 0; begin < text.size(); ++line) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    std::string_view content = text.substr(begin, end - begin);
    if (content.ends_with('\r')) content.remove_suffix(1);
    if (content.starts_with("<<<<<<< ") || content == "<<<<<<<" || content == "=======" ||
        content.starts_with(">>>>>>> ") || content == ">>>>>>>")
      return line;
    begin = end + 1;
  }
  return 0;
}

Result<Json> ParseJson(std::string_view text) {
  if (text.size() > kMaxLockFileBytes) {
    return Invalid("lock file is " + std::to_string(text.size()) + " bytes, over the 64 MiB limit");
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Invalid("lock file is empty");
  }
  if (const std::size_t line = MergeConflictLine(text); line != 0) {
    return Invalid("unresolved merge conflict (line " + std::to_string(line) +
                   "); resolve it, or check out one side and run `regdigest lock` again");
  }
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& error) {
    std::string what = error.what();
    // "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    if (auto pos = what.find("] "); pos != std::string::npos) what = what.substr(pos + 2);
    return Invalid("not valid JSON: " + what);
  } catch (const Json::exception&) {
    // A number out of range ("1e400") throws out_of_range while parsing.
    return Invalid("not valid JSON: a number is out of range");
  }
}

Result<int> ParseVersion(const Json& root) {
  auto it = root.find("version");
  if (it == root.end()) return Invalid("missing \"version\"");
  if (!it->is_number_integer()) return Invalid("\"version\" must be an integer");
  const auto version = it->get<std::int64_t>();
  if (version > kLockFileVersion) {
    return Invalid("lock file version " + std::to_string(version) +
                   " is newer than this regdigest supports (" + std::to_string(kLockFileVersion) +
                   "); upgrade regdigest");
  }
  if (version < 1) {
    return Invalid("lock file version " + std::to_string(version) + " is not valid (expected " +
                   std::to_string(kLockFileVersion) + ")");
  }
  return static_cast<int>(version);
}

}  // namespace

const LockEntry* LockFile::Find(const Reference& reference) const {
  const std::string wanted = reference.String();
  for (const LockEntry& entry : entries) {
    if (entry.reference.String() == wanted) return &entry;
  }
  return nullptr;
}

void LockFile::Upsert(LockEntry entry) {
  const std::string key = entry.reference.String();
  for (LockEntry& existing : entries) {
    if (existing.reference.String() == key) {
      existing = std::move(entry);
      return;
    }
  }
  entries.push_back(std::move(entry));
}

Result<LockFile> ParseLockFile(std::string_view text) {
  Result<Json> root = ParseJson(text);
  if (!root.ok()) return root.status();
  if (!root->is_object()) return Invalid("a lock file must be a JSON object");
  Result<int> version = ParseVersion(*root);
  if (!version.ok()) return version.status();
  for (const auto& item : root->items()) {
    if (item.key() != "version" && item.key() != "entries") {
      return Invalid("unknown field " + Quoted(item.key()));
    }
  }
  const TextLayout layout = ScanLayout(text);
  if (layout.duplicate_key) return *layout.duplicate_key;
  auto entries = root->find("entries");
  if (entries == root->end()) return Invalid("missing \"entries\"");
  if (!entries->is_array()) return Invalid("\"entries\" must be an array");

  LockFile lock;
  lock.version = *version;
  std::unordered_map<std::string, std::size_t> seen;  // canonical reference -> index
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const std::size_t line = i < layout.entry_lines.size() ? layout.entry_lines[i] : 0;
    Result<LockEntry> entry = ParseEntry((*entries)[i]);
    if (!entry.ok()) return entry.status().WithContext(EntryPlace(i, line));
    entry->line = line;
    const std::string key = entry->reference.String();
    if (auto [it, inserted] = seen.emplace(key, i); !inserted) {
      return Invalid(EntryPlace(i, line) + ": duplicate reference " + key + " (already " +
                     EntryPlace(it->second, lock.entries[it->second].line) + ")");
    }
    lock.entries.push_back(std::move(entry).value());
  }
  return lock;
}

std::string SerializeLockFile(const LockFile& lock) {
  std::vector<const LockEntry*> sorted;
  sorted.reserve(lock.entries.size());
  for (const LockEntry& entry : lock.entries) sorted.push_back(&entry);
  std::sort(sorted.begin(), sorted.end(), [](const LockEntry* a, const LockEntry* b) {
    return a->reference.String() < b->reference.String();
  });
  Json entries = Json::array();
  for (const LockEntry* entry : sorted) {
    Json json = {{"reference", entry->reference.String()},
                 {"digest", entry->digest.String()},
                 {"mediaType", entry->media_type}};
    if (!entry->platforms.empty()) {
      Json platforms = Json::object();
      for (const auto& [platform, digest] : entry->platforms) platforms[platform] = digest.String();
      json["platforms"] = std::move(platforms);
    }
    if (entry->signature) {
      json["signature"] = {{"digest", entry->signature->digest.String()},
                           {"key", entry->signature->key}};
    }
    json["resolvedAt"] = entry->resolved_at;
    entries.push_back(std::move(json));
  }
  Json root = {{"version", lock.version}, {"entries", std::move(entries)}};
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

bool LooksLikeLockFile(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte order mark
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return false;
  // A lock file git left with conflict markers may start with "<<<<<<< ".
  if (text[first] != '{' && MergeConflictLine(text) == 0) return false;
  return text.find("\"version\"") != std::string_view::npos &&
         text.find("\"entries\"") != std::string_view::npos;
}

}  // namespace regdigest
