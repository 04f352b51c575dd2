//go:build linux

package main

import (
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
)

// hashScaling is the machine's own scaling from one core to two, with
// nothing but the portal's password hash (argon2id, 19 MiB, 2 passes, 1
// lane, as portal/password.go): the best two instances could do. On a
// shared virtual machine it is not 2: a busy neighbour, or a hypervisor
// that treats one busy vCPU and two differently, shows here first.
func hashScaling(d time.Duration) float64 {
	return hashRate(2, d) / hashRate(1, d)
}

// hashRate is hashes per second with k of them running at once.
func hashRate(k int, d time.Duration) float64 {
	var n atomic.Int64
	var wg sync.WaitGroup
	end := time.Now().Add(d)
	for range k {
		wg.Go(func() {
			for time.Now().Before(end) {
				argon2.IDKey([]byte("benchmark"), []byte("sixteen byte salt"), 2, 19*1024, 1, 32)
				n.Add(1)
			}
		})
	}
	wg.Wait()
	return float64(n.Load()) / d.Seconds()
}
