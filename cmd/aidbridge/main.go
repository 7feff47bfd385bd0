// Command aidbridge coordinates medical aid between institutions: it serves
// the web UI and the JSON API over one store, and manages users and tokens
// from the command line.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"aidbridge/internal/account"
	"aidbridge/internal/activity"
	"aidbridge/internal/api"
	"aidbridge/internal/contribution"
	"aidbridge/internal/demo"
	"aidbridge/internal/directory"
	"aidbridge/internal/domain"
	"aidbridge/internal/event"
	"aidbridge/internal/flow"
	"aidbridge/internal/mission"
	"aidbridge/internal/notify"
	"aidbridge/internal/outcome"
	"aidbridge/internal/partnership"
	"aidbridge/internal/report"
	"aidbridge/internal/server"
	"aidbridge/internal/store"
	"aidbridge/internal/supply"
	"aidbridge/internal/web"
	"aidbridge/internal/workqueue"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// DefaultDB is where the SQLite database lives unless told otherwise.
const DefaultDB = "sqlite:aidbridge-data/aidbridge.db"

// Config is everything the program is told by flags and environment.
type Config struct {
	Addr      string
	DB        string
	Demo      bool
	LogFormat string // text or json
	LogLevel  slog.Level
}

// Main is the running program: a store and an HTTP server over it.
type Main struct {
	Config Config
	Log    *slog.Logger
	Out    io.Writer // where demo logins are printed

	Store    *store.Store
	Accounts *account.Service
	Dir      *directory.Service
	Supply   *supply.Service
	Notify   *notify.Service
	Work     *workqueue.Service
	Partners *partnership.Service
	Missions *mission.Service
	Outcomes *outcome.Service
	Reports  *report.Service

	Contributions *contribution.Service
	// Activities is the field work of missions' teams.
	Activities *activity.Service
	Events     *event.Service

	server   *http.Server
	listener net.Listener
	done     chan error
	sweeps   chan struct{} // closed to stop the timed sweeps
	swept    chan struct{} // closed when they stopped
}

// sweepEvery is how often the server looks for what time alone brings
// about: formation deadlines coming near, action items falling overdue.
const sweepEvery = 10 * time.Minute

// sweep runs the timed sweeps, at once and then every sweepEvery, until
// stop is closed.
func (m *Main) sweep(stop chan struct{}) {
	defer close(m.swept)
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if n, err := m.Missions.NoteDeadlines(ctx); err != nil {
			m.Log.Warn("formation deadlines not noted", "err", err)
		} else if n > 0 {
			m.Log.Info("formation deadlines noted", "missions", n)
		}
		if n, err := m.Events.NoteOverdue(ctx); err != nil {
			m.Log.Warn("overdue action items not noted", "err", err)
		} else if n > 0 {
			m.Log.Info("overdue action items noted", "items", n)
		}
		cancel()
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// NewMain returns a program with the given configuration that logs to w.
func NewMain(cfg Config, out io.Writer, log *slog.Logger) *Main {
	return &Main{Config: cfg, Out: out, Log: log}
}

// Open opens the store (applying migrations) and builds the services, without
// serving anything; the command-line tools need only this.
func (m *Main) Open(ctx context.Context) error {
	s, err := store.Open(ctx, m.Config.DB)
	if err != nil {
		return err
	}
	m.Store = s
	m.Accounts = account.NewService(s)
	m.Dir = directory.NewService(s)
	m.Supply = supply.NewService(s)
	m.Notify = notify.NewService(s)
	m.Work = workqueue.NewService(s)
	m.Partners = partnership.NewService(s)
	m.Missions = mission.NewService(s)
	m.Outcomes = outcome.NewService(s)
	m.Reports = report.NewService(s)
	m.Contributions = contribution.NewService(s)
	m.Activities = activity.NewService(s)
	m.Events = event.NewService(s)
	return nil
}

// Run opens the store, loads the demo data when asked, and starts serving
// HTTP on Config.Addr in the background. Use URL to find where.
func (m *Main) Run(ctx context.Context) error {
	start := time.Now()
	if err := m.Open(ctx); err != nil {
		return err
	}
	if m.Config.Demo {
		if err := m.loadDemo(ctx); err != nil {
			return err
		}
	}
	srv := server.New(m.Store, m.Log)
	api.Register(srv.Mux(), api.Deps{Dir: m.Dir, Accounts: m.Accounts, Supply: m.Supply, Notify: m.Notify, Work: m.Work, Partners: m.Partners,
		Missions: m.Missions, Outcomes: m.Outcomes, Reports: m.Reports, Contributions: m.Contributions, Activities: m.Activities, Events: m.Events, Log: m.Log})
	if err := web.Register(srv.Mux(), web.Deps{Dir: m.Dir, Accounts: m.Accounts, Supply: m.Supply, Notify: m.Notify, Work: m.Work, Partners: m.Partners,
		Missions: m.Missions, Outcomes: m.Outcomes, Reports: m.Reports, Contributions: m.Contributions, Activities: m.Activities, Events: m.Events, Log: m.Log, Version: version}); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.listener = ln
	m.server = &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn),
	}
	m.done = make(chan error, 1)
	go func() { m.done <- m.server.Serve(ln) }()
	m.sweeps, m.swept = make(chan struct{}), make(chan struct{})
	go m.sweep(m.sweeps)
	m.Log.Info("aidbridge serving", "url", m.URL(), "db", m.Store.Dialect(), "version", version, "startup", time.Since(start).Round(time.Millisecond))
	return nil
}

