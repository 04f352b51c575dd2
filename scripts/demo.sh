#!/usr/bin/env bash
# make demo: the federal token portal, the eidbridge agent and a virtual
# eID card in one process (bin/eidbridge demo). The arguments (make's
# DEMO_FLAGS) go to `eidbridge demo`: --auto-pin where no display can show
# the agent's PIN dialog, --pcsc to go through pcscd (started here when
# needed, and stopped again).
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

# The native PIN dialog needs a graphical session and zenity (optional
# otherwise, so it is installed only here, only when it can be used).
if ! has_flag --auto-pin "$@" && ! has_flag terminal "$@" && ! has_flag --ui=terminal "$@"; then
	if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
		echo "demo: no graphical display here, so the agent cannot show its PIN dialog." >&2
		echo "demo: run  make demo DEMO_FLAGS=--auto-pin  (the virtual card's PIN is then answered automatically)" >&2
		echo "demo: or   make demo DEMO_FLAGS='--ui terminal'  to type the PIN in this terminal." >&2
		exit 1
	fi
	if ! dialog_program && command -v apt-get >/dev/null; then
		echo "demo: installing zenity for the agent's PIN dialog" >&2
		if [ "$(id -u)" -eq 0 ]; then sudo=; else sudo=sudo; fi
		$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zenity >/dev/null ||
			echo "demo: could not install zenity; install it, or use DEMO_FLAGS=--auto-pin" >&2
	fi
fi

if has_flag --pcsc "$@"; then
	scripts/testenv.sh up
	trap 'scripts/testenv.sh down' EXIT
	bin/eidbridge demo "$@"
else
	exec bin/eidbridge demo "$@"
fi
