#!/usr/bin/env bash
# make demo: the federal token portal, the eidbridge agent and a virtual
# eID card in one process (bin/eidbridge demo). The arguments (make's
# DEMO_FLAGS) go to `eidbridge demo`: --auto-pin to answer the virtual
# card's PIN by itself (CI, scripts), --pcsc to go through pcscd (started
# here when needed, and stopped again).
set -euo pipefail
cd "$(dirname "$0")/.."

has_flag() {
	local f
	for f in "${@:2}"; do [ "$f" = "$1" ] && return 0; done
	return 1
}

dialog_program() {
	command -v zenity >/dev/null || command -v qarma >/dev/null || command -v matedialog >/dev/null
}

# The agent's dialog windows need a graphical session and zenity, so
# zenity is installed only here, only when it can be used. Without a
# display the demo asks in this terminal (eidbridge demo says so).
if ! has_flag --auto-pin "$@" && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; } &&
	! dialog_program && command -v apt-get >/dev/null; then
	echo "demo: installing zenity for the agent's dialog windows" >&2
	if [ "$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zenity >/dev/null ||
		echo "demo: could not install zenity; the agent asks in this terminal instead" >&2
fi

if has_flag --pcsc "$@"; then
	scripts/testenv.sh pcscd-up
	trap 'scripts/testenv.sh down' EXIT
	bin/eidbridge demo "$@"
else
	exec bin/eidbridge demo "$@"
fi
