#!/bin/sh
# Before removal (deb: remove; rpm: 0), not before an upgrade: stop the
# agent of every user logged in now and undo the global enable. Never
# fails the removal.
[ -r /usr/lib/eidbridge/user-managers.sh ] || exit 0
. /usr/lib/eidbridge/user-managers.sh
case "$1" in
remove | 0)
	for_each_user_manager stop eidbridge.service
	disable_globally
	;;
esac
exit 0
