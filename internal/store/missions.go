package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"

	"aidbridge/internal/domain"
)

const missionColumns = `m.id, m.partnership_id, m.sequence, m.sending_id, m.host_id, m.starts_on, m.ends_on, m.formation_deadline,
	m.status, m.description, m.short_staffed, m.cancel_reason, m.created_at, m.updated_at, m.version`

func scanMission(row scanner) (domain.Mission, error) {
	var m domain.Mission
	err := row.Scan(&m.ID, &m.PartnershipID, &m.Sequence, &m.SendingID, &m.HostID, &m.StartsOn, &m.EndsOn, &m.FormationDeadline,
		&m.Status, &m.Description, &m.ShortStaffed, &m.CancelReason, &m.CreatedAt, &m.UpdatedAt, &m.Version)
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	m.Slots = []domain.Slot{}
	return m, err
}

func findMission(ctx context.Context, db querier, id string) (domain.Mission, error) {
	m, err := scanMission(db.QueryRowContext(ctx, `SELECT `+missionColumns+` FROM missions m WHERE m.id = $1`, id))
	if err == sql.ErrNoRows {
		return m, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "mission", "ID", id)
	}
	if err != nil {
		return m, err
	}
	err = withSlots(ctx, db, []*domain.Mission{&m})
	return m, err
}

// withSlots reads the slots of the missions in their order, each with how
// many of its places the team fills.
func withSlots(ctx context.Context, db querier, list []*domain.Mission) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[string]*domain.Mission{}
	ids := make([]string, len(list))
	for i, m := range list {
		byID[m.ID], ids[i] = m, m.ID
	}
	in, args := inList("s.mission_id", ids, nil)
	type row struct {
		mission string
		slot    domain.Slot
	}
	rows, err := queryAll(ctx, db, func(r scanner) (row, error) {
		var x row
		var langs string
		if err := r.Scan(&x.mission, &x.slot.ID, &x.slot.Specialty, &x.slot.Count, &langs, &x.slot.MinTitle, &x.slot.MaxAge, &x.slot.Filled); err != nil {
			return x, err
		}
		x.slot.Languages = []string{}
		return x, json.Unmarshal([]byte(langs), &x.slot.Languages)
	}, `SELECT s.mission_id, s.id, s.specialty, s.count, s.languages, s.min_title, s.max_age,
		(SELECT COUNT(*) FROM team_members tm WHERE tm.slot_id = s.id)
		FROM mission_slots s WHERE `+in+` ORDER BY s.mission_id, s.position`, args...)
	for _, x := range rows {
		m := byID[x.mission]
		m.Slots = append(m.Slots, x.slot)
	}
	return err
}

