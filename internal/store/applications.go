package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"aidbridge/internal/domain"
)

const applicationColumns = `a.id, a.mission_id, a.slot_id, a.person_id, a.department_id, a.stage, a.leader, a.note,
	a.created_at, a.updated_at, a.version, p.name, COALESCE(p.user_id, '')`

func scanApplication(row scanner) (domain.Application, error) {
	var a domain.Application
	err := row.Scan(&a.ID, &a.MissionID, &a.SlotID, &a.PersonID, &a.DepartmentID, &a.Stage, &a.Leader, &a.Note,
		&a.CreatedAt, &a.UpdatedAt, &a.Version, &a.PersonName, &a.UserID)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	a.Steps = []domain.StepRecord{}
	return a, err
}

const applicationFrom = ` FROM applications a JOIN people p ON p.id = a.person_id`

func findApplication(ctx context.Context, db querier, id string) (domain.Application, error) {
	a, err := scanApplication(db.QueryRowContext(ctx, `SELECT `+applicationColumns+applicationFrom+` WHERE a.id = $1`, id))
	if err == sql.ErrNoRows {
		return a, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "application", "ID", id)
	}
	if err != nil {
		return a, err
	}
	err = withSteps(ctx, db, []*domain.Application{&a})
	return a, err
}

// withSteps reads the steps of the applications, oldest first.
func withSteps(ctx context.Context, db querier, list []*domain.Application) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[string]*domain.Application{}
	ids := make([]string, len(list))
	for i, a := range list {
		byID[a.ID], ids[i] = a, a.ID
	}
	in, args := inList("application_id", ids, nil)
	type row struct {
		app  string
		step domain.StepRecord
	}
	rows, err := queryAll(ctx, db, func(r scanner) (row, error) {
		var x row
		err := r.Scan(&x.app, &x.step.Stage, &x.step.UserID, &x.step.At, &x.step.Note)
		x.step.At = x.step.At.UTC()
		return x, err
	}, `SELECT application_id, stage, user_id, at, note FROM application_steps WHERE `+in+` ORDER BY application_id, id`, args...)
	for _, x := range rows {
		a := byID[x.app]
		a.Steps = append(a.Steps, x.step)
	}
	return err
}

func (s *Store) step(ctx context.Context, tx *sql.Tx, by Actor, appID string, stage domain.ApplicationStage, note string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO application_steps (application_id, stage, user_id, at, note) VALUES ($1, $2, $3, $4, $5)`,
		appID, stage, by.UserID, s.now(), note)
	return err
}

// FindApplication returns the application with the given id and its steps;
// ENOTFOUND when there is none.
func (s *Store) FindApplication(ctx context.Context, id string) (domain.Application, error) {
	var a domain.Application
	err := s.read(ctx, func(db querier) error {
		var err error
		a, err = findApplication(ctx, db, id)
		return err
	})
	return a, err
}

// Register records a person's application for a place on a recruiting
// mission, with its first step. The person must be of the sending
// organization, meet the slot's requirements on the day of departure, have
// no other open application for the mission and be on no team whose dates
// overlap. EINVALID or ECONFLICT naming the field otherwise.
func (s *Store) Register(ctx context.Context, by Actor, a *domain.Application) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		m, err := findMission(ctx, tx, a.MissionID)
		if err != nil {
			return err
		}
		if !m.Status.Takes() {
			return domain.Refuse(domain.ECONFLICT, "mission_id", domain.MsgNotRecruiting, "Sequence", m.Sequence, "Status", m.Status)
		}
		slot, ok := m.Slot(a.SlotID)
		if !ok {
			return invalidField("application", "slot_id", domain.MsgNoSuchSlot, "ID", a.SlotID)
		}
		p, err := findPerson(ctx, tx, a.PersonID)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return invalidField("application", "person_id", domain.MsgNotFound, "What", "person", "ID", a.PersonID)
		}
		if err != nil {
			return err
		}
		if p.OrganizationID != m.SendingID {
			return invalidField("application", "person_id", domain.MsgNotSending)
		}
		if ps := slot.Meets(p, m.StartsOn, "slot_id"); len(ps) > 0 {
			return ps.Err("application")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications WHERE mission_id = $1 AND person_id = $2 AND stage <> 'withdrawn'`,
			a.MissionID, a.PersonID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return domain.Refuse(domain.ECONFLICT, "person_id", domain.MsgAlreadyApplied)
		}
		if err := overlapping(ctx, tx, a.PersonID, m, "person_id"); err != nil {
			return err
		}
		a.ID, a.Stage, a.Leader, a.DepartmentID, a.PersonName = newID(), domain.StageRegistered, false, p.DepartmentID, p.Name
		a.CreatedAt, a.UpdatedAt, a.Version = s.now(), s.now(), 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO applications (id, mission_id, slot_id, person_id, department_id, stage, leader, note,
			created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			a.ID, a.MissionID, a.SlotID, a.PersonID, a.DepartmentID, a.Stage, a.Leader, a.Note, a.CreatedAt, a.UpdatedAt, a.Version); err != nil {
			return err
		}
		if err := s.step(ctx, tx, by, a.ID, a.Stage, a.Note); err != nil {
			return err
		}
		a.Steps = []domain.StepRecord{{Stage: a.Stage, UserID: by.UserID, At: a.CreatedAt, Note: a.Note}}
		return s.audit(ctx, tx, by, m.SendingID, "application", a.ID, "register", nil, a)
	})
}

