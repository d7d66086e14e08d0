#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: Docker Hub look-alike. A token registry with service
# "registry.docker.io" serves docker.io through the regdigest config
# (registries."docker.io".endpoint), so familiar names such as
# jenkins/jenkins:centos7 and alpine:3.19 resolve against it anonymously.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
rd_tmpdir
rd_require_bin

cat >"$RD_TMP/acl.json" <<'EOF'
{"public": ["jenkins/jenkins", "library/*"],
 "grants": {"pusher": {"*": ["pull", "push"]}}}
EOF
RD_SERVICE=registry.docker.io RD_ISSUER=auth.docker.io RD_ACL="$RD_TMP/acl.json" \
  RD_USERS="pusher:pusher-pw-0000" rd_start_registry token

jenkins="$(rd_push --repo jenkins/jenkins --tag centos7 --seed hub-jenkins --kind docker-list)"
alpine="$(rd_push --repo library/alpine --tag 3.19 --seed hub-alpine --kind oci-index)"

CONF="$RD_TMP/regdigest.json"
printf '{"registries": {"docker.io": {"endpoint": "%s"}}}\n' "$REG_URL" >"$CONF"
export REGDIGEST_CONFIG="$CONF"

tok_before="$(wc -l <"$TOKEN_LOG")"
rd_rd resolve jenkins/jenkins:centos7
rd_assert_rc "resolve jenkins/jenkins:centos7: exit 0" 0
rd_assert_eq "resolve jenkins/jenkins:centos7: pushed digest" "$jenkins" "$RD_OUT"
new_tok="$(tail -n +"$((tok_before + 1))" "$TOKEN_LOG")"
rd_assert_eq "token request: scope repository:jenkins/jenkins:pull" \
  "repository:jenkins/jenkins:pull" "$(jq -r '.scopes | join(" ")' <<<"$new_tok" | head -1)"
rd_assert_eq "token request: service registry.docker.io, anonymous, granted pull" \
  "registry.docker.io null pull" \
  "$(jq -r '[.service, (.user | tostring), (.granted[0].actions | join(","))] | join(" ")' <<<"$new_tok" | head -1)"
rd_assert_contains "registry saw HEAD /v2/jenkins/jenkins/manifests/centos7" \
  "$(grep -E '"HEAD /v2/jenkins/jenkins/manifests/centos7 ' "$REG_LOG" | tail -1)" '" 200 '

rd_rd resolve -o json docker.io/jenkins/jenkins:centos7 alpine:3.19 index.docker.io/library/alpine:3.19
rd_assert_rc "resolve -o json (3 Hub refs): exit 0" 0
rd_assert_eq "json references are canonical docker.io names" \
  "docker.io/jenkins/jenkins:centos7 docker.io/library/alpine:3.19 docker.io/library/alpine:3.19" \
  "$(jq -r 'map(.reference) | join(" ")' <<<"$RD_OUT")"
rd_assert_eq "json digests" "$jenkins $alpine $alpine" "$(jq -r 'map(.digest) | join(" ")' <<<"$RD_OUT")"
rd_assert_eq "json media types (manifest list, OCI index)" \
  "application/vnd.docker.distribution.manifest.list.v2+json application/vnd.oci.image.index.v1+json" \
  "$(jq -r '.[0:2] | map(.mediaType) | join(" ")' <<<"$RD_OUT")"

rd_rd resolve jenkins/jenkins:does-not-exist
rd_assert_rc "missing Hub tag: exit 3" 3
rd_assert_contains "missing Hub tag: not found" "$RD_ERR" "not found"

rd_rd resolve someone/private-thing:1
rd_assert_rc "non-public Hub repo, anonymous: exit 3" 3
rd_assert_contains "non-public Hub repo, anonymous: unauthorized" "$RD_ERR" "unauthorized"

rd_finish
