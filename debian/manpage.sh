#!/bin/sh
# Writes the manual page of authy-sandbox to stdout from the --help of the binary given as $1, so
# the page lists exactly the flags the packaged sandbox accepts. The date is SOURCE_DATE_EPOCH's.
set -eu
bin=$1
version=$2
date=$(date -u -d "@${SOURCE_DATE_EPOCH:-0}" +%Y-%m-%d)
cat <<ROFF
.TH AUTHY\\-SANDBOX 1 "$date" "libauthy $version" "User Commands"
.SH NAME
authy\\-sandbox \\- local emulator of the Authy two\\-factor authentication API
.SH SYNOPSIS
.B authy\\-sandbox
.RI [ options ]
.SH DESCRIPTION
.B authy\\-sandbox
is a stateful emulator of the Authy REST API for development and CI. It listens on 127.0.0.1,
keeps users, codes, phone verifications and OneTouch requests in memory, and adds a control API
under /sandbox/ to read the codes a user would receive, register app devices, approve or deny
OneTouch requests (with signed callbacks), move the clock, inject faults and read counters.
.PP
The first line it writes on standard output is its base URL, e.g. http://127.0.0.1:40123; each
request is logged on standard error (API keys redacted). SIGINT and SIGTERM stop it with exit
status 0; an unknown or malformed option prints the usage and exits with status 2.
.SH OPTIONS
.nf
ROFF
"$bin" --help | sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^[.']/\\\\\\&&/"
cat <<ROFF
.fi
.SH SEE ALSO
The control API and the emulated endpoints:
.I /usr/share/doc/authy\\-sandbox/README.md.gz
.PP
The C library that talks to it: package libauthy\\-dev,
.I /usr/include/authy.h
ROFF
