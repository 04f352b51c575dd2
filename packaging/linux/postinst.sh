#!/bin/sh
# After installing (deb: configure with no old version; rpm: 1) the agent
# is enabled for every user's login; an upgrade keeps what the
# administrator chose. The browsers' manifests are put (or refreshed) in
# place. Users logged in now get the agent at once, and an upgrade
# restarts it so that the new version runs. Never fails.
[ -r /usr/lib/eidbridge/user-managers.sh ] || exit 0
. /usr/lib/eidbridge/user-managers.sh
. /usr/lib/eidbridge/browser-hosts.sh
case "$1:${2:-}" in
configure: | 1:*) enable_globally ;;
esac
place_host_manifests
for_each_user_manager daemon-reload
for_each_user_manager restart eidbridge.service
exit 0
