#!/usr/bin/env bash
# Regenerates docs/docs-page.png, the README's screenshot of the live docs
# page (`schemarpc serve`, /docs), with headless Chromium through the
# browser tests: countdown called over WebSocket, its ticks listed.
set -euo pipefail
cd "$(dirname "$0")/../browsertest"
go test -count=1 -run '^TestScreenshot$' . -args -screenshot "$PWD/../docs/docs-page.png"
