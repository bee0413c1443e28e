#!/usr/bin/env bash
# Make sure Chromium and ChromeDriver are installed (the report's browser test drives them).
# Idempotent; installs Debian's packages with apt-get when missing.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    echo "ensure_chromium: $(chromium --version 2>/dev/null | head -1) present"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: install chromium and chromedriver with your package manager;" \
         "only apt-get is automated here" >&2
    exit 1
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    chromium chromium-driver >/dev/null
echo "ensure_chromium: installed $(chromium --version 2>/dev/null | head -1)"
