# Sourced by the maintainer scripts: the native-messaging manifests for
# all users, put where each browser looks by the scripts rather than
# shipped there. A package's files make dpkg and rpm remove their parent
# directories when empty at removal, and /etc/opt or /usr/lib/mozilla are
# shared with other software: only what these functions created (noted in
# $CREATED) is removed again. Best effort; never fails the operation.

MANIFEST=be.eidbridge.nm.json
SOURCE=/usr/lib/eidbridge/native-messaging
STATE=/var/lib/eidbridge
CREATED=$STATE/created-dirs

# HOST_DIRS: each browser's directory for all users, and its manifest.
HOST_DIRS="/etc/opt/chrome/native-messaging-hosts:chromium
/etc/chromium/native-messaging-hosts:chromium
/etc/opt/edge/native-messaging-hosts:chromium
/usr/lib/mozilla/native-messaging-hosts:firefox"

# make_dirs creates $1 and its missing parents, noting each one created.
make_dirs() {
	d=$1 missing=
	while [ -n "$d" ] && [ ! -d "$d" ]; do
		missing="$d $missing"
		d=${d%/*}
	done
	for d in $missing; do
		mkdir -m 0755 "$d" || return 1
		echo "$d" >>"$CREATED"
	done
}

# place_host_manifests puts (or refreshes) the manifests.
place_host_manifests() {
	[ -d "$STATE" ] || { mkdir -m 0755 "$STATE" && echo "$STATE" >>"$CREATED"; } || return 0
	echo "$HOST_DIRS" | while IFS=: read -r dir kind; do
		make_dirs "$dir" && (umask 022 && cp "$SOURCE/$kind.json" "$dir/$MANIFEST")
	done
	return 0
}

# remove_host_manifests removes the manifests, then the directories the
# scripts created, deepest first, each only if nothing else is in it.
remove_host_manifests() {
	echo "$HOST_DIRS" | while IFS=: read -r dir kind; do
		rm -f "$dir/$MANIFEST"
	done
	[ -f "$CREATED" ] || return 0
	reversed=
	while read -r d; do
		reversed="$d
$reversed"
	done <"$CREATED"
	rm -f "$CREATED"
	echo "$reversed" | while read -r d; do
		[ -n "$d" ] && rmdir "$d" 2>/dev/null
	done
	return 0
}
