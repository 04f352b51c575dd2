package installer

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/kardianos/service"
)

// processControl starts and stops the agent as a plain process of the
// logged-in user (Windows, where the Run value starts it at logon). The
// agent is found by the port it listens on (or, when the system hides the
// port's owner, by the pid the agent published, once confirmed), so
// stopping never touches another eidbridge command the citizen runs, nor
// another program.
type processControl struct {
	l     Layout
	run   Runner
	reg   Registry
	spawn func(exe string, args ...string) error
	// image names a process's program when tasklist does not; nil is
	// osProcessImage (tests replace it).
	image func(pid int) (string, error)
}

const controlTimeout = 15 * time.Second

// agentPID is the pid of the eidbridge listening on the port, 0 if none.
// When the system will not say who listens (Wine), the agent's endpoint
// file may, once its pid is confirmed (see publishedAgent).
func (p *processControl) agentPID(ctx context.Context) (int, error) {
	o, err := FindListener(ctx, p.run, p.l.GOOS, p.l.Port)
	switch {
	case o == nil && err == nil:
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("finding the agent on port %d: %w", p.l.Port, err)
	case o.PID == 0 && p.l.StateDir != "":
		a, err := publishedAgent(ctx, p.run, p.image, p.l.StateDir, p.l.Port)
		if err != nil {
			return 0, fmt.Errorf("port %d is taken by a program the system does not name: %w", p.l.Port, err)
		}
		if a != nil {
			return a.PID, nil
		}
	}
	if !o.IsEidbridge() {
		return 0, fmt.Errorf("port %d is taken by %s, not by the eidbridge agent", p.l.Port, o)
	}
	return o.PID, nil
}

// Start starts the agent unless it runs already.
func (p *processControl) Start() error {
	ctx, cancel := context.WithTimeout(context.Background(), controlTimeout)
	defer cancel()
	pid, err := p.agentPID(ctx)
	if err != nil || pid != 0 {
		return err
	}
	return p.spawn(p.l.AgentExe, "run")
}

// Stop ends the agent; it is not an error when none runs. The agent has
// no window to close, so the end is forced (/F); a dialog it showed
// closes with it.
func (p *processControl) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), controlTimeout)
	defer cancel()
	pid, err := p.agentPID(ctx)
	if err != nil || pid == 0 {
		return err
	}
	if _, err := p.run.Run(ctx, "taskkill", "/PID", strconv.Itoa(pid), "/F"); err != nil {
		return err
	}
	for listening(ctx, p.l.Port) { // so that Restart's Start finds the port free
		select {
		case <-ctx.Done():
			return fmt.Errorf("the agent (pid %d) still listens on port %d after taskkill", pid, p.l.Port)
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}

// Restart stops the agent if it runs and starts it again.
func (p *processControl) Restart() error {
	if err := p.Stop(); err != nil {
		return err
	}
	return p.Start()
}

// Status: running when the agent listens; stopped when the Run value is
// there; not installed otherwise.
func (p *processControl) Status() (service.Status, error) {
	ctx, cancel := context.WithTimeout(context.Background(), controlTimeout)
	defer cancel()
	pid, err := p.agentPID(ctx)
	if err != nil {
		return service.StatusUnknown, err
	}
	if pid != 0 {
		return service.StatusRunning, nil
	}
	if p.reg != nil {
		if _, ok, err := p.reg.Value(RunKey, RunValue); err != nil || !ok {
			return service.StatusUnknown, service.ErrNotInstalled
		}
	}
	return service.StatusStopped, nil
}
