package store

import (
	"context"
	"database/sql"
	"slices"

	"aidbridge/internal/domain"
)

const activityColumns = `a.id, a.mission_id, a.partnership_id, a.kind, a.done_on, a.count, a.place, a.notes, COALESCE(a.created_by, ''),
	a.created_at, a.updated_at, a.version`

func scanActivity(row scanner) (domain.Activity, error) {
	var a domain.Activity
	err := row.Scan(&a.ID, &a.MissionID, &a.PartnershipID, &a.Kind, &a.DoneOn, &a.Count, &a.Place, &a.Notes, &a.CreatedBy,
		&a.CreatedAt, &a.UpdatedAt, &a.Version)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	a.PersonIDs = []string{}
	return a, err
}

func findActivity(ctx context.Context, db querier, id string) (domain.Activity, error) {
	a, err := scanActivity(db.QueryRowContext(ctx, `SELECT `+activityColumns+` FROM activities a WHERE a.id = $1`, id))
	if err == sql.ErrNoRows {
		return a, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "activity", "ID", id)
	}
	if err != nil {
		return a, err
	}
	err = withPeople(ctx, db, []*domain.Activity{&a})
	return a, err
}

// withPeople reads the team members involved in each activity.
func withPeople(ctx context.Context, db querier, list []*domain.Activity) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[string]*domain.Activity{}
	ids := make([]string, len(list))
	for i, a := range list {
		byID[a.ID], ids[i] = a, a.ID
	}
	in, args := inList("activity_id", ids, nil)
	type row struct{ activity, person string }
	rows, err := queryAll(ctx, db, func(r scanner) (row, error) {
		var x row
		return x, r.Scan(&x.activity, &x.person)
	}, `SELECT activity_id, person_id FROM activity_people WHERE `+in+` ORDER BY activity_id, person_id`, args...)
	for _, x := range rows {
		a := byID[x.activity]
		a.PersonIDs = append(a.PersonIDs, x.person)
	}
	return err
}

// teamOf returns the ids of the people on the mission's team.
func teamOf(ctx context.Context, db querier, missionID string) ([]string, error) {
	return queryAll(ctx, db, func(r scanner) (string, error) {
		var id string
		return id, r.Scan(&id)
	}, `SELECT person_id FROM team_members WHERE mission_id = $1 ORDER BY person_id`, missionID)
}

// TeamUsers returns the accounts linked to the people on the mission's
// team, for the policy: a member of the team logs its field work.
func (s *Store) TeamUsers(ctx context.Context, missionID string) ([]string, error) {
	var out []string
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(r scanner) (string, error) {
			var id string
			return id, r.Scan(&id)
		}, `SELECT DISTINCT p.user_id FROM team_members tm JOIN people p ON p.id = tm.person_id
			WHERE tm.mission_id = $1 AND p.user_id IS NOT NULL ORDER BY p.user_id`, missionID)
		return err
	})
	return out, err
}

// fitActivities refuses activities the mission does not take: before its
// team has left (ECONFLICT), dated outside its days or naming people not on
// its team (EINVALID naming the activity's field, as activities[i].field
// when prefix says so).
func fitActivities(ctx context.Context, tx *sql.Tx, m domain.Mission, list []domain.Activity, prefix func(i int) string) error {
	if err := m.LogsActivities(); err != nil {
		return err
	}
	team, err := teamOf(ctx, tx, m.ID)
	if err != nil {
		return err
	}
	var p domain.Problems
	for i, a := range list {
		p = append(p, m.ActivityFits(a, team, prefix(i))...)
	}
	return p.Err("activities")
}

