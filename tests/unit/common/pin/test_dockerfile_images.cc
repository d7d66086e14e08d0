// Tests for common/dockerfile_images.h: FROM and COPY --from in Dockerfiles.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "common/pin/dockerfile_images.h"

namespace regdigest {
namespace {

// "LINE:text" or "LINE:text (REASON)", checking that every offset points at
// the text as written.
std::vector<std::string> Describe(std::string_view content,
                                  const std::vector<ImageOccurrence>& found) {
  std::vector<std::string> out;
  for (const ImageOccurrence& o : found) {
    if (o.skipped.empty()) CHECK(content.substr(o.offset, o.text.size()) == o.text);
    std::string text = std::to_string(LineAtOffset(content, o.offset)) + ":" + o.text;
    if (!o.skipped.empty()) text += " (" + o.skipped + ")";
    out.push_back(text);
  }
  return out;
}

TEST_CASE("FindDockerfileImages: FROM and COPY --from as BuildKit reads them") {
  struct Case {
    std::string name, content;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"empty", "", {}},
      {"one FROM", "FROM nginx:1.25\n", {"1:nginx:1.25"}},
      {"no final newline", "FROM nginx:1.25", {"1:nginx:1.25"}},
      {"lowercase keyword, flags, AS and a stage reference",
       "from --platform=$BUILDPLATFORM golang:1.22 as builder\nRUN go build\nFROM builder\n",
       {"1:golang:1.22", "3:builder (earlier build stage \"builder\")"}},
      {"stage names compare without case",
       "FROM alpine AS Build\nFROM BUILD AS final\nFROM final\n",
       {"1:alpine", "2:BUILD (earlier build stage \"Build\")",
        "3:final (earlier build stage \"final\")"}},
      {"a stage named later is an image here",
       "FROM app\nFROM nginx AS app\n",
       {"1:app", "2:nginx"}},
      {"scratch",
       "FROM scratch\nFROM SCRATCH AS x\n",
       {"1:scratch (scratch is the empty image)", "2:SCRATCH (scratch is the empty image)"}},
      {"build arguments",
       "ARG BASE=alpine:3.19\nFROM ${BASE}\nFROM $BASE AS b\nFROM registry/${NAME}:1\n",
       {"2:${BASE} (uses build argument ${BASE})", "3:$BASE (uses build argument $BASE)",
        "4:registry/${NAME}:1 (uses build argument ${NAME})"}},
      {"line continuations",
       "FROM \\\n  --platform=linux/amd64 \\\n  nginx:1.25 \\\n  AS web\nFROM web\n",
       {"3:nginx:1.25", "5:web (earlier build stage \"web\")"}},
      {"continuation with trailing blanks and CRLF",
       "FROM \\  \r\n  nginx:1.25\r\nFROM alpine:3 AS x\r\n",
       {"2:nginx:1.25", "3:alpine:3"}},
      {"a UTF-8 byte order mark is skipped, as BuildKit does",
       "\xEF\xBB\xBF"
       "FROM nginx:1.25\nFROM alpine:3\n",
       {"1:nginx:1.25", "2:alpine:3"}},
      {"a byte order mark, CRLF and a directive",
       "\xEF\xBB\xBF# syntax=docker/dockerfile:1\r\nFROM nginx:1.25 AS web\r\nCOPY --from=alpine:3 "
       "/a /b\r\n",
       {"2:nginx:1.25", "3:alpine:3"}},
      {"comments and blank lines, also inside a continuation",
       "# FROM commented:1\n\nFROM a:1\n  # FROM indented:2\nFROM \\\n# comment\n\n  b:2\n",
       {"3:a:1", "8:b:2"}},
      {"escape directive: backtick continues, backslash does not",
       "# escape=`\nFROM `\n  mcr.microsoft.com/windows:ltsc2022\nRUN dir c:\\\nFROM nginx\n",
       {"3:mcr.microsoft.com/windows:ltsc2022", "5:nginx"}},
      {"directives only at the top",
       "# syntax=docker/dockerfile:1\n# escape=\\\nFROM a\n# escape=`\nRUN x `\nFROM b\n",
       {"3:a", "6:b"}},
      {"a directive after a comment is a comment",
       "# hello\n# escape=`\nFROM a\nRUN x \\\n  y\nFROM b\n",
       {"3:a", "6:b"}},
      {"heredoc bodies are not instructions",
       "FROM a\nRUN <<EOF\nFROM not-an-image\nEOF\nCOPY <<-\"END\" /x\n\tFROM neither\n\tEND\n"
       "FROM b\n",
       {"1:a", "8:b"}},
      {"two heredocs on one line",
       "FROM a\nRUN <<ONE cat - <<'TWO'\nFROM x\nONE\nFROM y\nTWO\nFROM b\n",
       {"1:a", "7:b"}},
      {"here-strings and shifts are not heredocs",
       "FROM a\nRUN cat <<<FROM && echo $((1<<2))\nFROM b\n",
       {"1:a", "3:b"}},
      {"COPY --from: images, not stages or indexes",
       "FROM golang AS build\nCOPY --from=build /a /b\nCOPY --from=0 /a /b\n"
       "COPY --from=nginx:1.25 /etc/nginx /etc/nginx\nCOPY --chown=1 --from=$IMG /a /b\n"
       "COPY --from=BUILD /a /b\n",
       {"1:golang", "4:nginx:1.25", "5:$IMG (uses build argument $IMG)"}},
      {"FROM without an image", "FROM --platform=linux/amd64\nFROM\n", {}},
      {"digest-pinned references are returned as written",
       "FROM nginx:1.25@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
       " AS web\n",
       {"1:nginx:1.25@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}},
      {"a reference split over lines cannot be replaced in place",
       "FROM ngi\\\nnx:1\n",
       {"1:nginx:1 (written over several lines)"}},
      {"a continuation at the end of the file", "FROM \\\n  alpine \\\n", {"2:alpine"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(Describe(c.content, FindDockerfileImages(c.content)) == c.want);
  }
}

TEST_CASE("LooksLikeDockerfile: the first instruction is FROM or ARG") {
  struct Case {
    std::string content;
    bool want;
  };
  const Case cases[] = {
      {"FROM nginx\n", true},
      {"# syntax=docker/dockerfile:1\n\n# base\narg VERSION=1\nFROM x:${VERSION}\n", true},
      {"from\talpine", true},
      {"\xEF\xBB\xBF"
       "FROM nginx\r\n",
       true},
      {"\xEF\xBB\xBF\r\n# c\r\nARG X\r\n", true},
      {"", false},
      {"# only a comment\n", false},
      {"FROM\n", false},
      {"RUN echo\nFROM x\n", false},
      {"from: x\n", false},
      {"services:\n  web:\n    image: nginx\n", false},
      {"apiVersion: v1\nkind: Pod\n", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.content);
    CHECK(LooksLikeDockerfile(c.content) == c.want);
  }
}

}  // namespace
}  // namespace regdigest
