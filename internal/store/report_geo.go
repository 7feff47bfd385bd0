package store

import (
	"context"
	"strconv"

	"aidbridge/internal/domain"
)

// GeoScope is whom a report of exchanges is about: one organization, or
// every organization of a country. Exactly one is set.
type GeoScope struct {
	OrganizationID string
	Country        string // ISO 3166-1 alpha-2
}

// is returns the condition, on $1, that the organization whose id is in
// idCol and whose organizations row is alias o belongs to the scope.
func (g GeoScope) is(idCol, o string) string {
	if g.Country != "" {
		return o + ".country = $1"
	}
	return idCol + " = $1"
}

func (g GeoScope) arg() any {
	if g.Country != "" {
		return g.Country
	}
	return g.OrganizationID
}

// flag returns cond as 1 or 0, the same on both databases.
func flag(cond string) string { return "CASE WHEN " + cond + " THEN 1 ELSE 0 END" }

// TeamTallies counts the teams that left (deployed or returned) from or to
// the scope, and their members, by partnership, sending and host
// organization and year of departure, in one query.
func (s *Store) TeamTallies(ctx context.Context, g GeoScope) ([]domain.TeamTally, error) {
	sent, hosted := g.is("m.sending_id", "so"), g.is("m.host_id", "ho")
	year := "substr(CAST(m.starts_on AS TEXT), 1, 4)"
	var out []domain.TeamTally
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(r scanner) (domain.TeamTally, error) {
			var t domain.TeamTally
			var y string
			var isSent, isHosted int
			err := r.Scan(&t.PartnershipID, &t.PartnershipName, &t.SendingID, &t.HostID, &t.From, &t.To, &y, &isSent, &isHosted, &t.Teams, &t.PersonTimes)
			t.Year, _ = strconv.Atoi(y)
			t.Sent, t.Hosted = isSent == 1, isHosted == 1
			return t, err
		}, `SELECT m.partnership_id, ps.name, m.sending_id, m.host_id, so.country, ho.country, `+year+`, `+flag(sent)+`, `+flag(hosted)+`,
				COUNT(*), CAST(COALESCE(SUM(t.size), 0) AS BIGINT)
			FROM missions m JOIN partnerships ps ON ps.id = m.partnership_id
			JOIN organizations so ON so.id = m.sending_id JOIN organizations ho ON ho.id = m.host_id
			LEFT JOIN (SELECT mission_id, COUNT(*) AS size FROM team_members GROUP BY mission_id) t ON t.mission_id = m.id
			WHERE m.status IN ('deployed', 'returned') AND (`+sent+` OR `+hosted+`)
			GROUP BY m.partnership_id, ps.name, m.sending_id, m.host_id, so.country, ho.country, `+year+`
			ORDER BY 7, 1, 3, 4`, g.arg())
		return err
	})
	return out, err
}

// SupplyTallies adds up, by donor, recipient and item, what the scope
// gave or received: the quantity of active pledges, and what dispatched
// shipments carried, arrived in good condition and arrived damaged. A
// pledge's recipient is the organization of its need.
func (s *Store) SupplyTallies(ctx context.Context, g GeoScope) ([]domain.SupplyLine, error) {
	given, taken := g.is("x.donor", "d"), g.is("x.recipient", "r")
	var out []domain.SupplyLine
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(r scanner) (domain.SupplyLine, error) {
			var l domain.SupplyLine
			var isGiven, isTaken int
			err := r.Scan(&l.DonorID, &l.RecipientID, &l.From, &l.To, &isGiven, &isTaken, &l.ItemID, &l.ItemName, &l.Unit,
				&l.Pledged, &l.Shipped, &l.Received, &l.Damaged)
			l.Given, l.Taken = isGiven == 1, isTaken == 1
			return l, err
		}, `SELECT x.donor, x.recipient, d.country, r.country, `+flag(given)+`, `+flag(taken)+`, x.item_id, i.name, i.unit,
				CAST(SUM(x.pledged) AS BIGINT), CAST(SUM(x.shipped) AS BIGINT), CAST(SUM(x.received) AS BIGINT), CAST(SUM(x.damaged) AS BIGINT)
			FROM (
				SELECT p.donor_id AS donor, n.organization_id AS recipient, p.item_id AS item_id, p.quantity AS pledged,
					0 AS shipped, 0 AS received, 0 AS damaged
				FROM pledges p JOIN needs n ON n.id = p.need_id WHERE p.status NOT IN ('declined', 'withdrawn')
				UNION ALL
				SELECT sh.donor_id, sh.recipient_id, p.item_id, 0, l.quantity, l.received, l.damaged
				FROM shipment_lines l JOIN shipments sh ON sh.id = l.shipment_id JOIN pledges p ON p.id = l.pledge_id
				WHERE sh.status NOT IN ('preparing', 'cancelled')
			) x JOIN organizations d ON d.id = x.donor JOIN organizations r ON r.id = x.recipient JOIN items i ON i.id = x.item_id
			WHERE `+given+` OR `+taken+`
			GROUP BY x.donor, x.recipient, d.country, r.country, x.item_id, i.name, i.unit
			ORDER BY i.name, x.item_id, x.donor, x.recipient`, g.arg())
		return err
	})
	return out, err
}

