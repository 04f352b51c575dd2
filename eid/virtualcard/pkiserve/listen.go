package pkiserve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// Dir takes a card profile directory to its pki/ and leaves a PKI
// directory as it is.
func Dir(path string) string {
	if _, err := os.Stat(filepath.Join(path, "card.json")); err == nil {
		return filepath.Join(path, "pki")
	}
	return path
}

// Listen opens the service for the PKI in dir on addr, or, when addr is
// empty, on the address its certificates name.
func Listen(dir, addr string) (net.Listener, error) {
	st, err := virtualcard.LoadRevocation(dir)
	if err != nil {
		return nil, err
	}
	if addr == "" && st.URL == "" {
		return nil, fmt.Errorf("%s has no revocation service URL (a PKI made before it existed): pass --addr", dir)
	}
	if addr == "" {
		addr = HostOf(st.URL)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("the test PKI's revocation service: %w", err)
	}
	return ln, nil
}

// Serve answers for the PKI in dir on ln until ctx ends.
func Serve(ctx context.Context, ln net.Listener, dir string) error {
	srv := &http.Server{Handler: &Server{Dir: dir}, ReadHeaderTimeout: 10 * time.Second}
	go func() { <-ctx.Done(); srv.Close() }()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// HostOf is the host:port of an http URL.
func HostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Host
}
