package main

import (
	"context"
	"errors"
	"runtime"

	"github.com/eidbridge/eidbridge/installer"
	"github.com/eidbridge/eidbridge/nmhost"
)

// nativeMessagingHooks registers the browsers' native-messaging hosts as
// part of the installation, through `nm-host install|uninstall` of this
// same binary (package nmhost owns the manifests, their locations and the
// extension IDs). A build without that command installs without it.
func nativeMessagingHooks() []installer.Hook {
	c, ok := commands["nm-host"]
	if !ok {
		return nil
	}
	return []installer.Hook{{
		Name: "native-messaging hosts",
		Do:   func(ctx context.Context) error { return c.run(ctx, []string{"install"}) },
		Undo: func(ctx context.Context) error {
			// The Web eID registration is opt-in, but must not outlive the
			// program it starts: what it replaced comes back.
			return errors.Join(c.run(ctx, []string{"uninstall"}), c.run(ctx, []string{"uninstall", "--webeid"}))
		},
		Paths: nmHostPaths(),
	}}
}

// nmHostPaths are the files `nm-host install` writes: the launcher and
// each browser's manifest, so that the installer also removes the
// directories it creates for them.
func nmHostPaths() []string {
	plat, err := nmhost.CurrentPlatform(runtime.GOOS)
	if err != nil {
		return nil
	}
	paths := []string{plat.Launcher()}
	for _, b := range nmhost.Browsers {
		if loc, err := plat.Location(b, nmhost.HostName); err == nil {
			paths = append(paths, loc.Manifest)
		}
	}
	return paths
}
