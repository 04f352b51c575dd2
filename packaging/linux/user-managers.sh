# Sourced by the maintainer scripts; everything here is best effort and
# never fails the package operation.

# The link `systemctl --global enable` makes, made by hand where systemctl
# cannot (a chroot without systemd).
GLOBAL_LINK=/etc/systemd/user/default.target.wants/eidbridge.service

# enable_globally starts the agent at every user's login from now on.
enable_globally() {
	systemctl --global enable eidbridge.service >/dev/null 2>&1 ||
		{ mkdir -p "${GLOBAL_LINK%/*}" && ln -sf /usr/lib/systemd/user/eidbridge.service "$GLOBAL_LINK"; } || true
}

# disable_globally undoes enable_globally.
disable_globally() {
	systemctl --global disable eidbridge.service >/dev/null 2>&1 || rm -f "$GLOBAL_LINK" || true
	rmdir "${GLOBAL_LINK%/*}" 2>/dev/null || true
}

# for_each_user_manager CMD... runs `systemctl --user CMD...` as each user
# logged in now, in that user's manager; users without one are skipped.
for_each_user_manager() {
	for dir in /run/user/[0-9]*; do
		[ -S "$dir/bus" ] || continue
		user=$(getent passwd "${dir##*/}" | cut -d: -f1)
		[ -n "$user" ] || continue
		if runuser -u "$user" -- env XDG_RUNTIME_DIR="$dir" DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/bus" \
			systemctl --user "$@" >/dev/null 2>&1; then
			echo "eidbridge: systemctl --user $* for $user"
		fi
	done
	return 0
}
