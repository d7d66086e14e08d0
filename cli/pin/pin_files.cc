#include "cli/pin/pin_files.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "cli/app/registry_session.h"
#include "client/registry/image_describer.h"
#include "client/sys/file_io.h"
#include "common/base/display_text.h"

namespace regdigest {

Result<std::vector<PinFile>> LoadPinFiles(const std::vector<std::string>& paths) {
  std::vector<PinFile> files;
  std::set<std::string> seen;
  for (const std::string& path : paths) {
    std::error_code error;
    const std::filesystem::path real = std::filesystem::canonical(path, error);
    if (error) return Status(StatusCode::kIo, path + ": " + error.message());
    if (!seen.insert(real.string()).second) continue;
    struct stat info {};
    if (::stat(real.c_str(), &info) != 0 || !S_ISREG(info.st_mode))
      return Status(StatusCode::kIo, path + ": not a regular file");
    Result<std::optional<std::string>> content = ReadFileIfExists(real.string());
    if (!content.ok()) return content.status();
    if (!content->has_value()) return Status(StatusCode::kIo, path + ": no such file");
    PinFile file;
    file.path = path;
    file.real_path = real.string();
    file.content = std::move(**content);
    file.mode = info.st_mode & 07777;
    Result<std::vector<ImageOccurrence>> occurrences = FindImageReferences(path, file.content);
    if (!occurrences.ok()) return occurrences.status();
    file.occurrences = std::move(occurrences).value();
    files.push_back(std::move(file));
  }
  return files;
}

std::string PlaceOf(const PinFile& file, const ImageOccurrence& occurrence) {
  return file.path + ":" + std::to_string(occurrence.line);
}

void WarnSkipped(const std::vector<PinFile>& files) {
  for (const PinFile& file : files) {
    for (const ImageOccurrence& occurrence : file.occurrences) {
      if (occurrence.skipped.empty()) continue;
      PrintError(PlaceOf(file, occurrence) + ": skipped " + occurrence.text + ": " +
                 occurrence.skipped);
    }
  }
}

Result<Reference> ParseWrittenReference(const PinFile& file, const ImageOccurrence& occurrence) {
  Result<Reference> reference = Reference::Parse(occurrence.text);
  if (reference.ok()) return reference;
  return Status(reference.status().code(), PlaceOf(file, occurrence) +
                                               ": invalid reference: " + Quoted(occurrence.text) +
                                               ": " + reference.status().message());
}

Result<std::vector<Result<Digest>>> ResolveCurrentDigests(const GlobalOptions& globals,
                                                          const std::vector<Reference>& references,
                                                          const std::optional<Platform>& platform,
                                                          int concurrency,
                                                          std::vector<bool>* platform_missing) {
  // Each distinct reference once; `slot[i]` is the unique index of references[i].
  std::vector<Reference> unique;
  std::vector<std::size_t> slot;
  std::map<std::string, std::size_t> index_of;
  for (const Reference& reference : references) {
    const auto [it, added] = index_of.emplace(reference.String(), unique.size());
    if (added) unique.push_back(reference);
    slot.push_back(it->second);
  }
  std::vector<Result<Digest>> digests;
  if (unique.empty()) return digests;
  Result<std::unique_ptr<RegistrySession>> session = RegistrySession::Open(globals, concurrency);
  if (!session.ok()) return session.status();
  const std::vector<Result<ManifestDescriptor>> heads = (*session)->ResolveAll(unique);
  std::vector<Result<Digest>> current;
  std::vector<bool> no_platform(unique.size(), false);
  for (const Result<ManifestDescriptor>& head : heads) {
    current.push_back(head.ok() ? Result<Digest>(head->digest) : Result<Digest>(head.status()));
  }
  if (platform) {
    ImageDescriber describer((*session)->client());
    std::vector<const Reference*> to_select;
    for (std::size_t i = 0; i < unique.size(); ++i) {
      to_select.push_back(current[i].ok() ? &unique[i] : nullptr);
    }
    (*session)->ForEachByRegistry(to_select, [&](std::size_t i) {
      Result<PlatformManifest> selected =
          describer.SelectPlatformManifest(unique[i], *current[i], *platform);
      if (selected.ok()) {
        current[i] = selected->digest;
      } else {
        // Not found, as in resolve; the tag exists, so it is no "missing" tag.
        no_platform[i] = selected.status().code() == StatusCode::kNotFound;
        current[i] = selected.status();
      }
    });
  }
  if (platform_missing != nullptr) platform_missing->clear();
  for (std::size_t i : slot) {
    digests.push_back(current[i]);
    if (platform_missing != nullptr) platform_missing->push_back(no_platform[i]);
  }
  return digests;
}

}  // namespace regdigest
