//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// result is one measurement.
type result struct {
	c             config
	ops           int
	elapsed       time.Duration
	p50, p99      time.Duration
	cpuInstances  time.Duration // the portals' CPU time
	cpuClient     time.Duration // this process's
	cpuDatabase   time.Duration // PostgreSQL's processes' (of those alive at both ends)
	cpuBusy       time.Duration // the whole machine's, all cores
	cpuStolen     time.Duration // taken by the hypervisor for other guests
	backend, unit string
}

func (r result) rate() float64 { return float64(r.ops) / r.elapsed.Seconds() }

// perOp is d per operation, in milliseconds.
func (r result) perOp(d time.Duration) float64 { return ms(d) / float64(r.ops) }

func (r result) String() string {
	per := r.perOp
	return fmt.Sprintf("%s %s instances=%d clients=%d: %.1f %s, p50 %.1f ms, p99 %.1f ms; CPU per op: instances %.2f ms, client %.2f ms, database %.2f ms, rest %.2f ms; cores busy %.0f %%, stolen %.0f %% (%d ops in %.1f s)",
		r.c.op, r.backend, r.c.instances, r.c.clients*r.c.instances, r.rate(), r.unit,
		ms(r.p50), ms(r.p99), per(r.cpuInstances), per(r.cpuClient), per(r.cpuDatabase), per(r.cpuBusy-r.cpuInstances-r.cpuClient-r.cpuDatabase), r.busyShare(), r.stolenShare(), r.ops, r.elapsed.Seconds())
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// load runs op in every browser at once: warm-up first, then measured.
func load(c config, ins []*instance, bs []*browser, cs []*citizen, op func(*browser, *citizen) error) (result, error) {
	if _, _, err := loop(bs, cs, op, c.warmup); err != nil {
		return result{}, err
	}
	before := snapshot(ins)
	start := time.Now()
	lat, n, err := loop(bs, cs, op, c.duration)
	if err != nil {
		return result{}, err
	}
	after := snapshot(ins)
	r := result{c: c, ops: n, elapsed: time.Since(start), p50: percentile(lat, 0.50), p99: percentile(lat, 0.99),
		cpuInstances: after.instances - before.instances, cpuClient: after.client - before.client, cpuDatabase: after.database(before), cpuBusy: after.busy - before.busy,
		cpuStolen: after.stolen - before.stolen}
	return r, nil
}

// loop runs op in each browser until d has passed; the first error stops all.
func loop(bs []*browser, cs []*citizen, op func(*browser, *citizen) error, d time.Duration) ([]time.Duration, int, error) {
	var (
		mu   sync.Mutex
		lat  []time.Duration
		ferr error
		wg   sync.WaitGroup
	)
	end := time.Now().Add(d)
	for i := range bs {
		wg.Go(func() {
			for time.Now().Before(end) {
				t0 := time.Now()
				err := op(bs[i], cs[i])
				mu.Lock()
				lat = append(lat, time.Since(t0))
				if err != nil && ferr == nil {
					ferr = fmt.Errorf("client %d: %w", i, err)
				}
				stop := ferr != nil
				mu.Unlock()
				if stop {
					return
				}
			}
		})
	}
	wg.Wait()
	return lat, len(lat), ferr
}

func percentile(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[int(q*float64(len(d)-1))]
}

// cpu is the CPU time used so far by the instances, this process and
// the whole machine.
type cpu struct {
	instances, client, busy, stolen time.Duration
	postgres                        map[int]time.Duration // by pid
}

// database is the CPU time PostgreSQL's processes used since before.
func (s cpu) database(before cpu) time.Duration {
	var d time.Duration
	for pid, t := range s.postgres {
		d += t - before.postgres[pid]
	}
	return d
}

func snapshot(ins []*instance) cpu {
	var s cpu
	for _, in := range ins {
		s.instances += processCPU(in.cmd.Process.Pid)
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	s.client = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	s.busy, s.stolen = machineCPU()
	s.postgres = processesNamed("postgres")
	return s
}

// processesNamed is the CPU time of every process with that command name.
func processesNamed(name string) map[int]time.Duration {
	out := map[int]time.Duration{}
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		if comm, _ := os.ReadFile(filepath.Join("/proc", d.Name(), "comm")); strings.TrimSpace(string(comm)) == name {
			out[pid] = processCPU(pid)
		}
	}
	return out
}

// clockTick is USER_HZ, the unit of /proc's CPU times (100 on Linux).
const clockTick = 100

// processCPU is a process's user and system time, from /proc/PID/stat.
// The instance's pid is taskset's, which execs the portal in place.
func processCPU(pid int) time.Duration {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / clockTick
}

// machineCPU is the time all cores spent working and the time the
// hypervisor gave to other guests, from /proc/stat's first line (user,
// nice, system, idle, iowait, irq, softirq, steal; guest time is in user).
func machineCPU() (busy, stolen time.Duration) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	var ticks [8]int64
	for i, v := range strings.Fields(line)[1:] {
		if i < len(ticks) {
			ticks[i], _ = strconv.ParseInt(v, 10, 64)
		}
	}
	tick := func(n int64) time.Duration { return time.Duration(n) * time.Second / clockTick }
	return tick(ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]), tick(ticks[7])
}

// busyShare is how much of all cores was at work, and stolenShare how
// much the hypervisor took (a noisy neighbour makes the figures vary).
func (r result) busyShare() float64 {
	return 100 * r.cpuBusy.Seconds() / (r.elapsed.Seconds() * float64(ncpu()))
}
func (r result) stolenShare() float64 {
	return 100 * r.cpuStolen.Seconds() / (r.elapsed.Seconds() * float64(ncpu()))
}

func ncpu() int { return runtime.NumCPU() }
