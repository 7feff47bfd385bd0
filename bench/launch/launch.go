// Package launch is what the benchmarks share: it starts the built aidbridge
// binary as a child process, times it until its first healthy answer, reads
// its memory use and CPU time, makes and drops throwaway PostgreSQL
// databases for it, and fills them in bulk, with the million needs of the
// supply benchmarks among others.
package launch

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Process is a running `aidbridge serve`.
type Process struct {
	URL   string        // http://127.0.0.1:PORT
	Ready time.Duration // from just before exec to the end of the first 200 on /healthz

	cmd    *exec.Cmd
	stderr *lockedBuffer
	exited chan error
}

// lockedBuffer collects the child's output, which os/exec copies from another
// goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// FreeAddr returns a loopback address with a port that was free a moment ago.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// Start runs `bin serve --addr ADDR --db db` on a free loopback port and
// returns once /healthz has answered 200, polling every 500 µs, or fails
// after timeout.
func Start(bin, db string, timeout time.Duration, extra ...string) (*Process, error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	args := append([]string{"serve", "--addr", addr, "--db", db, "--log-format", "json"}, extra...)
	cmd := exec.Command(bin, args...)
	stderr := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = stderr, stderr
	// Keep the environment from choosing another address or database.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AIDBRIDGE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	p := &Process{URL: "http://" + addr, cmd: cmd, stderr: stderr, exited: make(chan error, 1)}
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() { p.exited <- cmd.Wait() }()
	for {
		select {
		case err := <-p.exited:
			p.exited <- err
			return nil, fmt.Errorf("%s exited before answering (%v): %s", bin, err, stderr.String())
		default:
		}
		if time.Since(start) > timeout {
			p.Stop()
			return nil, fmt.Errorf("%s did not answer /healthz within %s: %s", bin, timeout, stderr.String())
		}
		resp, err := client.Get(p.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				p.Ready = time.Since(start)
				return p, nil
			}
		}
		time.Sleep(500 * time.Microsecond)
	}
}

// PID returns the process id.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Memory returns the resident set size (VmRSS) and its peak (VmHWM) in bytes,
// from /proc/PID/status.
func (p *Process) Memory() (rss, peak int64, err error) {
	f, err := os.Open("/proc/" + strconv.Itoa(p.PID()) + "/status")
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("read %s of process %d: %w", k, p.PID(), err)
		}
		if k == "VmRSS" {
			rss = n * 1024
		} else {
			peak = n * 1024
		}
	}
	if rss == 0 {
		return 0, 0, fmt.Errorf("no VmRSS for process %d", p.PID())
	}
	return rss, peak, sc.Err()
}

// Startup returns the startup duration the program logged itself (the time
// its Run took: opening the store, migrations, building the handlers), or 0
// when it logged none.
func (p *Process) Startup() time.Duration {
	for _, line := range strings.Split(p.stderr.String(), "\n") {
		var rec struct {
			Msg     string `json:"msg"`
			Startup any    `json:"startup"`
		}
		if json.Unmarshal([]byte(line), &rec) != nil || rec.Msg != "aidbridge serving" {
			continue
		}
		switch v := rec.Startup.(type) {
		case float64: // slog's JSON handler writes durations as nanoseconds
			return time.Duration(v)
		case string:
			d, _ := time.ParseDuration(v)
			return d
		}
	}
	return 0
}

// Log returns what the process wrote so far.
func (p *Process) Log() string { return p.stderr.String() }

// Stop sends SIGTERM, waits up to 20 seconds for the process to end, then
// kills it.
func (p *Process) Stop() error {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exited:
		p.exited <- err
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return fmt.Errorf("aidbridge exited with %v: %s", err, p.stderr.String())
		}
		return err
	case <-time.After(20 * time.Second):
		p.cmd.Process.Kill()
		return errors.New("aidbridge did not stop within 20s of SIGTERM: killed")
	}
}

// CreatePostgres creates the database name on the server of admin (a
// postgres:// URL whose user may create databases) and returns its URL and a
// function that drops it.
func CreatePostgres(ctx context.Context, admin, name string) (string, func() error, error) {
	u, err := url.Parse(admin)
	if err != nil {
		return "", nil, fmt.Errorf("postgres url %q: %w", admin, err)
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", nil, fmt.Errorf("postgres url %q: the benchmarks only talk to loopback", admin)
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return "", nil, err
	}
	ident := `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+ident); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	u.Path = "/" + name
	drop := func() error {
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop database %s: %w", name, err)
		}
		return nil
	}
	return u.String(), drop, nil
}
