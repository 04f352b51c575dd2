package main

import (
	"context"
	"runtime"

	"github.com/eidbridge/eidbridge/installer"
)

// nativeMessagingHooks registers the browsers' native-messaging hosts as
// part of the installation, through `nm-host install|uninstall` of this
// same binary (nmhost*.go owns the manifests, their locations and the
// extension IDs). A build without that command installs without it.
func nativeMessagingHooks() []installer.Hook {
	c, ok := commands["nm-host"]
	if !ok {
		return nil
	}
	return []installer.Hook{{
		Name:  "native-messaging hosts",
		Do:    func(ctx context.Context) error { return c.run(ctx, []string{"install"}) },
		Undo:  func(ctx context.Context) error { return c.run(ctx, []string{"uninstall"}) },
		Paths: nmHostPaths(),
	}}
}

// nmHostPaths are the files `nm-host install` writes: the launcher and
// each browser's manifest, so that the installer also removes the
// directories it creates for them.
func nmHostPaths() []string {
	plat, err := currentPlatform(runtime.GOOS)
	if err != nil {
		return nil
	}
	paths := []string{plat.launcher()}
	for _, b := range nmBrowsers {
		if loc, err := plat.location(b); err == nil {
			paths = append(paths, loc.manifest)
		}
	}
	return paths
}
