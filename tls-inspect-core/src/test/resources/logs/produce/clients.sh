# usage: clients.sh PORT MTLSPORT ; drives the faults from loopback
P=$1; M=$2
sc() { timeout 5 openssl s_client -connect 127.0.0.1:$P "$@" </dev/null >/dev/null 2>&1; }
echo "== tls1.0 client"; sc -tls1 -cipher 'DEFAULT:@SECLEVEL=0'
echo "== tls1.1 client"; sc -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'
echo "== no shared cipher (AES128-SHA only, TLS1.2)"; sc -tls1_2 -cipher 'AES128-SHA'
echo "== no shared cipher x2 (CAMELLIA)"; sc -tls1_2 -cipher 'CAMELLIA'
echo "== client rejects server cert (unknown ca), TLS1.2"; sc -tls1_2 -verify_return_error
echo "== client rejects server cert (unknown ca), TLS1.3"; sc -tls1_3 -verify_return_error
echo "== plain http"; timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$P; printf 'GET / HTTP/1.0\r\n\r\n' >&3; cat <&3 >/dev/null"
echo "== garbage"; timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$P; printf '\x16\x09\x09\x00\x05hello' >&3; cat <&3 >/dev/null"
echo "== ok + 404"; curl -sk https://127.0.0.1:$P/ >/dev/null; curl -sk https://127.0.0.1:$P/missing >/dev/null
[ -z "$M" ] && exit 0
echo "== mtls no cert"; curl -sk https://127.0.0.1:$M/ >/dev/null
echo "== mtls untrusted cert"; curl -sk --cert /tmp/logfx/untrusted.pem --key /tmp/logfx/untrusted.key https://127.0.0.1:$M/ >/dev/null
echo "== mtls expired cert"; curl -sk --cert /tmp/logfx/expired.pem --key /tmp/logfx/expired.key https://127.0.0.1:$M/ >/dev/null
echo "== mtls good cert"; curl -sk --cert /tmp/logfx/client.pem --key /tmp/logfx/client.key https://127.0.0.1:$M/ >/dev/null
