#!/usr/bin/env bash
# build-aux/deps.sh — installs the Debian 12 packages that ./run or ./check need and that
# are missing; installs nothing (and needs no network) when all are there.
#
# Usage: build-aux/deps.sh run     what building and running the stack needs
#        build-aux/deps.sh check   that, plus what the test suites need (browser, graphviz)
#        build-aux/deps.sh --list run|check   print the list and exit
# Not root: apt-get runs through sudo.
set -euo pipefail

# Building: compiler, autotools and the libraries configure.ac asks for (cmocka too:
# configure requires it).  Running: PostgreSQL 15 (tests/lib/stack.py uses
# /usr/lib/postgresql/15/bin), nginx, the SMTP sink (python3-aiosmtpd), curl.
run_pkgs=(
	build-essential autoconf automake libtool pkg-config
	libfcgi-dev libpq-dev libxml2-dev libxslt1-dev libesmtp-dev libssl-dev libsodium-dev libcmocka-dev
	postgresql-15 nginx python3 python3-aiosmtpd curl ca-certificates
)
# Testing: headless Chromium driven by Selenium, Graphviz for `imiflow dot`, openssl(1) for
# the certificates of tests/e2e/test_smtp_tls.py.
check_pkgs=(
	"${run_pkgs[@]}"
	openssl python3-selenium chromium chromium-driver fonts-liberation graphviz man-db
)

list=0
if [ "${1:-}" = --list ]; then list=1; shift; fi
case "${1:-}" in
run) pkgs=("${run_pkgs[@]}") ;;
check) pkgs=("${check_pkgs[@]}") ;;
*) echo "usage: $0 [--list] run|check" >&2; exit 2 ;;
esac
# npm for axe-core below: Debian's, unless a node with its own npm is there already.
if [ "$1" = check ] && ! command -v npm >/dev/null 2>&1; then pkgs+=(npm); fi
if [ $list -eq 1 ]; then printf '%s\n' "${pkgs[@]}"; exit 0; fi

missing=()
for p in "${pkgs[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	case "$status" in
	ii*) ;;
	*) missing+=("$p") ;;
	esac
done
# axe-core (issue 16): the browser suite runs it on every demo page; it comes from the npm
# registry into var/npm (kept between runs: nothing is fetched when it is there).
axe_core() {
	local dir
	dir="$(cd "$(dirname "$0")/.." && pwd)/var/npm"
	[ -f "$dir/node_modules/axe-core/axe.min.js" ] && return 0
	echo "deps: installing axe-core (npm) into $dir" >&2
	# Node trusts its own CA list, not the system's: a registry reached through a proxy whose
	# CA the system trusts (Debian's ca-certificates bundle) needs the bundle named.
	local ca=/etc/ssl/certs/ca-certificates.crt
	[ -f "$ca" ] || ca=
	mkdir -p "$dir" || return 1
	# npm's own words go to a log; on failure its error lines say why (a TLS certificate the
	# system does not trust, no route to the registry, ...).
	if ! NODE_EXTRA_CA_CERTS="${NODE_EXTRA_CA_CERTS:-$ca}" \
		npm install --no-audit --no-fund --no-save --prefix "$dir" "axe-core@^4.10" \
		>"$dir/npm-install.log" 2>&1; then
		echo "deps: npm install axe-core failed; the browser suite checks reflow and reports" \
		     "its accessibility rules as skipped.  npm said:" >&2
		grep -Ei 'code|errno|request to|reason|certificate' "$dir/npm-install.log" | head -n 3 |
		    sed 's/^/deps:   /' >&2 || true
		rm -rf "$dir/node_modules"
		return 1
	fi
}
finish() {
	# axe-core is the one thing not from Debian: without it ./check still runs (see above).
	if [ "$1" = check ]; then axe_core || true; fi
	exit 0
}
mode=$1

[ ${#missing[@]} -eq 0 ] && finish "$mode"

if [ "$(id -u)" -eq 0 ]; then
	as_root=(env DEBIAN_FRONTEND=noninteractive)
elif command -v sudo >/dev/null 2>&1; then
	as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
else
	echo "deps: missing Debian packages: ${missing[*]}" >&2
	echo "deps: install them as root (there is no sudo here):" >&2
	echo "      apt-get install ${missing[*]}" >&2
	exit 1
fi

echo "deps: installing the missing Debian packages: ${missing[*]}" >&2
if ! "${as_root[@]}" apt-get update -q >&2; then
	echo "deps: apt-get update failed (no network, or a broken sources list?)" >&2
	exit 1
fi
if ! "${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
	echo "deps: apt-get install failed; install these yourself: ${missing[*]}" >&2
	exit 1
fi
finish "$mode"
