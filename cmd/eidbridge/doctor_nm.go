package main

import (
	"runtime"

	"github.com/eidbridge/eidbridge/installer/doctor"
)

// nmBrowserNames are the browsers' names for people.
var nmBrowserNames = map[string]string{"chrome": "Google Chrome", "chromium": "Chromium", "edge": "Microsoft Edge",
	"brave": "Brave", "firefox": "Firefox"}

// nativeHostLocations is where each browser looks for this user's
// native-messaging registration, as `eidbridge nm-host install` writes it
// (nmhost_manifest.go owns the locations); nil when this system has none.
func nativeHostLocations() []doctor.HostLocation {
	plat, err := currentPlatform(runtime.GOOS)
	if err != nil {
		return nil
	}
	var out []doctor.HostLocation
	for _, b := range nmBrowsers {
		loc, err := plat.location(b)
		if err != nil {
			return nil
		}
		out = append(out, doctor.HostLocation{ID: b, Browser: nmBrowserNames[b], Manifest: loc.manifest, RegKey: loc.regKey})
	}
	return out
}
