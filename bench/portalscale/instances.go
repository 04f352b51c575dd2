//go:build linux

package main

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the portal's own driver
)

// instance is one `eidbridge portal` process.
type instance struct {
	addr string
	cmd  *exec.Cmd
	log  *os.File
}

// startInstances starts n portals on one data directory (the code key
// must be the same everywhere) and, with dsn, one PostgreSQL database;
// instance i runs on core i when pin is set.
func startInstances(c config, dir, dsn, trust, origin string, addrs []string) ([]*instance, error) {
	var out []*instance
	for i, addr := range addrs {
		args := []string{"portal", "--addr", addr, "--origin", origin, "--data", filepath.Join(dir, "data"),
			"--trust", trust, "--revocation", "off", "--trusted-proxy", "127.0.0.1"}
		if dsn != "" {
			args = append(args, "--db", dsn)
		}
		in, err := startInstance(c, i, args, filepath.Join(dir, fmt.Sprintf("instance%d.log", i)))
		if err != nil {
			stopInstances(out)
			return nil, err
		}
		in.addr = addr
		out = append(out, in)
		if err := waitListening(addr, in); err != nil {
			stopInstances(out)
			return nil, err
		}
	}
	return out, nil
}

func startInstance(c config, i int, args []string, logPath string) (*instance, error) {
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(c.bin, args...)
	if c.pin {
		cmd = exec.Command("taskset", append([]string{"-c", strconv.Itoa(i % ncpu()), c.bin}, args...)...)
		cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("starting instance %d: %w", i, err)
	}
	return &instance{cmd: cmd, log: log}, nil
}

func waitListening(addr string, in *instance) error {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if conn, err := net.Dial("tcp", addr); err == nil {
			conn.Close()
			return nil
		}
	}
	b, _ := os.ReadFile(in.log.Name())
	return fmt.Errorf("no portal listens on %s after 30 s:\n%s", addr, b)
}

// stopInstances ends the portals as an operator would (SIGINT).
func stopInstances(ins []*instance) {
	for _, in := range ins {
		in.cmd.Process.Signal(os.Interrupt)
	}
	for _, in := range ins {
		in.cmd.Wait()
		in.log.Close()
	}
}

// freeAddrs picks n free loopback addresses.
func freeAddrs(n int) ([]string, error) {
	var out []string
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		out = append(out, ln.Addr().String())
		ln.Close()
	}
	return out, nil
}

// createDatabase makes a database of this run's own from the
// administrator's URL; drop removes it.
func createDatabase(admin string) (dsn string, drop func(), err error) {
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return "", nil, fmt.Errorf("-db: %w", err)
	}
	name := fmt.Sprintf("portalscale_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("creating the benchmark's database: %w", err)
	}
	u, err := url.Parse(admin)
	if err != nil {
		db.Close()
		return "", nil, fmt.Errorf("-db: %w", err)
	}
	u.Path = "/" + name
	return u.String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			fmt.Fprintf(os.Stderr, "portalscale: dropping %s: %v\n", name, err)
		}
		db.Close()
	}, nil
}
