package installer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/eidbridge/eidbridge/agent/endpoint"
)

// publishedAgent is the agent that the endpoint file in stateDir names
// for port, for when the system listens on the port but will not say
// who (Wine's netstat shows no pids). The file may be stale and its pid
// reused, so the pid counts only when its program is confirmed to be
// eidbridge; anything less is an error, never a guess: the caller may
// taskkill what this returns. nil, nil: the file says nothing about port.
func publishedAgent(ctx context.Context, run Runner, image func(int) (string, error), stateDir string, port int) (*Owner, error) {
	path := filepath.Join(stateDir, endpoint.File)
	e, err := endpoint.Read(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, nil
	case err != nil:
		return nil, err
	case e.Port != port || e.PID <= 0:
		return nil, nil
	case e.PID == os.Getpid():
		return nil, fmt.Errorf("%s names pid %d, which is this command: the file is stale", path, e.PID)
	}
	exe, err := processImage(ctx, run, image, e.PID)
	if err != nil {
		return nil, fmt.Errorf("%s names pid %d, but its program could not be confirmed, so it is left alone: %w", path, e.PID, err)
	}
	o := &Owner{PID: e.PID, UID: -1, Exe: exe}
	if !o.IsEidbridge() {
		return nil, fmt.Errorf("%s names pid %d, which is now %s, not eidbridge: the file is stale", path, e.PID, exe)
	}
	if bornAfter(path, e.PID) {
		return nil, fmt.Errorf("%s names pid %d, an eidbridge started after the file was written "+
			"(another command, not that agent): the file is stale", path, e.PID)
	}
	return o, nil
}

// processStarted is osProcessStart; tests replace it.
var processStarted = osProcessStart

// bornAfter tells whether pid's process was created after path was
// written: then it is not the agent that wrote it, whose pid another
// eidbridge (nm-host, a command) now reuses. When either time is unknown
// the program's name, already confirmed, has to do.
func bornAfter(path string, pid int) bool {
	fi, err := os.Stat(path)
	if err != nil {
		return false
	}
	started, err := processStarted(pid)
	return err == nil && started.After(fi.ModTime())
}

// processImage names the program of pid: tasklist's image name, or, when
// tasklist does not list it (Wine 8's tasklist is a stub that prints
// nothing), the path the system gives (image; see osProcessImage).
func processImage(ctx context.Context, run Runner, image func(int) (string, error), pid int) (string, error) {
	name, ok, err := tasklistImage(ctx, run, pid)
	if ok && err == nil {
		return name, nil
	}
	if err == nil {
		err = fmt.Errorf("tasklist lists no process %d", pid)
	}
	if image == nil {
		image = osProcessImage
	}
	exe, ierr := image(pid)
	if ierr != nil {
		return "", errors.Join(err, fmt.Errorf("asking the system about process %d: %w", pid, ierr))
	}
	return exe, nil
}

// tasklistImage asks `tasklist /FO CSV /NH` about pid and finds its row,
// such as "eidbridgew.exe","1234","Console","1","12,345 K". Anything else
// (none found: a localized "INFO: ..." line) is no answer (ok false).
func tasklistImage(ctx context.Context, run Runner, pid int) (name string, ok bool, err error) {
	out, err := run.Run(ctx, "tasklist", "/FI", fmt.Sprintf("PID eq %d", pid), "/FO", "CSV", "/NH")
	for _, line := range strings.Split(out, "\n") {
		f := strings.Split(strings.TrimSpace(line), `","`)
		if len(f) >= 2 && strings.HasPrefix(f[0], `"`) && f[1] == strconv.Itoa(pid) {
			return strings.TrimPrefix(f[0], `"`), true, err
		}
	}
	return "", false, err
}