// writeSlots stores the mission's slots: a slot with an id is changed in
// place, one without is added, and a stored slot left out is removed. A
// slot is removed only while nobody applied for it, and never made smaller
// than the places its team already fills.
func writeSlots(ctx context.Context, tx *sql.Tx, m *domain.Mission, before []domain.Slot) error {
	kept := map[string]bool{}
	for i := range m.Slots {
		sl := &m.Slots[i]
		if sl.Languages == nil {
			sl.Languages = []string{}
		}
		langs, _ := json.Marshal(sl.Languages)
		field := "slots[" + itoa(i) + "]"
		if sl.ID == "" {
			sl.ID, sl.Filled = newID(), 0
			if _, err := tx.ExecContext(ctx, `INSERT INTO mission_slots (id, mission_id, position, specialty, count, languages, min_title, max_age)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, sl.ID, m.ID, i, sl.Specialty, sl.Count, string(langs), sl.MinTitle, sl.MaxAge); err != nil {
				return err
			}
			continue
		}
		j := slices.IndexFunc(before, func(b domain.Slot) bool { return b.ID == sl.ID })
		if j < 0 {
			return invalidField("mission", field+".id", domain.MsgNoSuchSlot, "ID", sl.ID)
		}
		sl.Filled = before[j].Filled
		if sl.Count < sl.Filled {
			return domain.Refuse(domain.ECONFLICT, field+".count", domain.MsgSlotBelowFilled, "Filled", sl.Filled, "Specialty", sl.Specialty)
		}
		kept[sl.ID] = true
		if _, err := tx.ExecContext(ctx, `UPDATE mission_slots SET position = $1, specialty = $2, count = $3, languages = $4, min_title = $5, max_age = $6
			WHERE id = $7`, i, sl.Specialty, sl.Count, string(langs), sl.MinTitle, sl.MaxAge, sl.ID); err != nil {
			return err
		}
	}
	for _, b := range before {
		if kept[b.ID] {
			continue
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications WHERE slot_id = $1`, b.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 || b.Filled > 0 {
			return domain.Refuse(domain.ECONFLICT, "slots", domain.MsgSlotInUse, "Specialty", b.Specialty)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM mission_slots WHERE id = $1`, b.ID); err != nil {
			return err
		}
	}
	return nil
}

// checkMissionRefs refuses a partnership or organizations that do not
// exist, and a number the partnership already gave another team.
func checkMissionRefs(ctx context.Context, tx *sql.Tx, m *domain.Mission) error {
	if _, err := findPartnership(ctx, tx, m.PartnershipID); err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return invalidField("mission", "partnership_id", domain.MsgNotFound, "What", "partnership", "ID", m.PartnershipID)
		}
		return err
	}
	if err := checkOrganizations(ctx, tx, "mission", "sending_id", m.SendingID); err != nil {
		return err
	}
	if err := checkOrganizations(ctx, tx, "mission", "host_id", m.HostID); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM missions WHERE partnership_id = $1 AND sequence = $2 AND id <> $3`,
		m.PartnershipID, m.Sequence, m.ID).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return domain.Refuse(domain.ECONFLICT, "sequence", domain.MsgSequenceTaken, "Sequence", m.Sequence)
	}
	return nil
}

// lockMission takes the mission's row for the rest of the transaction, so
// that changes to its team are made one at a time: on PostgreSQL a second
// transaction waits here and then reads what the first committed; SQLite
// has one writer anyway.
func lockMission(ctx context.Context, tx *sql.Tx, id string) error {
	res, err := tx.ExecContext(ctx, `UPDATE missions SET id = id WHERE id = $1`, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "mission", "ID", id)
	}
	return nil
}

// lockPerson takes the person's row, so that one person's selections onto
// missions are made one at a time. It is taken after the mission's, always
// in that order.
func lockPerson(ctx context.Context, tx *sql.Tx, id string) error {
	_, err := tx.ExecContext(ctx, `UPDATE people SET id = id WHERE id = $1`, id)
	return err
}

// overlapping refuses, with ECONFLICT on field naming the other mission,
// a person on the team of a mission other than m whose dates overlap m's,
// leaving cancelled missions aside.
func overlapping(ctx context.Context, tx querier, personID string, m domain.Mission, field string) error {
	var seq int
	var name string
	var starts, ends domain.Date
	err := tx.QueryRowContext(ctx, `SELECT o.sequence, ps.name, o.starts_on, o.ends_on FROM team_members tm
		JOIN missions o ON o.id = tm.mission_id JOIN partnerships ps ON ps.id = o.partnership_id
		WHERE tm.person_id = $1 AND o.id <> $2 AND o.status <> 'cancelled' AND o.starts_on <= $3 AND o.ends_on >= $4
		ORDER BY o.starts_on LIMIT 1`, personID, m.ID, m.EndsOn, m.StartsOn).Scan(&seq, &name, &starts, &ends)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	return domain.Refuse(domain.ECONFLICT, field, domain.MsgOverlap, "Sequence", seq, "Partnership", name,
		"Starts", starts.String(), "Ends", ends.String())
}

// FindMission returns the mission with the given id and its slots;
// ENOTFOUND when there is none.
func (s *Store) FindMission(ctx context.Context, id string) (domain.Mission, error) {
	var m domain.Mission
	err := s.read(ctx, func(db querier) error {
		var err error
		m, err = findMission(ctx, db, id)
		return err
	})
	return m, err
}

// CreateMission validates m, stores it with its slots and a new id, and
// audits it. A new mission is a draft or recruiting; a mission of history
// comes in with its team through RecordMission. EINVALID when m is not
// valid or names what does not exist; ECONFLICT when its number is taken.
func (s *Store) CreateMission(ctx context.Context, by Actor, m *domain.Mission) error {
	if m.Status != domain.MissionDraft && m.Status != domain.MissionRecruiting {
		return invalidField("mission", "status", domain.MsgOneOf, "Allowed", "draft, recruiting", "Value", m.Status)
	}
	return s.insertMission(ctx, by, m, nil)
}

// RecordMission stores a mission of history with the team that went, as
// the accounts give them: a mission since returned (or under way), its
// members without applications. Each member is checked against the
// person's other missions as a selection is.
func (s *Store) RecordMission(ctx context.Context, by Actor, m *domain.Mission, team []domain.TeamMember) error {
	if m.Status != domain.MissionDeployed && m.Status != domain.MissionReturned {
		return invalidField("mission", "status", domain.MsgOneOf, "Allowed", "deployed, returned", "Value", m.Status)
	}
	return s.insertMission(ctx, by, m, team)
}

func (s *Store) insertMission(ctx context.Context, by Actor, m *domain.Mission, team []domain.TeamMember) error {
	if err := m.Validate(); err != nil {
		return err
	}
	for i, sl := range m.Slots {
		if sl.ID != "" {
			return invalidField("mission", "slots["+itoa(i)+"].id", domain.MsgNoSuchSlot, "ID", sl.ID)
		}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		m.ID = newID()
		if err := checkMissionRefs(ctx, tx, m); err != nil {
			return err
		}
		m.CreatedAt, m.UpdatedAt, m.Version = s.now(), s.now(), 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO missions (id, partnership_id, sequence, sending_id, host_id, starts_on, ends_on,
			formation_deadline, status, description, short_staffed, cancel_reason, created_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			m.ID, m.PartnershipID, m.Sequence, m.SendingID, m.HostID, m.StartsOn, m.EndsOn, m.FormationDeadline, m.Status,
			m.Description, m.ShortStaffed, m.CancelReason, m.CreatedAt, m.UpdatedAt, m.Version); err != nil {
			return err
		}
		if err := writeSlots(ctx, tx, m, nil); err != nil {
			return err
		}
		leaders := 0
		for i, tm := range team {
			field := "team[" + itoa(i) + "]"
			if tm.Role == domain.RoleLeader {
				leaders++
			}
			if err := s.addMember(ctx, tx, *m, tm, field); err != nil {
				return err
			}
		}
		if leaders > 1 {
			return domain.Refuse(domain.ECONFLICT, "team", domain.MsgNoLeader)
		}
		if err := withSlotsTx(ctx, tx, m); err != nil {
			return err
		}
		for i, sl := range m.Slots {
			if sl.Filled > sl.Count {
				return domain.Refuse(domain.ECONFLICT, "slots["+itoa(i)+"].count", domain.MsgSlotFull, "Count", sl.Count, "Specialty", sl.Specialty)
			}
		}
		return s.audit(ctx, tx, by, m.SendingID, "mission", m.ID, "create", nil, m)
	})
}

