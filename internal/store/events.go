package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"aidbridge/internal/domain"
)

const eventColumns = `e.id, e.kind, e.title, e.starts_on, e.starts_precision, e.ends_on, e.ends_precision, e.host_id,
	COALESCE(e.partnership_id, ''), COALESCE(e.program_id, ''), e.virtual, e.country, e.sessions, e.countries_reached,
	e.description, COALESCE(e.person_id, ''), e.institution, e.created_at, e.updated_at, e.version`

func scanEvent(row scanner) (domain.Event, error) {
	var e domain.Event
	sd, sp := partial{&e.StartsOn}.targets()
	ed, ep := partial{&e.EndsOn}.targets()
	err := row.Scan(&e.ID, &e.Kind, &e.Title, sd, sp, ed, ep, &e.HostID, &e.PartnershipID, &e.ProgramID, &e.Virtual,
		&e.Country, &e.Sessions, &e.CountriesReached, &e.Description, &e.PersonID, &e.Institution,
		&e.CreatedAt, &e.UpdatedAt, &e.Version)
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	e.ParticipantIDs, e.Attendees, e.Topics, e.Decisions, e.ActionItems = []string{}, []domain.Attendee{}, []string{}, []string{}, []domain.ActionItem{}
	return e, err
}

func findEvent(ctx context.Context, db querier, id string) (domain.Event, error) {
	e, err := scanEvent(db.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.id = $1`, id))
	if err == sql.ErrNoRows {
		return e, domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "event", "ID", id)
	}
	if err != nil {
		return e, err
	}
	err = withEventParts(ctx, db, []*domain.Event{&e})
	return e, err
}

// withEventParts reads the participants, attendees, topics, decisions and
// action items of the events, each in the order given; an action item
// carries the account of its owner person, for the policy.
func withEventParts(ctx context.Context, db querier, list []*domain.Event) error {
	if len(list) == 0 {
		return nil
	}
	byID := map[string]*domain.Event{}
	ids := make([]string, len(list))
	for i, e := range list {
		byID[e.ID], ids[i] = e, e.ID
	}
	in, args := inList("event_id", ids, nil)
	parts, err := queryAll(ctx, db, func(r scanner) ([2]string, error) {
		var x [2]string
		return x, r.Scan(&x[0], &x[1])
	}, `SELECT event_id, organization_id FROM event_participants WHERE `+in+` ORDER BY event_id, position`, args...)
	if err != nil {
		return err
	}
	for _, x := range parts {
		byID[x[0]].ParticipantIDs = append(byID[x[0]].ParticipantIDs, x[1])
	}
	type attendee struct {
		event string
		a     domain.Attendee
	}
	atts, err := queryAll(ctx, db, func(r scanner) (attendee, error) {
		var x attendee
		return x, r.Scan(&x.event, &x.a.Name, &x.a.PersonID, &x.a.OrganizationID, &x.a.Role)
	}, `SELECT event_id, name, COALESCE(person_id, ''), organization_id, role FROM event_attendees WHERE `+in+` ORDER BY event_id, position`, args...)
	if err != nil {
		return err
	}
	for _, x := range atts {
		byID[x.event].Attendees = append(byID[x.event].Attendees, x.a)
	}
	notes, err := queryAll(ctx, db, func(r scanner) ([3]string, error) {
		var x [3]string
		return x, r.Scan(&x[0], &x[1], &x[2])
	}, `SELECT event_id, kind, body FROM event_notes WHERE `+in+` ORDER BY event_id, kind, position`, args...)
	if err != nil {
		return err
	}
	for _, x := range notes {
		e := byID[x[0]]
		if x[1] == "topic" {
			e.Topics = append(e.Topics, x[2])
		} else {
			e.Decisions = append(e.Decisions, x[2])
		}
	}
	ain, aargs := inList("ai.event_id", ids, nil)
	type item struct {
		event string
		a     domain.ActionItem
	}
	items, err := queryAll(ctx, db, func(r scanner) (item, error) {
		var x item
		err := r.Scan(&x.event, &x.a.ID, &x.a.Title, &x.a.OwnerID, &x.a.OwnerPersonID, &x.a.Due, &x.a.Status, &x.a.StatusChangedAt, &x.a.OwnerUserID)
		x.a.StatusChangedAt = x.a.StatusChangedAt.UTC()
		return x, err
	}, `SELECT ai.event_id, ai.id, ai.title, ai.owner_id, COALESCE(ai.owner_person_id, ''), ai.due, ai.status, ai.status_changed_at,
		COALESCE(p.user_id, '')
		FROM event_action_items ai LEFT JOIN people p ON p.id = ai.owner_person_id
		WHERE `+ain+` ORDER BY ai.event_id, ai.position`, aargs...)
	if err != nil {
		return err
	}
	for _, x := range items {
		byID[x.event].ActionItems = append(byID[x.event].ActionItems, x.a)
	}
	return nil
}

// writeEventParts stores the event's participants, attendees, topics and
// decisions afresh, and its action items as a mission's slots are: one with
// an id is changed in place (keeping the due date it was noted overdue
// for, so that a new due date is noted again), one without is added, and a
// stored one left out is removed. A status set anew is stamped now.
func (s *Store) writeEventParts(ctx context.Context, tx *sql.Tx, e *domain.Event, before []domain.ActionItem) error {
	for _, table := range []string{"event_participants", "event_attendees", "event_notes"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE event_id = $1`, e.ID); err != nil {
			return err
		}
	}
	for i, id := range e.ParticipantIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO event_participants (event_id, organization_id, position) VALUES ($1, $2, $3)`,
			e.ID, id, i); err != nil {
			return err
		}
	}
	for i, a := range e.Attendees {
		if _, err := tx.ExecContext(ctx, `INSERT INTO event_attendees (event_id, position, name, person_id, organization_id, role)
			VALUES ($1, $2, $3, $4, $5, $6)`, e.ID, i, a.Name, nullString(a.PersonID), a.OrganizationID, a.Role); err != nil {
			return err
		}
	}
	for kind, texts := range map[string][]string{"topic": e.Topics, "decision": e.Decisions} {
		for i, t := range texts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO event_notes (event_id, kind, position, body) VALUES ($1, $2, $3, $4)`,
				e.ID, kind, i, t); err != nil {
				return err
			}
		}
	}
	kept := map[string]bool{}
	for i := range e.ActionItems {
		a := &e.ActionItems[i]
		if a.ID == "" {
			a.ID, a.StatusChangedAt = newID(), s.now()
			if _, err := tx.ExecContext(ctx, `INSERT INTO event_action_items (id, event_id, position, title, owner_id, owner_person_id, due, status, status_changed_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, a.ID, e.ID, i, a.Title, a.OwnerID, nullString(a.OwnerPersonID), a.Due, a.Status,
				a.StatusChangedAt); err != nil {
				return err
			}
			continue
		}
		j := slices.IndexFunc(before, func(b domain.ActionItem) bool { return b.ID == a.ID })
		if j < 0 || kept[a.ID] {
			return invalidField("event", "action_items["+itoa(i)+"].id", domain.MsgNoSuchActionItem, "ID", a.ID)
		}
		kept[a.ID] = true
		a.StatusChangedAt = before[j].StatusChangedAt
		if a.Status != before[j].Status {
			a.StatusChangedAt = s.now()
		}
		if _, err := tx.ExecContext(ctx, `UPDATE event_action_items SET position = $1, title = $2, owner_id = $3, owner_person_id = $4, due = $5,
			status = $6, status_changed_at = $7 WHERE id = $8`, i, a.Title, a.OwnerID, nullString(a.OwnerPersonID), a.Due, a.Status,
			a.StatusChangedAt, a.ID); err != nil {
			return err
		}
	}
	for _, b := range before {
		if kept[b.ID] {
			continue
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM event_action_items WHERE id = $1`, b.ID); err != nil {
			return err
		}
	}
	return nil
}