func (m *Main) loadDemo(ctx context.Context) error {
	n, err := m.Store.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintln(m.Out, "The database is not empty: demo data not loaded again. The demo logins printed when it was first loaded still work.")
		fmt.Fprintf(m.Out, "Demo password for every demo login: %s\n", demo.Password)
		return nil
	}
	logins, err := demo.Load(ctx, m.Store, m.Accounts)
	if err != nil {
		return fmt.Errorf("load demo data: %w", err)
	}
	fmt.Fprintf(m.Out, "Demo data loaded. Log in at %s with any of these (password %q):\n", "http://"+displayAddr(m.Config.Addr), demo.Password)
	for _, l := range logins {
		fmt.Fprintf(m.Out, "  %-40s %s\n", l.Email, l.Description)
	}
	return nil
}

func displayAddr(addr string) string {
	if strings.HasPrefix(addr, ":") {
		return "localhost" + addr
	}
	return addr
}

// URL returns the base URL the server listens on.
func (m *Main) URL() string {
	if m.listener == nil {
		return ""
	}
	return "http://" + m.listener.Addr().String()
}

// Close stops accepting connections, waits up to 15 seconds for requests in
// flight, and closes the store.
func (m *Main) Close() error {
	var err error
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		err = m.server.Shutdown(ctx)
		if serr := <-m.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
	}
	if m.sweeps != nil {
		close(m.sweeps)
		<-m.swept
		m.sweeps = nil
	}
	if m.Store != nil {
		err = errors.Join(err, m.Store.Close())
	}
	return err
}

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "aidbridge:", err)
		var fe *domain.Error
		if errors.As(err, &fe) {
			for _, f := range fe.Fields {
				fmt.Fprintf(os.Stderr, "  %s: %s\n", f.Field, f.Message)
			}
		}
		os.Exit(1)
	}
}

