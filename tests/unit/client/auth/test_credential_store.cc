// Tests for DockerCredentialStore (client/auth/credential_store.h) against
// in-memory fakes of the file system, the environment and credential helpers.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "client/auth/credential_store.h"
#include "tests/unit/fakes/fake_system.h"

namespace regdigest {
namespace {

using testing::Exited;
using testing::FakeEnvironment;
using testing::FakeFileSystem;
using testing::FakeProcessRunner;

constexpr const char* kPath = "/home/u/.docker/config.json";
constexpr const char* kHubKey = "https://index.docker.io/v1/";
// base64("alice:pw-from-file")
constexpr const char* kFileAuth =
    R"({"auths": {"reg.example": {"auth": "YWxpY2U6cHctZnJvbS1maWxl"}}})";
constexpr const char* kHelperAnswer =
    R"({"ServerURL": "reg.example", "Username": "bob", "Secret": "pw-from-helper"})";

TEST_CASE("DockerCredentialStore::DefaultPath: DOCKER_CONFIG, then HOME, then passwd") {
  struct Case {
    std::string name;
    std::map<std::string, std::string, std::less<>> vars;
    std::string passwd_home;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"DOCKER_CONFIG wins",
       {{"DOCKER_CONFIG", "/etc/dc"}, {"HOME", "/home/u"}},
       "/pw",
       "/etc/dc/config.json"},
      {"empty DOCKER_CONFIG is unset",
       {{"DOCKER_CONFIG", ""}, {"HOME", "/home/u"}},
       "/pw",
       "/home/u/.docker/config.json"},
      {"HOME", {{"HOME", "/home/u"}}, "/pw", "/home/u/.docker/config.json"},
      {"missing HOME: passwd entry", {}, "/pw", "/pw/.docker/config.json"},
      {"empty HOME is refused, not read as /.docker",
       {{"HOME", ""}},
       "/pw",
       "error: HOME is set but empty; set it to your home directory"},
      {"empty HOME with DOCKER_CONFIG needs no home",
       {{"HOME", ""}, {"DOCKER_CONFIG", "/etc/dc"}},
       "",
       "/etc/dc/config.json"},
      {"no home known",
       {},
       "",
       "error: HOME is not set and the user has no home directory; set HOME"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Result<std::string> got =
        DockerCredentialStore::DefaultPath(FakeEnvironment(c.vars, c.passwd_home));
    CHECK((got.ok() ? *got : "error: " + got.status().message()) == c.want);
  }
}

TEST_CASE("DockerCredentialStore::Lookup: config.json, helpers, and the helpers' answers") {
  struct Case {
    std::string name;
    std::optional<std::string> config;  // nullopt: no file
    std::string domain;
    std::vector<std::string> helper_argv = {};  // empty: no helper answer scripted
    Result<ProcessResult> helper_answer = Exited(0, "");
    std::string want_stdin = "";  // "" when no helper may run
    StatusCode want_code = StatusCode::kOk;
    std::string want_user = "";  // "" with kOk: no credentials
    std::string want_password = "";
    std::string want_token = "";
  };
  const std::string not_found = std::string(kCredentialsNotFoundMessage);
  const std::string helpers =
      R"({"credHelpers": {"reg.example": "pass"}, "auths": {"reg.example": {"auth": "YWxpY2U6cHctZnJvbS1maWxl"}}})";
  const std::vector<Case> cases = {
      {"no config file: anonymous", std::nullopt, "reg.example"},
      {"empty config file", "", "reg.example"},
      {"auths entry",
       kFileAuth,
       "reg.example",
       {},
       Exited(0, ""),
       "",
       StatusCode::kOk,
       "alice",
       "pw-from-file"},
      {"other registry", kFileAuth, "other.example"},
      {"credHelpers entry runs the helper",
       R"({"credHelpers": {"reg.example": "pass"}})",
       "reg.example",
       {"docker-credential-pass", "get"},
       Exited(0, kHelperAnswer),
       "reg.example",
       StatusCode::kOk,
       "bob",
       "pw-from-helper"},
      {"credsStore for docker.io is asked for the hub key",
       R"({"credsStore": "desktop"})",
       "docker.io",
       {"docker-credential-desktop", "get"},
       Exited(0, kHelperAnswer),
       kHubKey,
       StatusCode::kOk,
       "bob",
       "pw-from-helper"},
      {"<token> username is an identity token",
       R"({"credsStore": "desktop"})",
       "reg.example",
       {"docker-credential-desktop", "get"},
       Exited(0, R"({"ServerURL":"reg.example","Username":"<token>","Secret":"refresh"})"),
       "reg.example",
       StatusCode::kOk,
       "",
       "",
       "refresh"},
      {"protocol not-found falls back to auths",
       helpers,
       "reg.example",
       {"docker-credential-pass", "get"},
       Exited(1, not_found + "\n"),
       "reg.example",
       StatusCode::kOk,
       "alice",
       "pw-from-file"},
      {"protocol not-found, nothing in auths",
       R"({"credsStore": "desktop"})",
       "reg.example",
       {"docker-credential-desktop", "get"},
       Exited(1, "  " + not_found + "\r\n"),
       "reg.example"},
      {"other failure text is an error",
       helpers,
       "reg.example",
       {"docker-credential-pass", "get"},
       Exited(1, "error: item not found\n"),
       "reg.example",
       StatusCode::kIo},
      {"not-found text with more words is an error",
       helpers,
       "reg.example",
       {"docker-credential-pass", "get"},
       Exited(1, not_found + " (locked)\n"),
       "reg.example",
       StatusCode::kIo},
      {"not-found text on stderr is an error (the protocol uses stdout)",
       helpers,
       "reg.example",
       {"docker-credential-pass", "get"},
       Exited(1, "", not_found + "\n"),
       "reg.example",
       StatusCode::kIo},
      {"not-found text with exit 0 is malformed output",
       helpers,
       "reg.example",
       {"docker-credential-pass", "get"},
       Exited(0, not_found + "\n"),
       "reg.example",
       StatusCode::kProtocol},
      {"helper killed by a signal",
       helpers,
       "reg.example",
       {"docker-credential-pass", "get"},
       Exited(137, ""),
       "reg.example",
       StatusCode::kIo},
      {"helper cannot run",
       helpers,
       "reg.example",
       {},
       Exited(0, ""),
       "reg.example",
       StatusCode::kIo},
      {"helper times out",
       helpers,
       "reg.example",
       {"docker-credential-pass", "get"},
       Status(StatusCode::kIo, "docker-credential-pass timed out after 30000 ms and was killed"),
       "reg.example",
       StatusCode::kIo},
      {"invalid config.json",
       "{not json",
       "reg.example",
       {},
       Exited(0, ""),
       "",
       StatusCode::kInvalidArgument},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    FakeFileSystem files;
    if (c.config) files.files[kPath] = {*c.config, 0600};
    FakeProcessRunner processes;
    if (!c.helper_argv.empty()) processes.Answer(c.helper_argv, c.helper_answer);
    DockerCredentialStore store(kPath, files, processes);

    Result<std::optional<AuthEntry>> got = store.Lookup(c.domain);
    CHECK(got.status().code() == c.want_code);
    if (c.want_stdin.empty()) {
      CHECK(processes.calls.empty());
    } else {
      REQUIRE(processes.calls.size() == 1);
      CHECK(processes.calls[0].stdin_text == c.want_stdin);
    }
    if (!got.ok()) {
      if (c.want_code == StatusCode::kInvalidArgument) {
        CHECK(got.status().message().find(kPath) != std::string::npos);
      }
      continue;
    }
    const bool want_credentials = !c.want_user.empty() || !c.want_token.empty();
    CHECK(got->has_value() == want_credentials);
    if (!want_credentials || !got->has_value()) continue;
    CHECK((*got)->username == c.want_user);
    CHECK((*got)->password == c.want_password);
    CHECK((*got)->identity_token == c.want_token);
  }
}

TEST_CASE("DockerCredentialStore::Lookup asks once per registry and reports read errors") {
  FakeFileSystem files;
  files.files[kPath] = {R"({"credsStore": "desktop"})", 0600};
  FakeProcessRunner processes;
  processes.Answer({"docker-credential-desktop", "get"}, Exited(0, kHelperAnswer));
  DockerCredentialStore store(kPath, files, processes);
  for (int i = 0; i < 3; ++i) {
    Result<std::optional<AuthEntry>> got = store.Lookup("reg.example");
    REQUIRE(got.ok());
    CHECK((*got)->username == "bob");
  }
  CHECK(processes.calls.size() == 1);
  CHECK(files.reads.size() == 1);

  FakeFileSystem unreadable;
  unreadable.read_errors[kPath] = Status(StatusCode::kIo, "cannot read " + std::string(kPath));
  DockerCredentialStore broken(kPath, unreadable, processes);
  CHECK(broken.Lookup("reg.example").status().code() == StatusCode::kIo);
}

TEST_CASE("DockerCredentialStore::Store and Erase write config.json (0600) or use the helper") {
  SUBCASE("no helper: base64 auth in config.json, other content kept") {
    FakeFileSystem files;
    files.files[kPath] = {R"({"auths": {}, "psFormat": "table"})", 0644};
    FakeProcessRunner processes;
    DockerCredentialStore store(kPath, files, processes);
    REQUIRE(store.Store("reg.example", "alice", "pw-from-file").ok());
    CHECK(files.writes == std::vector<std::string>{kPath});
    CHECK(files.files[kPath].mode == 0600);
    CHECK(files.files[kPath].contents.find("YWxpY2U6cHctZnJvbS1maWxl") != std::string::npos);
    CHECK(files.files[kPath].contents.find("psFormat") != std::string::npos);
    CHECK(processes.calls.empty());

    REQUIRE(store.Erase("reg.example").ok());
    CHECK(files.files[kPath].contents.find("reg.example") == std::string::npos);
    CHECK(store.Erase("reg.example").code() == StatusCode::kNotFound);
    CHECK(files.writes.size() == 2);  // the failed Erase wrote nothing
  }
  SUBCASE("no file yet: created") {
    FakeFileSystem files;
    FakeProcessRunner processes;
    DockerCredentialStore store(kPath, files, processes);
    REQUIRE(store.Store("docker.io", "alice", "pw").ok());
    CHECK(files.files.at(kPath).contents.find(kHubKey) != std::string::npos);
    CHECK(files.directories.count("/home/u/.docker") == 1);
  }
  SUBCASE("a write error is returned") {
    FakeFileSystem files;
    files.write_errors[kPath] = Status(StatusCode::kIo, "cannot replace " + std::string(kPath));
    FakeProcessRunner processes;
    DockerCredentialStore store(kPath, files, processes);
    CHECK(store.Store("reg.example", "alice", "pw").code() == StatusCode::kIo);
    CHECK(files.files.empty());
  }
  SUBCASE("helper: store and erase run it; config.json is not written") {
    FakeFileSystem files;
    files.files[kPath] = {R"({"credHelpers": {"reg.example": "pass"}})", 0600};
    FakeProcessRunner processes;
    processes.Answer({"docker-credential-pass", "store"}, Exited(0, ""));
    processes.Answer({"docker-credential-pass", "erase"}, Exited(1, "boom"));
    DockerCredentialStore store(kPath, files, processes);
    REQUIRE(store.Store("reg.example", "alice", "s3cret").ok());
    REQUIRE(processes.calls.size() == 1);
    CHECK(processes.calls[0].stdin_text ==
          R"({"Secret":"s3cret","ServerURL":"reg.example","Username":"alice"})");
    Status erased = store.Erase("reg.example");
    CHECK(erased.code() == StatusCode::kIo);
    CHECK(erased.message().find("docker-credential-pass erase failed") != std::string::npos);
    REQUIRE(processes.calls.size() == 2);
    CHECK(processes.calls[1].stdin_text == "reg.example");
    CHECK(files.writes.empty());
  }
}

}  // namespace
}  // namespace regdigest
