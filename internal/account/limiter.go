package account

import (
	"context"
	"time"

	"aidbridge/internal/domain"
)

// The login limits: failures per account and per address within the window,
// and how long a login to an account over its limit waits when it comes
// from an address that has not failed.
const (
	accountFailures = 5
	addressFailures = 20
	failureWindow   = 15 * time.Minute
	slowdown        = 2 * time.Second
)

// limitKeys returns the keys under which a login attempt is counted. They
// are hashes, so that the table of attempts holds no email or address.
func limitKeys(email, address string) (account, addr, pair string) {
	return HashSecret("account:" + email), HashSecret("address:" + address), HashSecret("pair:" + email + "\x00" + address)
}

// attempt is a login attempt, counted before the password is checked.
type attempt struct {
	ids                    []int64
	account, addr, pair    string
	accountN, addrN, pairN int
	oldest                 time.Time // of the failures that block, for the wait
}

// admit counts a login attempt before its password is checked, in the
// database, so that a burst of parallel tries and the instances sharing the
// database all count: of many attempts at once, at most the limit get to the
// password check. An address over its limit, or an account over its limit
// tried from an address that has failed against it, waits out the window
// (ETOOMANY); an account over its limit tried from an address that has not
// failed against it is slowed down instead, so that nobody can lock the
// real user out.
func (s *Service) admit(ctx context.Context, email, address string) (*attempt, error) {
	a := &attempt{}
	a.account, a.addr, a.pair = limitKeys(email, address)
	now := time.Now().UTC()
	counts, err := s.store.AddLoginAttempts(ctx, []string{a.account, a.addr, a.pair}, now, now.Add(-failureWindow))
	if err != nil {
		return nil, err
	}
	for _, c := range counts {
		a.ids = append(a.ids, c.ID)
	}
	a.accountN, a.addrN, a.pairN = counts[0].N, counts[1].N, counts[2].N
	oldestAccount, oldestAddr := counts[0].Oldest, counts[1].Oldest
	switch {
	case a.addrN > addressFailures:
		return a, tooMany(oldestAddr, now)
	case a.accountN > accountFailures && a.pairN > 1:
		return a, tooMany(oldestAccount, now)
	case a.accountN > accountFailures:
		select {
		case <-time.After(s.slow):
		case <-ctx.Done():
			return a, ctx.Err()
		}
	}
	return a, nil
}

func tooMany(oldest, now time.Time) error {
	wait := oldest.Add(failureWindow).Sub(now)
	return domain.Fail(domain.ETOOMANY, domain.MsgTooManyLogins, "Minutes", int(wait.Minutes())+1)
}

// succeeded forgets the attempt and the account's failures: the real user
// is in.
func (s *Service) succeeded(ctx context.Context, a *attempt) error {
	if err := s.store.ForgetLoginAttempts(ctx, a.ids, []string{a.account, a.pair}); err != nil {
		return err
	}
	return s.store.PruneLoginAttempts(ctx, time.Now().UTC().Add(-failureWindow))
}
