package agent

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/eidbridge/eidbridge/internal/atomicfile"
)

// DefaultPort is the loopback port the agent listens on.
const DefaultPort = 51950

// DefaultUserTimeout is how long a dialog waits for the citizen.
const DefaultUserTimeout = 2 * time.Minute

// Config is the agent's settings file, config.json in the user's config
// directory. Plain JSON was chosen because the standard library reads and
// writes it, and `eidbridge allow` can rewrite it without losing fields;
// a key left out takes its default, an unknown key is an error (a typo
// must not silently leave a setting at its default).
//
//	{
//	  "port": 51950,
//	  "allowedOrigins": ["https://*.belgium.be", "https://*.fgov.be"],
//	  "ui": "native",
//	  "userTimeout": "2m",
//	  "logLevel": "info",
//	  "relayOnly": false,
//	  "firstContact": true
//	}
type Config struct {
	Port           int      `json:"port"`
	AllowedOrigins []string `json:"allowedOrigins"`
	// UI is "native", "terminal" or "exec:COMMAND".
	UI string `json:"ui"`
	// UserTimeout bounds each dialog, as a Go duration ("2m", "90s").
	UserTimeout Duration `json:"userTimeout"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `json:"logLevel"`
	// RelayOnly turns the websocket path for pages off: only the browser
	// extension reaches the agent (Options.RelayOnly).
	RelayOnly bool `json:"relayOnly,omitempty"`
	// FirstContact lets an https site outside the allowlist ask the
	// citizen in the agent's own dialog (FirstContact); true when absent,
	// false refuses such sites silently (a kiosk, a managed desktop).
	FirstContact *bool `json:"firstContact,omitempty"`
}

// AsksNewSites tells whether sites outside the allowlist may ask.
func (c Config) AsksNewSites() bool { return c.FirstContact == nil || *c.FirstContact }

// DefaultConfig is the configuration without a file.
func DefaultConfig() Config {
	return Config{
		Port:           DefaultPort,
		AllowedOrigins: append([]string(nil), DefaultOrigins...),
		UI:             "native",
		UserTimeout:    Duration(DefaultUserTimeout),
		LogLevel:       "info",
	}
}

// readPrivate reads a settings file that only this user controls: the
// allowlist in it decides which sites reach the card.
func readPrivate(path string) ([]byte, error) {
	f, err := openNoFollow(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := checkPrivateDir(filepath.Dir(path)); err != nil {
		return nil, err
	}
	if err := checkPrivateFile(f); err != nil {
		return nil, err
	}
	return io.ReadAll(f)
}

// LoadConfig reads path; a missing file gives the defaults.
func LoadConfig(path string) (Config, error) {
	c := DefaultConfig()
	b, err := readPrivate(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("reading the configuration: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("configuration %s: %w", path, err)
	}
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("configuration %s: %w", path, err)
	}
	return c, nil
}

// Save writes c to path atomically (temporary file, then rename), private
// to the user, creating the directory when needed.
func (c Config) Save(path string) error {
	if err := c.Validate(); err != nil {
		return err
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, append(b, '\n'), 0o600, 0o700); err != nil {
		return fmt.Errorf("writing the configuration: %w", err)
	}
	return nil
}

// Validate checks every field and names the bad ones.
func (c Config) Validate() error {
	var errs []error
	if c.Port < 1 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("port %d: want 1 to 65535", c.Port))
	}
	if _, err := NewAllowlist(c.AllowedOrigins); err != nil {
		errs = append(errs, err)
	}
	if err := CheckUIMode(c.UI); err != nil {
		errs = append(errs, err)
	}
	if t := time.Duration(c.UserTimeout); t < time.Second || t > time.Hour {
		errs = append(errs, fmt.Errorf("userTimeout %s: want 1s to 1h", t))
	}
	if _, err := ParseLogLevel(c.LogLevel); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// CheckUIMode accepts "native", "terminal" and "exec:COMMAND".
func CheckUIMode(mode string) error {
	switch {
	case mode == "native", mode == "terminal":
		return nil
	case strings.HasPrefix(mode, "exec:") && strings.TrimSpace(mode[len("exec:"):]) != "":
		return nil
	}
	return fmt.Errorf("ui %q: want native, terminal or exec:COMMAND", mode)
}

// ParseLogLevel reads debug, info, warn or error.
func ParseLogLevel(s string) (slog.Level, error) {
	var l slog.Level
	switch s {
	case "debug", "info", "warn", "error":
		return l, l.UnmarshalText([]byte(s))
	}
	return l, fmt.Errorf("logLevel %q: want debug, info, warn or error", s)
}

// Duration is a time.Duration written as text ("2m") in JSON.
type Duration time.Duration

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	t, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("duration %q: want a Go duration such as 2m or 90s", b)
	}
	*d = Duration(t)
	return nil
}

// Std returns d as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }
