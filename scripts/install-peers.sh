#!/usr/bin/env bash
# Installs the Debian packages netkit's interop tests talk to. Idempotent;
# needs root (CI runs as root). Each package is named with the tests that need it.
set -euo pipefail
packages=(
  netbase # /etc/services and /etc/protocols: getservbyname, getprotobyname
  media-types # /etc/mime.types: netkit/mimetypes and its python3 differential test
  curl # a real client: test/interop/http-server-clients, cookiejar-curl; bench/urlretrieve
  openssl # test certificates (a CA, server and client certificates) for the TLS tests
  chromium # a real browser (driven by playwright-core): test/interop/http-server-browser
  wrk # the HTTP load generator of npm run bench (not used by the tests)
  stress-ng # CPU hogs for .ci/run's loaded test run: the suite must pass on a busy machine
  swaks # an SMTP client with STARTTLS and AUTH: test/interop/smtpd-swaks
  libnet-ssleay-perl # swaks's STARTTLS (--tls): test/interop/smtpd-swaks
  bsdutils # script(1): a pseudo-terminal for test/cli (the progress line, Ctrl-C typed at a terminal)
  python3-aiosmtpd # an SMTP server with STARTTLS, AUTH and PIPELINING for test/interop/smtplib-python (run with /usr/bin/python3)
  dovecot-imapd # a real IMAP server, one private instance per test file (test/_support/dovecot.ts): test/interop/imaplib-*, dovecot-fixture
  dovecot-pop3d # its POP3 side, in the same instances: test/interop/poplib-*, dovecot-fixture
  postfix # a real MTA, run as a private loopback instance delivering to a temporary mailbox: test/interop/smtplib-postfix
)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "interop peers already installed: ${packages[*]}"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages (${missing[*]}); run this script as root" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