// Decide takes a step on an application: screening, the decision or a
// withdrawal, by the stages of the domain, and returns the application as
// it now stands. A selection puts the person on the team: there must be a
// place left in the slot, the person on no mission whose dates overlap,
// and, for a leader, no leader yet. The mission's row and then the
// person's are taken first, so that two reviewers selecting for the last
// place, or one person onto two missions at once, are decided one after the
// other on both databases. ECONFLICT naming the field when a rule stands in
// the way.
func (s *Store) Decide(ctx context.Context, by Actor, d domain.Decision) (domain.Application, error) {
	var a domain.Application
	err := s.write(ctx, func(tx *sql.Tx) error {
		before, err := findApplication(ctx, tx, d.ApplicationID)
		if err != nil {
			return err
		}
		if err := lockMission(ctx, tx, before.MissionID); err != nil {
			return err
		}
		// Read again under the lock: a step taken meanwhile counts.
		if before, err = findApplication(ctx, tx, d.ApplicationID); err != nil {
			return err
		}
		if d.Version != 0 {
			if err := checkVersion("application", before.ID, before.Version, d.Version); err != nil {
				return err
			}
		}
		m, err := findMission(ctx, tx, before.MissionID)
		if err != nil {
			return err
		}
		if d.To == domain.StageWithdrawn {
			if m.Status.DatesFixed() {
				return domain.Refuse(domain.ECONFLICT, "outcome", domain.MsgNotRecruiting, "Sequence", m.Sequence, "Status", m.Status)
			}
		} else if !m.Status.Takes() {
			return domain.Refuse(domain.ECONFLICT, "outcome", domain.MsgNotRecruiting, "Sequence", m.Sequence, "Status", m.Status)
		}
		if err := before.Stage.Move(d.To); err != nil {
			return err
		}
		a = before
		if d.To == domain.StageSelected {
			if d.SlotID != "" && d.SlotID != a.SlotID {
				if err := moveSlot(ctx, tx, m, &a, d.SlotID); err != nil {
					return err
				}
			}
			if err := s.select1(ctx, tx, m, a, d.Leader); err != nil {
				return err
			}
		}
		a.Stage, a.Leader, a.UpdatedAt, a.Version = d.To, d.To == domain.StageSelected && d.Leader, s.now(), before.Version+1
		res, err := tx.ExecContext(ctx, `UPDATE applications SET stage = $1, leader = $2, slot_id = $3, updated_at = $4, version = $5
			WHERE id = $6 AND stage = $7`, a.Stage, a.Leader, a.SlotID, a.UpdatedAt, a.Version, a.ID, before.Stage)
		if err := checkUpdated(res, err, "application", a.ID); err != nil {
			return err
		}
		if err := s.step(ctx, tx, by, a.ID, a.Stage, d.Note); err != nil {
			return err
		}
		a.Steps = append(a.Steps, domain.StepRecord{Stage: a.Stage, UserID: by.UserID, At: a.UpdatedAt, Note: d.Note})
		return s.audit(ctx, tx, by, m.SendingID, "application", a.ID, string(domain.StepOf(d.To)), before, a)
	})
	return a, err
}