// withSlotsTx reads the mission's slots again, with what they now hold.
func withSlotsTx(ctx context.Context, tx *sql.Tx, m *domain.Mission) error {
	m.Slots = []domain.Slot{}
	return withSlots(ctx, tx, []*domain.Mission{m})
}

// addMember puts a person on the mission's team: a person of the sending
// organization, on no other mission at the same time.
func (s *Store) addMember(ctx context.Context, tx *sql.Tx, m domain.Mission, tm domain.TeamMember, field string) error {
	p, err := findPerson(ctx, tx, tm.PersonID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return invalidField("mission", field+".person_id", domain.MsgNotFound, "What", "person", "ID", tm.PersonID)
	}
	if err != nil {
		return err
	}
	if p.OrganizationID != m.SendingID {
		return invalidField("mission", field+".person_id", domain.MsgNotSending)
	}
	if tm.SlotID == "" {
		// A member of history takes the slot of their specialty, else the
		// first.
		tm.SlotID = m.Slots[0].ID
		for _, sl := range m.Slots {
			if strings.EqualFold(sl.Specialty, p.Specialty) {
				tm.SlotID = sl.ID
				break
			}
		}
	}
	if err := lockPerson(ctx, tx, tm.PersonID); err != nil {
		return err
	}
	if err := overlapping(ctx, tx, tm.PersonID, m, field+".person_id"); err != nil {
		return err
	}
	if tm.Role == "" {
		tm.Role = domain.RoleOnTeam
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO team_members (mission_id, person_id, slot_id, role, application_id) VALUES ($1, $2, $3, $4, $5)`,
		m.ID, tm.PersonID, nullString(tm.SlotID), tm.Role, nullString(tm.ApplicationID))
	return err
}

// UpdateMission stores m over the mission with m.ID at version m.Version:
// its number, organizations, dates, deadline, description and slots. The
// status moves through MoveMission only. Once the team has left its dates
// stay; new dates may not put a member on two missions at once. ECONFLICT
// when the version is stale or a rule stands in the way.
func (s *Store) UpdateMission(ctx context.Context, by Actor, m *domain.Mission) error {
	var before domain.Mission
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if err = lockMission(ctx, tx, m.ID); err != nil {
			return err
		}
		if before, err = findMission(ctx, tx, m.ID); err != nil {
			return err
		}
		if err := checkVersion("mission", m.ID, before.Version, m.Version); err != nil {
			return err
		}
		m.Status, m.ShortStaffed, m.CancelReason = before.Status, before.ShortStaffed, before.CancelReason
		if err := m.Validate(); err != nil {
			return err
		}
		if before.Status.DatesFixed() && (m.StartsOn != before.StartsOn || m.EndsOn != before.EndsOn) {
			return domain.Refuse(domain.ECONFLICT, "starts_on", domain.MsgDatesFixed)
		}
		if m.SendingID != before.SendingID {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM applications WHERE mission_id = $1) + (SELECT COUNT(*) FROM team_members WHERE mission_id = $1)`, m.ID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return domain.Refuse(domain.ECONFLICT, "sending_id", domain.MsgMissionInUse, "Sequence", before.Sequence)
			}
		}
		if err := checkMissionRefs(ctx, tx, m); err != nil {
			return err
		}
		if m.StartsOn != before.StartsOn || m.EndsOn != before.EndsOn {
			members, err := queryAll(ctx, tx, func(r scanner) (string, error) {
				var id string
				return id, r.Scan(&id)
			}, `SELECT person_id FROM team_members WHERE mission_id = $1 ORDER BY person_id`, m.ID)
			if err != nil {
				return err
			}
			for _, id := range members {
				if err := lockPerson(ctx, tx, id); err != nil {
					return err
				}
				if err := overlapping(ctx, tx, id, *m, "starts_on"); err != nil {
					return err
				}
			}
		}
		m.CreatedAt, m.UpdatedAt, m.Version = before.CreatedAt, s.now(), before.Version+1
		// A new deadline is noted again when it comes near.
		res, err := tx.ExecContext(ctx, `UPDATE missions SET partnership_id = $1, sequence = $2, sending_id = $3, host_id = $4, starts_on = $5,
			ends_on = $6, formation_deadline = $7, description = $8, updated_at = $9, version = $10,
			deadline_noted = (deadline_noted AND $13) WHERE id = $11 AND version = $12`,
			m.PartnershipID, m.Sequence, m.SendingID, m.HostID, m.StartsOn, m.EndsOn, m.FormationDeadline, m.Description,
			m.UpdatedAt, m.Version, m.ID, before.Version, m.FormationDeadline == before.FormationDeadline)
		if err := checkUpdated(res, err, "mission", m.ID); err != nil {
			return err
		}
		if err := writeSlots(ctx, tx, m, before.Slots); err != nil {
			return err
		}
		if err := withSlotsTx(ctx, tx, m); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, m.SendingID, "mission", m.ID, "update", before, m)
	})
	return err
}

