#!/usr/bin/env bash
# Copies the built front-end files we serve from node_modules into static/vendor.
# Only what the pages load is copied (plus the .map files the CSS/JS reference, which
# collectstatic's manifest storage insists on finding).
set -euo pipefail
cd "$(dirname "$0")/.."
src=node_modules
dst=static/vendor
rm -rf "$dst"
mkdir -p "$dst/bootstrap" "$dst/bootstrap-icons/fonts" "$dst/htmx" "$dst/echarts" "$dst/swagger-ui"
cp "$src/bootstrap/dist/css/bootstrap.min.css" "$src/bootstrap/dist/css/bootstrap.min.css.map" "$dst/bootstrap/"
cp "$src/bootstrap/dist/js/bootstrap.bundle.min.js" "$src/bootstrap/dist/js/bootstrap.bundle.min.js.map" "$dst/bootstrap/"
cp "$src/bootstrap-icons/font/bootstrap-icons.min.css" "$dst/bootstrap-icons/"
cp "$src/bootstrap-icons/font/fonts/"bootstrap-icons.woff* "$dst/bootstrap-icons/fonts/"
cp "$src/htmx.org/dist/htmx.min.js" "$dst/htmx/"
cp "$src/echarts/dist/echarts.min.js" "$dst/echarts/"
cp "$src/swagger-ui-dist/swagger-ui-bundle.js" "$src/swagger-ui-dist/swagger-ui-standalone-preset.js" \
   "$src/swagger-ui-dist/swagger-ui.css" "$src/swagger-ui-dist/swagger-ui.css.map" \
   "$src/swagger-ui-dist/favicon-32x32.png" "$dst/swagger-ui/"
echo "vendor files copied to $dst"
