// Engine API JSON parsing: real bodies from Docker 20.10 (classic store, vfs),
// Docker 24+ with the containerd image store, and Podman's compatible API.
#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/engine/engine_json.h"

using namespace regdigest;

namespace {

// Captured from dockerd 20.10.24 (Debian docker.io, --storage-driver vfs).
constexpr std::string_view kDocker20Version =
    R"json({"Platform":{"Name":""},"Components":[{"Name":"Engine","Version":"20.10.24+dfsg1","Details":{"ApiVersion":"1.41","Arch":"amd64","BuildTime":"2026-05-07T21:09:36.000000000+00:00","Experimental":"false","GitCommit":"5d6db84","GoVersion":"go1.19.8","KernelVersion":"6.18.44-fc-v782","MinAPIVersion":"1.12","Os":"linux"}},{"Name":"containerd","Version":"1.6.20~ds1","Details":{"GitCommit":"1.6.20~ds1-1+deb12u3"}},{"Name":"runc","Version":"1.1.5+ds1","Details":{"GitCommit":"1.1.5+ds1-1+deb12u1"}},{"Name":"docker-init","Version":"0.19.0","Details":{"GitCommit":""}}],"Version":"20.10.24+dfsg1","ApiVersion":"1.41","MinAPIVersion":"1.12","GitCommit":"5d6db84","GoVersion":"go1.19.8","Os":"linux","Arch":"amd64","KernelVersion":"6.18.44-fc-v782","BuildTime":"2026-05-07T21:09:36.000000000+00:00"})json";

constexpr std::string_view kDocker20Info =
    R"json({"ID":"GLXM:E7HE:V3BH:GOYD:FEKK:NWID:HNIO:XFO6:3VM7:5OWK:EVPS:W4WZ","Containers":0,"ContainersRunning":0,"ContainersPaused":0,"ContainersStopped":0,"Images":3,"Driver":"vfs","DriverStatus":null,"Plugins":{"Volume":["local"],"Network":["bridge","host","ipvlan","macvlan","null","overlay"],"Authorization":null,"Log":["awslogs","fluentd","gcplogs","gelf","journald","json-file","local","logentries","splunk","syslog"]},"MemoryLimit":true,"SwapLimit":true,"KernelMemory":true,"KernelMemoryTCP":true,"CpuCfsPeriod":true,"CpuCfsQuota":true,"CPUShares":true,"CPUSet":true,"PidsLimit":true,"IPv4Forwarding":true,"BridgeNfIptables":true,"BridgeNfIp6tables":true,"Debug":false,"NFd":22,"OomKillDisable":true,"NGoroutines":39,"SystemTime":"2026-11-28T19:27:09.693419696Z","LoggingDriver":"json-file","CgroupDriver":"cgroupfs","CgroupVersion":"1","NEventsListener":0,"KernelVersion":"6.18.44-fc-v782","OperatingSystem":"Debian GNU/Linux 12 (bookworm)","OSVersion":"12","OSType":"linux","Architecture":"x86_64","IndexServerAddress":"https://index.docker.io/v1/","RegistryConfig":{"AllowNondistributableArtifactsCIDRs":[],"AllowNondistributableArtifactsHostnames":[],"InsecureRegistryCIDRs":["127.0.0.0/8"],"IndexConfigs":{"docker.io":{"Name":"docker.io","Mirrors":[],"Secure":true,"Official":true}},"Mirrors":[]},"NCPU":2,"MemTotal":25276063744,"GenericResources":null,"DockerRootDir":"/tmp/tmp.rdIlqJqglF/data","HttpProxy":"","HttpsProxy":"","NoProxy":"","Name":"vm","Labels":[],"ExperimentalBuild":false,"ServerVersion":"20.10.24+dfsg1","Runtimes":{"io.containerd.runc.v2":{"path":"runc"},"io.containerd.runtime.v1.linux":{"path":"runc"},"runc":{"path":"runc"}},"DefaultRuntime":"runc","Swarm":{"NodeID":"","NodeAddr":"","LocalNodeState":"inactive","ControlAvailable":false,"Error":"","RemoteManagers":null},"LiveRestoreEnabled":false,"Isolation":"","InitBinary":"docker-init","ContainerdCommit":{"ID":"1.6.20~ds1-1+deb12u3","Expected":"1.6.20~ds1-1+deb12u3"},"RuncCommit":{"ID":"1.1.5+ds1-1+deb12u1","Expected":"1.1.5+ds1-1+deb12u1"},"InitCommit":{"ID":"","Expected":""},"SecurityOptions":["name=seccomp,profile=default"],"Warnings":null})json";

constexpr std::string_view kDocker20List =
    R"json([{"Containers":-1,"Created":1795893894,"Id":"sha256:560cb37c4ac70efe825f47dfd084a9528f3c5da0a8e56a575f6517f277612bfd","Labels":null,"ParentId":"","RepoDigests":["<none>@<none>"],"RepoTags":["<none>:<none>"],"SharedSize":-1,"Size":12,"VirtualSize":12},{"Containers":-1,"Created":1795893894,"Id":"sha256:fc07cb938527363b99d5d1e28e077b7d69de2133c5bf84b0bf036b259676a3d7","Labels":null,"ParentId":"","RepoDigests":null,"RepoTags":["local/built:dev"],"SharedSize":-1,"Size":12,"VirtualSize":12},{"Containers":-1,"Created":1795893893,"Id":"sha256:09b5c286dfbc0fb9b2b7e5fe0c9fd3024b9e1947f52f36ed003ffd9c9e971d4d","Labels":null,"ParentId":"","RepoDigests":["localhost:5391/team/app@sha256:2c8a913bb4f2e99ae8c6c98046c28383967806e32de70e3cff77fa9be6b9bb5b"],"RepoTags":["localhost:5391/team/app:v1"],"SharedSize":-1,"Size":6,"VirtualSize":6}])json";

constexpr std::string_view kDocker20Inspect =
    R"json({"Id":"sha256:09b5c286dfbc0fb9b2b7e5fe0c9fd3024b9e1947f52f36ed003ffd9c9e971d4d","RepoTags":["localhost:5391/team/app:v1"],"RepoDigests":["localhost:5391/team/app@sha256:2c8a913bb4f2e99ae8c6c98046c28383967806e32de70e3cff77fa9be6b9bb5b"],"Parent":"","Comment":"Imported from -","Created":"2026-11-28T19:24:53.749075026Z","Container":"","ContainerConfig":{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":null,"Cmd":null,"Image":"","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":null},"DockerVersion":"20.10.24+dfsg1","Author":"","Config":{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":null,"Cmd":null,"Image":"","Volumes":null,"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":null},"Architecture":"amd64","Os":"linux","Size":6,"VirtualSize":6,"GraphDriver":{"Data":null,"Name":"vfs"},"RootFS":{"Type":"layers","Layers":["sha256:443c9546915b6b2eeb582221b4ed61cb27cdfb0a1ce06524d94828e3923b07a0"]},"Metadata":{"LastTagTime":"0001-01-01T00:00:00Z"}})json";

// Docker 24.0.7 on a Raspberry Pi with the containerd image store enabled
// ("features": {"containerd-snapshotter": true}).
constexpr std::string_view kDocker24Version =
    R"json({"Platform":{"Name":"Docker Engine - Community"},"Components":[{"Name":"Engine","Version":"24.0.7","Details":{"ApiVersion":"1.43","Arch":"arm64","BuildTime":"2023-10-26T09:08:02.000000000+00:00","Experimental":"false","GitCommit":"311b9ff","GoVersion":"go1.20.10","KernelVersion":"6.1.0-rpi7-rpi-v8","MinAPIVersion":"1.12","Os":"linux"}},{"Name":"containerd","Version":"1.6.25","Details":{"GitCommit":"d8f198a4ed8892c764191ef7b3b06d8a2eeb5c7f"}},{"Name":"runc","Version":"1.1.10","Details":{"GitCommit":"v1.1.10-0-g18a0cb0"}}],"Version":"24.0.7","ApiVersion":"1.43","MinAPIVersion":"1.12","GitCommit":"311b9ff","GoVersion":"go1.20.10","Os":"linux","Arch":"arm64","KernelVersion":"6.1.0-rpi7-rpi-v8","BuildTime":"2023-10-26T09:08:02.000000000+00:00"})json";
constexpr std::string_view kDocker24ContainerdInfo =
    R"json({"ID":"3e1b7d2c-4d0c-4a57-9a55-0d3b6f1e2a10","Containers":0,"Images":2,"Driver":"overlayfs","DriverStatus":[["driver-type","io.containerd.snapshotter.v1"]],"Plugins":{"Volume":["local"],"Network":["bridge","host","ipvlan","macvlan","null","overlay"],"Authorization":null,"Log":["awslogs","fluentd","gcplogs","gelf","journald","json-file","local","logentries","splunk","syslog"]},"KernelVersion":"6.1.0-rpi7-rpi-v8","OperatingSystem":"Debian GNU/Linux 12 (bookworm)","OSVersion":"12","OSType":"linux","Architecture":"aarch64","NCPU":4,"ServerVersion":"24.0.7","DefaultRuntime":"runc","Warnings":null})json";
constexpr std::string_view kDocker24ClassicInfo =
    R"json({"ID":"c0ffee00-1111-2222-3333-444455556666","Containers":3,"Images":12,"Driver":"overlay2","DriverStatus":[["Backing Filesystem","extfs"],["Supports d_type","true"],["Using metacopy","false"],["Native Overlay Diff","true"],["userxattr","false"]],"OSType":"linux","Architecture":"x86_64","ServerVersion":"24.0.7"})json";
// containerd store: the Id is the index digest, the same as the RepoDigests entry.
constexpr std::string_view kDocker24ContainerdList =
    R"json([{"Containers":-1,"Created":1701820800,"Id":"sha256:51b67269f354137895d43f3b3d810bfacd3945438e94dc5ac55fdac340352f48","Labels":null,"ParentId":"","RepoDigests":["alpine@sha256:51b67269f354137895d43f3b3d810bfacd3945438e94dc5ac55fdac340352f48"],"RepoTags":["alpine:3.19"],"SharedSize":-1,"Size":3408729,"VirtualSize":3408729},{"Containers":-1,"Created":1701820900,"Id":"sha256:0b1b3e5d7c6a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e","Labels":null,"ParentId":"","RepoDigests":[],"RepoTags":[],"SharedSize":-1,"Size":1024,"VirtualSize":1024}])json";
constexpr std::string_view kDocker25ContainerdInspect =
    R"json({"Id":"sha256:51b67269f354137895d43f3b3d810bfacd3945438e94dc5ac55fdac340352f48","RepoTags":["alpine:3.19"],"RepoDigests":["alpine@sha256:51b67269f354137895d43f3b3d810bfacd3945438e94dc5ac55fdac340352f48"],"Parent":"","Comment":"","Created":"2023-12-07T22:11:58.452291458Z","DockerVersion":"","Author":"","Config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/sh"]},"Architecture":"arm64","Variant":"v8","Os":"linux","Size":3347019,"GraphDriver":{"Data":null,"Name":"overlayfs"},"RootFS":{"Type":"layers","Layers":["sha256:aedc3bda2944bb9bcb6c3d475bee8b460db9a9b0f3e0b33a6ed2fd1ae0f1d445"]},"Metadata":{"LastTagTime":"0001-01-01T00:00:00Z"}})json";

// Podman 4.9 Docker-compatible socket: GOARCH in /info, libpod extras, a
// dangling image with RepoTags null and one with no RepoTags key at all.
constexpr std::string_view kPodmanVersion =
    R"json({"Platform":{"Name":"linux/amd64/fedora-39"},"Components":[{"Name":"Podman Engine","Version":"4.9.4","Details":{"APIVersion":"4.9.4","Arch":"amd64","BuildTime":"2024-04-01T00:00:00Z","Experimental":"false","GitCommit":"","GoVersion":"go1.21.8","KernelVersion":"6.8.5-201.fc39.x86_64","MinAPIVersion":"4.0.0","Os":"linux"}},{"Name":"Conmon","Version":"conmon version 2.1.10","Details":{"Package":"conmon-2.1.10-1.fc39.x86_64"}}],"Version":"4.9.4","ApiVersion":"1.41","MinAPIVersion":"1.24","Os":"linux","Arch":"amd64","KernelVersion":"6.8.5-201.fc39.x86_64","BuildTime":"2024-04-01T00:00:00Z"})json";
constexpr std::string_view kPodmanInfo =
    R"json({"ID":"8c0f5d2e-7c4e-4e0b-9a7c-2f6b1d1c3e55","Containers":1,"Images":3,"Driver":"overlay","DriverStatus":[["Backing Filesystem","xfs"],["Native Overlay Diff","true"],["Supports d_type","true"],["Using metacopy","false"],["odd entry"],[1,2]],"OSType":"linux","Architecture":"amd64","ServerVersion":"4.9.4","Rootless":true,"BuildahVersion":"1.33.7","CgroupVersion":"2","SwapFree":0,"Uptime":"3h 5m"})json";
constexpr std::string_view kPodmanList =
    R"json([{"Id":"sha256:1d34ffeaf190be23d3de5a8de0a436676b758f48f835c3a2d4768b798c15a7f1","ParentId":"","RepoTags":["docker.io/library/alpine:latest"],"RepoDigests":["docker.io/library/alpine@sha256:c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b","docker.io/library/alpine@sha256:1d34ffeaf190be23d3de5a8de0a436676b758f48f835c3a2d4768b798c15a7f1"],"Created":1706745600,"Size":7662144,"SharedSize":0,"VirtualSize":7662144,"Labels":null,"Containers":0,"Names":["docker.io/library/alpine:latest"],"Digest":"sha256:c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b","History":["docker.io/library/alpine:latest"]},{"Id":"9f6a2c1e0b7d4a3f8e5c2b1a0d9e8f7c6b5a4d3e2f1a0b9c8d7e6f5a4b3c2d1e","ParentId":"","RepoTags":null,"RepoDigests":null,"Created":1706745700,"Size":512,"Containers":0},{"Id":"sha256:aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44","ParentId":"","Created":1706745800,"Size":512,"Containers":0}])json";

}  // namespace

