package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"aidbridge/internal/account"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
	"aidbridge/internal/store/storetest"
)

// The crash suite runs the program as a child process under a mix of
// writes (stock movements, needs and the pledges against them, applications
// to a mission and their screening), kills it with SIGKILL at a random
// moment, starts it again, and checks that every write it acknowledged is
// there and that the invariants hold. make test runs a few kills per
// database; make crash runs AIDBRIDGE_CRASH_KILLS of them (200).

// crashChildEnv holds the arguments of serve for the child.
const crashChildEnv = "AIDBRIDGE_CRASH_CHILD"

// TestCrashChild is the child: the program serving, until it is killed.
// It does nothing when not started by TestCrash.
func TestCrashChild(t *testing.T) {
	args := os.Getenv(crashChildEnv)
	if args == "" {
		t.Skip("the crash suite's child process; TestCrash starts it")
	}
	var argv []string
	if err := json.Unmarshal([]byte(args), &argv); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), argv, nil, io.Discard, io.Discard); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(2)
	}
}

func crashKills(t *testing.T) int {
	if v := os.Getenv("AIDBRIDGE_CRASH_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("AIDBRIDGE_CRASH_KILLS=%q: give a number of kills", v)
		}
		return n
	}
	return 4
}

func TestCrash(t *testing.T) {
	t.Parallel()
	kills := crashKills(t)
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			url := b.URL(t)
			if b.Name == "sqlite" {
				url = "sqlite:" + filepath.Join(t.TempDir(), "crash.db")
			}
			c := newCrashRun(t, url)
			start := time.Now()
			for round := range kills {
				c.round(round)
			}
			t.Logf("%d kills, %d acknowledged writes checked after them, in %v", kills, c.acked, time.Since(start).Round(time.Millisecond))
		})
	}
}

// crashRun is one database under the crash suite.
type crashRun struct {
	t       *testing.T
	url     string
	addr    string
	child   *exec.Cmd
	tokens  map[string]string
	ids     map[string]string
	acked   int
	first   bool
	rng     *rand.Rand
	client  *http.Client
	mission struct{ id, slot string }
}

func newCrashRun(t *testing.T, url string) *crashRun {
	c := &crashRun{t: t, url: url, tokens: map[string]string{}, ids: map[string]string{}, first: true,
		rng: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7)), client: &http.Client{Timeout: 10 * time.Second}}
	c.start()
	ctx := context.Background()
	s, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	accounts := account.NewService(s)
	for _, email := range []string{"coordinator@scmc.example.org", "supply@seattlechildrens.example.org", "partners@xinhua.example.org", "screener@xinhua.example.org"} {
		u, err := accounts.FindUserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		_, secret, err := accounts.CreateToken(ctx, nil, u.ID, "crash suite")
		if err != nil {
			t.Fatal(err)
		}
		c.tokens[email] = secret
	}
	for key, name := range map[string]string{"scmc": scmcName, "seattle": seattleName} {
		list, _, err := s.ListOrganizations(ctx, domain.OrganizationFilter{Query: name, Limit: 5})
		if err != nil || len(list) == 0 {
			t.Fatalf("organization %s: %v", name, err)
		}
		c.ids[key] = list[0].ID
	}
	items, _, err := s.ListItems(ctx, domain.ItemFilter{Query: "N95", Limit: 1})
	if err != nil || len(items) == 0 {
		t.Fatalf("item N95: %v", err)
	}
	c.ids["n95"] = items[0].ID
	missions, _, err := s.ListMissions(ctx, domain.MissionFilter{Status: "recruiting", Limit: 1})
	if err != nil || len(missions) == 0 {
		t.Fatalf("a recruiting mission: %v", err)
	}
	c.mission.id = missions[0].ID
	for _, sl := range missions[0].Slots {
		if sl.Specialty == "cardiology" || sl.Specialty == "Cardiology" {
			c.mission.slot = sl.ID
		}
	}
	return c
}