func (s *Store) insertPeople(ctx context.Context, tx *sql.Tx, a *domain.Activity) error {
	for _, id := range a.PersonIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO activity_people (activity_id, person_id) VALUES ($1, $2)`, a.ID, id); err != nil {
			return err
		}
	}
	return nil
}

// CreateActivities logs the activities of one mission in one transaction:
// all of them or, when any is refused, none. Each gets a new id, the
// mission's partnership and the user who logged it, and is audited.
// EINVALID naming activities[i].field when an activity is not valid, is
// dated outside the mission's days or names someone not on its team;
// ECONFLICT before the team has left; ENOTFOUND-as-EINVALID on mission_id
// when the mission does not exist.
func (s *Store) CreateActivities(ctx context.Context, by Actor, list []domain.Activity) error {
	for i := range list {
		if list[i].PersonIDs == nil {
			list[i].PersonIDs = []string{}
		}
		slices.Sort(list[i].PersonIDs)
	}
	if err := domain.ValidateActivities(list); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		m, err := findMission(ctx, tx, list[0].MissionID)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return invalidField("activities", "mission_id", domain.MsgNotFound, "What", "mission", "ID", list[0].MissionID)
		}
		if err != nil {
			return err
		}
		if err := fitActivities(ctx, tx, m, list, func(i int) string { return "activities[" + itoa(i) + "]." }); err != nil {
			return err
		}
		now := s.now()
		for i := range list {
			a := &list[i]
			a.ID, a.PartnershipID, a.CreatedBy = newID(), m.PartnershipID, by.UserID
			a.CreatedAt, a.UpdatedAt, a.Version = now, now, 1
			if _, err := tx.ExecContext(ctx, `INSERT INTO activities (id, mission_id, partnership_id, kind, done_on, count, place, notes,
				created_by, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
				a.ID, a.MissionID, a.PartnershipID, a.Kind, a.DoneOn, a.Count, a.Place, a.Notes, nullString(a.CreatedBy),
				a.CreatedAt, a.UpdatedAt, a.Version); err != nil {
				return err
			}
			if err := s.insertPeople(ctx, tx, a); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, by, m.SendingID, "activity", a.ID, "create", nil, a); err != nil {
				return err
			}
		}
		return nil
	})
}

// FindActivity returns the activity with the given id and the members
// involved; ENOTFOUND when there is none.
func (s *Store) FindActivity(ctx context.Context, id string) (domain.Activity, error) {
	var a domain.Activity
	err := s.read(ctx, func(db querier) error {
		var err error
		a, err = findActivity(ctx, db, id)
		return err
	})
	return a, err
}

// UpdateActivity stores a over the activity with a.ID at version
// a.Version: its kind, day, count, members, place and notes; it stays on
// its mission. ECONFLICT when the version is stale; EINVALID as
// CreateActivities says.
func (s *Store) UpdateActivity(ctx context.Context, by Actor, a *domain.Activity) error {
	if a.PersonIDs == nil {
		a.PersonIDs = []string{}
	}
	slices.Sort(a.PersonIDs)
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findActivity(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("activity", a.ID, before.Version, a.Version); err != nil {
			return err
		}
		a.MissionID, a.PartnershipID, a.CreatedBy = before.MissionID, before.PartnershipID, before.CreatedBy
		if err := a.Validate(); err != nil {
			return err
		}
		m, err := findMission(ctx, tx, a.MissionID)
		if err != nil {
			return err
		}
		if err := fitActivities(ctx, tx, m, []domain.Activity{*a}, func(int) string { return "" }); err != nil {
			return err
		}
		a.CreatedAt, a.UpdatedAt, a.Version = before.CreatedAt, s.now(), before.Version+1
		res, err := tx.ExecContext(ctx, `UPDATE activities SET kind = $1, done_on = $2, count = $3, place = $4, notes = $5, updated_at = $6,
			version = $7 WHERE id = $8 AND version = $9`, a.Kind, a.DoneOn, a.Count, a.Place, a.Notes, a.UpdatedAt, a.Version, a.ID, before.Version)
		if err := checkUpdated(res, err, "activity", a.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM activity_people WHERE activity_id = $1`, a.ID); err != nil {
			return err
		}
		if err := s.insertPeople(ctx, tx, a); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, m.SendingID, "activity", a.ID, "update", before, a)
	})
}

// DeleteActivity removes the activity at version; ECONFLICT when the
// version is stale.
func (s *Store) DeleteActivity(ctx context.Context, by Actor, id string, version int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findActivity(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion("activity", id, before.Version, version); err != nil {
			return err
		}
		var sending string
		if err := tx.QueryRowContext(ctx, `SELECT sending_id FROM missions WHERE id = $1`, before.MissionID).Scan(&sending); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM activities WHERE id = $1 AND version = $2`, id, version)
		if err := checkUpdated(res, err, "activity", id); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, sending, "activity", id, "delete", before, nil)
	})
}