TEST_CASE("ApiVersion parses, orders and negotiates like the docker CLI") {
  struct Case {
    std::string_view text;
    bool ok;
    int major, minor;
  };
  const std::vector<Case> cases = {
      {"1.41", true, 1, 41},  {"1.9", true, 1, 9},     {"2.0", true, 2, 0},
      {"1.045", true, 1, 45}, {"", false, 0, 0},       {"1", false, 0, 0},
      {"1.", false, 0, 0},    {".41", false, 0, 0},    {"v1.41", false, 0, 0},
      {"1.x", false, 0, 0},   {"1.41.2", false, 0, 0}, {"-1.2", false, 0, 0},
      {"1.+2", false, 0, 0},  {"4.9.4", false, 0, 0},  {"99999999.1", false, 0, 0},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    std::optional<ApiVersion> got = ApiVersion::Parse(c.text);
    REQUIRE(got.has_value() == c.ok);
    if (!c.ok) continue;
    CHECK(got->major == c.major);
    CHECK(got->minor == c.minor);
  }
  CHECK(ApiVersion{1, 9} < ApiVersion{1, 41});
  CHECK(ApiVersion{1, 45} < ApiVersion{2, 0});
  CHECK(ApiVersion{1, 41}.String() == "1.41");

  struct Negotiation {
    std::string_view server;
    std::string_view want;  // "" = no usable version
  };
  const std::vector<Negotiation> negotiations = {
      {"1.41", "1.41"}, {"1.43", "1.43"}, {"1.45", "1.45"}, {"1.47", "1.45"}, {"2.0", "1.45"},
      {"1.24", "1.24"}, {"1.9", "1.9"},   {"", ""},         {"junk", ""},     {"4.9.4", ""},
  };
  for (const Negotiation& n : negotiations) {
    CAPTURE(n.server);
    std::optional<ApiVersion> got = NegotiateApiVersion(n.server, ApiVersion{1, 45});
    CHECK((got ? got->String() : "") == n.want);
  }
}

