#include "common/pin/dockerfile_images.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <string>

#include "common/base/ascii.h"

namespace regdigest {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Physical lines joined at continuations; each character keeps its byte
// offset in the content, so a word found in the joined text maps back.
struct LogicalLine {
  std::string text;
  std::vector<std::size_t> offsets;

  void Append(std::string_view content, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      text.push_back(content[i]);
      offsets.push_back(i);
    }
  }
  // [begin, end) of `text` is one run of bytes in the content.
  bool Contiguous(std::size_t begin, std::size_t end) const {
    return offsets[end - 1] - offsets[begin] == end - 1 - begin;
  }
};

struct Word {
  std::size_t begin = 0, end = 0;  // indexes into LogicalLine::text
};

std::vector<Word> SplitWords(const LogicalLine& line) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < line.text.size()) {
    while (i < line.text.size() && IsBlank(line.text[i])) ++i;
    const std::size_t begin = i;
    while (i < line.text.size() && !IsBlank(line.text[i])) ++i;
    if (i > begin) words.push_back({begin, i});
  }
  return words;
}

struct Heredoc {
  std::string terminator;
  bool strip_tabs = false;  // <<-WORD
};

// Heredocs a RUN/COPY/ADD line opens: <<WORD, <<-WORD, <<"WORD", <<'WORD'
// (not the here-string <<<).
std::vector<Heredoc> HeredocsOpenedBy(std::string_view text) {
  std::vector<Heredoc> heredocs;
  for (std::size_t p = text.find("<<"); p != std::string_view::npos; p = text.find("<<", p + 2)) {
    if ((p > 0 && text[p - 1] == '<') || (p + 2 < text.size() && text[p + 2] == '<')) continue;
    std::size_t i = p + 2;
    Heredoc heredoc;
    if (i < text.size() && text[i] == '-') {
      heredoc.strip_tabs = true;
      ++i;
    }
    const char quote = i < text.size() && (text[i] == '"' || text[i] == '\'') ? text[i] : '\0';
    if (quote != '\0') ++i;
    if (i >= text.size() || !(std::isalpha(static_cast<unsigned char>(text[i])) || text[i] == '_'))
      continue;
    const std::size_t begin = i;
    while (i < text.size() && IsWordChar(text[i])) ++i;
    if (quote != '\0' && (i >= text.size() || text[i] != quote)) continue;
    heredoc.terminator = std::string(text.substr(begin, i - begin));
    heredocs.push_back(std::move(heredoc));
  }
  return heredocs;
}

// Reads a Dockerfile instruction by instruction.
class InstructionReader {
 public:
  // A UTF-8 byte order mark is skipped, as BuildKit does; offsets still count
  // from the start of the content.
  explicit InstructionReader(std::string_view content)
      : content_(content), pos_(content.starts_with(kUtf8Bom) ? kUtf8Bom.size() : 0) {}

  // The next instruction as one logical line; false at the end of the text.
  bool Next(LogicalLine& line) {
    line = LogicalLine();
    bool continuing = false;
    std::size_t begin = 0, end = 0;
    while (NextPhysicalLine(begin, end)) {
      const std::string_view raw = content_.substr(begin, end - begin);
      if (!heredocs_.empty()) {
        SkipHeredocLine(raw);
        continue;
      }
      if (directives_ && ReadDirective(raw)) continue;
      directives_ = false;
      const std::size_t first = raw.find_first_not_of(" \t\r");
      if (first == std::string_view::npos || raw[first] == '#') continue;  // blank or comment
      std::size_t last = end;
      while (last > begin && IsBlank(content_[last - 1])) --last;
      if (content_[last - 1] == escape_) {
        line.Append(content_, begin, last - 1);
        continuing = true;
        continue;
      }
      line.Append(content_, begin, end);
      return true;
    }
    return continuing;  // a continuation at the end of the file ends the instruction
  }

  // The heredoc bodies that follow the instruction just read are skipped.
  void ExpectHeredocs(std::vector<Heredoc> heredocs) {
    for (Heredoc& heredoc : heredocs) heredocs_.push_back(std::move(heredoc));
  }

 private:
  bool NextPhysicalLine(std::size_t& begin, std::size_t& end) {
    if (pos_ >= content_.size()) return false;
    begin = pos_;
    const std::size_t newline = content_.find('\n', pos_);
    end = newline == std::string_view::npos ? content_.size() : newline;
    pos_ = newline == std::string_view::npos ? content_.size() : newline + 1;
    return true;
  }

