#!/bin/sh
# `npm start` and `npm run dev`: one lean process. The prepare step (lib/launcher/start.ts: the
# configuration, migrations, the build when stale, the CLI bundle) runs first and exits; it hands
# the server's environment back on file descriptor 3 as shell statements; then this shell replaces
# itself (exec) with the server, so that the server is the only process left (under npm, npm's own
# process stays as its parent) and signals from npm, a process manager or Ctrl-C reach it directly.
#   sh lib/launcher/start.sh start   production server (next start)
#   sh lib/launcher/start.sh dev     development server (next dev)
#   sh lib/launcher/start.sh check   configuration and migrations only
# Any failure prints one line and exits non-zero (the prepare step's exit code).
set -u
root=$(CDPATH='' cd -- "$(dirname -- "$0")/../.." && pwd) || exit 1
cd "$root" || exit 1
mode=${1:-start}
case $mode in
  start | dev) ;;
  *) exec node --import tsx lib/launcher/start.ts "$@" ;;
esac
# fd 4 is this shell's stdout: the prepare step's own output goes there, its fd 3 is captured.
{ handoff=$(node --import tsx lib/launcher/start.ts "$mode" --handoff 3>&1 1>&4 4>&-); status=$?; } 4>&1
[ "$status" -eq 0 ] || exit "$status"
# Sets the server's environment (exported) and its node options ("$@").
eval "$handoff"
exec "$node" "$@" lib/launcher/server.mjs "$mode"
