package doctor

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"runtime"
	"time"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/installer"
)

// Real is the Env of this machine and user. layout locates the per-user
// installation; host is the native-messaging host name and hosts where
// each browser looks for it (none: the browser checks are left out);
// webeid is the same for the Web eID native application.
func Real(version string, layout installer.Layout, host string, hosts []HostLocation, webeid WebEIDSetup) Env {
	run := installer.ExecRunner{}
	reg := installer.UserRegistry()
	uid := -1
	if runtime.GOOS != "windows" {
		uid = os.Getuid()
	}
	return Env{
		GOOS:    runtime.GOOS,
		Version: version,
		Now:     time.Now,
		UID:     uid,
		Config:  func() ConfigInfo { return LoadConfig(layout.ConfigPath) },
		Card:    ProbeCard,
		Listener: func(ctx context.Context, port int) (*installer.Owner, error) {
			return installer.FindListener(ctx, run, runtime.GOOS, port)
		},
		Handshake: ProbeHandshake,
		Service: func(ctx context.Context) ServiceInfo {
			return ProbeService(ctx, layout, run, reg)
		},
		NativeHosts: func(context.Context) []HostInfo {
			return ProbeNativeHosts(runtime.GOOS, hosts, host, reg)
		},
		WebEID: func(context.Context) []WebEIDInfo {
			return ProbeWebEID(runtime.GOOS, webeid, reg, installer.MachineRegistry(), systemHostDirs(runtime.GOOS))
		},
	}
}

// systemHostDirs are the directories for all users of this OS, if any.
func systemHostDirs(goos string) []installer.SystemHost {
	switch goos {
	case "linux":
		return installer.SystemHostDirs()
	case "darwin":
		return installer.MacSystemHostDirs()
	}
	return nil
}

// LoadConfig loads the configuration as the agent does.
func LoadConfig(path string) ConfigInfo {
	ci := ConfigInfo{Path: path}
	_, err := os.Stat(path)
	ci.Exists = err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		ci.Err = err
		return ci
	}
	ci.Config, ci.Err = agent.LoadConfig(path)
	return ci
}