// checkPerson refuses a person who does not exist, or, with org set, who
// belongs to another organization, naming field.
func checkPerson(ctx context.Context, tx *sql.Tx, field, id, org string) error {
	var in string
	err := tx.QueryRowContext(ctx, `SELECT organization_id FROM people WHERE id = $1`, id).Scan(&in)
	if err == sql.ErrNoRows {
		return invalidField("event", field, domain.MsgNoSuchPerson, "ID", id)
	}
	if err != nil {
		return err
	}
	if org != "" && in != org {
		return invalidField("event", field, domain.MsgOwnerPersonOrg)
	}
	return nil
}

// checkEventRefs refuses organizations, a partnership, a program or people
// that do not exist, and an owner person of another organization than the
// item's owner; it fills in the host's country where none is given.
func checkEventRefs(ctx context.Context, tx *sql.Tx, e *domain.Event) error {
	var country string
	err := tx.QueryRowContext(ctx, `SELECT country FROM organizations WHERE id = $1`, e.HostID).Scan(&country)
	if err == sql.ErrNoRows {
		return invalidField("event", "host_id", domain.MsgNoSuchOrganization, "ID", e.HostID)
	}
	if err != nil {
		return err
	}
	if e.Country == "" {
		e.Country = country
	}
	if e.PartnershipID != "" {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM partnerships WHERE id = $1`, e.PartnershipID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return invalidField("event", "partnership_id", domain.MsgNoSuchPartnership, "ID", e.PartnershipID)
		}
	}
	if e.ProgramID != "" {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM programs WHERE id = $1`, e.ProgramID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return invalidField("event", "program_id", domain.MsgNoSuchProgram, "ID", e.ProgramID)
		}
	}
	for i, id := range e.ParticipantIDs {
		if err := checkOrganizations(ctx, tx, "event", "participant_ids["+itoa(i)+"]", id); err != nil {
			return err
		}
	}
	for i, a := range e.Attendees {
		f := "attendees[" + itoa(i) + "]"
		if err := checkOrganizations(ctx, tx, "event", f+".organization_id", a.OrganizationID); err != nil {
			return err
		}
		if a.PersonID != "" {
			if err := checkPerson(ctx, tx, f+".person_id", a.PersonID, ""); err != nil {
				return err
			}
		}
	}
	for i, a := range e.ActionItems {
		f := "action_items[" + itoa(i) + "]"
		if err := checkOrganizations(ctx, tx, "event", f+".owner_id", a.OwnerID); err != nil {
			return err
		}
		if a.OwnerPersonID != "" {
			if err := checkPerson(ctx, tx, f+".owner_person_id", a.OwnerPersonID, a.OwnerID); err != nil {
				return err
			}
		}
	}
	if e.PersonID != "" {
		return checkPerson(ctx, tx, "person_id", e.PersonID, "")
	}
	return nil
}

