#!/usr/bin/env bash
# End-to-end benchmark: installs the comparison tools and the realistic data set's sources when missing,
# builds in Release and writes docs/benchmarks.md. Usage: ./benchmark.sh [--megabytes 100] [--megabytes 1000]
#                            ./benchmark.sh --targets [--megabytes 107] [--data-set NAME]...  (the performance targets)
#                            ./benchmark.sh --dictionary [--megabytes 20]  (per-session zstd, dictionaries, the zstd CLI's --train)
#                            ./benchmark.sh --import-sources [--megabytes 200]  (ChatGPT and Claude exports imported)
set -euo pipefail
cd "$(dirname "$0")"
missing=()
for tool in zstd gzip pigz; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
# The text the realistic data set is made of (seed-realistic); the same list as CorpusSource.AptPackages.
# Not nodejs-doc: installing it removes NodeSource's nodejs and npm.
for package in python3.11-doc git golang-1.19-src libpython3.11-stdlib fortunes fortunes-de fortunes-ru fortunes-zh fortunes-es; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null)" = installed ] || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
dotnet build ExportStudio.Benchmarks -c Release -v quiet -nologo
# The app runs as deployed: published in Release, precompiled (ReadyToRun).
app=ExportStudio.Benchmarks/bin/Release/app
dotnet publish ExportStudio.Web -c Release -o "$app" -v quiet -nologo
if [ "${1:-}" = "--dictionary" ]; then
  shift
  exec dotnet ExportStudio.Benchmarks/bin/Release/net10.0/ExportStudio.Benchmarks.dll dictionary "$@"
fi
if [ "${1:-}" = "--targets" ]; then
  shift
  exec dotnet ExportStudio.Benchmarks/bin/Release/net10.0/ExportStudio.Benchmarks.dll targets --app "$app" "$@"
fi
if [ "${1:-}" = "--import-sources" ]; then
  shift
  exec dotnet ExportStudio.Benchmarks/bin/Release/net10.0/ExportStudio.Benchmarks.dll import-sources --app "$app" "$@"
fi
dotnet ExportStudio.Benchmarks/bin/Release/net10.0/ExportStudio.Benchmarks.dll e2e --app "$app" "$@"