const usage = `aidbridge coordinates medical aid between institutions.

Usage:
  aidbridge serve [--addr HOST:PORT] [--db URL] [--demo] [--log-format text|json]
  aidbridge migrate [--db URL]
  aidbridge user create --email E --name N [--org ORG_ID --role ROLE [--department DEPT_ID]] [--site-admin]
                        (reads the password on standard input)
  aidbridge token create --email E [--name NAME]
  aidbridge allocate --dimacs FILE [--max-nodes N]   (solves a DIMACS minimum-cost flow problem; prints "s COST" and "f U V FLOW" lines)
  aidbridge backup [--db sqlite:PATH] FILE   (a consistent copy of a SQLite database, while it serves)
  aidbridge restore [--db sqlite:PATH] FILE  (puts a backup in place of the database; stop the server first)
  aidbridge version

--db takes sqlite:PATH (default ` + DefaultDB + `) or a postgres:// URL.
Environment: AIDBRIDGE_ADDR, AIDBRIDGE_DB, AIDBRIDGE_LOG_FORMAT, AIDBRIDGE_LOG_LEVEL.
`

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("name a command")
	}
	cmd, rest := args[0], args[1:]
	if len(rest) > 0 && (cmd == "user" || cmd == "token") {
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, rest, stdout, stderr)
	case "migrate":
		cfg, _, err := parse("migrate", rest, stderr, nil)
		if err != nil {
			return err
		}
		m := NewMain(cfg, stdout, newLogger(cfg, stderr))
		if err := m.Open(ctx); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "migrations applied")
		return m.Store.Close()
	case "user create":
		return userCreate(ctx, rest, stdin, stdout, stderr)
	case "token create":
		return tokenCreate(ctx, rest, stdout, stderr)
	case "allocate":
		return allocate(rest, stdout, stderr)
	case "backup":
		return backup(ctx, rest, stdout, stderr)
	case "restore":
		return restore(ctx, rest, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "aidbridge", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", strings.Join(args[:min(2, len(args))], " "))
}

// parse reads the common flags (and extra ones added by more) with the
// environment as defaults.
func parse(name string, args []string, stderr io.Writer, more func(*flag.FlagSet)) (Config, *flag.FlagSet, error) {
	cfg := Config{Addr: envOr("AIDBRIDGE_ADDR", ":8080"), DB: envOr("AIDBRIDGE_DB", DefaultDB), LogFormat: envOr("AIDBRIDGE_LOG_FORMAT", "")}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.DB, "db", cfg.DB, "database: sqlite:PATH or postgres://...")
	fs.StringVar(&cfg.LogFormat, "log-format", cfg.LogFormat, "log format: text or json (default: text on a terminal, json otherwise)")
	level := fs.String("log-level", envOr("AIDBRIDGE_LOG_LEVEL", "info"), "log level: debug, info, warn, error")
	if name == "serve" {
		fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "address to listen on, HOST:PORT")
		fs.BoolVar(&cfg.Demo, "demo", false, "load the demo data set into an empty database")
	}
	if more != nil {
		more(fs)
	}
	if err := fs.Parse(args); err != nil {
		return cfg, fs, err
	}
	if fs.NArg() > 0 && !takesFile[name] {
		return cfg, fs, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		return cfg, fs, fmt.Errorf("--log-level %q: use debug, info, warn or error", *level)
	}
	switch cfg.LogFormat {
	case "", "text", "json":
	default:
		return cfg, fs, fmt.Errorf("--log-format %q: use text or json", cfg.LogFormat)
	}
	return cfg, fs, nil
}

// takesFile lists the commands that take a file after their flags.
var takesFile = map[string]bool{"backup": true, "restore": true}

// fileArg returns the one file a command takes after its flags.
func fileArg(fs *flag.FlagSet, what string) (string, error) {
	switch {
	case fs.NArg() == 0:
		return "", fmt.Errorf("name the %s file after the flags", what)
	case fs.NArg() > 1:
		return "", fmt.Errorf("one %s file, then nothing: give the flags before it (%q follows it)", what, fs.Arg(1))
	}
	return fs.Arg(0), nil
}

// backup writes a consistent copy of the SQLite database to a new file
// while a server may be serving it.
func backup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, fs, err := parse("backup", args, stderr, nil)
	if err != nil {
		return err
	}
	file, err := fileArg(fs, "backup")
	if err != nil {
		return err
	}
	start := time.Now()
	s, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Backup(ctx, file); err != nil {
		return err
	}
	st, err := os.Stat(file)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s (%d bytes, checked, in %s)\n", cfg.DB, file, st.Size(), time.Since(start).Round(time.Millisecond))
	return nil
}

