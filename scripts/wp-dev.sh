#!/usr/bin/env bash
# WordPress with the AlmaSEO Outreach plugin, active and connected to an outreach service:
# the product as a newcomer sees it. Debian 12 packages (scripts/ci-bridge-deps.sh).
#   scripts/wp-dev.sh up     # http://127.0.0.1:8080/wp-admin  (admin / admin)
#   scripts/wp-dev.sh down
# Env: WP_PORT (8080), DB_PORT (3307), OUTREACH_URL (http://127.0.0.1:5000; started here if
# nothing answers there), WORKDIR (~/.cache/almaseo-outreach/wp-dev), WP_DEV_DEMO=1 adds
# sample cards, WP_DEV_CONSTANTS=1 puts the key into wp-config.php constants instead of options.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export WORKDIR=${WORKDIR:-${XDG_CACHE_HOME:-$HOME/.cache}/almaseo-outreach/wp-dev}
export WP_PORT=${WP_PORT:-8080} DB_PORT=${DB_PORT:-3307}
OUTREACH_URL=${OUTREACH_URL:-http://127.0.0.1:5000}
export OUTREACH_INSTANCE_PATH=${OUTREACH_INSTANCE_PATH:-$ROOT/instance}  # same as scripts/run
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
OUTREACH=$ROOT/.venv/bin/outreach
mkdir -p "$WORKDIR"

service_up() { curl -fs -o /dev/null "$OUTREACH_URL/healthz"; }

start_service() {
  [ -x "$OUTREACH" ] || { python3 -m venv "$ROOT/.venv"; "$ROOT/.venv/bin/pip" install -q -e "$ROOT"; }
  "$OUTREACH" db upgrade >"$WORKDIR/db-upgrade.log" 2>&1
  if ! service_up; then
    local hostport=${OUTREACH_URL#http://}
    echo "Starting the outreach service on $OUTREACH_URL (log: $WORKDIR/service.log)"
    OUTREACH_ALLOW_UNSIGNED_WEBHOOKS=${OUTREACH_ALLOW_UNSIGNED_WEBHOOKS:-1} setsid "$OUTREACH" serve \
      --host "${hostport%:*}" --port "${hostport##*:}" </dev/null >"$WORKDIR/service.log" 2>&1 &
    echo $! > "$WORKDIR/service.pid"
    for _ in $(seq 100); do service_up && break; sleep 0.1; done
    service_up || { echo "the service did not start; see $WORKDIR/service.log" >&2; exit 1; }
  fi
}

register_site() {  # once per WORKDIR; the secret is kept in a 0600 file, never printed
  if [ ! -s "$WORKDIR/site.json" ]; then
    (umask 077; "$OUTREACH" site create --name "WordPress dev ($WP_PORT)" \
      --url "http://127.0.0.1:$WP_PORT" --json > "$WORKDIR/site.json")
  fi
  read -r KEY_ID SECRET < <("$ROOT/.venv/bin/python" -c \
    'import json,sys; d=json.load(open(sys.argv[1])); print(d["key_id"], d["secret"])' "$WORKDIR/site.json")
  if [ "${WP_DEV_CONSTANTS:-0}" = 1 ]; then
    export OUTREACH_CONST_URL=$OUTREACH_URL OUTREACH_CONST_KEY_ID=$KEY_ID OUTREACH_CONST_SECRET=$SECRET
  else
    export OUTREACH_URL OUTREACH_KEY_ID=$KEY_ID OUTREACH_SECRET=$SECRET
  fi
}

seed_demo() {
  "$ROOT/.venv/bin/python" - "$OUTREACH_URL" "$WORKDIR/site.json" <<'PY'
import json, secrets, sys, time, urllib.request
from service.signing import sign_headers
url, site = sys.argv[1], json.load(open(sys.argv[2]))
def call(method, path, body=None):
    raw = b"" if body is None else json.dumps(body).encode()
    h = sign_headers(site["secret"], site["key_id"], method, path, "", raw, timestamp=int(time.time()),
                     nonce=secrets.token_urlsafe(18), user=0, caps="outreach.view,outreach.edit")
    h["Content-Type"] = "application/json"
    req = urllib.request.Request(url + path, data=raw or None, method=method, headers=h)
    try:
        return urllib.request.urlopen(req).status
    except urllib.error.HTTPError as e:
        return e.code
for status, src, anchor in [("new", "https://blog.example.org/best-seo-tools", "best SEO tools"),
                            ("new", "https://news.example.com/link-building-2026", None),
                            ("queued", "https://www.example.net/resources", "keyword research"),
                            ("reached", "https://guides.example.io/audit", "site audit"),
                            ("won", "https://partner.example.dev/links", "AlmaSEO")]:
    call("POST", "/api/v1/opportunities", {"source_url": src, "anchor_text": anchor, "status": status,
                                          "target_url": "https://almaseo.example/"})
print("demo cards added")
PY
}

case "${1:-}" in
  up)
    case "$OUTREACH_URL" in http://127.0.0.1:*|http://localhost:*) start_service ;; *) ;; esac
    service_up || { echo "no outreach service answers at $OUTREACH_URL" >&2; exit 1; }
    register_site
    "$ROOT/scripts/wp-stack.sh" up
    [ "${WP_DEV_DEMO:-0}" = 1 ] && seed_demo
    echo "WordPress: http://127.0.0.1:$WP_PORT/wp-admin/admin.php?page=almaseo-outreach (admin / admin)"
    echo "Service:   $OUTREACH_URL   Workdir: $WORKDIR   Stop: scripts/wp-dev.sh down"
    ;;
  down)
    "$ROOT/scripts/wp-stack.sh" down
    if [ -f "$WORKDIR/service.pid" ]; then
      kill "$(cat "$WORKDIR/service.pid")" 2>/dev/null || true; rm -f "$WORKDIR/service.pid"
    fi
    ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
