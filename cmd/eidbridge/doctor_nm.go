package main

import (
	"runtime"

	"github.com/eidbridge/eidbridge/installer/doctor"
	"github.com/eidbridge/eidbridge/nmhost"
)

// hostLocations is where each browser looks for this user's registration
// of host, as `eidbridge nm-host install` writes it (package nmhost owns
// the locations); nil when this system has none.
func hostLocations(host string) []doctor.HostLocation {
	plat, err := nmhost.CurrentPlatform(runtime.GOOS)
	if err != nil {
		return nil
	}
	var out []doctor.HostLocation
	for _, b := range nmhost.Browsers {
		loc, err := plat.Location(b, host)
		if err != nil {
			return nil
		}
		out = append(out, doctor.HostLocation{ID: b, Browser: nmhost.BrowserNames[b], Manifest: loc.Manifest, RegKey: loc.RegKey})
	}
	return out
}

// webEIDSetup is where browsers look for the Web eID native application
// and the launcher `nm-host install --webeid` writes.
func webEIDSetup() doctor.WebEIDSetup {
	s := doctor.WebEIDSetup{Host: nmhost.WebEIDHostName, Locations: hostLocations(nmhost.WebEIDHostName)}
	if plat, err := nmhost.CurrentPlatform(runtime.GOOS); err == nil {
		s.Launcher = plat.WebEIDLauncher()
	}
	return s
}