// ListActivities returns a page of activities and the next cursor, by
// day and then as they were logged.
func (s *Store) ListActivities(ctx context.Context, f domain.ActivityFilter) ([]domain.Activity, string, error) {
	cur, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	var q query
	if f.MissionID != "" {
		q.add("a.mission_id = ?", f.MissionID)
	}
	if f.ProgramID != "" {
		q.add("a.partnership_id IN (SELECT id FROM partnerships WHERE program_id = ?)", f.ProgramID)
	}
	if f.PartnershipID != "" {
		q.add("a.partnership_id = ?", f.PartnershipID)
	}
	if f.Kind != "" {
		q.add("a.kind = ?", f.Kind)
	}
	if f.PersonID != "" {
		q.add("EXISTS (SELECT 1 FROM activity_people ap WHERE ap.activity_id = a.id AND ap.person_id = ?)", f.PersonID)
	}
	if !f.From.IsZero() {
		q.add("a.done_on >= ?", f.From)
	}
	if !f.To.IsZero() {
		q.add("a.done_on <= ?", f.To)
	}
	if cur.id != "" {
		day, err := domain.ParseDate(cur.name)
		if err != nil {
			return nil, "", badCursor()
		}
		q.add("(a.done_on > ? OR (a.done_on = ? AND a.id > ?))", day, day, cur.id)
	}
	limit := clampLimit(f.Limit)
	var out []domain.Activity
	err = s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanActivity, `SELECT `+activityColumns+` FROM activities a`+q.clause()+
			` ORDER BY a.done_on, a.id LIMIT `+itoa(limit+1), q.args...)
		if err != nil {
			return err
		}
		ptrs := make([]*domain.Activity, len(out))
		for i := range out {
			ptrs[i] = &out[i]
		}
		return withPeople(ctx, db, ptrs)
	})
	if err != nil {
		return nil, "", err
	}
	out, next := pageOf(out, limit, func(a domain.Activity) (string, string) { return a.DoneOn.String(), a.ID })
	return out, next, nil
}

// LatestActivity returns the day of the mission's latest activity; the
// zero Date when it has none.
func (s *Store) LatestActivity(ctx context.Context, missionID string) (domain.Date, error) {
	var d domain.Date
	err := s.read(ctx, func(db querier) error {
		return db.QueryRowContext(ctx, `SELECT MAX(done_on) FROM activities WHERE mission_id = $1`, missionID).Scan(&d)
	})
	return d, err
}

// ActivityCalendar returns, for each day of the month with activities of
// the mission, how many activities of each kind and the patients or
// participants they reached, summed by the database.
func (s *Store) ActivityCalendar(ctx context.Context, missionID string, month domain.Month) (domain.ActivityCalendar, error) {
	cal := domain.ActivityCalendar{MissionID: missionID, Month: month.String(), Days: []domain.ActivityDay{}}
	type row struct {
		day domain.Date
		kc  domain.KindCount
	}
	var rows []row
	err := s.read(ctx, func(db querier) error {
		var err error
		rows, err = queryAll(ctx, db, func(r scanner) (row, error) {
			var x row
			return x, r.Scan(&x.day, &x.kc.Kind, &x.kc.Activities, &x.kc.Count)
		}, `SELECT done_on, kind, COUNT(*), COALESCE(SUM(count), 0) FROM activities
			WHERE mission_id = $1 AND done_on >= $2 AND done_on <= $3
			GROUP BY done_on, kind ORDER BY done_on`, missionID, month.First(), month.Last())
		return err
	})
	if err != nil {
		return cal, err
	}
	for _, x := range rows {
		if n := len(cal.Days); n == 0 || cal.Days[n-1].Day != x.day {
			cal.Days = append(cal.Days, domain.ActivityDay{Day: x.day, Kinds: []domain.KindCount{}})
		}
		d := &cal.Days[len(cal.Days)-1]
		d.Kinds = append(d.Kinds, x.kc)
	}
	for i := range cal.Days {
		slices.SortFunc(cal.Days[i].Kinds, func(a, b domain.KindCount) int {
			return slices.Index(domain.ActivityKinds, a.Kind) - slices.Index(domain.ActivityKinds, b.Kind)
		})
	}
	return cal, nil
}

