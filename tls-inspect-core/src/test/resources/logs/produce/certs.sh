set -e
cd /tmp/logfx
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj "/CN=Log Fixture CA" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 30 -subj "/CN=Other CA" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > san.ext
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 30 -extfile san.ext 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "/CN=good client" 2>/dev/null
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 30 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout untrusted.key -out untrusted.csr -subj "/CN=untrusted client" 2>/dev/null
openssl x509 -req -in untrusted.csr -CA other-ca.pem -CAkey other-ca.key -CAcreateserial -out untrusted.pem -days 30 2>/dev/null
# expired: not_before/not_after in the past via openssl x509 -not_before? use ca command
openssl req -newkey rsa:2048 -nodes -keyout expired.key -out expired.csr -subj "/CN=expired client" 2>/dev/null
openssl x509 -req -in expired.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out expired.pem -days -1 2>/dev/null || true
openssl x509 -in expired.pem -noout -dates
openssl pkcs12 -export -in server.pem -inkey server.key -out server.p12 -passout pass:changeit -name server
cat server.pem server.key > haproxy.pem
