#!/usr/bin/env bash
# bench/compare-vulns.sh [compare|cost] [RUNS]
#
#   compare: starts loopback `openssl s_server` variants (default; legacy renegotiation; no
#            session tickets; static RSA key exchange only), runs testssl.sh (-U -R -O, JSON) and
#            `tls-inspect --json --vulns` on each, and prints, per check, both answers side by side.
#   cost:    on the default s_server, the warm in-process full inspection (bench/run's Bench) of
#            this build, of this build with --vulns, and of the previous release (commit b05b950,
#            or OLD_JAR=...), against sslscan's whole run; medians of RUNS (default 10) after
#            WARMUP (default 2) runs.
#
# Only 127.0.0.1 is contacted. Needs openssl, testssl (/usr/bin/testssl), sslscan and jq. Builds
# tls-inspect-cli/target/tls-inspect.jar when it is missing; `cost` builds b05b950 in a temp dir
# (offline Maven, `package` only) unless OLD_JAR points at a jar.
set -euo pipefail
mode="${1:-compare}"
runs="${2:-10}"
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${TLS_INSPECT_JAR:-$root/tls-inspect-cli/target/tls-inspect.jar}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
testssl="${TESTSSL:-/usr/bin/testssl}"
old_commit="${OLD_COMMIT:-b05b950}"

for tool in openssl jq; do
  command -v "$tool" >/dev/null || { echo "compare-vulns: needs $tool" >&2; exit 3; }
done
if [ ! -f "$jar" ]; then
  (cd "$root" && ./mvnw -o -q -B -DskipTests -Dquick package) >&2
fi

work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 30 \
  -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" >/dev/null 2>&1

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start NAME ARGS...: an openssl s_server on 127.0.0.1 with this certificate; sets $port
start() {
  local name="$1"; shift
  port="$(free_port)"
  openssl s_server -accept "127.0.0.1:$port" -cert "$work/cert.pem" -key "$work/key.pem" -www -quiet \
    "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "compare-vulns: s_server $name did not start" >&2
  exit 3
}

# testssl.sh id -> the tls-inspect code that answers the same question
checks=(
  "heartbleed HEARTBLEED"
  "CCS CCS_INJECTION"
  "ROBOT ROBOT"
  "ticketbleed -"
  "secure_renego INSECURE_RENEGOTIATION"
  "secure_client_renego CLIENT_RENEGOTIATION"
  "CRIME_TLS TLS_COMPRESSION"
  "BREACH -"
  "POODLE_SSL POODLE"
  "fallback_SCSV NO_FALLBACK_SCSV"
  "SWEET32 CIPHER_3DES"
  "FREAK CIPHER_EXPORT"
  "DROWN PROTOCOL_SSL2"
  "LOGJAM WEAK_DH"
  "BEAST BEAST"
  "LUCKY13 CIPHER_CBC"
  "winshock -"
  "RC4 CIPHER_RC4"
)

catalogue="$root/tls-inspect-core/src/main/resources/dev/tlsinspect/diagnoses.tsv"
status_of() { awk -F'\t' -v c="$1" '$1 == c {print $7}' "$catalogue"; }

# tls-inspect's answer for CODE in report JSON FILE
answer() {
  local code="$1" file="$2"
  if [ "$code" = "-" ]; then echo "(no such check)"; return; fi
  local found
  found="$(jq -r --arg c "$code" '[.findings[] | select(.code == $c) | .severity] | first // empty' "$file")"
  if [ -n "$found" ]; then echo "FOUND $code ($found)"; return; fi
  local ran
  ran="$(jq -r --arg c "$code" '[.findings[] | select(.code == "ACTIVE_PROBES_RUN") | .evidence[$c]] | first // empty' "$file")"
  if [ -n "$ran" ]; then echo "${ran%%:*}"; return; fi
  case "$(status_of "$code")" in
    planned) echo "not on this branch ($code planned)" ;;
    "") echo "not on this branch (no $code)" ;;
    *) echo "no finding ($code)" ;;
  esac
}

