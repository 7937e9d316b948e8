#!/usr/bin/env bash
# Re-vendors the browser's zstd decoders into ExportStudio.Web/wwwroot/lib/zstd-stream/ and rewrites its
# PROVENANCE.txt. Run by a developer when bumping a version (edit package.json, then `npm install
# --package-lock-only`), never by the build: the build and CI use the committed files and need no node.
# zstd-stream.js, the wrapper, is ExportStudio's own code and is left as it is.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../ExportStudio.Web/wwwroot/lib/zstd-stream"
(cd "$here" && npm ci --ignore-scripts --no-audit --no-fund)   # checked against package-lock.json's integrity
modules="$here/node_modules"
mkdir -p "$out/zstd-wasm" "$out/licenses"
# zstddec ships its streaming WebAssembly only as base64 inside an .mjs (which fetches it as a data: URL, which
# a strict connect-src blocks): extract it into a real .wasm file.
node -e '
const fs = require("fs"); const source = fs.readFileSync(process.argv[1], "utf8");
const match = source.match(/const wasm = "([A-Za-z0-9+\/=]+)"/); if (!match) throw new Error("no wasm in " + process.argv[1]);
const bytes = Buffer.from(match[1], "base64"); new WebAssembly.Module(bytes); fs.writeFileSync(process.argv[2], bytes);' \
  "$modules/zstddec/dist/zstddec-stream.mjs" "$out/zstddec-stream.wasm"
cp "$modules/@bokuweb/zstd-wasm/dist/web/zstd.js" "$modules/@bokuweb/zstd-wasm/dist/web/zstd.wasm" "$out/zstd-wasm/"
cp "$modules/zstddec/LICENSE" "$out/licenses/zstddec-LICENSE.txt"
cp "$here/bokuweb-zstd-wasm-LICENSE.txt" "$out/licenses/"   # the package ships no LICENSE file
version() { node -p "require('$modules/$1/package.json').version"; }
{
  echo "Vendored by tools/zstd-stream/update.sh from the npm registry (integrity pinned in tools/zstd-stream/package-lock.json)."
  echo
  echo "zstddec@$(version zstddec) (MIT AND BSD-3-Clause; https://github.com/donmccurdy/zstddec-wasm), libzstd 1.5.7 inside"
  echo "  zstddec-stream.wasm  extracted from dist/zstddec-stream.mjs (base64 -> binary), otherwise unchanged"
  echo "@bokuweb/zstd-wasm@$(version @bokuweb/zstd-wasm) (MIT, declared in package.json; https://github.com/bokuweb/zstd-wasm)"
  echo "  zstd-wasm/zstd.js    dist/web/zstd.js, unchanged"
  echo "  zstd-wasm/zstd.wasm  dist/web/zstd.wasm, unchanged"
  echo "ExportStudio"
  echo "  zstd-stream.js       the streaming wrapper, ExportStudio's own code (not vendored)"
  echo
  echo "Licences: licenses/zstddec-LICENSE.txt (zstddec's MIT and libzstd's BSD-3-Clause), licenses/bokuweb-zstd-wasm-LICENSE.txt."
  echo
  echo "SHA-256 of the vendored files (checked by ExportStudio.Tests):"
  (cd "$out" && sha256sum zstddec-stream.wasm zstd-wasm/zstd.js zstd-wasm/zstd.wasm licenses/zstddec-LICENSE.txt licenses/bokuweb-zstd-wasm-LICENSE.txt)
} > "$out/PROVENANCE.txt"
cat "$out/PROVENANCE.txt"
