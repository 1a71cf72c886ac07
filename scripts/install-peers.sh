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
  iproute2 # ip: loopback up in the network namespace each world/serves example of test/docs runs in
  bsdutils # script(1): a pseudo-terminal for test/cli (the progress line, Ctrl-C typed at a terminal)
  python3-aiosmtpd # an SMTP server with STARTTLS, AUTH and PIPELINING for test/interop/smtplib-python (run with /usr/bin/python3)
  mailcap # /etc/mailcap and run-mailcap: test/interop/mailcap-python and mailcap-run-mailcap (netkit/mailcap)
  dovecot-imapd # a real IMAP server, one private instance per test file (test/_support/dovecot.ts): test/interop/imaplib-*, dovecot-fixture
  dovecot-pop3d # its POP3 side, in the same instances: test/interop/poplib-*, dovecot-fixture
  dovecot-lmtpd # its LMTP side, in the same instances: test/interop/smtplib-dovecot-lmtp
  postfix # a real MTA, run as a private loopback instance delivering to a temporary mailbox: test/interop/smtplib-postfix
  pure-ftpd # a real FTP server (plain and explicit FTPS), run self-contained on loopback: test/interop/ftplib-pureftpd, bench/ftp-retr
  python3-pyftpdlib # a scriptable FTP server for faults, IPv6 and FTPS (run with /usr/bin/python3): test/interop/ftplib-pyftpdlib, test/urllib/ftp, test/examples/ftplib-client
  python3-openssl # pyftpdlib's FTPS (TLS_FTPHandler needs pyOpenSSL)
  inn2 # a real news server, run as a private innd (own INNCONF) on loopback: test/interop/nntplib-inn, bench/nntp-article (installed first, below)
  inetutils-telnetd # a real Telnet server, run per connection by the test's accept loop: test/interop/telnetlib-telnetd
  gophernicus # a Gopher server, run per connection by an accept loop: test/interop/gopher-gophernicus
  lynx # a Gopher client (lynx -dump): test/interop/gopher-clients
  mutt # a mail reader (run in script(1)'s pseudo-terminal) reading netkit's mbox and Maildir: test/interop/mailbox-tools
  s-nail # a mail reader with a header summary mode (-H) reading netkit's mbox and Maildir: test/interop/mailbox-tools
  nmh # MH's tools (scan, mark, inc, refile) reading netkit's MH folders and writing ones netkit reads: test/interop/mailbox-tools
)
# test/interop/telnetlib-telnetd logs in over Telnet (Debian's /bin/login) to this throwaway user:
# a fixed password, and ~/.hushlogin so no motd or last-login line varies between sessions.
if [ "$(id -u)" -eq 0 ]; then
  id netkit-telnet >/dev/null 2>&1 || useradd --create-home --shell /bin/sh netkit-telnet
  echo 'netkit-telnet:netkit-telnet-pw' | chpasswd
  touch "$(getent passwd netkit-telnet | cut -d: -f6)/.hushlogin"
fi
# inn2 goes first, alone: its postinst fails ("hostname does not resolve or
# domain not set") on a host name without a domain, and a half-configured
# inn2 makes every later apt-get exit 100. Install it, give inn.conf a
# domain, then finish configuring it.
inn2_status=$(dpkg-query -W -f='${Status}' inn2 2>/dev/null || true)
if [[ "$inn2_status" != *"install ok installed"* ]]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian package inn2; run this script as root" >&2
    exit 1
  fi
  if [[ "$inn2_status" != *"install ok"* ]]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends inn2 || true
  fi
  if [ -f /etc/news/inn.conf ] && ! grep -qE '^domain:[[:space:]]*[^[:space:]]' /etc/news/inn.conf; then
    sed -i '/^#*[[:space:]]*domain:/d' /etc/news/inn.conf
    echo 'domain:                      example.test' >>/etc/news/inn.conf
  fi
  DEBIAN_FRONTEND=noninteractive dpkg --configure inn2
fi
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