// eventDefaults fills in what an event may leave out: no lists but empty
// ones, one session for a conference, the country in capitals.
func eventDefaults(e *domain.Event) {
	if e.ParticipantIDs == nil {
		e.ParticipantIDs = []string{}
	}
	if e.Attendees == nil {
		e.Attendees = []domain.Attendee{}
	}
	if e.Topics == nil {
		e.Topics = []string{}
	}
	if e.Decisions == nil {
		e.Decisions = []string{}
	}
	if e.ActionItems == nil {
		e.ActionItems = []domain.ActionItem{}
	}
	for i := range e.ActionItems {
		if e.ActionItems[i].Status == "" {
			e.ActionItems[i].Status = domain.ActionOpen
		}
	}
	if e.Kind == domain.EventConference && e.Sessions == 0 {
		e.Sessions = 1
	}
	e.Country = strings.ToUpper(strings.TrimSpace(e.Country))
}

// FindEvent returns the event with the given id and all it holds;
// ENOTFOUND when there is none.
func (s *Store) FindEvent(ctx context.Context, id string) (domain.Event, error) {
	var e domain.Event
	err := s.read(ctx, func(db querier) error {
		var err error
		e, err = findEvent(ctx, db, id)
		return err
	})
	return e, err
}

// CreateEvent validates e, stores it with a new id (and new ids for its
// action items) and audits it. The country is the host's unless given; a
// conference has one session unless said. EINVALID when e is not valid or
// names what does not exist.
func (s *Store) CreateEvent(ctx context.Context, by Actor, e *domain.Event) error {
	eventDefaults(e)
	if err := e.Validate(); err != nil {
		return err
	}
	for i, a := range e.ActionItems {
		if a.ID != "" {
			return invalidField("event", "action_items["+itoa(i)+"].id", domain.MsgNoSuchActionItem, "ID", a.ID)
		}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		if err := checkEventRefs(ctx, tx, e); err != nil {
			return err
		}
		e.ID = newID()
		e.CreatedAt, e.UpdatedAt, e.Version = s.now(), s.now(), 1
		sd, sp := partialArgs(e.StartsOn)
		ed, ep := partialArgs(e.EndsOn)
		if _, err := tx.ExecContext(ctx, `INSERT INTO events (id, kind, title, starts_on, starts_precision, ends_on, ends_precision, host_id,
			partnership_id, program_id, virtual, country, sessions, countries_reached, description, person_id, institution,
			created_at, updated_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
			e.ID, e.Kind, e.Title, sd, sp, ed, ep, e.HostID, nullString(e.PartnershipID), nullString(e.ProgramID), e.Virtual,
			e.Country, e.Sessions, e.CountriesReached, e.Description, nullString(e.PersonID), e.Institution,
			e.CreatedAt, e.UpdatedAt, e.Version); err != nil {
			return err
		}
		if err := s.writeEventParts(ctx, tx, e, nil); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, e.HostID, "event", e.ID, "create", nil, e)
	})
}

// UpdateEvent stores e over the event with e.ID at version e.Version. An
// action item with an id is the stored one changed; one without is added;
// a stored one left out is removed. ECONFLICT when the version is stale;
// EINVALID as CreateEvent, or for an action item id the event does not
// have.
func (s *Store) UpdateEvent(ctx context.Context, by Actor, e *domain.Event) error {
	eventDefaults(e)
	if err := e.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findEvent(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		if err := checkVersion("event", e.ID, before.Version, e.Version); err != nil {
			return err
		}
		if err := checkEventRefs(ctx, tx, e); err != nil {
			return err
		}
		e.CreatedAt, e.UpdatedAt, e.Version = before.CreatedAt, s.now(), before.Version+1
		sd, sp := partialArgs(e.StartsOn)
		ed, ep := partialArgs(e.EndsOn)
		res, err := tx.ExecContext(ctx, `UPDATE events SET kind = $1, title = $2, starts_on = $3, starts_precision = $4, ends_on = $5,
			ends_precision = $6, host_id = $7, partnership_id = $8, program_id = $9, virtual = $10, country = $11, sessions = $12,
			countries_reached = $13, description = $14, person_id = $15, institution = $16, updated_at = $17, version = $18
			WHERE id = $19 AND version = $20`,
			e.Kind, e.Title, sd, sp, ed, ep, e.HostID, nullString(e.PartnershipID), nullString(e.ProgramID), e.Virtual, e.Country,
			e.Sessions, e.CountriesReached, e.Description, nullString(e.PersonID), e.Institution, e.UpdatedAt, e.Version, e.ID, before.Version)
		if err := checkUpdated(res, err, "event", e.ID); err != nil {
			return err
		}
		if err := s.writeEventParts(ctx, tx, e, before.ActionItems); err != nil {
			return err
		}
		fresh, err := findEvent(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		*e = fresh
		return s.audit(ctx, tx, by, e.HostID, "event", e.ID, "update", before, e)
	})
}

// MoveActionItem sets the status of one action item of an event at the
// event's version, stamps when, and returns the event as it now stands.
// ENOTFOUND for an item the event does not have; ECONFLICT when the
// version is stale.
func (s *Store) MoveActionItem(ctx context.Context, by Actor, mv domain.ActionMove) (domain.Event, error) {
	if err := mv.Validate(); err != nil {
		return domain.Event{}, err
	}
	var e domain.Event
	err := s.write(ctx, func(tx *sql.Tx) error {
		before, err := findEvent(ctx, tx, mv.EventID)
		if err != nil {
			return err
		}
		item, ok := before.ActionItem(mv.ItemID)
		if !ok {
			return domain.Fail(domain.ENOTFOUND, domain.MsgNotFound, "What", "action item", "ID", mv.ItemID)
		}
		if err := checkVersion("event", mv.EventID, before.Version, mv.Version); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE events SET updated_at = $1, version = $2 WHERE id = $3 AND version = $4`,
			s.now(), before.Version+1, mv.EventID, before.Version)
		if err := checkUpdated(res, err, "event", mv.EventID); err != nil {
			return err
		}
		if item.Status != mv.To {
			if _, err := tx.ExecContext(ctx, `UPDATE event_action_items SET status = $1, status_changed_at = $2 WHERE id = $3`,
				mv.To, s.now(), mv.ItemID); err != nil {
				return err
			}
		}
		if e, err = findEvent(ctx, tx, mv.EventID); err != nil {
			return err
		}
		after, _ := e.ActionItem(mv.ItemID)
		return s.audit(ctx, tx, by, e.HostID, "event", e.ID, "action_item", item, after)
	})
	return e, err
}

