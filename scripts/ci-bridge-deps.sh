#!/usr/bin/env bash
# Install what the WordPress bridge checks and browser tests need (idempotent, Debian 12).
# apt: PHP 8.2 + extensions, MariaDB, WordPress 6.1, Chromium, PHPUnit (Node only if absent);
# pip: playwright into .venv (never `playwright install`: Debian's Chromium is used);
# npm: ESLint + @wordpress/eslint-plugin and axe-core (e2e contrast checks) from wp-bridge/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

PKGS="php-cli php-mysql php-curl php-xml php-mbstring php-intl php-zip php-gd
      mariadb-server mariadb-client wordpress chromium fonts-liberation phpunit curl"
command -v node >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  # Why --no-install-recommends: keeps it to what runs here; apache2 comes only as a
  # dependency of `wordpress` and is never started (the tests use `php -S`).
  $SUDO apt-get install -y -q --no-install-recommends $missing
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -c "import playwright" 2>/dev/null \
  || .venv/bin/pip install -q --disable-pip-version-check "playwright>=1.45"

if [ ! -x wp-bridge/node_modules/.bin/eslint ] \
   || [ wp-bridge/package-lock.json -nt wp-bridge/node_modules/.package-lock.json ]; then
  (cd wp-bridge && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "bridge test dependencies ready"