// moveSlot places the application on another slot of its mission, one
// whose requirements the person meets.
func moveSlot(ctx context.Context, tx *sql.Tx, m domain.Mission, a *domain.Application, slotID string) error {
	slot, ok := m.Slot(slotID)
	if !ok {
		return invalidField("decision", "slot_id", domain.MsgNoSuchSlot, "ID", slotID)
	}
	p, err := findPerson(ctx, tx, a.PersonID)
	if err != nil {
		return err
	}
	if ps := slot.Meets(p, m.StartsOn, "slot_id"); len(ps) > 0 {
		return ps.Err("decision")
	}
	a.SlotID = slotID
	return nil
}

// select1 puts the applicant onto the mission's team, under the mission's
// lock.
func (s *Store) select1(ctx context.Context, tx *sql.Tx, m domain.Mission, a domain.Application, leader bool) error {
	slot, ok := m.Slot(a.SlotID)
	if !ok {
		return invalidField("decision", "slot_id", domain.MsgNoSuchSlot, "ID", a.SlotID)
	}
	if slot.Filled >= slot.Count {
		return domain.Refuse(domain.ECONFLICT, "outcome", domain.MsgSlotFull, "Count", slot.Count, "Specialty", slot.Specialty)
	}
	if leader {
		var name string
		err := tx.QueryRowContext(ctx, `SELECT p.name FROM team_members tm JOIN people p ON p.id = tm.person_id
			WHERE tm.mission_id = $1 AND tm.role = 'leader'`, m.ID).Scan(&name)
		if err == nil {
			return domain.Refuse(domain.ECONFLICT, "leader", domain.MsgLeaderTaken, "Name", name)
		}
		if err != sql.ErrNoRows {
			return err
		}
	}
	role := domain.RoleOnTeam
	if leader {
		role = domain.RoleLeader
	}
	return s.addMember(ctx, tx, m, domain.TeamMember{PersonID: a.PersonID, SlotID: a.SlotID, Role: role, ApplicationID: a.ID}, "person")
}

// ApplicationFilter selects applications. A reader who may not see every
// application of a mission sees those of the departments listed and their
// own: Departments nil means every department.
type ApplicationFilter struct {
	MissionID   string
	PersonID    string
	Stage       string
	Departments []string // nil for all; empty for none
	OwnUserID   string   // also the applications of the person linked to this user
	Cursor      string
	Limit       int
}

// ListApplications returns a page of applications, oldest first, each with
// its steps, and the next cursor.
func (s *Store) ListApplications(ctx context.Context, f ApplicationFilter) ([]domain.Application, string, error) {
	cur, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	var q query
	if f.MissionID != "" {
		q.add("a.mission_id = ?", f.MissionID)
	}
	if f.PersonID != "" {
		q.add("a.person_id = ?", f.PersonID)
	}
	if f.Stage != "" {
		q.add("a.stage = ?", f.Stage)
	}
	if f.Departments != nil {
		var or []string
		var args []any
		if len(f.Departments) > 0 {
			or = append(or, "a.department_id IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(f.Departments)), ", ")+")")
			for _, d := range f.Departments {
				args = append(args, d)
			}
		}
		if f.OwnUserID != "" {
			or, args = append(or, "p.user_id = ?"), append(args, f.OwnUserID)
		}
		if len(or) == 0 {
			or = []string{"1 = 0"}
		}
		cond := "(" + strings.Join(or, " OR ") + ")"
		q.add(cond, args...)
	}
	q.page("a.id", "a.id", cur)
	limit := clampLimit(f.Limit)
	var out []domain.Application
	err = s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanApplication, `SELECT `+applicationColumns+applicationFrom+q.clause()+
			` ORDER BY a.id LIMIT `+itoa(limit+1), q.args...)
		if err != nil {
			return err
		}
		ptrs := make([]*domain.Application, len(out))
		for i := range out {
			ptrs[i] = &out[i]
		}
		return withSteps(ctx, db, ptrs)
	})
	if err != nil {
		return nil, "", err
	}
	out, next := pageOf(out, limit, func(a domain.Application) (string, string) { return a.ID, a.ID })
	return out, next, nil
}

