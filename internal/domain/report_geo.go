package domain

import (
	"cmp"
	"math/big"
	"slices"
	"strings"
)

// The reports of an organization and of a country: what went between them
// and the rest of the world (teams, supplies, contributions), counted from
// the records, with the countries at the other end for a map.

// OrganizationReport is the profile of an organization: its size, its
// departments, the dated accreditations and designations it holds with the
// accreditation milestones of partnerships it received, its partner
// institutions and their countries, its joint laboratories, and what it
// sent and received.
type OrganizationReport struct {
	Organization Organization `json:"organization"`
	// Departments are the organization's named departments; the count of
	// clinical departments is on the organization.
	Departments []Department `json:"departments"`
	// Timeline is the organization's accreditations and designations and
	// the accreditation milestones of the partnerships it is the recipient
	// of, oldest first.
	Timeline []TimelineEntry `json:"accreditations_timeline"`
	Partners PartnerFigures  `json:"partners"`
	// JointLabs are the organization's current joint laboratories: the
	// active partnerships, in programs of kind joint_institution, that it
	// takes part in (as provider, recipient or participant).
	JointLabs []Partnership     `json:"joint_laboratories"`
	Exchange  Exchange          `json:"exchange"`
	Names     map[string]string `json:"organization_names" doc:"The names of the organizations the report names, by id"`
}

// TimelineEntry is one dated recognition of an organization: one of its
// own accreditations or designations, or an accreditation milestone
// recorded as an outcome of a partnership it received (OutcomeID set).
// When both record the same recognition (same name, same date) it is
// listed once, with the outcome.
type TimelineEntry struct {
	On            PartialDate `json:"on"`
	Kind          string      `json:"kind" doc:"accreditation, designation, or milestone"`
	Name          string      `json:"name"`
	GrantedBy     string      `json:"granted_by,omitempty"`
	OutcomeID     string      `json:"outcome_id,omitempty"`
	PartnershipID string      `json:"partnership_id,omitempty"`
}

// Timeline merges an organization's accreditations with the accreditation
// milestones of its partnerships into one list, oldest first; a milestone
// that repeats an accreditation (same name, any case, same date) takes its
// place rather than standing beside it.
func Timeline(own []Accreditation, milestones []Outcome) []TimelineEntry {
	out := make([]TimelineEntry, 0, len(own)+len(milestones))
	for _, a := range own {
		out = append(out, TimelineEntry{On: a.GrantedOn, Kind: a.Kind, Name: a.Name, GrantedBy: a.GrantedBy})
	}
	for _, m := range milestones {
		i := slices.IndexFunc(out, func(e TimelineEntry) bool {
			return e.OutcomeID == "" && strings.EqualFold(e.Name, m.Title) && e.On == m.OccurredOn
		})
		e := TimelineEntry{On: m.OccurredOn, Kind: string(OutcomeMilestone), Name: m.Title, GrantedBy: m.Grantor,
			OutcomeID: m.ID, PartnershipID: m.PartnershipID}
		if i >= 0 {
			e.Kind = out[i].Kind
			if e.GrantedBy == "" {
				e.GrantedBy = out[i].GrantedBy
			}
			out[i] = e
			continue
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b TimelineEntry) int { return a.On.Date.Time().Compare(b.On.Date.Time()) })
	return out
}

// PartnerFigures count an organization's partner institutions: the
// organizations it shares an active partnership with (as provider,
// recipient or participant), in how many countries, and those it shared
// only partnerships no longer (or not yet) active with.
type PartnerFigures struct {
	Current   int `json:"current"`
	Countries int `json:"countries"`
	Former    int `json:"former" doc:"Organizations it shares only planned, suspended or completed partnerships with"`
	// ByCountry counts the current partners by country (Key is the ISO
	// 3166-1 alpha-2 code), most first.
	ByCountry []Count `json:"by_country"`
	// List names the current partners, by name, the first MaxReportList.
	List []Partner `json:"list"`
}

// Partner is a partner institution of an organization.
type Partner struct {
	OrganizationID string `json:"organization_id"`
	Name           string `json:"name"`
	Country        string `json:"country"`
	Partnerships   int    `json:"active_partnerships"`
}

// PartnerTally is the partners of an organization in one country, as the
// store counts them.
type PartnerTally struct {
	Country         string
	Current, Former int
}

