#!/usr/bin/env bash
# deps.sh install|ensure|list: the Debian packages kanshi needs to build and to run its tests.
#   install  install what is missing (root, apt-get; for CI and `make deps`)
#   ensure   the same, but when not root print the exact apt-get line and fail (`make demo`)
#   list     print the package names
# Tools used only by `make bench` and `make compare` are installed by those targets.
set -euo pipefail

BUILD_PKGS="gcc make pkg-config libc6-dev libpcap-dev libhyperscan-dev libjson-c-dev
libmaxminddb-dev check libyaml-dev libssl-dev libpcre2-dev zlib1g-dev libmagic-dev"
TEST_PKGS="tshark tcpdump python3 python3-yaml python3-jsonschema iproute2"

mode=${1:-install}
# shellcheck disable=SC2086 # word splitting of the package lists is intended
all=$(echo $BUILD_PKGS $TEST_PKGS)

missing() {
    local p
    for p in $all; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            printf '%s ' "$p"
        fi
    done
}

case "$mode" in
list)
    echo "$all"
    exit 0
    ;;
install|ensure) ;;
*)
    echo "usage: tools/deps.sh install|ensure|list" >&2
    exit 2
    ;;
esac

need=$(missing)
if [ -z "$need" ]; then
    echo "deps: all $(echo "$all" | wc -w) packages present"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing Debian packages; as root, run:"
    echo "    apt-get update && apt-get install -y --no-install-recommends $need"
    exit 1
fi
echo "deps: installing $need"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $need >/dev/null
still=$(missing)
if [ -n "$still" ]; then
    echo "deps: could not install: $still" >&2
    exit 1
fi
echo "deps: installed"