// start starts the child serving the database on a free port, the first
// time with the demo data, and waits for it to answer.
func (c *crashRun) start() {
	c.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		c.t.Fatal(err)
	}
	c.addr = ln.Addr().String()
	ln.Close()
	argv := []string{"serve", "--addr", c.addr, "--db", c.url, "--log-level", "error"}
	if c.first {
		argv = append(argv, "--demo")
		c.first = false
	}
	raw, _ := json.Marshal(argv)
	c.child = exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
	c.child.Env = append(os.Environ(), crashChildEnv+"="+string(raw))
	var stderr bytes.Buffer
	c.child.Stderr = &stderr
	if err := c.child.Start(); err != nil {
		c.t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := c.client.Get("http://" + c.addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		if time.Now().After(deadline) {
			c.child.Process.Kill()
			c.child.Wait()
			c.t.Fatalf("the child did not come up: %v %s", err, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// call sends one request to the child; status 0 when it did not answer.
func (c *crashRun) call(method, path, token string, body any) (int, map[string]any) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, "http://"+c.addr+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := c.client.Do(req)
	if err != nil {
		return 0, nil
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

// written is what the child acknowledged in a round.
type written struct {
	mu           sync.Mutex
	movements    []string         // reasons of stock movements
	needs        []string         // ids
	pledges      map[string]int64 // id -> quantity
	applications []string         // ids, registered (and maybe screened)
	screened     map[string]bool
}

// round writes from four clients until the child is killed at a random
// moment, starts it again, and checks what it acknowledged.
func (c *crashRun) round(round int) {
	c.t.Helper()
	w := &written{pledges: map[string]int64{}, screened: map[string]bool{}}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	scmcTok, seattleTok := c.tokens["coordinator@scmc.example.org"], c.tokens["supply@seattlechildrens.example.org"]
	coordTok, screenerTok := c.tokens["partners@xinhua.example.org"], c.tokens["screener@xinhua.example.org"]
	loop := func(f func(k int)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; ; k++ {
				select {
				case <-stop:
					return
				default:
				}
				f(k)
			}
		}()
	}
	loop(func(k int) { // stock counted in
		reason := fmt.Sprintf("crash %d.%d", round, k)
		if st, _ := c.call("POST", "/api/v1/organizations/"+c.ids["scmc"]+"/stock/movements", scmcTok,
			map[string]any{"item_id": c.ids["n95"], "kind": "adjustment", "delta": 1, "reason": reason}); st == 201 {
			w.mu.Lock()
			w.movements = append(w.movements, reason)
			w.mu.Unlock()
		}
	})
	loop(func(k int) { // a need, then pledges against it from stock and not
		st, need := c.call("POST", "/api/v1/needs", seattleTok, map[string]any{"organization_id": c.ids["seattle"], "item_id": c.ids["n95"],
			"quantity": 10, "urgency": "high", "justification": fmt.Sprintf("crash %d.%d", round, k)})
		if st != 201 {
			return
		}
		id := need["id"].(string)
		w.mu.Lock()
		w.needs = append(w.needs, id)
		w.mu.Unlock()
		for j := range 3 {
			st, p := c.call("POST", "/api/v1/needs/"+id+"/pledges", scmcTok, map[string]any{"donor_id": c.ids["scmc"], "quantity": 3, "from_stock": j == 0})
			if st == 201 {
				w.mu.Lock()
				w.pledges[p["id"].(string)] = 3
				w.mu.Unlock()
			}
		}
	})
	loop(func(k int) { // a volunteer registered for the recruiting mission, then screened
		st, p := c.call("POST", "/api/v1/people", coordTok, map[string]any{"organization_id": c.xinhuaID(), "name": fmt.Sprintf("Crash volunteer %d.%d", round, k),
			"specialty": "cardiology", "department_id": c.cardiologyID(), "languages": []string{"fr"}, "title_rank": "chief", "birth_date": "1985-01-01"})
		if st != 201 {
			return
		}
		st, a := c.call("POST", "/api/v1/missions/"+c.mission.id+"/applications", coordTok, map[string]any{"slot_id": c.mission.slot, "person_id": p["id"]})
		if st != 201 {
			return
		}
		id := a["id"].(string)
		w.mu.Lock()
		w.applications = append(w.applications, id)
		w.mu.Unlock()
		if st, _ := c.call("POST", "/api/v1/applications/"+id+"/screening", screenerTok, map[string]any{"outcome": "passed", "version": 1}); st == 200 {
			w.mu.Lock()
			w.screened[id] = true
			w.mu.Unlock()
		}
	})
	time.Sleep(time.Duration(50+c.rng.IntN(400)) * time.Millisecond)
	c.child.Process.Kill()
	c.child.Wait()
	close(stop)
	wg.Wait()
	c.start()
	c.check(round, w)
}

func (c *crashRun) xinhuaID() string {
	if c.ids["xinhua"] == "" {
		ctx := context.Background()
		s, err := store.Open(ctx, c.url)
		if err != nil {
			c.t.Fatal(err)
		}
		defer s.Close()
		m, err := s.FindMission(ctx, c.mission.id)
		if err != nil {
			c.t.Fatal(err)
		}
		c.ids["xinhua"] = m.SendingID
		deps, err := s.ListDepartments(ctx, m.SendingID)
		if err != nil {
			c.t.Fatal(err)
		}
		for _, d := range deps {
			if d.Name == "Cardiology" {
				c.ids["cardiology"] = d.ID
			}
		}
	}
	return c.ids["xinhua"]
}

func (c *crashRun) cardiologyID() string { c.xinhuaID(); return c.ids["cardiology"] }

// check reads the database after the restart: every acknowledged write is
// there, and the invariants hold.
func (c *crashRun) check(round int, w *written) {
	c.t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, c.url)
	if err != nil {
		c.t.Fatal(err)
	}
	defer s.Close()
	db := s.DB()
	count := func(q string, args ...any) int {
		var n int
		if err := db.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			c.t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	for _, r := range w.movements {
		if count(`SELECT COUNT(*) FROM stock_movements WHERE reason = $1`, r) != 1 {
			c.t.Errorf("round %d: the acknowledged movement %q is lost", round, r)
		}
	}
	for _, id := range w.needs {
		if count(`SELECT COUNT(*) FROM needs WHERE id = $1`, id) != 1 {
			c.t.Errorf("round %d: the acknowledged need %s is lost", round, id)
		}
	}
	for id, q := range w.pledges {
		if count(`SELECT COUNT(*) FROM pledges WHERE id = $1 AND quantity = $2`, id, q) != 1 {
			c.t.Errorf("round %d: the acknowledged pledge %s is lost", round, id)
		}
	}
	for _, id := range w.applications {
		// A screening the child committed but was killed before
		// acknowledging is there too: only an acknowledged one must be.
		stages := []any{"registered", "passed"}
		if w.screened[id] {
			stages = []any{"passed", "passed"}
		}
		if count(`SELECT COUNT(*) FROM applications WHERE id = $1 AND stage IN ($2, $3)`, append([]any{id}, stages...)...) != 1 {
			c.t.Errorf("round %d: the acknowledged application %s (%s) is lost", round, id, stages[0])
		}
	}
	c.acked += len(w.movements) + len(w.needs) + len(w.pledges) + len(w.applications) + len(w.screened)

	for _, v := range invariantViolations(c.t, s) {
		c.t.Errorf("round %d: %s", round, v)
	}
}
