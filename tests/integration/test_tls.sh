#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: an https registry whose certificate is signed by a test CA:
# refused without the CA (certificate error), accepted with --ca-file or a
# per-registry caFile in the regdigest config file. Loopback registries are
# tried over https first, then plain http once per run (a TLS registry on
# 127.0.0.1 works with --ca-file alone); scheme mismatches are named; and
# --insecure-registry gives another registry the same https-then-http rule.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/servers.sh
source "$HERE/../lib/servers.sh"
# shellcheck source=../lib/assert.sh
source "$HERE/../lib/assert.sh"
rd_tmpdir
rd_require_bin

rd_start_registry tls
REF="$REG_HOST/secure/tls-app:v1"
digest="$(rd_push --repo secure/tls-app --tag v1 --seed tls-1 --kind oci)"

# Another CA that did not sign the server certificate.
mkdir -p "$RD_TMP/other-ca"
rd_gen_tls "$RD_TMP/other-ca"

CONF_NO_CA="$RD_TMP/regdigest-no-ca.json"
CONF_CA="$RD_TMP/regdigest-ca.json"
CONF_WRONG_CA="$RD_TMP/regdigest-wrong-ca.json"
printf '{"registries": {"%s": {"endpoint": "https://%s"}}}\n' "$REG_HOST" "$REG_HOST" >"$CONF_NO_CA"
printf '{"registries": {"%s": {"endpoint": "https://%s", "caFile": "%s"}}}\n' \
  "$REG_HOST" "$REG_HOST" "$CA_FILE" >"$CONF_CA"
printf '{"registries": {"%s": {"endpoint": "https://%s", "caFile": "%s"}}}\n' \
  "$REG_HOST" "$REG_HOST" "$RD_TMP/other-ca/ca.pem" >"$CONF_WRONG_CA"

# --- https endpoint, CA unknown: certificate error, exit 3 ---
rd_rd --config "$CONF_NO_CA" resolve "$REF"
rd_assert_rc "https without the CA: exit 3" 3
rd_assert_contains "https without the CA: TLS verification failed for the endpoint" \
  "$RD_ERR" "TLS certificate verification failed for https://$REG_HOST"
rd_assert_eq "https without the CA: nothing on stdout" "" "$RD_OUT"

# --- --ca-file adds the CA ---
rd_rd --config "$CONF_NO_CA" --ca-file "$CA_FILE" resolve "$REF"
rd_assert_rc "--ca-file: exit 0" 0
rd_assert_eq "--ca-file: digest" "$digest" "$RD_OUT"

# --- per-registry caFile, via --config and via REGDIGEST_CONFIG ---
rd_rd --config "$CONF_CA" resolve "$REF"
rd_assert_rc "caFile in --config file: exit 0" 0
rd_assert_eq "caFile in --config file: digest" "$digest" "$RD_OUT"

REGDIGEST_CONFIG="$CONF_CA" rd_rd resolve -o json "$REF"
rd_assert_rc "caFile via REGDIGEST_CONFIG: exit 0" 0
rd_assert_eq "caFile via REGDIGEST_CONFIG: digest" "$digest" "$(jq -r '.[0].digest' <<<"$RD_OUT")"
rd_assert_eq "caFile via REGDIGEST_CONFIG: mediaType" \
  "application/vnd.oci.image.manifest.v1+json" "$(jq -r '.[0].mediaType' <<<"$RD_OUT")"

# --- a CA that did not sign the certificate ---
rd_rd --config "$CONF_WRONG_CA" resolve "$REF"
rd_assert_rc "caFile with the wrong CA: exit 3" 3
rd_assert_contains "caFile with the wrong CA: TLS verification failed for the endpoint" \
  "$RD_ERR" "TLS certificate verification failed for https://$REG_HOST"

# --- no config: a loopback registry is tried over https first (issue 12 §3) ---
# Before, 127.0.0.1 was plain http and the TLS server's "HTTP 400 Bad Request"
# was all one got, with or without --ca-file.
rd_rd resolve "$REF"
rd_assert_rc "loopback TLS registry, no config, no CA: exit 3" 3
rd_assert_contains "loopback TLS registry, no CA: the certificate is the problem" "$RD_ERR" \
  "TLS certificate verification failed for https://$REG_HOST"
rd_assert_not_contains "loopback TLS registry, no CA: no fallback to http" "$RD_ERR" "HTTP 400"

