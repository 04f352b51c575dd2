package installer

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"

	"github.com/kardianos/service"
)

// Runner runs a command and returns its combined output; tests record
// the calls instead.
type Runner interface {
	Run(ctx context.Context, name string, args ...string) (string, error)
}

// ExecRunner runs commands for real.
type ExecRunner struct{}

// Run runs name with args.
func (ExecRunner) Run(ctx context.Context, name string, args ...string) (string, error) {
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	s := strings.TrimSpace(out.String())
	if err != nil {
		return s, fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, s)
	}
	return s, nil
}

// Registry reads and writes string values under one root key
// (Windows): HKEY_CURRENT_USER (UserRegistry), or HKEY_LOCAL_MACHINE to
// read (MachineRegistry). key is a path below the root such as RunKey.
type Registry interface {
	// Value reads a string value; name "" is the key's default value.
	Value(key, name string) (value string, ok bool, err error)
	KeyExists(key string) (bool, error)
	SetValue(key, name, value string) error
	DeleteValue(key, name string) error
}

// Control starts and stops the installed agent and says whether it runs.
// A kardianos service.Service is one.
type Control interface {
	Start() error
	Stop() error
	Restart() error
	Status() (service.Status, error)
}

// program is the kardianos service.Interface. The agent is started by
// systemd or launchd as a plain `eidbridge run`, never through kardianos'
// Run, so its Start and Stop are never called.
type program struct{}

func (program) Start(service.Service) error { return nil }
func (program) Stop(service.Service) error  { return nil }

// kardianosControl is the kardianos service for the per-user agent on
// Linux (the systemd backend, whatever PID 1 is) and macOS (launchd).
func kardianosControl(l Layout) (Control, error) {
	cfg := &service.Config{
		Name:        LaunchdLabel,
		DisplayName: "eidbridge",
		Description: "eidbridge agent",
		Executable:  l.AgentExe,
		Arguments:   []string{"run"},
		Option:      service.KeyValue{"UserService": true},
	}
	if l.GOOS != "linux" {
		return service.New(program{}, cfg)
	}
	cfg.Name = strings.TrimSuffix(UnitName, ".service")
	for _, sys := range service.AvailableSystems() {
		if sys.String() == "linux-systemd" {
			return sys.New(program{}, cfg)
		}
	}
	return nil, fmt.Errorf("the systemd service backend is missing from this build")
}
