// Package installer sets eidbridge up as a per-user agent that starts at
// login, and takes it down again: a systemd user unit on Linux, a
// LaunchAgent on macOS, a Run value under HKCU on Windows, plus the
// default configuration and the caller's extra steps (the native-messaging
// hosts).
//
// What github.com/kardianos/service does here, and why not more:
//   - It controls the agent where it supports per-user services: Start,
//     Stop, Restart and Status run `systemctl --user` on Linux and
//     `launchctl` on macOS through it.
//   - The unit and the plist are written by this package, not by its
//     Install, which refuses to overwrite an existing file (so reinstalling
//     or upgrading fails), writes WantedBy=multi-user.target (a target a
//     user manager never reaches) and RestartSec=120 in its default unit,
//     puts user units under $HOME/.config whatever XDG_CONFIG_HOME says,
//     fails when no user manager is reachable (over SSH, before the first
//     graphical login) although enabling a unit needs none, and runs its
//     commands directly, leaving nothing to roll back or to test.
//   - On Linux the systemd backend is picked explicitly: kardianos detects
//     the init system from PID 1, which in a container or WSL selects SysV
//     and would write a script to /etc/init.d.
//   - Windows has no per-user services, and a service runs in session 0,
//     where the PIN dialog cannot appear: the installer writes the HKCU Run
//     value and starts and stops the agent's process itself.
//
// Every change is recorded in a manifest (install.json in the state
// directory). A failed step rolls back the steps before it; uninstall
// removes exactly what the manifest lists, and a file only while it still
// holds what was written (a configuration the citizen edited stays).
package installer
