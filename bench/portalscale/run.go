//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// run sets up the cluster and its citizens, measures, and removes all
// it made.
func run(c config) (result, error) {
	dir, err := os.MkdirTemp("", "portalscale-")
	if err != nil {
		return result{}, err
	}
	defer os.RemoveAll(dir)
	dsn, backend := "", "sqlite"
	if c.db != "" {
		var drop func()
		if dsn, drop, err = createDatabase(c.db); err != nil {
			return result{}, err
		}
		defer drop()
		backend = "postgres"
	}
	cs, trust, err := makeCitizens(dir, c.instances*c.clients)
	if err != nil {
		return result{}, err
	}
	addrs, err := freeAddrs(c.instances)
	if err != nil {
		return result{}, err
	}
	cl := newCluster("http://"+addrs[0], addrs)
	ins, err := startInstances(c, dir, dsn, trust, cl.origin, addrs)
	if err != nil {
		return result{}, err
	}
	defer stopInstances(ins)
	bs, err := accounts(cl, cs, filepath.Join(dir, "data", "outbox"))
	if err != nil {
		return result{}, fmt.Errorf("making the accounts: %w (logs in %s)", err, dir)
	}
	op, unit := (*browser).login, "logins/s"
	if c.op == "renewal" {
		op, unit = (*browser).request, "renewals/s"
	}
	r, err := load(c, ins, bs, cs, op)
	r.backend, r.unit = backend, unit
	return r, err
}

// accounts makes every citizen's account with a first online request,
// all at once, and reads their codes; it returns a browser for each.
func accounts(cl *cluster, cs []*citizen, outbox string) ([]*browser, error) {
	bs := make([]*browser, len(cs))
	errs := make([]error, len(cs))
	var wg sync.WaitGroup
	for i, c := range cs {
		bs[i] = cl.browser()
		wg.Go(func() { errs[i] = bs[i].request(c) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("citizen %d: %w", i, err)
		}
	}
	return bs, readCodes(outbox, cs)
}