// MoveMission moves the mission to a new status by the transitions of the
// domain, and returns it as it now stands. ECONFLICT when the version is
// stale or the move is not allowed now.
func (s *Store) MoveMission(ctx context.Context, by Actor, mv domain.MissionMove) (domain.Mission, error) {
	var m domain.Mission
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := lockMission(ctx, tx, mv.ID); err != nil {
			return err
		}
		before, err := findMission(ctx, tx, mv.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("mission", mv.ID, before.Version, mv.Version); err != nil {
			return err
		}
		m = before
		m.Slots = slices.Clone(before.Slots)
		switch mv.To {
		case domain.MissionFormed:
			if filled, total := m.Places(); filled < total {
				m.ShortStaffed = mv.Reason
			} else {
				m.ShortStaffed = ""
			}
		case domain.MissionCancelled:
			m.CancelReason = mv.Reason
		case domain.MissionRecruiting, domain.MissionDraft:
			m.ShortStaffed = ""
		}
		var p domain.Problems
		if !slices.Contains(domain.MissionStatuses, mv.To) {
			p.Add("status", domain.MsgOneOf, "Allowed", "draft, recruiting, formed, deployed, returned, cancelled", "Value", mv.To)
			return p.Err("mission")
		}
		var leaders int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM team_members WHERE mission_id = $1 AND role = 'leader'`, m.ID).Scan(&leaders); err != nil {
			return err
		}
		if err := m.Transition(mv.To, leaders); err != nil {
			return err
		}
		m.Status, m.UpdatedAt, m.Version = mv.To, s.now(), before.Version+1
		if err := m.Validate(); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE missions SET status = $1, short_staffed = $2, cancel_reason = $3, updated_at = $4, version = $5
			WHERE id = $6 AND version = $7`, m.Status, m.ShortStaffed, m.CancelReason, m.UpdatedAt, m.Version, m.ID, before.Version)
		if err := checkUpdated(res, err, "mission", m.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, m.SendingID, "mission", m.ID, string(mv.To), before, m)
	})
	return m, err
}

