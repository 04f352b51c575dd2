package installer

// SystemHost is one browser's native-messaging directory for all users on
// Linux, which the packages fill. ID is the browser's name as
// `eidbridge nm-host install --browser` takes it.
type SystemHost struct {
	ID, Dir string
}

// SystemHostDirs lists the Linux native-messaging directories for all
// users (Chrome's and Mozilla's documentation; Edge's Linux build reads
// /etc/opt/edge like Chrome's /etc/opt/chrome). Brave documents none: it
// reads the per-user registration only.
func SystemHostDirs() []SystemHost {
	return []SystemHost{
		{"chrome", "/etc/opt/chrome/native-messaging-hosts"},
		{"chromium", "/etc/chromium/native-messaging-hosts"},
		{"edge", "/etc/opt/edge/native-messaging-hosts"},
		{"firefox", "/usr/lib/mozilla/native-messaging-hosts"},
	}
}

// MacSystemHostDirs lists the macOS native-messaging directories for all
// users, where an installation such as web-eid-app's puts its manifests
// (the browsers' documentation; Brave documents none).
func MacSystemHostDirs() []SystemHost {
	return []SystemHost{
		{"chrome", "/Library/Google/Chrome/NativeMessagingHosts"},
		{"chromium", "/Library/Application Support/Chromium/NativeMessagingHosts"},
		{"edge", "/Library/Microsoft/Edge/NativeMessagingHosts"},
		{"firefox", "/Library/Application Support/Mozilla/NativeMessagingHosts"},
	}
}