// DeleteEvent removes the event with id at version, with all it holds;
// ECONFLICT when the version is stale.
func (s *Store) DeleteEvent(ctx context.Context, by Actor, id string, version int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		before, err := findEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkVersion("event", id, before.Version, version); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM events WHERE id = $1`, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, by, before.HostID, "event", id, "delete", before, nil)
	})
}

// ListEvents returns a page of events, latest start first, and the next
// cursor. EINVALID for a filter that selects nothing (domain.EventFilter).
func (s *Store) ListEvents(ctx context.Context, f domain.EventFilter) ([]domain.Event, string, error) {
	if err := f.Validate(); err != nil {
		return nil, "", err
	}
	cur, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	var q query
	if f.Query != "" {
		q.add(`lower(e.title) LIKE ? ESCAPE '\'`, likePattern(f.Query))
	}
	if f.Kind != "" {
		q.add("e.kind = ?", f.Kind)
	}
	if f.OrganizationID != "" {
		q.add(`(e.host_id = ? OR EXISTS (SELECT 1 FROM event_participants ep WHERE ep.event_id = e.id AND ep.organization_id = ?))`,
			f.OrganizationID, f.OrganizationID)
	}
	if f.PartnershipID != "" {
		q.add("e.partnership_id = ?", f.PartnershipID)
	}
	if f.ProgramID != "" {
		q.add("e.program_id = ?", f.ProgramID)
	}
	if f.Country != "" {
		q.add("e.country = ?", strings.ToUpper(f.Country))
	}
	if !f.From.IsZero() {
		q.add("e.starts_on >= ?", f.From)
	}
	if !f.To.IsZero() {
		q.add("e.starts_on <= ?", f.To)
	}
	key := `CAST(e.starts_on AS TEXT)`
	if cur.id != "" {
		q.add("("+key+" < ? OR ("+key+" = ? AND e.id < ?))", cur.name, cur.name, cur.id)
	}
	limit := clampLimit(f.Limit)
	var out []domain.Event
	err = s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanEvent, `SELECT `+eventColumns+` FROM events e`+q.clause()+
			` ORDER BY `+key+` DESC, e.id DESC LIMIT `+itoa(limit+1), q.args...)
		if err != nil {
			return err
		}
		ptrs := make([]*domain.Event, len(out))
		for i := range out {
			ptrs[i] = &out[i]
		}
		return withEventParts(ctx, db, ptrs)
	})
	if err != nil {
		return nil, "", err
	}
	out, next := pageOf(out, limit, func(e domain.Event) (string, string) { return e.StartsOn.Date.String(), e.ID })
	return out, next, nil
}