// DeleteMission removes a mission nobody applied for and with no team, at
// version; ECONFLICT otherwise: a mission with a history is cancelled.
func (s *Store) DeleteMission(ctx context.Context, by Actor, id string, version int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findMission(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion("mission", id, before.Version, version); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM applications WHERE mission_id = $1) + (SELECT COUNT(*) FROM team_members WHERE mission_id = $1)`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return domain.Fail(domain.ECONFLICT, domain.MsgMissionInUse, "Sequence", before.Sequence)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM missions WHERE id = $1`, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, before.SendingID, "mission", id, "delete", before, nil)
	})
}

// ListMissions returns a page of missions and the next cursor: those still
// being formed by their formation deadline, soonest first and those without
// one last; the others latest departure first.
func (s *Store) ListMissions(ctx context.Context, f domain.MissionFilter) ([]domain.Mission, string, error) {
	cur, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	var q query
	if f.PartnershipID != "" {
		q.add("m.partnership_id = ?", f.PartnershipID)
	}
	if f.ProgramID != "" {
		q.add("EXISTS (SELECT 1 FROM partnerships ps WHERE ps.id = m.partnership_id AND ps.program_id = ?)", f.ProgramID)
	}
	if f.OrganizationID != "" {
		q.add("(m.sending_id = ? OR m.host_id = ?)", f.OrganizationID, f.OrganizationID)
	}
	if f.Status != "" {
		q.add("m.status = ?", f.Status)
	}
	key, order := `CAST(m.starts_on AS TEXT)`, " DESC"
	if f.Forming {
		q.add("m.status IN ('draft', 'recruiting')")
		key, order = `COALESCE(CAST(m.formation_deadline AS TEXT), '9999-12-31')`, ""
	}
	if cur.id != "" {
		cmp := ">"
		if order != "" {
			cmp = "<"
		}
		q.add("("+key+" "+cmp+" ? OR ("+key+" = ? AND m.id "+cmp+" ?))", cur.name, cur.name, cur.id)
	}
	limit := clampLimit(f.Limit)
	var out []domain.Mission
	err = s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanMission, `SELECT `+missionColumns+` FROM missions m`+q.clause()+
			` ORDER BY `+key+order+`, m.id`+order+` LIMIT `+itoa(limit+1), q.args...)
		if err != nil {
			return err
		}
		ptrs := make([]*domain.Mission, len(out))
		for i := range out {
			ptrs[i] = &out[i]
		}
		return withSlots(ctx, db, ptrs)
	})
	if err != nil {
		return nil, "", err
	}
	out, next := pageOf(out, limit, func(m domain.Mission) (string, string) {
		if f.Forming {
			if m.FormationDeadline.IsZero() {
				return "9999-12-31", m.ID
			}
			return m.FormationDeadline.String(), m.ID
		}
		return m.StartsOn.String(), m.ID
	})
	return out, next, nil
}