compare() {
  local variants=(
    "default"
    "legacy-renegotiation -legacy_renegotiation"
    "no-tickets -no_ticket"
    "rsa-kx-only -cipher AES128-SHA:AES256-SHA -no_tls1_3"
  )
  for v in "${variants[@]}"; do
    read -r name args <<<"$v"
    # shellcheck disable=SC2086
    start "$name" $args
    local tj="$work/$name.testssl.json" ij="$work/$name.inspect.json"
    local t0 t1 t2
    t0=$(date +%s%N)
    "$testssl" --quiet --color 0 --warnings off --ip 127.0.0.1 -U -R -O --jsonfile "$tj" \
      "127.0.0.1:$port" >"$work/$name.testssl.txt" 2>&1 || true
    t1=$(date +%s%N)
    "$java" -jar "$jar" --json --vulns --timeout 60s "127.0.0.1:$port" >"$ij" 2>"$work/$name.inspect.err" || true
    t2=$(date +%s%N)
    echo "== s_server $name ($args) on 127.0.0.1:$port: testssl $(( (t1 - t0) / 1000000 )) ms, tls-inspect $(( (t2 - t1) / 1000000 )) ms"
    printf '%-22s | %-46s | %s\n' "check (testssl id)" "testssl.sh" "tls-inspect"
    for c in "${checks[@]}"; do
      read -r id code <<<"$c"
      local t
      t="$(jq -r --arg id "$id" '[.[] | select(.id == $id) | "\(.severity): \(.finding)"] | first // "(not run)"' "$tj" 2>/dev/null \
        || echo "(no JSON)")"
      printf '%-22s | %-46.46s | %s\n' "$id" "$t" "$(answer "$code" "$ij")"
    done
    kill "${pids[-1]}" 2>/dev/null || true
    echo
  done
}

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

cost() {
  command -v sslscan >/dev/null || { echo "compare-vulns: cost needs sslscan" >&2; exit 3; }
  local old="${OLD_JAR:-}"
  if [ -z "$old" ]; then
    mkdir -p "$work/old"
    git -C "$root" archive "$old_commit" | tar -x -C "$work/old"
    (cd "$work/old" && ./mvnw -o -q -B -DskipTests -Dquick -pl tls-inspect-cli -am package) >&2
    old="$work/old/tls-inspect-cli/target/tls-inspect.jar"
  fi
  start default
  local s="" t0 t1
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N); sslscan --no-colour "127.0.0.1:$port" >/dev/null 2>&1 || true; t1=$(date +%s%N)
    s+="$(( (t1 - t0) / 1000000 )) "
  done
  local now paused before vulns w="--warmup ${WARMUP:-2}"
  # whole output first, then its first line: `| head -1` can cut Bench off mid-write (SIGPIPE)
  # shellcheck disable=SC2086
  now="$("$java" -cp "$jar" dev.tlsinspect.cli.Bench full-scan --runs "$runs" $w "127.0.0.1:$port")"
  # s_server -www sleeps a second after refusing the client-initiated renegotiation, which this
  # build asks for last: with a pause between runs the next run meets an idle server, as one
  # inspection does (the previous release asks for no renegotiation and has no --pause).
  # shellcheck disable=SC2086
  paused="$("$java" -cp "$jar" dev.tlsinspect.cli.Bench full-scan --runs "$runs" $w --pause 1200 "127.0.0.1:$port")"
  # shellcheck disable=SC2086
  before="$("$java" -cp "$old" dev.tlsinspect.cli.Bench full-scan --runs "$runs" $w "127.0.0.1:$port")"
  # shellcheck disable=SC2086
  vulns="$("$java" -cp "$jar" dev.tlsinspect.cli.Bench full-scan --runs "$runs" $w --vulns --timeout 60s \
    "127.0.0.1:$port")"
  now="${now%%$'\n'*}"; paused="${paused%%$'\n'*}"; before="${before%%$'\n'*}"; vulns="${vulns%%$'\n'*}"
  echo "runs=$runs s_server=127.0.0.1:$port $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "sslscan_ms=$(echo "$s" | median)  (all: $s)"
  echo "full_scan_this_build: $now"
  echo "full_scan_this_build_paused: $paused"
  echo "full_scan_$old_commit: $before"
  echo "full_scan_this_build_with_vulns: $vulns"
}

case "$mode" in
  compare) compare ;;
  cost) cost ;;
  *) echo "usage: bench/compare-vulns.sh [compare|cost] [RUNS]" >&2; exit 3 ;;
esac
