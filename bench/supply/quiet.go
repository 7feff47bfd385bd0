package main

import (
	"runtime"
	"time"

	"aidbridge/bench/launch"
)

// The machine may be shared: before each run we wait for it to be quiet,
// and during each run we measure how much CPU went to processes other than
// this one, aidbridge and PostgreSQL, so that a disturbed run shows as such.

// cpuSample is cumulative CPU time at one moment.
type cpuSample struct {
	at                     time.Time
	machine, self, app, pg time.Duration
}

// cpuUse is the CPU spent between two samples.
type cpuUse struct {
	wall, machine, self, app, pg time.Duration
}

// sampleCPU reads the machine's busy time from /proc/stat, this process's
// from getrusage, and that of process app (0: none) and of every process
// named postgres from /proc.
func sampleCPU(app int) cpuSample {
	s := cpuSample{at: time.Now()}
	s.self = launch.SelfCPU()
	s.machine = launch.MachineBusy()
	if app > 0 {
		s.app = launch.ProcCPU(app)
		s.pg = launch.PostgresCPU()
	}
	return s
}

func (s cpuSample) since(b cpuSample) cpuUse {
	return cpuUse{wall: s.at.Sub(b.at), machine: s.machine - b.machine, self: s.self - b.self, app: s.app - b.app, pg: max(0, s.pg-b.pg)} // a PostgreSQL backend that ended takes its time along
}

// share returns d as a fraction of all the machine's cores over the wall time.
func (u cpuUse) share(d time.Duration) float64 {
	if u.wall <= 0 {
		return 0
	}
	return float64(d) / (float64(u.wall) * float64(runtime.NumCPU()))
}

// busy returns the fraction of the machine that was busy.
func (u cpuUse) busy() float64 { return u.share(u.machine) }

// other returns the fraction of the machine used by processes other than
// this one, aidbridge and PostgreSQL's (including the kernel's work for
// loopback traffic).
func (u cpuUse) other() float64 { return u.share(max(0, u.machine-u.self-u.app-u.pg)) }

// waitQuiet waits, up to limit, for a half second in which the machine is
// less than threshold busy (0..1); it returns the last busy fraction seen.
func waitQuiet(limit time.Duration, threshold float64) float64 {
	deadline := time.Now().Add(limit)
	for {
		a := sampleCPU(0)
		time.Sleep(500 * time.Millisecond)
		u := sampleCPU(0).since(a)
		if u.busy() < threshold || time.Now().After(deadline) {
			return u.busy()
		}
	}
}
