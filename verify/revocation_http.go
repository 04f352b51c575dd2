package verify

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"time"
)

// fetcher makes the checkers' HTTP exchanges, each bounded in time and
// size whatever client the site configured.
type fetcher struct {
	client  *http.Client
	timeout time.Duration
}

func newFetcher(client *http.Client, timeout, def time.Duration) fetcher {
	if timeout <= 0 {
		timeout = def
	}
	if client == nil {
		client = &http.Client{Timeout: timeout}
	}
	return fetcher{client: client, timeout: timeout}
}

// fetch sends req and returns the body of a 200 answer of at most limit
// bytes. where names the certificate and the URL in errors.
func (f fetcher) fetch(req *http.Request, limit int64, where string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(req.Context(), f.timeout)
	defer cancel()
	resp, err := f.client.Do(req.WithContext(ctx))
	if err != nil {
		return nil, detail(ErrRevocationUnreachable, "%s: %v", where, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, detail(ErrRevocationUnreachable, "%s: HTTP status %d", where, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, detail(ErrRevocationUnreachable, "%s: reading the answer: %v", where, err)
	}
	if int64(len(body)) > limit {
		return nil, detail(ErrRevocationBadSignature, "%s: answer larger than %d bytes", where, limit)
	}
	return body, nil
}

// httpURL accepts only http and https URLs: revocation services are
// plain HTTP by design (the answers are signed), and nothing else is
// meant to be fetched from a certificate's URL.
func httpURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
