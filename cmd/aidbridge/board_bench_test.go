package main

import (
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
	m.boardNeeds(40)
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