// ShipmentTallies counts the dispatched shipments (neither preparing nor
// cancelled) from or to the scope, by donor and recipient.
func (s *Store) ShipmentTallies(ctx context.Context, g GeoScope) ([]domain.ShipmentCount, error) {
	given, taken := g.is("sh.donor_id", "d"), g.is("sh.recipient_id", "r")
	var out []domain.ShipmentCount
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(r scanner) (domain.ShipmentCount, error) {
			var c domain.ShipmentCount
			var isGiven, isTaken int
			err := r.Scan(&c.DonorID, &c.RecipientID, &c.From, &c.To, &isGiven, &isTaken, &c.Shipments)
			c.Given, c.Taken = isGiven == 1, isTaken == 1
			return c, err
		}, `SELECT sh.donor_id, sh.recipient_id, d.country, r.country, `+flag(given)+`, `+flag(taken)+`, COUNT(*)
			FROM shipments sh JOIN organizations d ON d.id = sh.donor_id JOIN organizations r ON r.id = sh.recipient_id
			WHERE sh.status NOT IN ('preparing', 'cancelled') AND (`+given+` OR `+taken+`)
			GROUP BY sh.donor_id, sh.recipient_id, d.country, r.country
			ORDER BY 1, 2`, g.arg())
		return err
	})
	return out, err
}

// ContributionTallies counts the contributions the scope gave or
// received, by giver, recipient and currency ("" for those without an
// amount), with their amounts summed in two parts (domain.TotalSplit) so
// that neither database sums near 64 bits.
func (s *Store) ContributionTallies(ctx context.Context, g GeoScope) ([]domain.ContributionTally, error) {
	given, taken := g.is("c.giver_id", "gv"), g.is("c.recipient_id", "r")
	split := itoa(domain.TotalSplit)
	var out []domain.ContributionTally
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(r scanner) (domain.ContributionTally, error) {
			var t domain.ContributionTally
			var isGiven, isTaken int
			err := r.Scan(&t.GiverID, &t.RecipientID, &t.From, &t.To, &isGiven, &isTaken, &t.Currency, &t.Count, &t.High, &t.Low)
			t.Given, t.Taken = isGiven == 1, isTaken == 1
			return t, err
		}, `SELECT c.giver_id, c.recipient_id, gv.country, r.country, `+flag(given)+`, `+flag(taken)+`, c.currency, COUNT(*),
				CAST(COALESCE(SUM(c.amount_minor / `+split+`), 0) AS BIGINT), CAST(COALESCE(SUM(c.amount_minor % `+split+`), 0) AS BIGINT)
			FROM contributions c JOIN organizations gv ON gv.id = c.giver_id JOIN organizations r ON r.id = c.recipient_id
			WHERE `+given+` OR `+taken+`
			GROUP BY c.giver_id, c.recipient_id, gv.country, r.country, c.currency
			ORDER BY 1, 2, 7`, g.arg())
		return err
	})
	return out, err
}

// partnersOf selects, for organization $1, the other organizations on
// each partnership it takes part in (as provider, recipient or
// participant) as (partnership_id, org).
const partnersOf = `WITH mine AS (
		SELECT id FROM partnerships WHERE provider_id = $1 OR recipient_id = $1
		UNION SELECT partnership_id FROM partnership_participants WHERE organization_id = $1),
	sides AS (
		SELECT id AS partnership_id, provider_id AS org FROM partnerships
		UNION SELECT id, recipient_id FROM partnerships
		UNION SELECT partnership_id, organization_id FROM partnership_participants),
	shared AS (
		SELECT s.org, MAX(CASE WHEN p.status = 'active' THEN 1 ELSE 0 END) AS current,
			COUNT(DISTINCT CASE WHEN p.status = 'active' THEN p.id END) AS active
		FROM sides s JOIN mine ON mine.id = s.partnership_id JOIN partnerships p ON p.id = s.partnership_id
		WHERE s.org <> $1 GROUP BY s.org)`