// Team returns the mission's team, leader first then by name, with each
// member's name, title, specialty and birth date; callers hide the birth
// dates the reader may not see.
func (s *Store) Team(ctx context.Context, missionID string) ([]domain.TeamMember, error) {
	var out []domain.TeamMember
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(r scanner) (domain.TeamMember, error) {
			var tm domain.TeamMember
			return tm, r.Scan(&tm.MissionID, &tm.PersonID, &tm.SlotID, &tm.Role, &tm.ApplicationID, &tm.Name, &tm.Title, &tm.Specialty, &tm.BirthDate)
		}, `SELECT tm.mission_id, tm.person_id, COALESCE(tm.slot_id, ''), tm.role, COALESCE(tm.application_id, ''), p.name, p.title, p.specialty, p.birth_date
			FROM team_members tm JOIN people p ON p.id = tm.person_id WHERE tm.mission_id = $1
			ORDER BY CASE tm.role WHEN 'leader' THEN 0 ELSE 1 END, p.name, p.id`, missionID)
		return err
	})
	return out, err
}

// PersonMissions returns the missions whose team the person is on, with
// the person's role, latest departure first.
func (s *Store) PersonMissions(ctx context.Context, personID string) ([]domain.Mission, []domain.TeamRole, error) {
	var missions []domain.Mission
	var roles []domain.TeamRole
	err := s.read(ctx, func(db querier) error {
		type row struct {
			m    domain.Mission
			role domain.TeamRole
		}
		rows, err := queryAll(ctx, db, func(r scanner) (row, error) {
			var x row
			err := r.Scan(&x.m.ID, &x.m.PartnershipID, &x.m.Sequence, &x.m.SendingID, &x.m.HostID, &x.m.StartsOn, &x.m.EndsOn, &x.m.FormationDeadline,
				&x.m.Status, &x.m.Description, &x.m.ShortStaffed, &x.m.CancelReason, &x.m.CreatedAt, &x.m.UpdatedAt, &x.m.Version, &x.role)
			x.m.Slots = []domain.Slot{}
			return x, err
		}, `SELECT `+missionColumns+`, tm.role FROM team_members tm JOIN missions m ON m.id = tm.mission_id
			WHERE tm.person_id = $1 ORDER BY m.starts_on DESC, m.id DESC LIMIT `+itoa(domain.MaxSequence), personID)
		for _, x := range rows {
			missions, roles = append(missions, x.m), append(roles, x.role)
		}
		return err
	})
	return missions, roles, err
}

// SetLeader makes the person, already on the mission's team, its leader,
// and the leader before a member. ECONFLICT once the team has left.
func (s *Store) SetLeader(ctx context.Context, by Actor, missionID, personID string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := lockMission(ctx, tx, missionID); err != nil {
			return err
		}
		m, err := findMission(ctx, tx, missionID)
		if err != nil {
			return err
		}
		if m.Status.DatesFixed() || m.Status == domain.MissionCancelled {
			return domain.Refuse(domain.ECONFLICT, "person_id", domain.MsgTeamClosed, "Sequence", m.Sequence, "Status", m.Status)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM team_members WHERE mission_id = $1 AND person_id = $2`, missionID, personID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return invalidField("leader", "person_id", domain.MsgNotOnTeam)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE team_members SET role = 'member' WHERE mission_id = $1 AND role = 'leader'`, missionID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE team_members SET role = 'leader' WHERE mission_id = $1 AND person_id = $2`, missionID, personID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET leader = (person_id = $2) WHERE mission_id = $1 AND stage = 'selected'`, missionID, personID); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, m.SendingID, "mission", missionID, "leader", nil, map[string]string{"leader": personID})
	})
}