// PartnerCounts adds up the tallies of partners by country.
func PartnerCounts(tallies []PartnerTally, list []Partner) PartnerFigures {
	f := PartnerFigures{ByCountry: []Count{}, List: list}
	if f.List == nil {
		f.List = []Partner{}
	}
	for _, t := range tallies {
		f.Current += t.Current
		f.Former += t.Former
		if t.Current > 0 {
			f.Countries++
			f.ByCountry = append(f.ByCountry, Count{t.Country, int64(t.Current)})
		}
	}
	sortCounts(f.ByCountry)
	return f
}

// sortCounts orders counts most first, then by key.
func sortCounts(c []Count) {
	slices.SortFunc(c, func(a, b Count) int {
		if a.N != b.N {
			return cmp.Compare(b.N, a.N)
		}
		return cmp.Compare(a.Key, b.Key)
	})
}

// CountryReport is what went between the organizations of a country and
// the world: teams, supplies and contributions, sent and received.
type CountryReport struct {
	Country string `json:"country" doc:"ISO 3166-1 alpha-2"`
	// Organizations is how many organizations of the directory are in the
	// country.
	Organizations int               `json:"organizations"`
	Exchange      Exchange          `json:"exchange"`
	Events        CountryEvents     `json:"events"`
	Names         map[string]string `json:"organization_names" doc:"The names of the organizations the report names, by id"`
}

// CountryRecords is a country that has records, for the index of country
// reports: its organizations.
type CountryRecords struct {
	Country       string `json:"country"`
	Organizations int    `json:"organizations"`
}

// Exchange is what a report's subject (an organization, or the
// organizations of a country) sent and received. A record between two
// organizations of the same country counts, in that country's report, as
// both sent and received.
type Exchange struct {
	Teams         TeamExchange         `json:"teams"`
	Supplies      SupplyExchange       `json:"supplies"`
	Contributions ContributionExchange `json:"contributions"`
	// Countries sums the exchange with each country at the other end,
	// most records first.
	Countries []CountryExchange `json:"countries"`
	// Flows are the records from one country to another, for the map.
	Flows []CountryFlow `json:"flows"`
}

// TeamExchange is the teams that left (deployed or returned) from and to
// the subject: in all and by year of departure, and by partnership with
// the sending and host organizations.
type TeamExchange struct {
	Sent   TeamFacts `json:"sent"`
	Hosted TeamFacts `json:"hosted"`
	// Lines are the first MaxReportList, most teams first.
	Lines []TeamLine `json:"by_partnership"`
}

// TeamLine is the teams of one partnership from one sending organization
// to one host organization.
type TeamLine struct {
	PartnershipID   string `json:"partnership_id"`
	PartnershipName string `json:"partnership_name"`
	SendingID       string `json:"sending_id"`
	HostID          string `json:"host_id"`
	From            string `json:"from_country"`
	To              string `json:"to_country"`
	Sent            bool   `json:"sent" doc:"Sent by the subject"`
	Hosted          bool   `json:"hosted" doc:"Hosted by the subject"`
	Teams           int    `json:"teams"`
	PersonTimes     int    `json:"person_times"`
}

// TeamTally is the teams of a line that left in one year, as the store
// counts them.
type TeamTally struct {
	TeamLine
	Year int
}

// SupplyExchange is the supplies given and received by the subject, by
// item, and by donor, recipient and item.
type SupplyExchange struct {
	Given    []ItemTotal `json:"given"`
	Received []ItemTotal `json:"received"`
	// Lines are the first MaxReportList, by item.
	Lines []SupplyLine `json:"lines"`
	// Shipments counts the shipments dispatched, by donor and recipient,
	// the first MaxReportList.
	Shipments []ShipmentCount `json:"shipments"`
}

// ItemTotal is what of one item was pledged (active pledges), shipped (on
// dispatched shipments), received in good condition and damaged.
type ItemTotal struct {
	ItemID   string `json:"item_id"`
	ItemName string `json:"item_name"`
	Unit     string `json:"unit"`
	Pledged  int64  `json:"pledged"`
	Shipped  int64  `json:"shipped"`
	Received int64  `json:"received"`
	Damaged  int64  `json:"damaged"`
}

// SupplyLine is what of one item went from one donor to one recipient.
type SupplyLine struct {
	DonorID     string `json:"donor_id"`
	RecipientID string `json:"recipient_id"`
	From        string `json:"from_country"`
	To          string `json:"to_country"`
	Given       bool   `json:"given" doc:"Given by the subject"`
	Taken       bool   `json:"received" doc:"Received by the subject"`
	ItemTotal
}

