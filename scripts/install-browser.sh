#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (test/browser/), once: playwright-core drives it at
# /usr/bin/chromium (and an emoji font, so Slack's emoji show in the README screenshots). Playwright's own
# browser downloads are not used. Without root (or without apt) it
# says so and exits 0: the browser tests are then skipped with a message naming this script.
set -euo pipefail
BROWSER=/usr/bin/chromium
EMOJI_FONT=/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
if [ -x "$BROWSER" ] && [ -f "$EMOJI_FONT" ]; then
  exit 0
fi
if [ -x "$BROWSER" ] && [ "$(id -u)" != "0" ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: $BROWSER is missing and this user cannot apt-get install it; the browser tests will be skipped (run 'sudo apt-get install -y chromium')" >&2
  exit 0
fi
echo "install-browser: installing Debian's chromium (once)" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-noto-color-emoji >/dev/null; }; then
  echo "install-browser: apt-get could not install chromium; the browser tests will be skipped" >&2
fi
exit 0
