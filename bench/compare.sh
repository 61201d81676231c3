#!/usr/bin/env bash
# bench/compare.sh PORT [RUNS]: on the same loopback server (e.g. bench/nginx-old.sh start), times
# sslscan's whole run, nmap's ssl-enum-ciphers, a cold `java -jar tls-inspect.jar --provider bc`
# run, the same through the ./tls-inspect launcher (C1 only, serial GC, class data sharing
# archive) and the warm in-process full scan (bench/run), interleaved, and prints each median in ms.
set -euo pipefail
port="${1:?usage: bench/compare.sh PORT [RUNS]}"
runs="${2:-10}"
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${TLS_INSPECT_JAR:-$root/tls-inspect-cli/target/tls-inspect.jar}"  # TLS_INSPECT_JAR: compare another build
[ -f "$jar" ] || "$root/bench/run" >/dev/null 2>&1 || true  # builds the jar
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

declare -A times
now() { date +%s%N; }
timed() { # name, command...
  local name="$1"; shift
  local t0 t1
  t0=$(now); "$@" >/dev/null 2>&1 || true; t1=$(now)
  times[$name]+="$(( (t1 - t0) / 1000000 )) "
}
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

for ((i = 0; i < runs; i++)); do
  timed sslscan sslscan --no-colour "127.0.0.1:$port"
  timed nmap nmap -Pn -n -p "$port" --script ssl-enum-ciphers 127.0.0.1
  timed cold_cli "$java" -jar "$jar" --provider bc "127.0.0.1:$port"
  [ -n "${TLS_INSPECT_JAR:-}" ] || timed cold_launcher "$root/tls-inspect" --provider bc "127.0.0.1:$port"
done
warm="$("$java" -cp "$jar" dev.tlsinspect.cli.Bench full-scan --runs "$runs" "127.0.0.1:$port" | head -1)"
s=$(echo "${times[sslscan]}" | median)
c=$(echo "${times[cold_cli]}" | median)
w=$(echo "$warm" | sed 's/^median_ms=\([0-9.]*\).*/\1/')
echo "runs=$runs port=$port jar=$jar $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sslscan_ms=$s  (all: ${times[sslscan]})"
echo "nmap_ssl_enum_ciphers_ms=$(echo "${times[nmap]}" | median)  (all: ${times[nmap]})"
echo "cold_cli_bc_ms=$c  (all: ${times[cold_cli]})"
if [ -n "${times[cold_launcher]:-}" ]; then
  l=$(echo "${times[cold_launcher]}" | median)
  echo "cold_launcher_bc_ms=$l  (all: ${times[cold_launcher]}; the first run after a build writes the archive)"
  awk -v l="$l" -v s="$s" 'BEGIN {printf "ratio_cold_launcher_to_sslscan=%.2f\n", l/s}'
fi
echo "warm_full_scan: $warm"
awk -v w="$w" -v s="$s" -v c="$c" 'BEGIN {printf "ratio_warm_to_sslscan=%.2f (goal <= 1.0)  ratio_cold_to_sslscan=%.2f (goal <= 2.0)\n", w/s, c/s}'