TEST_CASE("ParseEngineVersion tells Podman from Docker, and image lists keep Podman's Digest") {
  CHECK(ParseEngineVersion(kPodmanVersion)->kind == EngineKind::kPodman);
  CHECK(ParseEngineVersion(kDocker20Version)->kind == EngineKind::kDocker);
  CHECK(ParseEngineVersion(R"({"Components":[{"Name":"Engine","Version":"24.0.7"}]})")->kind ==
        EngineKind::kDocker);
  Result<std::vector<EngineImage>> list = ParseImageList(kPodmanList);
  REQUIRE(list.ok());
  CHECK((*list)[0].digest ==
        "sha256:c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b");
  CHECK((*list)[1].digest.empty());
}

TEST_CASE("ParseEngineVersion reads Docker and Podman /version") {
  struct Case {
    const char* name;
    std::string_view body;
    bool ok;
    EngineVersion want;
  };
  const std::vector<Case> cases = {
      {"docker 20.10", kDocker20Version, true, {"20.10.24+dfsg1", "1.41", "linux", "amd64"}},
      {"docker 24 arm64", kDocker24Version, true, {"24.0.7", "1.43", "linux", "arm64"}},
      {"podman", kPodmanVersion, true, {"4.9.4", "1.41", "linux", "amd64"}},
      {"only the Engine component",
       R"({"Components":[{"Name":"containerd","Version":"1.7"},{"Name":"Engine","Version":"19.03.15","Details":{"ApiVersion":"1.40","Os":"linux","Arch":"s390x"}}]})",
       true,
       {"19.03.15", "1.40", "linux", "s390x"}},
      {"fields of other types ignored",
       R"({"Version":20,"ApiVersion":null,"Os":"linux"})",
       true,
       {"", "", "linux", ""}},
      {"empty object", "{}", true, {}},
      {"array", "[]", false, {}},
      {"not JSON", "<html>502 Bad Gateway</html>", false, {}},
      {"empty body", "", false, {}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Result<EngineVersion> got = ParseEngineVersion(c.body);
    REQUIRE(got.ok() == c.ok);
    if (!c.ok) {
      CHECK(got.status().code() == StatusCode::kProtocol);
      CHECK(got.status().message().find("/version") != std::string::npos);
      continue;
    }
    CHECK(got->version == c.want.version);
    CHECK(got->api_version == c.want.api_version);
    CHECK(got->os == c.want.os);
    CHECK(got->arch == c.want.arch);
  }
}

TEST_CASE("ParseEngineInfo and DetectImageStore tell classic from containerd") {
  struct Case {
    const char* name;
    std::string_view body;
    std::string driver, os_type, architecture, server_version;
    size_t status_pairs;
    ImageStore store;
  };
  const std::vector<Case> cases = {
      {"docker 20.10 vfs, DriverStatus null", kDocker20Info, "vfs", "linux", "x86_64",
       "20.10.24+dfsg1", 0, ImageStore::kClassic},
      {"docker 24 overlay2", kDocker24ClassicInfo, "overlay2", "linux", "x86_64", "24.0.7", 5,
       ImageStore::kClassic},
      {"docker 24 containerd snapshotter", kDocker24ContainerdInfo, "overlayfs", "linux", "aarch64",
       "24.0.7", 1, ImageStore::kContainerd},
      {"podman, malformed pairs skipped", kPodmanInfo, "overlay", "linux", "amd64", "4.9.4", 4,
       ImageStore::kClassic},
      {"driver-type of another kind",
       R"({"Driver":"btrfs","DriverStatus":[["driver-type","io.containerd.other.v1"]]})", "btrfs",
       "", "", "", 1, ImageStore::kClassic},
      {"minimal", "{}", "", "", "", "", 0, ImageStore::kClassic},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Result<EngineSystemInfo> got = ParseEngineInfo(c.body);
    REQUIRE_MESSAGE(got.ok(), got.status().ToString());
    CHECK(got->driver == c.driver);
    CHECK(got->os_type == c.os_type);
    CHECK(got->architecture == c.architecture);
    CHECK(got->server_version == c.server_version);
    CHECK(got->driver_status.size() == c.status_pairs);
    CHECK(DetectImageStore(*got) == c.store);
  }
  for (std::string_view bad :
       {std::string_view("null"), std::string_view("[1]"), std::string_view("{\"Driver\":")}) {
    CAPTURE(bad);
    Result<EngineSystemInfo> got = ParseEngineInfo(bad);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == StatusCode::kProtocol);
  }
}