// RosterCandidates returns the passed and reserve applications to the
// mission, oldest first, with each person, their missions that left within
// domain.RecentYears before departure, and whether they are on a team
// whose dates overlap the mission's, in one query. A person's missions are
// all the sending organization's, whose teams only its people join, so
// both counts look at its missions alone. Only what the roster weighs is
// read.
func (s *Store) RosterCandidates(ctx context.Context, m domain.Mission) ([]domain.Candidate, error) {
	since := domain.DateOf(m.StartsOn.Time().AddDate(-domain.RecentYears, 0, 0))
	var out []domain.Candidate
	err := s.read(ctx, func(db querier) error {
		rows, err := queryAll(ctx, db, func(r scanner) (domain.Candidate, error) {
			var c domain.Candidate
			var langs string
			a := &c.Application
			err := r.Scan(&a.ID, &a.SlotID, &a.PersonID, &a.Stage, &a.Version, &a.PersonName,
				&c.Person.Specialty, &langs, &c.Person.TitleRank, &c.Person.BirthDate, &c.Recent, &c.Busy)
			if err != nil {
				return c, err
			}
			a.MissionID, c.Person.ID, c.Person.Name = m.ID, a.PersonID, a.PersonName
			return c, json.Unmarshal([]byte(langs), &c.Person.Languages)
		}, `SELECT a.id, a.slot_id, a.person_id, a.stage, a.version, p.name, p.specialty, p.languages, p.title_rank, p.birth_date,
				COALESCE(r.n, 0), b.person_id IS NOT NULL
			FROM applications a JOIN people p ON p.id = a.person_id
			LEFT JOIN (SELECT tm.person_id, COUNT(*) AS n FROM team_members tm JOIN missions o ON o.id = tm.mission_id
				WHERE o.sending_id = $2 AND o.status IN ('deployed', 'returned') AND o.starts_on >= $3 AND o.starts_on < $4
				GROUP BY tm.person_id) r ON r.person_id = a.person_id
			LEFT JOIN (SELECT DISTINCT tm.person_id FROM team_members tm JOIN missions o ON o.id = tm.mission_id
				WHERE o.sending_id = $2 AND o.id <> $1 AND o.status <> 'cancelled' AND o.starts_on <= $5 AND o.ends_on >= $4) b ON b.person_id = a.person_id
			WHERE a.mission_id = $1 AND a.stage IN ('passed', 'reserve') ORDER BY a.id`,
			m.ID, m.SendingID, since, m.StartsOn, m.EndsOn)
		out = rows
		return err
	})
	return out, err
}

// PersonOfUser returns the person of the organization linked to the user
// account; ok is false when there is none.
func (s *Store) PersonOfUser(ctx context.Context, userID, orgID string) (domain.Person, bool, error) {
	var p domain.Person
	err := s.read(ctx, func(db querier) error {
		var err error
		p, err = scanPerson(db.QueryRowContext(ctx, `SELECT `+personColumns+` FROM people p WHERE p.user_id = $1 AND p.organization_id = $2
			ORDER BY p.id LIMIT 1`, userID, orgID))
		return err
	})
	if err == sql.ErrNoRows || domain.ErrorCode(err) == domain.ENOTFOUND {
		return domain.Person{}, false, nil
	}
	return p, err == nil, err
}
