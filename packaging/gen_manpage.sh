#!/bin/sh
# Writes the newsdesk(1) man page, gzipped, from the binary's own --help output: help2man
# for the top level (NAME, SYNOPSIS, DESCRIPTION, OPTIONS), plus a COMMANDS section with
# the --help of every subcommand (and of their subcommands, e.g. `sources add`), then FILES
# and SEE ALSO. Run by the build (cmake/NdPackaging.cmake) after the binary is linked.
#
# Usage: gen_manpage.sh BINARY OUTPUT.1.gz
# SOURCE_DATE_EPOCH, when set, fixes the date on the page (reproducible builds).
set -eu

if [ $# -ne 2 ]; then
  echo "usage: $0 BINARY OUTPUT.1.gz" >&2
  exit 2
fi
bin_path=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
out=$2
name=$(basename "$bin_path")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
# Run the program as plain `newsdesk` so its usage lines do not show the build path.
mkdir "$work/bin"
ln -s "$bin_path" "$work/bin/$name"
PATH="$work/bin:$PATH"
export PATH

# Subcommand names listed under "Subcommands:" in a --help text on stdin.
subcommands() {
  awk '/^[A-Za-z].*:$/ { in_sub = ($0 == "Subcommands:" || $0 == "SUBCOMMANDS:"); next }
       in_sub && /^  [a-z][a-z0-9-]*( |$)/ { print $1 }'
}

# A --help text on stdin as verbatim roff: escape backslashes and minus signs, protect
# lines that would start with a control character.
verbatim() {
  sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"
}

# One subsection per command: its one-line summary, then its --help without that line.
section() {
  # "$@": the command words after the program name, e.g. `run` or `sources add`.
  help=$("$name" "$@" --help 2>&1) || true
  summary=$(printf '%s\n' "$help" | head -n 1)
  printf '.SS "%s %s"\n' "$name" "$*"
  printf '%s\n' "$summary" | verbatim
  printf '.PP\n.nf\n'
  printf '%s\n' "$help" | tail -n +2 | sed -e '/^$/N;/^\n$/D' | verbatim
  printf '.fi\n'
}

{
  printf '[COMMANDS]\n'
  printf 'Each command has its own options; \\fB%s\\fR \\fIcommand\\fR \\fB\\-\\-help\\fR ' "$name"
  printf 'prints them. Exit status: 0 when the work was done, 1 when nothing could be done, '
  printf '2 for bad usage.\n'
  for cmd in $("$name" --help | subcommands); do
    section "$cmd"
    for sub in $("$name" "$cmd" --help 2>/dev/null | subcommands); do
      section "$cmd" "$sub"
    done
  done
  cat <<'EOF'
[FILES]
.TP
.I /etc/newsdesk/newsdesk.toml
The configuration the Debian package's service reads (a conffile). Without \fB\-\-config\fR,
newsdesk reads \fB$NEWSDESK_CONFIG\fR, else \fI./newsdesk.toml\fR when present, else its
defaults.
.TP
.I /var/lib/newsdesk/newsdesk.db
The SQLite archive of the packaged service (its systemd state directory).
.TP
.I /lib/systemd/system/newsdesk.service
The systemd unit: \fBnewsdesk run \-\-config /etc/newsdesk/newsdesk.toml\fR as the system
user \fBnewsdesk\fR; \fBsystemctl reload newsdesk\fR sends SIGHUP.
[SEE ALSO]
The README, docs/operations.md and docs/configuration.md in /usr/share/doc/newsdesk.
EOF
} >"$work/include"

help2man --no-info --section=1 --source="newsdesk" --manual="User Commands" \
  --name="self-hosted news desk: sources to stories, site, API and feeds" \
  --include="$work/include" --output="$work/$name.1" "$name"
gzip -9 -n -c "$work/$name.1" >"$out"