TEST_CASE("ParseImageList keeps Id, RepoTags and RepoDigests and drops placeholders") {
  struct Want {
    std::string id;
    std::vector<std::string> tags, digests;
  };
  struct Case {
    const char* name;
    std::string_view body;
    std::vector<Want> want;
  };
  const std::string app_digest =
      "localhost:5391/team/"
      "app@sha256:2c8a913bb4f2e99ae8c6c98046c28383967806e32de70e3cff77fa9be6b9bb5b";
  const std::vector<Case> cases = {
      {"docker 20.10: null, <none> and a pulled image",
       kDocker20List,
       {{"sha256:560cb37c4ac70efe825f47dfd084a9528f3c5da0a8e56a575f6517f277612bfd", {}, {}},
        {"sha256:fc07cb938527363b99d5d1e28e077b7d69de2133c5bf84b0bf036b259676a3d7",
         {"local/built:dev"},
         {}},
        {"sha256:09b5c286dfbc0fb9b2b7e5fe0c9fd3024b9e1947f52f36ed003ffd9c9e971d4d",
         {"localhost:5391/team/app:v1"},
         {app_digest}}}},
      {"docker 24 containerd store",
       kDocker24ContainerdList,
       {{"sha256:51b67269f354137895d43f3b3d810bfacd3945438e94dc5ac55fdac340352f48",
         {"alpine:3.19"},
         {"alpine@sha256:51b67269f354137895d43f3b3d810bfacd3945438e94dc5ac55fdac340352f48"}},
        {"sha256:0b1b3e5d7c6a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e", {}, {}}}},
      {"podman: two digests, null and missing arrays, bare hex Id",
       kPodmanList,
       {{"sha256:1d34ffeaf190be23d3de5a8de0a436676b758f48f835c3a2d4768b798c15a7f1",
         {"docker.io/library/alpine:latest"},
         {"docker.io/library/alpine@sha256:"
          "c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b",
          "docker.io/library/alpine@sha256:"
          "1d34ffeaf190be23d3de5a8de0a436676b758f48f835c3a2d4768b798c15a7f1"}},
        {"sha256:9f6a2c1e0b7d4a3f8e5c2b1a0d9e8f7c6b5a4d3e2f1a0b9c8d7e6f5a4b3c2d1e", {}, {}},
        {"sha256:aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44ee55ff66aa11bb22cc33dd44", {}, {}}}},
      {"no images", "[]", {}},
      {"null list", "null", {}},
      {"non-string array items skipped",
       R"([{"Id":"sha256:1","RepoTags":["a:1",null,7,""],"RepoDigests":"not an array"}])",
       {{"sha256:1", {"a:1"}, {}}}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Result<std::vector<EngineImage>> got = ParseImageList(c.body);
    REQUIRE_MESSAGE(got.ok(), got.status().ToString());
    REQUIRE(got->size() == c.want.size());
    for (size_t i = 0; i < c.want.size(); ++i) {
      CAPTURE(i);
      CHECK((*got)[i].id == c.want[i].id);
      CHECK((*got)[i].repo_tags == c.want[i].tags);
      CHECK((*got)[i].repo_digests == c.want[i].digests);
      CHECK((*got)[i].platform == Platform{});
    }
  }
  struct Bad {
    std::string_view body;
    std::string_view says;
  };
  for (const Bad& bad : std::vector<Bad>{{"{}", "not a JSON array"},
                                         {"not json", "not a JSON array"},
                                         {R"([{"RepoTags":["a:1"]}])", "entry 0: has no \"Id\""},
                                         {R"([{"Id":"sha256:1"},{"Id":""}])", "entry 1"},
                                         {R"([{"Id":"sha256:1"},"x"])", "not a JSON object"}}) {
    CAPTURE(bad.body);
    Result<std::vector<EngineImage>> got = ParseImageList(bad.body);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == StatusCode::kProtocol);
    CHECK_MESSAGE(got.status().message().find(bad.says) != std::string::npos,
                  got.status().message());
  }
}

