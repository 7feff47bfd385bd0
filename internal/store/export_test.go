package store

import "time"

// SetClock makes s read the time from now, so that tests can move past the
// token cache's lifetime without waiting for it.
func SetClock(s *Store, now func() time.Time) { s.now = now }