// overdueItem is an open action item past its due date whose owner was not
// told yet for that due date.
type overdueItem struct {
	id, event, owner string
	due              domain.Date
	ownerUser        string
}

// NoteOverdueActionItems notifies the owner of each open action item whose
// due date is before today: the account linked to the owner person when
// there is one, else each admin and coordinator of the owner organization
// (or all its members when it has none). Once per due date, on both
// databases and across instances, as the due date noted is set by a
// conditional update in the notifications' transaction; an item given a
// new due date is noted again once that passes. It returns how many items
// it noted.
func (s *Store) NoteOverdueActionItems(ctx context.Context, today domain.Date) (int, error) {
	var due []overdueItem
	err := s.read(ctx, func(db querier) error {
		var err error
		due, err = queryAll(ctx, db, func(r scanner) (overdueItem, error) {
			var x overdueItem
			return x, r.Scan(&x.id, &x.event, &x.owner, &x.due, &x.ownerUser)
		}, `SELECT ai.id, ai.event_id, ai.owner_id, ai.due, COALESCE(p.user_id, '')
			FROM event_action_items ai LEFT JOIN people p ON p.id = ai.owner_person_id
			WHERE ai.status = 'open' AND ai.due < $1 AND (ai.noted_due IS NULL OR ai.noted_due <> ai.due)
			ORDER BY ai.due, ai.id LIMIT 1000`, today)
		return err
	})
	if err != nil {
		return 0, err
	}
	noted := 0
	for _, x := range due {
		days := int64(today.Time().Sub(x.due.Time()).Hours() / 24)
		flipped := false
		err := s.write(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE event_action_items SET noted_due = due
				WHERE id = $1 AND status = 'open' AND due = $2 AND (noted_due IS NULL OR noted_due <> due)`, x.id, x.due)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return err
			}
			flipped = true
			if x.ownerUser != "" {
				return s.notifyUser(ctx, tx, x.ownerUser, x.owner, domain.NoteActionOverdue, "event", x.event, days)
			}
			users, err := queryAll(ctx, tx, func(r scanner) (string, error) {
				var id string
				return id, r.Scan(&id)
			}, `SELECT DISTINCT user_id FROM memberships WHERE organization_id = $1 AND role IN ('admin', 'coordinator') ORDER BY user_id`, x.owner)
			if err != nil {
				return err
			}
			if len(users) == 0 {
				return s.notify(ctx, tx, x.owner, domain.NoteActionOverdue, "event", x.event, "", days)
			}
			for _, u := range users {
				if err := s.notifyUser(ctx, tx, u, x.owner, domain.NoteActionOverdue, "event", x.event, days); err != nil {
					return err
				}
			}
			return nil
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
