#!/bin/sh
# Before removal (deb: remove; rpm: 0), not before an upgrade: stop the
# agent of every user logged in now, undo the global enable, and take the
# browsers' manifests away with the directories the scripts made for
# them. Never fails the removal.
[ -r /usr/lib/eidbridge/user-managers.sh ] || exit 0
. /usr/lib/eidbridge/user-managers.sh
. /usr/lib/eidbridge/browser-hosts.sh
case "$1" in
remove | 0)
	for_each_user_manager stop eidbridge.service
	disable_globally
	remove_host_manifests
	;;
esac
exit 0
