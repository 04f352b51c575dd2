#!/usr/bin/env bash
# Proves that `make test` (or another make target) works on a brand-new
# Debian 12: debootstraps a minimal bookworm from the mirror this machine's
# apt uses, adds Go (this machine's, as a newcomer installs it in
# /usr/local/go), clones the committed tree with ../shared beside it, and
# runs the target there as root. The new system gets its own process,
# mount and network namespaces (its network reaches the outside through
# NAT), so its pcscd, ports and `pkill` never touch this machine's. All of
# it is removed at the end unless --keep is given.
#
#   scripts/fresh-debian.sh [--keep] [--ref REF] [--suite bookworm] [TARGET...]
#
# Needs root (or sudo), debootstrap, iproute2 and iptables (installed with
# apt when missing), and about 6 GB in ${TMPDIR:-/var/tmp}.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
	exec sudo -E "$(realpath "$0")" "$@"
fi
cd "$(dirname "$0")/.."
repo=$(pwd)

keep=0
ref=HEAD
suite=bookworm
targets=()
while [ $# -gt 0 ]; do
	case "$1" in
	--keep) keep=1 ;;
	--ref) ref=$2 && shift ;;
	--suite) suite=$2 && shift ;;
	-h | --help) sed -n '2,15p' "$0" && exit 0 ;;
	-*) echo "fresh-debian: unknown flag $1" >&2 && exit 2 ;;
	*) targets+=("$1") ;;
	esac
	shift
done
[ ${#targets[@]} -gt 0 ] || targets=(test)

log() { echo "fresh-debian: $*" >&2; }
git rev-parse --verify -q "$ref^{commit}" >/dev/null || { log "no commit $ref" && exit 2; }

need() {
	local tool=$1 pkg=$2
	command -v "$tool" >/dev/null && return 0
	log "installing $pkg"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
}
need debootstrap debootstrap
need ip iproute2
need iptables iptables

# mirror is the first Debian archive this machine's apt reads for $suite.
mirror() {
	apt-get indextargets --format '$(SITE) $(RELEASE)' 2>/dev/null |
		awk -v s="$suite" '$2 == s { print $1; exit }'
}
mirror=$(mirror)
[ -n "$mirror" ] || { log "this machine's apt has no $suite source; run apt-get update, or give --suite" && exit 1; }

goroot=$(go env GOROOT)
work=$(mktemp -d "${TMPDIR:-/var/tmp}/eidbridge-fresh.XXXXXX")
root=$work/root
ns=eidfresh$$
# A /30 of the project's own for the veth pair, per run.
net=10.$((200 + $$ % 50)).$(($$ / 50 % 250)).0
host_ip=${net%.0}.1
guest_ip=${net%.0}.2
forward_was=$(cat /proc/sys/net/ipv4/ip_forward)

cleanup() {
	set +e
	iptables -t nat -D POSTROUTING -s "$net/30" -j MASQUERADE 2>/dev/null
	iptables -D FORWARD -s "$net/30" -j ACCEPT 2>/dev/null
	iptables -D FORWARD -d "$net/30" -j ACCEPT 2>/dev/null
	ip link del "vfd$$" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	echo "$forward_was" >/proc/sys/net/ipv4/ip_forward
	# The mounts live in the run's own mount namespace, gone with it;
	# never remove anything while one is still visible here.
	if grep -q " $root" /proc/self/mounts; then
		log "mounts under $root remain; not removing $work"
	elif [ "$keep" = 1 ]; then
		log "kept: $root (chroot $root bash)"
	else
		rm -rf --one-file-system "$work"
	fi
}
trap cleanup EXIT

start=$(date +%s)
log "debootstrap $suite from $mirror into $root"
debootstrap --include=git,make,ca-certificates "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
	{ tail -20 "$work/debootstrap.log" >&2 && exit 1; }
# The new system's apt reads what this machine's reads for the suite.
apt-get indextargets --format '$(SITE) $(RELEASE)' 2>/dev/null | awk -v s="$suite" '$2 ~ "^" s { print $1, $2 }' |
	sort -u | while read -r site rel; do echo "deb $site $rel main"; done >"$root/etc/apt/sources.list"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
# The local CAs of this machine (a TLS-inspecting proxy on its network,
# say): a new machine on the same network needs them as well.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
	cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
	chroot "$root" update-ca-certificates >/dev/null 2>&1
fi

log "Go $(go env GOVERSION) into /usr/local/go; the committed tree ($(git rev-parse --short "$ref")) into /work/main"
mkdir -p "$root/usr/local" "$root/work"
cp -a "$goroot" "$root/usr/local/go"
git clone -q --no-local --no-checkout "$repo" "$root/work/main"
git -C "$root/work/main" checkout -q --detach "$(git rev-parse "$ref")"
[ -d ../shared ] && cp -a ../shared "$root/work/shared"

log "network namespace $ns ($guest_ip, NAT through $host_ip)"
ip netns add "$ns"
ip link add "vfd$$" type veth peer name eth0 netns "$ns"
ip addr add "$host_ip/30" dev "vfd$$"
ip link set "vfd$$" up
ip -n "$ns" addr add "$guest_ip/30" dev eth0
ip -n "$ns" link set eth0 up
ip -n "$ns" link set lo up
ip -n "$ns" route add default via "$host_ip"
echo 1 >/proc/sys/net/ipv4/ip_forward
iptables -t nat -A POSTROUTING -s "$net/30" -j MASQUERADE
iptables -I FORWARD -s "$net/30" -j ACCEPT
iptables -I FORWARD -d "$net/30" -j ACCEPT

# Inside: its own processes (pcscd, pkill), mounts and network; a clean
# environment as a root login on a new machine has, Go on PATH.
inner='
set -e
mount -t proc proc "$R/proc"
mount -t sysfs sysfs "$R/sys"
mount --rbind /dev "$R/dev"
mount -t tmpfs -o mode=1777 tmpfs "$R/dev/shm"
mount -t tmpfs -o mode=755 tmpfs "$R/run"
exec chroot "$R" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb LANG=C.UTF-8 \
	PATH=/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	bash -c "cd /work/main && make $T"
'
log "running: make ${targets[*]}"
rc=0
ip netns exec "$ns" unshare --mount --propagation private --pid --fork --uts --ipc \
	env R="$root" T="${targets[*]}" bash -c "$inner" || rc=$?
mins=$((($(date +%s) - start) / 60))
secs=$((($(date +%s) - start) % 60))
if [ $rc -eq 0 ]; then
	log "PASSED: make ${targets[*]} on a fresh Debian $suite in ${mins} min ${secs} s"
else
	log "FAILED (exit $rc): make ${targets[*]} on a fresh Debian $suite after ${mins} min ${secs} s"
fi
exit $rc
