#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Integration: an https registry whose certificate is signed by a test CA:
# refused without the CA (certificate error), accepted with --ca-file or a
# per-registry caFile in the regdigest config file.
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

# --- no config: 127.0.0.1 is plain http, which an https server refuses ---
rd_rd resolve "$REF"
rd_assert_rc "plain http to the https registry (no config): exit 3" 3
# (Go's TLS server answers a plain-http request with 400 "Client sent an HTTP
# request to an HTTPS server".)
rd_assert_contains "plain http to the https registry: the server's 400" "$RD_ERR" \
  "$REG_HOST/secure/tls-app:v1: HTTP 400 Bad Request"
rd_assert_eq "plain http to the https registry: nothing on stdout" "" "$RD_OUT"

rd_finish