// ActivityTotals returns what the teams of a partnership did from one day
// to another (both counted; a zero Date leaves that end open), by month
// ("YYYY-MM") and kind, grouped and summed by the database from an index
// alone; in order of month, then of kind.
func (s *Store) ActivityTotals(ctx context.Context, partnershipID string, from, to domain.Date) ([]domain.ActivityTotal, error) {
	var q query
	q.add("partnership_id = ?", partnershipID)
	return s.activityTotals(ctx, q, from, to)
}

// ScopeActivityTotals is ActivityTotals for a report's scope: one
// partnership, or every partnership of a program.
//
// It reads activity_months, which the database keeps beside the activities
// (triggers of migration 00016 add and take away each activity's count in
// the transaction that writes it), so that a program of a million
// activities is a few hundred rows to add up.
func (s *Store) ScopeActivityTotals(ctx context.Context, sc ReportScope) ([]domain.ActivityTotal, error) {
	cond, arg := sc.where("partnership_id", 1)
	var out []domain.ActivityTotal
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(r scanner) (domain.ActivityTotal, error) {
			var t domain.ActivityTotal
			return t, r.Scan(&t.Kind, &t.Month, &t.Activities, &t.Count)
		}, `SELECT kind, month, CAST(SUM(activities) AS BIGINT), CAST(SUM(count) AS BIGINT) FROM activity_months
			WHERE `+cond+` AND activities > 0 GROUP BY kind, month`, arg)
		return err
	})
	if err != nil {
		return nil, err
	}
	sortTotals(out)
	return out, nil
}

func (s *Store) activityTotals(ctx context.Context, q query, from, to domain.Date) ([]domain.ActivityTotal, error) {
	if !from.IsZero() {
		q.add("done_on >= ?", from)
	}
	if !to.IsZero() {
		q.add("done_on <= ?", to)
	}
	// Both databases write a date as YYYY-MM-DD when it is cast to text;
	// its first seven characters are the month. SQLite groups a
	// partnership's rows as its index on partnership, kind and this very
	// expression holds them, without sorting; PostgreSQL counts by day
	// from its index on partnership, kind and day, and casts only the days
	// to months (measured: bench/reports).
	month := "substr(CAST(done_on AS TEXT), 1, 7)"
	// Each partnership's rows are grouped first, in the order of its index
	// (so that a program's partnerships stream one after the other, without
	// a sort), then the groups are added up by kind and month.
	totals := `SELECT kind, month, CAST(SUM(n) AS BIGINT), CAST(SUM(c) AS BIGINT) FROM (
		SELECT partnership_id, kind, ` + month + ` AS month, COUNT(*) AS n, COALESCE(SUM(count), 0) AS c FROM activities` + q.clause() + `
		GROUP BY partnership_id, kind, ` + month + `
	) g GROUP BY kind, month`
	if s.dialect == Postgres {
		totals = `SELECT kind, substr(CAST(done_on AS TEXT), 1, 7), CAST(SUM(n) AS BIGINT), CAST(SUM(c) AS BIGINT) FROM (
			SELECT partnership_id, kind, done_on, COUNT(*) AS n, COALESCE(SUM(count), 0) AS c FROM activities` + q.clause() + ` GROUP BY partnership_id, kind, done_on
		) d GROUP BY kind, substr(CAST(done_on AS TEXT), 1, 7)`
	}
	var out []domain.ActivityTotal
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(r scanner) (domain.ActivityTotal, error) {
			var t domain.ActivityTotal
			return t, r.Scan(&t.Kind, &t.Month, &t.Activities, &t.Count)
		}, totals, q.args...)
		return err
	})
	if err != nil {
		return nil, err
	}
	sortTotals(out)
	return out, nil
}

// sortTotals orders totals by month, then by kind in the order of
// domain.ActivityKinds.
func sortTotals(out []domain.ActivityTotal) {
	slices.SortStableFunc(out, func(a, b domain.ActivityTotal) int {
		if a.Month != b.Month {
			if a.Month < b.Month {
				return -1
			}
			return 1
		}
		return slices.Index(domain.ActivityKinds, a.Kind) - slices.Index(domain.ActivityKinds, b.Kind)
	})
}