// restore puts a backup in place of the SQLite database, keeping the one it
// replaces, and brings its schema up to date.
func restore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, fs, err := parse("restore", args, stderr, nil)
	if err != nil {
		return err
	}
	file, err := fileArg(fs, "backup")
	if err != nil {
		return err
	}
	kept, err := store.Restore(ctx, cfg.DB, file)
	if err != nil {
		return err
	}
	s, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return fmt.Errorf("the backup is in place but does not open: %w", err)
	}
	if err := s.Close(); err != nil {
		return err
	}
	if kept != "" {
		fmt.Fprintf(stdout, "the database it replaces is kept as %s\n", kept)
	}
	fmt.Fprintf(stdout, "restored %s from %s\n", cfg.DB, file)
	return nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	format := cfg.LogFormat
	if format == "" {
		format = "json"
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				format = "text"
			}
		}
	}
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, _, err := parse("serve", args, stderr, nil)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	slog.SetDefault(log)
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain(cfg, stdout, log)
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	select {
	case <-ctx.Done():
		log.Info("shutting down: finishing requests in flight")
	case err := <-m.done:
		m.done <- err
		log.Error("server stopped", "err", err)
	}
	return m.Close()
}

func userCreate(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var email, name, org, role, dept string
	var siteAdmin bool
	cfg, _, err := parse("user create", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "email address (required)")
		fs.StringVar(&name, "name", "", "full name (required)")
		fs.StringVar(&org, "org", "", "organization id for a membership")
		fs.StringVar(&role, "role", "", "role in --org: admin, coordinator, screener, reviewer, member, viewer")
		fs.StringVar(&dept, "department", "", "department id, for a screener")
		fs.BoolVar(&siteAdmin, "site-admin", false, "make the user a site administrator")
	})
	if err != nil {
		return err
	}
	if (org == "") != (role == "") {
		return errors.New("--org and --role go together")
	}
	pw, err := io.ReadAll(io.LimitReader(stdin, 4096))
	if err != nil {
		return fmt.Errorf("read password from standard input: %w", err)
	}
	password := strings.TrimRight(string(pw), "\r\n")
	m := NewMain(cfg, stdout, newLogger(cfg, stderr))
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Store.Close()
	u := domain.User{Email: email, Name: name, SiteAdmin: siteAdmin}
	if org != "" {
		u.Memberships = []domain.Membership{{OrganizationID: org, Role: domain.Role(role), DepartmentID: dept}}
	}
	if err := m.Accounts.CreateUser(ctx, nil, &u, password); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created user %s (%s)\n", u.ID, u.Email)
	return nil
}

func tokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var email, name string
	cfg, _, err := parse("token create", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "email of the user the token acts for (required)")
		fs.StringVar(&name, "name", "command line", "what the token is for")
	})
	if err != nil {
		return err
	}
	if email == "" {
		return errors.New("--email is required")
	}
	m := NewMain(cfg, stdout, newLogger(cfg, stderr))
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Store.Close()
	u, err := m.Accounts.FindUserByEmail(ctx, email)
	if err != nil {
		return err
	}
	_, secret, err := m.Accounts.CreateToken(ctx, nil, u.ID, name)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, secret)
	return nil
}

// allocate solves a DIMACS minimum-cost flow problem to proven optimality and
// prints the DIMACS solution on stdout.
func allocate(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("allocate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("dimacs", "", "the DIMACS min-cost flow problem to solve (\"-\" for standard input)")
	maxNodes := fs.Int("max-nodes", flow.DefaultDIMACSNodes, fmt.Sprintf("the most nodes a problem may have, up to %d: solver storage grows with it", flow.MaxDIMACSNodes))
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *file == "" || fs.NArg() > 0 {
		return errors.New("usage: aidbridge allocate --dimacs FILE")
	}
	in := os.Stdin
	if *file != "-" {
		f, err := os.Open(*file)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	out := bufio.NewWriter(stdout)
	if *maxNodes < 1 || *maxNodes > flow.MaxDIMACSNodes {
		return fmt.Errorf("--max-nodes must be from 1 to %d, not %d", flow.MaxDIMACSNodes, *maxNodes)
	}
	if err := flow.SolveDIMACSNodes(in, out, *maxNodes); err != nil {
		return fmt.Errorf("%s: %w", *file, err)
	}
	return out.Flush()
}
