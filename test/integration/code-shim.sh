#!/bin/sh
# Stands in for the VS Code executable that @vscode/test-electron's runTests() spawns when VS Code
# cannot be downloaded: runs out/test/integration/shim.js (code-server + headless Chromium).
exec "${FAL_NODE:-node}" --enable-source-maps "$(dirname "$0")/../../out/test/integration/shim.js" "$@"