// TeamFacts counts the teams that left under a program or partnership
// (the filter's ProgramID or PartnershipID) and their members, in all and
// by the year of departure, in one query.
func (s *Store) TeamFacts(ctx context.Context, f domain.MissionFilter) (domain.TeamFacts, error) {
	var q query
	q.add("m.status IN ('deployed', 'returned')")
	if f.PartnershipID != "" {
		q.add("m.partnership_id = ?", f.PartnershipID)
	}
	if f.ProgramID != "" {
		q.add("ps.program_id = ?", f.ProgramID)
	}
	// The year of departure, and each team's size. SQLite keeps dates as
	// text, and counts a team fastest by its index, team by team;
	// PostgreSQL by counting every team at once and joining the counts
	// (measured: BenchmarkTeamFacts).
	year := "CAST(substr(m.starts_on, 1, 4) AS INTEGER)"
	size, from := "(SELECT COUNT(*) FROM team_members tm WHERE tm.mission_id = m.id)", ""
	if s.dialect == Postgres {
		year = "CAST(EXTRACT(YEAR FROM m.starts_on) AS INTEGER)"
		size, from = "COALESCE(t.size, 0)", " LEFT JOIN (SELECT mission_id, COUNT(*) AS size FROM team_members GROUP BY mission_id) t ON t.mission_id = m.id"
	}
	facts := domain.TeamFacts{ByYear: []domain.YearFacts{}}
	err := s.read(ctx, func(db querier) error {
		rows, err := queryAll(ctx, db, func(r scanner) (domain.YearFacts, error) {
			var y domain.YearFacts
			return y, r.Scan(&y.Year, &y.Teams, &y.PersonTimes)
		}, `SELECT x.year, COUNT(*), COALESCE(SUM(x.size), 0) FROM (
				SELECT `+year+` AS year, `+size+` AS size
				FROM missions m JOIN partnerships ps ON ps.id = m.partnership_id`+from+q.clause()+`
			) x GROUP BY x.year ORDER BY x.year`, q.args...)
		facts.ByYear = rows
		return err
	})
	for _, y := range facts.ByYear {
		facts.Teams += y.Teams
		facts.PersonTimes += y.PersonTimes
	}
	return facts, err
}

// NoteFormingDeadlines notifies the sending organization of each mission
// still being formed, with places open, whose formation deadline is within
// domain.FormingWarningDays of today (or past): once per deadline, on both
// databases and across instances, as the flag that says it was noted is
// set by a conditional update in the notification's transaction. It
// returns how many it noted.
func (s *Store) NoteFormingDeadlines(ctx context.Context, today domain.Date) (int, error) {
	soon := domain.DateOf(today.Time().AddDate(0, 0, domain.FormingWarningDays))
	var due []domain.Mission
	err := s.read(ctx, func(db querier) error {
		var err error
		due, err = queryAll(ctx, db, scanMission, `SELECT `+missionColumns+` FROM missions m
			WHERE m.status IN ('draft', 'recruiting') AND NOT m.deadline_noted AND m.formation_deadline IS NOT NULL AND m.formation_deadline <= $1
			ORDER BY m.formation_deadline, m.id LIMIT 1000`, soon)
		if err != nil {
			return err
		}
		ptrs := make([]*domain.Mission, len(due))
		for i := range due {
			ptrs[i] = &due[i]
		}
		return withSlots(ctx, db, ptrs)
	})
	if err != nil {
		return 0, err
	}
	noted := 0
	for _, m := range due {
		filled, total := m.Places()
		if filled >= total {
			continue
		}
		flipped := false
		err := s.write(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE missions SET deadline_noted = TRUE WHERE id = $1 AND NOT deadline_noted`, m.ID)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return err
			}
			flipped = true
			return s.notify(ctx, tx, m.SendingID, domain.NoteFormingDeadline, "mission", m.ID, "", int64(total-filled))
		})
		if err != nil {
			return noted, err
		}
		if flipped {
			noted++
		}
	}
	return noted, nil
}