// ShipmentCount is the number of dispatched shipments from one donor to
// one recipient.
type ShipmentCount struct {
	DonorID     string `json:"donor_id"`
	RecipientID string `json:"recipient_id"`
	From        string `json:"from_country"`
	To          string `json:"to_country"`
	Given       bool   `json:"given"`
	Taken       bool   `json:"received"`
	Shipments   int    `json:"shipments"`
}

// ContributionExchange is the contributions the subject gave and
// received, with their amounts per currency, and by giver and recipient.
type ContributionExchange struct {
	Given    ContributionSum `json:"given"`
	Received ContributionSum `json:"received"`
	// Lines are the first MaxReportList, by giver and recipient.
	Lines []ContributionLine `json:"lines"`
}

// ContributionSum is a number of contributions and what those with an
// amount add up to, one sum per currency, never one across currencies.
type ContributionSum struct {
	Count         int     `json:"count"`
	Totals        []Money `json:"totals"`
	WithoutAmount int     `json:"without_amount"`
}

// ContributionLine is the contributions of one giver to one recipient.
type ContributionLine struct {
	GiverID     string `json:"giver_id"`
	RecipientID string `json:"recipient_id"`
	From        string `json:"from_country"`
	To          string `json:"to_country"`
	Given       bool   `json:"given"`
	Taken       bool   `json:"received"`
	ContributionSum
}

// ContributionTally is the contributions of a giver to a recipient in one
// currency ("" for those without an amount), as the store counts them:
// the sum of their amounts in two parts, High times TotalSplit plus Low,
// so that neither database sums near 64 bits.
type ContributionTally struct {
	GiverID, RecipientID, From, To string
	Given, Taken                   bool
	Currency                       string
	Count                          int
	High, Low                      int64
}

// TotalSplit divides amounts for summing in parts; see ContributionTally.
const TotalSplit = 1_000_000_000

// CountryExchange is the records between the subject and one country.
type CountryExchange struct {
	Country               string `json:"country"`
	TeamsSent             int    `json:"teams_sent"`
	PersonTimesSent       int    `json:"person_times_sent"`
	TeamsHosted           int    `json:"teams_hosted"`
	PersonTimesHosted     int    `json:"person_times_hosted"`
	ShipmentsSent         int    `json:"shipments_sent"`
	ShipmentsReceived     int    `json:"shipments_received"`
	ContributionsGiven    int    `json:"contributions_given"`
	ContributionsReceived int    `json:"contributions_received"`
}

// Records is the number of records between the subject and the country.
func (c CountryExchange) Records() int {
	return c.TeamsSent + c.TeamsHosted + c.ShipmentsSent + c.ShipmentsReceived + c.ContributionsGiven + c.ContributionsReceived
}

// CountryFlow is the records from the organizations of one country to
// those of another (or the same) country.
type CountryFlow struct {
	From          string `json:"from_country"`
	To            string `json:"to_country"`
	Teams         int    `json:"teams"`
	PersonTimes   int    `json:"person_times"`
	Shipments     int    `json:"shipments"`
	Contributions int    `json:"contributions"`
}

// Records is the number of records of the flow.
func (f CountryFlow) Records() int { return f.Teams + f.Shipments + f.Contributions }