  // `# key=value` at the top of the file; `escape` sets the continuation character.
  bool ReadDirective(std::string_view raw) {
    std::size_t i = raw.find_first_not_of(" \t");
    if (i == std::string_view::npos || raw[i] != '#') return false;
    i = raw.find_first_not_of(" \t", i + 1);
    if (i == std::string_view::npos) return false;
    const std::size_t key_begin = i;
    while (i < raw.size() && (IsWordChar(raw[i]) || raw[i] == '-')) ++i;
    const std::string key = AsciiLower(raw.substr(key_begin, i - key_begin));
    i = raw.find_first_not_of(" \t", i);
    if (key.empty() || i == std::string_view::npos || raw[i] != '=') return false;
    std::string_view value = raw.substr(i + 1);
    value.remove_prefix(std::min(value.find_first_not_of(" \t"), value.size()));
    while (!value.empty() && IsBlank(value.back())) value.remove_suffix(1);
    if (key == "escape" && (value == "\\" || value == "`")) escape_ = value[0];
    return true;
  }

  void SkipHeredocLine(std::string_view raw) {
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    const Heredoc& heredoc = heredocs_.front();
    if (heredoc.strip_tabs) raw.remove_prefix(std::min(raw.find_first_not_of('\t'), raw.size()));
    if (raw == heredoc.terminator) heredocs_.pop_front();
  }

  std::string_view content_;
  std::size_t pos_ = 0;
  char escape_ = '\\';
  bool directives_ = true;
  std::deque<Heredoc> heredocs_;
};

class DockerfileScanner {
 public:
  std::vector<ImageOccurrence> Scan(std::string_view content) {
    InstructionReader reader(content);
    LogicalLine line;
    while (reader.Next(line)) {
      const std::vector<Word> words = SplitWords(line);
      if (words.empty()) continue;
      const std::string instruction = AsciiLower(Text(line, words[0]));
      if (instruction == "from") ScanFrom(line, words);
      if (instruction == "copy") ScanCopyFrom(line, words);
      if (instruction == "run" || instruction == "copy" || instruction == "add")
        reader.ExpectHeredocs(HeredocsOpenedBy(line.text));
    }
    return std::move(found_);
  }

 private:
  static std::string Text(const LogicalLine& line, Word word) {
    return line.text.substr(word.begin, word.end - word.begin);
  }

  // The earlier stage `name` refers to (as written in its AS), or "".
  std::string EarlierStage(std::string_view name) const {
    const auto found = stages_.find(AsciiLower(name));
    return found == stages_.end() ? "" : found->second;
  }

  void Add(const LogicalLine& line, Word word, std::string skipped) {
    ImageOccurrence occurrence;
    occurrence.text = Text(line, word);
    occurrence.offset = line.offsets[word.begin];
    if (skipped.empty() && occurrence.text.find('$') != std::string::npos)
      skipped = "uses build argument " + FirstVariable(occurrence.text);
    if (skipped.empty() && !line.Contiguous(word.begin, word.end))
      skipped = "written over several lines";
    occurrence.skipped = std::move(skipped);
    found_.push_back(std::move(occurrence));
  }

  // FROM [--flag=...]... image [AS name]
  void ScanFrom(const LogicalLine& line, const std::vector<Word>& words) {
    std::size_t i = 1;
    while (i < words.size() && Text(line, words[i]).starts_with("--")) ++i;
    if (i >= words.size()) return;
    const std::string image = Text(line, words[i]);
    std::string skipped;
    if (const std::string stage = EarlierStage(image); !stage.empty()) {
      skipped = "earlier build stage \"" + stage + "\"";
    } else if (AsciiEqualsIgnoreCase(image, "scratch")) {
      skipped = "scratch is the empty image";
    }
    Add(line, words[i], std::move(skipped));
    if (i + 2 < words.size() && AsciiLower(Text(line, words[i + 1])) == "as")
      stages_.emplace(AsciiLower(Text(line, words[i + 2])), Text(line, words[i + 2]));
  }

  // COPY --from=image: an image unless it names an earlier stage or a stage index.
  void ScanCopyFrom(const LogicalLine& line, const std::vector<Word>& words) {
    constexpr std::string_view kFlag = "--from=";
    for (std::size_t i = 1; i < words.size(); ++i) {
      const std::string word = Text(line, words[i]);
      if (!word.starts_with("--")) return;
      if (!AsciiLower(word).starts_with(kFlag) || word.size() == kFlag.size()) continue;
      const std::string value = word.substr(kFlag.size());
      if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); }))
        continue;
      if (!EarlierStage(value).empty()) continue;
      Add(line, {words[i].begin + kFlag.size(), words[i].end}, "");
    }
  }

  std::map<std::string, std::string> stages_;  // AS names so far: lowercase -> as written
  std::vector<ImageOccurrence> found_;
};

}  // namespace

std::vector<ImageOccurrence> FindDockerfileImages(std::string_view content) {
  return DockerfileScanner().Scan(content);
}

bool LooksLikeDockerfile(std::string_view content) {
  InstructionReader reader(content);
  LogicalLine line;
  if (!reader.Next(line)) return false;
  const std::vector<Word> words = SplitWords(line);
  if (words.size() < 2) return false;
  const std::string instruction =
      AsciiLower(std::string_view(line.text).substr(words[0].begin, words[0].end - words[0].begin));
  return instruction == "from" || instruction == "arg";
}

}  // namespace regdigest
