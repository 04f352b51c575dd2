#!/bin/sh
# pkgversion.sh VERSION [msi]: a `git describe` version as the packages
# accept it. Debian and RPM: v1.2.3 -> 1.2.3, v1.2.3-4-gabc-dirty ->
# 1.2.3+4.gabc.dirty, and without a tag (abc1234-dirty, dev)
# 0.0.0~git.abc1234.dirty, which sorts before any release. MSI: the
# release's three numbers, 0.0.0 without a tag.
set -eu
v=${1:?usage: pkgversion.sh VERSION [msi]}
v=${v#v}
base=$(printf '%s\n' "$v" | sed -nE 's/^([0-9]+(\.[0-9]+)*)(-.*)?$/\1/p')
if [ -n "$base" ]; then
	rest=${v#"$base"}
	rest=${rest#-}
else
	base=0.0.0 rest="git.$v"
fi
rest=$(printf '%s' "$rest" | tr -c 'A-Za-z0-9.\n' '.')
if [ "${2:-}" = msi ]; then
	printf '%s\n' "$base" | sed -nE 's/^([0-9]+\.[0-9]+\.[0-9]+).*/\1/p;t;s/.*/0.0.0/p'
elif [ -z "$rest" ]; then
	echo "$base"
elif [ "$base" = 0.0.0 ]; then
	echo "0.0.0~$rest"
else
	echo "$base+$rest"
fi