// Exchanges adds up what the store counted into an exchange. EINVALID
// when a currency's total would not fit in 64 bits of minor units.
func Exchanges(teams []TeamTally, supplies []SupplyLine, shipments []ShipmentCount, contributions []ContributionTally) (Exchange, error) {
	e := Exchange{Teams: TeamExchange{Sent: TeamFacts{ByYear: []YearFacts{}}, Hosted: TeamFacts{ByYear: []YearFacts{}}, Lines: []TeamLine{}},
		Supplies:      SupplyExchange{Given: []ItemTotal{}, Received: []ItemTotal{}, Lines: []SupplyLine{}, Shipments: []ShipmentCount{}},
		Contributions: ContributionExchange{Given: ContributionSum{Totals: []Money{}}, Received: ContributionSum{Totals: []Money{}}, Lines: []ContributionLine{}},
		Countries:     []CountryExchange{}, Flows: []CountryFlow{}}
	countries := map[string]*CountryExchange{}
	country := func(code string) *CountryExchange {
		if c, ok := countries[code]; ok {
			return c
		}
		c := &CountryExchange{Country: code}
		countries[code] = c
		return c
	}
	flows := map[[2]string]*CountryFlow{}
	flow := func(from, to string) *CountryFlow {
		k := [2]string{from, to}
		if f, ok := flows[k]; ok {
			return f
		}
		f := &CountryFlow{From: from, To: to}
		flows[k] = f
		return f
	}

	lines := map[[3]string]int{}
	for _, t := range teams {
		k := [3]string{t.PartnershipID, t.SendingID, t.HostID}
		i, ok := lines[k]
		if !ok {
			i = len(e.Teams.Lines)
			lines[k] = i
			l := t.TeamLine
			l.Teams, l.PersonTimes = 0, 0
			e.Teams.Lines = append(e.Teams.Lines, l)
		}
		e.Teams.Lines[i].Teams += t.Teams
		e.Teams.Lines[i].PersonTimes += t.PersonTimes
		if t.Sent {
			addYear(&e.Teams.Sent, t.Year, t.Teams, t.PersonTimes)
			c := country(t.To)
			c.TeamsSent += t.Teams
			c.PersonTimesSent += t.PersonTimes
		}
		if t.Hosted {
			addYear(&e.Teams.Hosted, t.Year, t.Teams, t.PersonTimes)
			c := country(t.From)
			c.TeamsHosted += t.Teams
			c.PersonTimesHosted += t.PersonTimes
		}
		f := flow(t.From, t.To)
		f.Teams += t.Teams
		f.PersonTimes += t.PersonTimes
	}
	for _, tf := range []*TeamFacts{&e.Teams.Sent, &e.Teams.Hosted} {
		slices.SortFunc(tf.ByYear, func(a, b YearFacts) int { return cmp.Compare(a.Year, b.Year) })
	}
	slices.SortFunc(e.Teams.Lines, func(a, b TeamLine) int {
		return cmp.Or(cmp.Compare(b.Teams, a.Teams), cmp.Compare(a.PartnershipName, b.PartnershipName), cmp.Compare(a.PartnershipID, b.PartnershipID),
			cmp.Compare(a.SendingID, b.SendingID), cmp.Compare(a.HostID, b.HostID))
	})

	for _, l := range supplies {
		e.Supplies.Lines = append(e.Supplies.Lines, l)
		if l.Given {
			addItem(&e.Supplies.Given, l.ItemTotal)
		}
		if l.Taken {
			addItem(&e.Supplies.Received, l.ItemTotal)
		}
	}
	for _, list := range [][]ItemTotal{e.Supplies.Given, e.Supplies.Received} {
		slices.SortFunc(list, func(a, b ItemTotal) int {
			return cmp.Or(cmp.Compare(a.ItemName, b.ItemName), cmp.Compare(a.ItemID, b.ItemID))
		})
	}
	for _, s := range shipments {
		e.Supplies.Shipments = append(e.Supplies.Shipments, s)
		if s.Given {
			country(s.To).ShipmentsSent += s.Shipments
		}
		if s.Taken {
			country(s.From).ShipmentsReceived += s.Shipments
		}
		flow(s.From, s.To).Shipments += s.Shipments
	}

	type pair struct{ giver, recipient string }
	byPair := map[pair]int{}
	sums := map[pair]map[string]*big.Int{}
	given, received := map[string]*big.Int{}, map[string]*big.Int{}
	add := func(m map[string]*big.Int, cur string, t ContributionTally) {
		if m[cur] == nil {
			m[cur] = new(big.Int)
		}
		n := new(big.Int).Mul(big.NewInt(t.High), big.NewInt(TotalSplit))
		m[cur].Add(m[cur], n.Add(n, big.NewInt(t.Low)))
	}
	for _, t := range contributions {
		k := pair{t.GiverID, t.RecipientID}
		i, ok := byPair[k]
		if !ok {
			i = len(e.Contributions.Lines)
			byPair[k] = i
			e.Contributions.Lines = append(e.Contributions.Lines, ContributionLine{GiverID: t.GiverID, RecipientID: t.RecipientID,
				From: t.From, To: t.To, Given: t.Given, Taken: t.Taken, ContributionSum: ContributionSum{Totals: []Money{}}})
			sums[k] = map[string]*big.Int{}
		}
		l := &e.Contributions.Lines[i]
		l.Count += t.Count
		sides := []*ContributionSum{}
		if t.Given {
			sides = append(sides, &e.Contributions.Given)
			country(t.To).ContributionsGiven += t.Count
		}
		if t.Taken {
			sides = append(sides, &e.Contributions.Received)
			country(t.From).ContributionsReceived += t.Count
		}
		for _, s := range sides {
			s.Count += t.Count
		}
		flow(t.From, t.To).Contributions += t.Count
		if t.Currency == "" {
			l.WithoutAmount += t.Count
			for _, s := range sides {
				s.WithoutAmount += t.Count
			}
			continue
		}
		add(sums[k], t.Currency, t)
		if t.Given {
			add(given, t.Currency, t)
		}
		if t.Taken {
			add(received, t.Currency, t)
		}
	}
	var err error
	for i := range e.Contributions.Lines {
		l := &e.Contributions.Lines[i]
		if l.Totals, err = moneyOf(sums[pair{l.GiverID, l.RecipientID}]); err != nil {
			return e, err
		}
	}
	if e.Contributions.Given.Totals, err = moneyOf(given); err != nil {
		return e, err
	}
	if e.Contributions.Received.Totals, err = moneyOf(received); err != nil {
		return e, err
	}

	for _, c := range countries {
		e.Countries = append(e.Countries, *c)
	}
	slices.SortFunc(e.Countries, func(a, b CountryExchange) int {
		return cmp.Or(cmp.Compare(b.Records(), a.Records()), cmp.Compare(a.Country, b.Country))
	})
	for _, f := range flows {
		e.Flows = append(e.Flows, *f)
	}
	e.Teams.Lines = firstOf(e.Teams.Lines)
	e.Supplies.Lines = firstOf(e.Supplies.Lines)
	e.Supplies.Shipments = firstOf(e.Supplies.Shipments)
	e.Contributions.Lines = firstOf(e.Contributions.Lines)
	slices.SortFunc(e.Flows, func(a, b CountryFlow) int {
		return cmp.Or(cmp.Compare(b.Records(), a.Records()), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	return e, nil
}

// firstOf returns the first MaxReportList of a report's lines; the
// totals count them all.
func firstOf[T any](list []T) []T { return list[:min(len(list), MaxReportList)] }

// addYear adds teams that left in a year to facts.
func addYear(f *TeamFacts, year, teams, personTimes int) {
	f.Teams += teams
	f.PersonTimes += personTimes
	for i := range f.ByYear {
		if f.ByYear[i].Year == year {
			f.ByYear[i].Teams += teams
			f.ByYear[i].PersonTimes += personTimes
			return
		}
	}
	f.ByYear = append(f.ByYear, YearFacts{Year: year, Teams: teams, PersonTimes: personTimes})
}

// addItem adds what of an item went on a line to the totals by item.
func addItem(list *[]ItemTotal, t ItemTotal) {
	for i := range *list {
		if (*list)[i].ItemID == t.ItemID {
			s := &(*list)[i]
			s.Pledged += t.Pledged
			s.Shipped += t.Shipped
			s.Received += t.Received
			s.Damaged += t.Damaged
			return
		}
	}
	*list = append(*list, t)
}

// moneyOf returns exact sums by currency as amounts, by currency code;
// EINVALID when one does not fit in 64 bits of minor units.
func moneyOf(sums map[string]*big.Int) ([]Money, error) {
	out := make([]Money, 0, len(sums))
	for cur, n := range sums {
		if !n.IsInt64() {
			return nil, Fail(EINVALID, MsgTotalTooLarge, "Currency", cur)
		}
		out = append(out, Money{Minor: n.Int64(), Currency: cur})
	}
	SortByCurrency(out)
	return out, nil
}

// CountryEvents are the events of a country: those held in it, and those
// held elsewhere that its organizations hosted or took part in.
type CountryEvents struct {
	Held   int `json:"held_in_country"`
	Abroad int `json:"held_elsewhere" doc:"Events held in another country, hosted by or with participants from the country"`
	// AbroadByCountry counts the events held elsewhere by the country
	// they were held in, most first.
	AbroadByCountry []Count `json:"held_elsewhere_by_country"`
	// AbroadList is the events held elsewhere, oldest first, the first
	// MaxReportList.
	AbroadList []Event `json:"held_elsewhere_list"`
}