// PartnerTallies counts the partner institutions of organization id by
// country: those it shares an active partnership with, and the others it
// shares partnerships with.
func (s *Store) PartnerTallies(ctx context.Context, id string) ([]domain.PartnerTally, error) {
	var out []domain.PartnerTally
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(r scanner) (domain.PartnerTally, error) {
			var t domain.PartnerTally
			return t, r.Scan(&t.Country, &t.Current, &t.Former)
		}, partnersOf+` SELECT o.country, CAST(SUM(shared.current) AS BIGINT), CAST(SUM(1 - shared.current) AS BIGINT)
			FROM shared JOIN organizations o ON o.id = shared.org GROUP BY o.country ORDER BY o.country`, id)
		return err
	})
	return out, err
}

// CurrentPartners returns the organizations organization id shares an
// active partnership with, by name, the first domain.MaxReportList.
func (s *Store) CurrentPartners(ctx context.Context, id string) ([]domain.Partner, error) {
	var out []domain.Partner
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(r scanner) (domain.Partner, error) {
			var p domain.Partner
			return p, r.Scan(&p.OrganizationID, &p.Name, &p.Country, &p.Partnerships)
		}, partnersOf+` SELECT o.id, o.name, o.country, shared.active FROM shared JOIN organizations o ON o.id = shared.org
			WHERE shared.current = 1 ORDER BY o.name, o.id LIMIT `+itoa(domain.MaxReportList), id)
		return err
	})
	return out, err
}

// AccreditationMilestones returns the accreditation milestones recorded
// as outcomes of the partnerships organization id is the recipient of,
// oldest first, the first domain.MaxReportList.
func (s *Store) AccreditationMilestones(ctx context.Context, id string) ([]domain.Outcome, error) {
	var out []domain.Outcome
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, scanOutcome, `SELECT `+outcomeColumns+` FROM outcomes o
			WHERE o.kind = 'milestone' AND o.milestone = 'accreditation' AND o.partnership_id IN (SELECT id FROM partnerships WHERE recipient_id = $1)
			ORDER BY o.occurred_on, o.title, o.id LIMIT `+itoa(domain.MaxReportList), id)
		if err != nil {
			return err
		}
		ptrs := make([]*domain.Outcome, len(out))
		for i := range out {
			ptrs[i] = &out[i]
		}
		return withOutcomeLists(ctx, db, ptrs)
	})
	return out, err
}

// CountriesWithRecords returns the countries of the directory's
// organizations, each with how many there are, by code.
func (s *Store) CountriesWithRecords(ctx context.Context) ([]domain.CountryRecords, error) {
	var out []domain.CountryRecords
	err := s.read(ctx, func(db querier) error {
		var err error
		out, err = queryAll(ctx, db, func(r scanner) (domain.CountryRecords, error) {
			var c domain.CountryRecords
			return c, r.Scan(&c.Country, &c.Organizations)
		}, `SELECT country, COUNT(*) FROM organizations GROUP BY country ORDER BY country`)
		return err
	})
	return out, err
}

// abroadEvents selects the events held outside country $1 that an
// organization of it hosted or took part in.
const abroadEvents = `e.country <> $1 AND (e.host_id IN (SELECT id FROM organizations WHERE country = $1)
	OR EXISTS (SELECT 1 FROM event_participants ep JOIN organizations o ON o.id = ep.organization_id WHERE ep.event_id = e.id AND o.country = $1))`

// CountryEvents counts the events held in country code and those held
// elsewhere that its organizations hosted or took part in, by the country
// they were held in, and lists the latter, oldest first, the first
// domain.MaxReportList.
func (s *Store) CountryEvents(ctx context.Context, code string) (domain.CountryEvents, error) {
	ev := domain.CountryEvents{AbroadByCountry: []domain.Count{}}
	err := s.read(ctx, func(db querier) error {
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE country = $1`, code).Scan(&ev.Held); err != nil {
			return err
		}
		var err error
		if ev.AbroadByCountry, err = queryAll(ctx, db, func(r scanner) (domain.Count, error) {
			var c domain.Count
			return c, r.Scan(&c.Key, &c.N)
		}, `SELECT e.country, COUNT(*) FROM events e WHERE `+abroadEvents+` GROUP BY e.country ORDER BY 2 DESC, 1`, code); err != nil {
			return err
		}
		ev.AbroadList, err = queryAll(ctx, db, scanEvent, `SELECT `+eventColumns+` FROM events e WHERE `+abroadEvents+`
			ORDER BY e.starts_on, e.title, e.id LIMIT `+itoa(domain.MaxReportList), code)
		return err
	})
	for _, c := range ev.AbroadByCountry {
		ev.Abroad += int(c.N)
	}
	if ev.AbroadList == nil {
		ev.AbroadList = []domain.Event{}
	}
	return ev, err
}
