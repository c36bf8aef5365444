#!/usr/bin/env bash
# A throwaway WordPress for the bridge: private MariaDB + a copy of Debian's WordPress + php -S.
# Used by scripts/wp-dev.sh (the demo) and tests/e2e (the browser tests). Nothing goes to /etc.
#   WORKDIR=/abs/dir scripts/wp-stack.sh up|down|network|eval 'PHP code'
# Env: WP_PORT (8080), DB_PORT (3307), WP_DB_HOST (use an existing MariaDB instead of a private
# one), OUTREACH_URL / OUTREACH_KEY_ID / OUTREACH_SECRET (stored as plugin options),
# OUTREACH_POLL_SECONDS (board refresh), WP_ADMIN_USER / WP_ADMIN_PASS (admin / admin),
# WP_DB_NAME (wordpress) + WP_MULTISITE=1 (after `network`: that database as a multisite),
# PLUGIN_ZIP (install the plugin from this zip, as an admin would, instead of linking wp-bridge/).
set -euo pipefail
: "${WORKDIR:?set WORKDIR to an absolute directory}"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WP_PORT=${WP_PORT:-8080}; DB_PORT=${DB_PORT:-3307}
export WP_URL=${WP_URL:-http://127.0.0.1:$WP_PORT}
WP_SRC=${WP_SRC:-/usr/share/wordpress}

write_config() {  # wp-config.php reading everything from the environment of `php -S`
  cat > "$WORKDIR/wp/wp-config.php" <<'PHP'
<?php
$e = function ($k, $d) { $v = getenv($k); return ($v === false || $v === '') ? $d : $v; };
define('DB_NAME', $e('WP_DB_NAME', 'wordpress'));
define('DB_USER', $e('WP_DB_USER', 'root'));
define('DB_PASSWORD', $e('WP_DB_PASSWORD', ''));
define('DB_HOST', $e('WP_DB_HOST', '127.0.0.1:3307'));
define('DB_CHARSET', 'utf8mb4'); define('DB_COLLATE', '');
$table_prefix = 'wp_';
foreach (['AUTH_KEY','SECURE_AUTH_KEY','LOGGED_IN_KEY','NONCE_KEY','AUTH_SALT','SECURE_AUTH_SALT','LOGGED_IN_SALT','NONCE_SALT'] as $k) define($k, 'dev-only-' . $k);
$url = $e('WP_URL', 'http://127.0.0.1:8080');
if ($e('WP_MULTISITE', '') !== '') {             // a subdirectory network (see `network`)
    $h = parse_url($url);
    define('MULTISITE', true); define('SUBDOMAIN_INSTALL', false);
    define('DOMAIN_CURRENT_SITE', $h['host'] . (isset($h['port']) ? ':' . $h['port'] : ''));
    define('PATH_CURRENT_SITE', '/'); define('SITE_ID_CURRENT_SITE', 1); define('BLOG_ID_CURRENT_SITE', 1);
} else {
    define('WP_HOME', $url); define('WP_SITEURL', $url);
}
define('WP_HTTP_BLOCK_EXTERNAL', true);          // no calls to wordpress.org; localhost allowed
define('WP_ACCESSIBLE_HOSTS', 'localhost,127.0.0.1');
define('AUTOMATIC_UPDATER_DISABLED', true); define('WP_AUTO_UPDATE_CORE', false);
define('DISABLE_WP_CRON', true);
define('WP_DEBUG', true); define('WP_DEBUG_DISPLAY', false);  // notices must not break JSON
define('WP_DEBUG_LOG', __DIR__ . '/wp-content/debug.log');
define('WP_ENVIRONMENT_TYPE', 'local');
if ($e('OUTREACH_POLL_SECONDS', '') !== '') define('ALMASEO_OUTREACH_POLL_SECONDS', (int) getenv('OUTREACH_POLL_SECONDS'));
foreach (['URL' => 'OUTREACH_CONST_URL', 'KEY_ID' => 'OUTREACH_CONST_KEY_ID', 'SECRET' => 'OUTREACH_CONST_SECRET'] as $c => $v) {
    if ($e($v, '') !== '') define('ALMASEO_OUTREACH_' . $c, getenv($v));  // constants win over options
}
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
PHP
}

write_installer() {  # wp-cli is not packaged in Debian 12: install, activate and configure in PHP
  cat > "$WORKDIR/wp-install.php" <<'PHP'
<?php
$docroot = $argv[1]; $user = getenv('WP_ADMIN_USER') ?: 'admin'; $pass = getenv('WP_ADMIN_PASS') ?: 'admin';
$u = parse_url(getenv('WP_URL'));
$_SERVER['HTTP_HOST'] = $u['host'] . (isset($u['port']) ? ':' . $u['port'] : '');
$_SERVER['REQUEST_URI'] = '/'; $_SERVER['SERVER_NAME'] = $u['host']; $_SERVER['REQUEST_METHOD'] = 'GET';
define('WP_INSTALLING', true);
require "$docroot/wp-load.php";
function wp_new_blog_notification() {}   // pluggable; there is no sendmail here
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
if (!is_blog_installed()) {
    $r = wp_install('AlmaSEO Outreach demo', $user, 'admin@example.test', false, '', wp_slash($pass));
    if (is_wp_error($r)) { fwrite(STDERR, $r->get_error_message() . "\n"); exit(1); }
}
update_option('permalink_structure', '/%postname%/'); flush_rewrite_rules(false);
update_option('show_avatars', 0);
$res = activate_plugin('almaseo-outreach/almaseo-outreach.php');
if (is_wp_error($res)) { fwrite(STDERR, $res->get_error_message() . "\n"); exit(1); }
if (getenv('OUTREACH_URL')) {
    update_option('almaseo_outreach_connection', ['url' => getenv('OUTREACH_URL'),
        'key_id' => (string) getenv('OUTREACH_KEY_ID'), 'secret' => (string) getenv('OUTREACH_SECRET')], false);
}
PHP
  cat > "$WORKDIR/wp-eval.php" <<'PHP'
<?php
$u = parse_url(getenv('WP_URL'));
$_SERVER['HTTP_HOST'] = $u['host'] . (isset($u['port']) ? ':' . $u['port'] : '');
$_SERVER['REQUEST_URI'] = '/'; $_SERVER['SERVER_NAME'] = $u['host']; $_SERVER['REQUEST_METHOD'] = 'GET';
require $argv[1] . '/wp-load.php';
eval($argv[2]);
PHP
}

db_env() {
  if [ -z "${WP_DB_HOST:-}" ]; then WP_DB_HOST=127.0.0.1:$DB_PORT; fi
  export WP_DB_HOST; DB_H=${WP_DB_HOST%:*}; DB_P=${WP_DB_HOST##*:}
}

up() {
  mkdir -p "$WORKDIR"
  if [ -z "${WP_DB_HOST:-}" ]; then   # private MariaDB: root without password, 127.0.0.1 only
    [ -d "$WORKDIR/db/data/mysql" ] || { mkdir -p "$WORKDIR/db"; mariadb-install-db --no-defaults \
      --datadir="$WORKDIR/db/data" --user="$(id -un)" --auth-root-authentication-method=normal \
      --skip-test-db >/dev/null; }
    setsid /usr/sbin/mariadbd --no-defaults --datadir="$WORKDIR/db/data" \
      --socket="$WORKDIR/db/mysqld.sock" --port="$DB_PORT" --bind-address=127.0.0.1 \
      --user="$(id -un)" --skip-log-bin --log-error="$WORKDIR/db/err.log" </dev/null >/dev/null 2>&1 &
    echo $! > "$WORKDIR/mariadb.pid"
  fi
  db_env
  for _ in $(seq 150); do
    mariadb-admin --no-defaults -h"$DB_H" -P"$DB_P" -uroot ping >/dev/null 2>&1 && break; sleep 0.1
  done
  mariadb --no-defaults -h"$DB_H" -P"$DB_P" -uroot -e "DROP DATABASE IF EXISTS ${WP_DB_NAME:-wordpress};
    CREATE DATABASE ${WP_DB_NAME:-wordpress} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
  rm -rf "$WORKDIR/wp"; cp -rL "$WP_SRC" "$WORKDIR/wp"; rm -f "$WORKDIR/wp/.htaccess"
  write_config; write_installer
  if [ -n "${PLUGIN_ZIP:-}" ]; then   # the shipped zip (scripts/build-plugin), unpacked as WordPress does
    python3 -m zipfile -e "$PLUGIN_ZIP" "$WORKDIR/wp/wp-content/plugins/"
  else
    ln -sfn "$ROOT/wp-bridge" "$WORKDIR/wp/wp-content/plugins/almaseo-outreach"
  fi
  php "$WORKDIR/wp-install.php" "$WORKDIR/wp"
  # Why setsid + PID file: the PID is the process group, so `down` also ends the workers.
  PHP_CLI_SERVER_WORKERS=${PHP_WORKERS:-4} setsid php -S "127.0.0.1:$WP_PORT" -t "$WORKDIR/wp" \
    </dev/null >"$WORKDIR/php.log" 2>&1 &
  echo $! > "$WORKDIR/php.pid"
  for _ in $(seq 150); do curl -fs -o /dev/null "$WP_URL/wp-login.php" && break; sleep 0.1; done
  curl -fs -o /dev/null "$WP_URL/wp-login.php" || { echo "WordPress did not start; see $WORKDIR/php.log" >&2; exit 1; }
}

network() {  # one more WordPress in database $WP_DB_NAME, made a network; eval with WP_MULTISITE=1
  : "${WP_DB_NAME:?set WP_DB_NAME to a database for the network (not the main one)}"
  db_env
  mariadb --no-defaults -h"$DB_H" -P"$DB_P" -uroot -e "DROP DATABASE IF EXISTS $WP_DB_NAME;
    CREATE DATABASE $WP_DB_NAME CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
  php "$WORKDIR/wp-install.php" "$WORKDIR/wp"
  php "$WORKDIR/wp-eval.php" "$WORKDIR/wp" "require_once ABSPATH . 'wp-admin/includes/upgrade.php';
    foreach (\$wpdb->tables('ms_global') as \$t => \$prefixed) { \$wpdb->\$t = \$prefixed; }
    install_network();
    \$r = populate_network(1, \$_SERVER['HTTP_HOST'], get_option('admin_email'), 'Network', '/', false);
    if (is_wp_error(\$r)) { fwrite(STDERR, \$r->get_error_message()); exit(1); }"
}

down() {
  if [ -f "$WORKDIR/php.pid" ]; then kill -TERM -- -"$(cat "$WORKDIR/php.pid")" 2>/dev/null || true; rm -f "$WORKDIR/php.pid"; fi
  if [ -f "$WORKDIR/mariadb.pid" ]; then
    M=$(cat "$WORKDIR/mariadb.pid"); kill "$M" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$M" 2>/dev/null || break; sleep 0.1; done
    rm -f "$WORKDIR/mariadb.pid"
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  network) network ;;
  eval) db_env; php "$WORKDIR/wp-eval.php" "$WORKDIR/wp" "$2" ;;
  *) echo "usage: WORKDIR=/abs/dir $0 up|down|network|eval 'PHP code'" >&2; exit 2 ;;
esac
