#!/usr/bin/env bash
# Install the real IMAP server the mailbox tests start themselves (idempotent, Debian 12):
# Dovecot from apt. The packaged service is never started: the tests run their own
# instances from temporary folders on free ports. On a machine without a policy-rc.d, one
# that forbids starting services is in place only while apt installs.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

if dpkg-query -W -f='${Status}' dovecot-imapd 2>/dev/null | grep -q "install ok installed"; then
  echo "mail test dependencies ready"
  exit 0
fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
POLICY=/usr/sbin/policy-rc.d
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  trap '$SUDO rm -f "$POLICY"' EXIT
fi
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends dovecot-imapd
echo "mail test dependencies ready"
