package launch

import (
	"bufio"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTick is USER_HZ, 100 on every Linux this runs on.
const clockTick = 10 * time.Millisecond

// MachineBusy returns the machine's busy CPU time since boot from /proc/stat
// (everything but idle, iowait and steal), 0 when it cannot be read.
func MachineBusy() time.Duration {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return 0
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	fields := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	if len(fields) < 2 {
		return 0
	}
	var busy time.Duration
	for i, v := range fields[1:min(len(fields), 9)] {
		if i == 3 || i == 4 || i == 7 { // idle, iowait, steal
			continue
		}
		n, _ := strconv.ParseInt(v, 10, 64)
		busy += time.Duration(n) * clockTick
	}
	return busy
}

// SelfCPU returns this process's user and system time.
func SelfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ProcCPU returns the user and system time of process pid, 0 when it is gone.
func ProcCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:])) // state ppid ... utime (12th) stime (13th)
	if len(f) <= 12 {
		return 0
	}
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+st) * clockTick
}

// PostgresCPU returns the user and system time of every process named
// postgres: the server's backends and its background workers.
func PostgresCPU() time.Duration {
	var d time.Duration
	comms, _ := filepath.Glob("/proc/[0-9]*/comm")
	for _, c := range comms {
		if b, err := os.ReadFile(c); err == nil && strings.TrimSpace(string(b)) == "postgres" {
			if pid, err := strconv.Atoi(filepath.Base(filepath.Dir(c))); err == nil {
				d += ProcCPU(pid)
			}
		}
	}
	return d
}

// Quantile returns the p-th quantile (0..1) of sorted latencies, by nearest
// rank; 0 when there are none.
func Quantile(lat []time.Duration, p float64) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(lat)))) - 1
	return lat[max(0, min(i, len(lat)-1))]
}
