package main

import (
	"fmt"
	"io"
	"net/http"
	"testing"

	"aidbridge/internal/store/storetest"
)

// BenchmarkNeedsBoard loads one full page of the needs board (25 needs)
// through the JSON API and through the board page, over the demo data set
// and 40 more needs on SQLite, in this process: the difference is what the
// page adds. Run it with -cpuprofile to see where that goes.
func BenchmarkNeedsBoard(b *testing.B) {
	m := startMainURL(b, storetest.SQLiteURL(b), true)
	rec := m.token("supply@seattlechildrens.example.org")
	seattle, n95 := m.orgID("Seattle Children's Hospital"), m.itemID("N95")
	for i := range 40 {
		n := map[string]any{"organization_id": seattle, "item_id": n95, "quantity": 1000 + i, "urgency": []string{"critical", "high", "normal"}[i%3],
			"needed_by": fmt.Sprintf("2027-0%d-1%d", 1+i%5, i%2), "shortage": i%4 == 0, "justification": "board benchmark"}
		if r := m.call("POST", "/api/v1/needs", rec, n); r.Status != 201 {
			b.Fatalf("post need: status %d: %s", r.Status, r.Body)
		}
	}
	token := m.token("coordinator@scmc.example.org")
	br := m.login("coordinator@scmc.example.org")
	for _, c := range []struct {
		name, path string
		client     *http.Client
		token      string
	}{
		{"api", "/api/v1/needs?status=open&limit=25", http.DefaultClient, token},
		{"page", "/needs?status=open", br.client, ""},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				req, _ := http.NewRequest(http.MethodGet, m.URL()+c.path, nil)
				if c.token != "" {
					req.Header.Set("Authorization", "Bearer "+c.token)
				}
				res, err := c.client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Fatalf("%s: status %d", c.path, res.StatusCode)
				}
			}
		})
	}
}