rd_rd --ca-file "$CA_FILE" resolve "$REF"
rd_assert_rc "loopback TLS registry, --ca-file, no config: exit 0" 0
rd_assert_eq "loopback TLS registry, --ca-file, no config: digest" "$digest" "$RD_OUT"

rd_rd --ca-file "$CA_FILE" inspect -o json "$REF"
rd_assert_rc "loopback TLS registry, --ca-file: inspect exit 0" 0
rd_assert_eq "loopback TLS registry, --ca-file: inspect digest" "$digest" "$(jq -r .digest <<<"$RD_OUT")"

# --- scheme mismatch: an http:// endpoint answered by the TLS server ---
CONF_HTTP="$RD_TMP/regdigest-http.json"
printf '{"registries": {"%s": {"endpoint": "http://%s"}}}\n' "$REG_HOST" "$REG_HOST" >"$CONF_HTTP"
rd_rd --config "$CONF_HTTP" resolve "$REF"
rd_assert_rc "http:// endpoint on a TLS server: exit 3" 3
rd_assert_contains "http:// endpoint on a TLS server: says it speaks HTTPS" "$RD_ERR" \
  "$REG_HOST speaks HTTPS, not HTTP"

# --- a plain-http registry: https first, then http, once per run ---
TLS_HOST="$REG_HOST"
rd_start_registry anon
PLAIN_PORT="$REG_PORT"
refs=()
for i in 1 2 3 4 5; do
  rd_push --repo plain/app --tag "v$i" --seed "plain-$i" --kind oci >/dev/null
  refs+=("$REG_HOST/plain/app:v$i")
done
m1="$(rd_registry_sync)"
rd_rd -v resolve --concurrency 4 "${refs[@]}"
m2="$(rd_registry_sync)"
rd_assert_rc "plain loopback registry, 5 references: exit 0" 0
rd_assert_eq "plain loopback registry: 5 digests" 5 "$(grep -c 'sha256:' <<<"$RD_OUT")"
rd_assert_eq "plain loopback registry: one https probe in the run" 1 \
  "$(grep -c 'does not speak TLS' <<<"$RD_ERR" || true)"
rd_assert_eq "plain loopback registry: the registry saw 5 HEADs and nothing else" \
  "5 HEAD" "$(rd_registry_requests_between "$m1" "$m2" | grep -oE '"[A-Z]+ ' | sort | uniq -c |
    awk '{print $1, substr($2, 2)}')"

# --- TLS handshake answered in plain text, and --insecure-registry ---
# "0x7f.1" reaches 127.0.0.1 but is not a loopback name to regdigest (see
# tests/unit/common/base/test_url_libcurl.cc), so it is a registry like any
# other: https only, unless marked insecure.
ODD="0x7f.1:$PLAIN_PORT"
rd_rd resolve "$ODD/plain/app:v1"
rd_assert_rc "plain registry, not loopback, not insecure: exit 3" 3
rd_assert_contains "plain registry over https: the handshake was answered in plain HTTP" \
  "$RD_ERR" "https://$ODD answered the TLS handshake in plain HTTP: it speaks http, not https"
rd_rd --insecure-registry "$ODD" resolve "$ODD/plain/app:v1"
rd_assert_rc "--insecure-registry: exit 0" 0
rd_assert_eq "--insecure-registry: digest" "$(rd_manifest_digest plain/app v1)" "$RD_OUT"
rd_rd --insecure-registry "http://$ODD" resolve "$ODD/plain/app:v1"
rd_assert_rc "--insecure-registry with a URL: usage error" 2

CONF_HTTPS="$RD_TMP/regdigest-https.json"
printf '{"registries": {"%s": {"endpoint": "https://%s"}}}\n' "$REG_HOST" "$REG_HOST" >"$CONF_HTTPS"
rd_rd --config "$CONF_HTTPS" resolve "$REG_HOST/plain/app:v1"
rd_assert_rc "https:// endpoint on a plain registry: exit 3" 3
rd_assert_contains "https:// endpoint on a plain registry: the handshake was answered in plain HTTP" \
  "$RD_ERR" "https://$REG_HOST answered the TLS handshake in plain HTTP"
rd_assert_not_contains "the TLS registry is unaffected" "$RD_ERR" "$TLS_HOST"

rd_finish
