package store

import (
	"testing"

	"aidbridge/internal/domain"
)

func TestPoolSize(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, out string
		n       int
		bad     bool
	}{
		{in: "postgres://u@h/db", out: "postgres://u@h/db", n: 32},
		{in: "postgres://u@h/db?pool_max_conns=4&sslmode=disable", out: "postgres://u@h/db?sslmode=disable", n: 4},
		{in: "postgres://u@h/db?pool_max_conns=0", bad: true},
		{in: "postgres://u@h/db?pool_max_conns=many", bad: true},
	} {
		out, n, err := poolSize(c.in, 32)
		if c.bad {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("%s: %v, want invalid", c.in, err)
			}
			continue
		}
		if err != nil || out != c.out || n != c.n {
			t.Errorf("%s: %q %d %v, want %q %d", c.in, out, n, err, c.out, c.n)
		}
	}
}
