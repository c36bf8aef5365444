#!/usr/bin/env bash
# Rebuild wp-bridge/languages/almaseo-outreach.pot from the PHP and JS sources (GNU gettext;
# wp-cli's `wp i18n make-pot` does the same where wp-cli is available).
set -euo pipefail
cd "$(dirname "$0")/../wp-bridge"
{ find src -name '*.php'; echo almaseo-outreach.php; find assets/js -name "*.js"; } | sort > /tmp/almaseo-pot-files.$$
xgettext --from-code=UTF-8 --add-comments=translators: --sort-by-file \
  --keyword=__:1,2t --keyword=_e:1,2t --keyword=esc_html__:1,2t --keyword=esc_html_e:1,2t \
  --keyword=esc_attr__:1,2t --keyword=_x:1,2c,3t --keyword=_n:1,2,4t \
  --package-name="AlmaSEO Outreach" --package-version=0.1.0 \
  --msgid-bugs-address="https://almaseo.example/support" \
  -o languages/almaseo-outreach.pot -f /tmp/almaseo-pot-files.$$
rm -f /tmp/almaseo-pot-files.$$
sed -i 's/charset=CHARSET/charset=UTF-8/' languages/almaseo-outreach.pot
echo "wrote wp-bridge/languages/almaseo-outreach.pot ($(grep -c '^msgid ' languages/almaseo-outreach.pot) strings)"