TEST_CASE("ParseImageInspect reads the image and its platform") {
  struct Case {
    const char* name;
    std::string_view body;
    bool ok;
    std::string id;
    size_t tags, digests;
    Platform platform;
  };
  const std::vector<Case> cases = {
      {"docker 20.10 pulled",
       kDocker20Inspect,
       true,
       "sha256:09b5c286dfbc0fb9b2b7e5fe0c9fd3024b9e1947f52f36ed003ffd9c9e971d4d",
       1,
       1,
       {"linux", "amd64", ""}},
      {"docker 25 containerd store, arm64/v8",
       kDocker25ContainerdInspect,
       true,
       "sha256:51b67269f354137895d43f3b3d810bfacd3945438e94dc5ac55fdac340352f48",
       1,
       1,
       {"linux", "arm64", "v8"}},
      {"imported, RepoDigests empty",
       R"({"Id":"sha256:fc07","RepoTags":["local/built:dev"],"RepoDigests":[],"Os":"linux","Architecture":"amd64"})",
       true,
       "sha256:fc07",
       1,
       0,
       {"linux", "amd64", ""}},
      {"podman-style null arrays and null Variant",
       R"({"Id":"sha256:ab","RepoTags":null,"RepoDigests":null,"Os":"linux","Architecture":"arm","Variant":null})",
       true,
       "sha256:ab",
       0,
       0,
       {"linux", "arm", ""}},
      {"no Id", R"({"RepoTags":["a:1"]})", false, "", 0, 0, {}},
      {"Id not a string", R"({"Id":42})", false, "", 0, 0, {}},
      {"an array", R"([{"Id":"sha256:ab"}])", false, "", 0, 0, {}},
      {"not JSON", "No such image", false, "", 0, 0, {}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Result<EngineImage> got = ParseImageInspect(c.body);
    REQUIRE(got.ok() == c.ok);
    if (!c.ok) {
      CHECK(got.status().code() == StatusCode::kProtocol);
      continue;
    }
    CHECK(got->id == c.id);
    CHECK(got->repo_tags.size() == c.tags);
    CHECK(got->repo_digests.size() == c.digests);
    CHECK(got->platform == c.platform);
  }
}

TEST_CASE("ParseEngineErrorMessage prefers the engine's message") {
  struct Case {
    std::string body;
    std::string want;
  };
  const std::vector<Case> cases = {
      {R"({"message":"no such image: nope: No such image: nope:latest"})",
       "no such image: nope: No such image: nope:latest"},
      {R"({"message":"client version 1.99 is too new. Maximum supported API version is 1.41"})",
       "client version 1.99 is too new. Maximum supported API version is 1.41"},
      {R"({"cause":"x","message":"","response":500})",
       R"({"cause":"x","message":"","response":500})"},
      {"  page not found\n", "page not found"},
      {"", ""},
      {" \r\n", ""},
      {std::string(300, 'x'), std::string(200, 'x') + "…"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    CHECK(ParseEngineErrorMessage(c.body) == c.want);
  }
}

TEST_CASE("ParseEngineError tells a router's unknown-route answer from a route's 404") {
  struct Case {
    std::string body;
    bool unknown_route;
  };
  const std::vector<Case> cases = {
      {R"({"message":"page not found"})", true},  // Docker's router
      {"404 page not found\n", true},             // Go net/http NotFound
      {"  page not found\n", true},
      {R"({"message":"No such image: nope:latest"})", false},
      {R"({"message":"No such image: page not found"})", false},  // words inside a message
      {R"({"cause":"image not known","message":"failed to find image x","response":404})", false},
      {R"({"message":"Page Not Found"})", false},
      {"", false},
      {"{", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    const EngineError error = ParseEngineError(c.body);
    CHECK(error.unknown_route == c.unknown_route);
    CHECK(error.message == ParseEngineErrorMessage(c.body));
  }
}
