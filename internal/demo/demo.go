// Package demo loads the demo data set into an empty store: the
// organizations, departments, people, supplies, partnerships and missions
// named in the five accounts aidbridge is built from, and one demo login per
// role.
//
// Every figure here comes from those accounts. Where an account does not say
// something (a city, a title, the day of a designation) the field is left
// empty, or the comment next to it says what was assumed. The members of the
// teams sent, which the accounts do not name, are placeholders whose names
// say so, and the one team being formed is a demo scenario (missions.go).
package demo

import (
	"context"
	"fmt"
	"time"

	"aidbridge/internal/account"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// Password is the password of every demo login.
const Password = "aidbridge-demo"

// Login is one demo user, printed by `serve --demo`: the email to log in with
// and the role and organization it acts for.
type Login struct {
	Email       string
	Description string
}

// Keys by which the tables below refer to organizations and departments
// before the store has given them ids.
const (
	sjtuSoM  = "sjtu-som"
	scmc     = "scmc"
	scmcHN   = "scmc-hainan"
	scmcFJ   = "scmc-fujian"
	scmcGZ   = "scmc-guizhou"
	xinhua   = "xinhua"
	baoshan  = "baoshan"
	kashi    = "kashi"
	meknes   = "meknes"
	seattle  = "seattle"
	cmf      = "cmf"
	hope     = "hope"
	who      = "who"
	nhc      = "nhc"
	shGov    = "shanghai-gov"
	shHealth = "shanghai-health"
	shSci    = "shanghai-sci"
	bsHealth = "baoshan-health"
	wuhanNo1 = "wuhan-no1"
)

// xinhuaCardiology is the Xinhua department the demo screener screens and
// the demo doctor belongs to, so that an application can go all the way.
const xinhuaCardiology = "Cardiology"

// org is an organization to create; parent is the key of its parent.
type org struct {
	key    string
	parent string
	o      domain.Organization
}

// coordinates are the approximate places of the organizations, at city
// level where the exact site does not matter for distances; organizations
// whose place is unclear have none.
var coordinates = map[string][2]float64{
	sjtuSoM:  {31.2100, 121.4600},
	scmc:     {31.2050, 121.5250},
	xinhua:   {31.2620, 121.5190},
	baoshan:  {25.1120, 99.1610},
	kashi:    {39.4700, 75.9900},
	meknes:   {33.8950, -5.5550},
	seattle:  {47.6620, -122.2820},
	cmf:      {22.3200, 114.1700},
	who:      {46.2330, 6.1340},
	nhc:      {39.9040, 116.4070},
	shGov:    {31.2300, 121.4740},
	shHealth: {31.2300, 121.4740},
	shSci:    {31.2300, 121.4740},
	bsHealth: {25.1120, 99.1610},
	wuhanNo1: {30.5900, 114.2700},
}

// organizations lists parents before their children.
var organizations = []org{
	{key: sjtuSoM, o: domain.Organization{Name: "Shanghai Jiao Tong University School of Medicine", Kind: "university",
		Country: "CN", Subdivision: "CN-SH", City: "Shanghai", Website: "https://www.shsmu.edu.cn"}},
	{key: scmc, parent: sjtuSoM, o: domain.Organization{Name: "Shanghai Children's Medical Center", Kind: "hospital",
		Country: "CN", Subdivision: "CN-SH", City: "Shanghai", ParentRelation: "affiliation",
		BedsTotal: new(int64(1500)), BedsInService: new(int64(880)), ClinicalDepartments: new(int64(31)),
		Website: "https://www.scmc.com.cn",
		Accreditations: []domain.Accreditation{
			// "In 2010, the hospital passed JCI International Hospital
			// Certification": only the year is known.
			{Kind: "accreditation", Name: "JCI accreditation", GrantedBy: "Joint Commission International", GrantedOn: domain.YearOf(2010)},
			// "In 2017, the hospital was granted as National Children's
			// Medical Center": only the year is known. The national health
			// authority of 2017 was the National Health and Family Planning
			// Commission, which became the National Health Commission in 2018.
			{Kind: "designation", Name: "National Children's Medical Center", GrantedBy: "National Health and Family Planning Commission", GrantedOn: domain.YearOf(2017)},
			// "won the title of National Civilized Unit in 2017": only the
			// year is known, the grantor is not named.
			{Kind: "designation", Name: "National Civilized Unit", GrantedOn: domain.YearOf(2017)},
			// The Shanghai Municipal Government Quality Gold Award (2018) is
			// an award, neither an accreditation nor a designation: it
			// belongs with milestone outcomes, not here.
		}}},
	// The three branches "have been approved to become national regional
	// medical centers"; the accounts give no date for that, and a designation
	// needs one, so it is not recorded. Their cities are not given either.
	{key: scmcHN, parent: scmc, o: domain.Organization{Name: "Shanghai Children's Medical Center Hainan Branch", Kind: "hospital",
		Country: "CN", Subdivision: "CN-HI", ParentRelation: "branch"}},
	{key: scmcFJ, parent: scmc, o: domain.Organization{Name: "Shanghai Children's Medical Center Fujian Branch", Kind: "hospital",
		Country: "CN", Subdivision: "CN-FJ", ParentRelation: "branch"}},
	{key: scmcGZ, parent: scmc, o: domain.Organization{Name: "Shanghai Children's Medical Center Guizhou Branch", Kind: "hospital",
		Country: "CN", Subdivision: "CN-GZ", ParentRelation: "branch"}},
	{key: xinhua, parent: sjtuSoM, o: domain.Organization{Name: "Xinhua Hospital affiliated to Shanghai Jiao Tong University School of Medicine",
		Kind: "hospital", Country: "CN", Subdivision: "CN-SH", City: "Shanghai", ParentRelation: "affiliation",
		Website: "https://www.xinhuamed.com.cn"}},
	{key: baoshan, o: domain.Organization{Name: "Baoshan People's Hospital", Kind: "hospital",
		Country: "CN", Subdivision: "CN-YN", City: "Baoshan"}},
	{key: kashi, o: domain.Organization{Name: "The Second People's Hospital of Kashi", Kind: "hospital",
		Country: "CN", Subdivision: "CN-XJ", City: "Kashi",
		Accreditations: []domain.Accreditation{
			// Reviewed in 2014 "by Xinjiang Autonomous Region", formally
			// granted the title on January 28, 2015.
			{Kind: "designation", Name: "Tertiary class A hospital", GrantedBy: "Xinjiang Uygur Autonomous Region",
				GrantedOn: domain.DayOf(domain.Date{Year: 2015, Month: time.January, Day: 28})},
		}}},
	// The account says only that the 2015 team "departed for Meknes,
	// Morocco" to work in local hospital departments; it does not name the
	// hospital.
	{key: meknes, o: domain.Organization{Name: "Hospital in Meknes", Kind: "hospital", Country: "MA", City: "Meknes"}},
	{key: seattle, o: domain.Organization{Name: "Seattle Children's Hospital", Kind: "hospital",
		Country: "US", Subdivision: "US-WA", City: "Seattle", Website: "https://www.seattlechildrens.org"}},
	{key: cmf, o: domain.Organization{Name: "Children's Medical Foundation (CMF)", Kind: "foundation", Country: "HK"}},
	{key: hope, o: domain.Organization{Name: "Project HOPE", Kind: "ngo", Country: "US", Website: "https://www.projecthope.org"}},
	{key: who, o: domain.Organization{Name: "World Health Organization", Kind: "international",
		Country: "CH", City: "Geneva", Website: "https://www.who.int"}},
	{key: nhc, o: domain.Organization{Name: "National Health Commission of the People's Republic of China", Kind: "government",
		Country: "CN", Subdivision: "CN-BJ", City: "Beijing", Website: "http://www.nhc.gov.cn"}},
	{key: shGov, o: domain.Organization{Name: "Shanghai Municipal People's Government", Kind: "government",
		Country: "CN", Subdivision: "CN-SH", City: "Shanghai"}},
	{key: shHealth, o: domain.Organization{Name: "Shanghai Municipal Health Commission", Kind: "government",
		Country: "CN", Subdivision: "CN-SH", City: "Shanghai"}},
	{key: shSci, o: domain.Organization{Name: "Shanghai Science and Technology Commission", Kind: "government",
		Country: "CN", Subdivision: "CN-SH", City: "Shanghai"}},
	{key: bsHealth, o: domain.Organization{Name: "Baoshan Municipal Health Bureau", Kind: "government",
		Country: "CN", Subdivision: "CN-YN", City: "Baoshan"}},
	{key: wuhanNo1, o: domain.Organization{Name: "Wuhan No.1 Hospital", Kind: "hospital",
		Country: "CN", Subdivision: "CN-HB", City: "Wuhan"}},
}

// departments lists, per organization key, the departments the accounts
// name or that the demo logins need.
var departments = []struct {
	org   string
	names []string
}{
	{scmc, []string{"Neonatology", "Pediatric Heart Center", "Hematology and Oncology", "Medical Social Work", "International Office"}},
	{xinhua, []string{xinhuaCardiology, "General Surgery", "Pediatrics", "Nephrology", "Critical Care Medicine", "Imaging", "Partner Assistance Office"}},
	// The services the Shanghai team set up or restructured in 2015.
	{kashi, []string{"Comprehensive ICU", "Nephrology", "Hemodialysis Unit", "Neonatology", "Imaging Center"}},
}

// person is someone named in the accounts, with the keys of their
// organization and department. Titles are those the accounts give at the
// time they were written. Nobody here gets a birth date, email or phone: the
// accounts give none.
//
// Zhong Nanshan and Zhang Wenhong are named without an organization, which
// a person needs, so they are left out.
type person struct {
	org, dept string
	p         domain.Person
}

var people = []person{
	{scmc, "", domain.Person{Name: "Liu Jinfen", Title: "Founder", Specialty: "pediatric cardiovascular surgery"}},
	{scmc, "", domain.Person{Name: "Li Hong", Title: "Vice President"}},
	// Listed in the 2023 meeting account under the same title as Li Hong.
	{scmc, "", domain.Person{Name: "Mazhong Zhang", Title: "Vice President"}},
	{scmc, "", domain.Person{Name: "Yinglei Yang", Title: "Office Director"}},
	{scmc, "Neonatology", domain.Person{Name: "Jun Bu", Title: "Deputy Chief of Neonatology Department", Specialty: "neonatology"}},
	{cmf, "", domain.Person{Name: "Alex Ng", Title: "Chairman"}},
	{cmf, "", domain.Person{Name: "Estella Huang Lung", Title: "CEO"}},
	{cmf, "", domain.Person{Name: "Guoli Shen", Title: "Deputy CEO"}},
	{cmf, "", domain.Person{Name: "Guifang Li", Title: "Project Director"}},
	{xinhua, "", domain.Person{Name: "Sun Kun", Title: "President"}},
	{xinhua, "", domain.Person{Name: "Wu Hao", Title: "Party Secretary"}},
	{sjtuSoM, "", domain.Person{Name: "Chen Mu", Title: "Vice President"}},
	{nhc, "", domain.Person{Name: "Ma Xiaowei", Title: "Minister"}},
	{shGov, "", domain.Person{Name: "Yang Xiong", Title: "Mayor of Shanghai"}},
	{shGov, "", domain.Person{Name: "Weng Tiehui", Title: "Vice Mayor of Shanghai"}},
	{shGov, "", domain.Person{Name: "Shi Guanghui", Title: "Vice Mayor of Shanghai"}},
}

// items is the supply catalog: what the accounts say was sent or pleaded
// for (N95 masks to Seattle; test kits, antiviral drugs, traditional Chinese
// medicine, respirators, facial masks and protective equipment abroad).
var items = []domain.Item{
	{Code: "N95", Name: "N95 respirator", Category: "ppe", Unit: "piece"},
	{Code: "MASK-SURG", Name: "Surgical mask", Category: "ppe", Unit: "piece"},
	{Code: "GOWN", Name: "Protective gown", Category: "ppe", Unit: "piece"},
	{Code: "TEST-COVID", Name: "COVID-19 test kit", Category: "diagnostics", Unit: "kit"},
	{Code: "ANTIVIRAL", Name: "Antiviral drug", Category: "medicine", Unit: "box"},
	{Code: "TCM", Name: "Traditional Chinese medicine preparation", Category: "tcm", Unit: "box"},
	{Code: "VENTILATOR", Name: "Ventilator", Category: "equipment", Unit: "piece"},
}

// user is a demo login: one per role of the domain. The people behind them
// are invented, which their names say.
type user struct {
	email, name, description string
	siteAdmin                bool
	org, dept                string
	role                     domain.Role
	// person, when set, is the person record of the user, so that the user
	// can volunteer for missions.
	person *person
}

var users = []user{
	{email: "admin@example.org", name: "Demo Site Administrator", siteAdmin: true,
		description: "site administrator"},
	{email: "admin@scmc.example.org", name: "Demo SCMC Administrator", org: scmc, role: domain.RoleAdmin,
		description: "admin of Shanghai Children's Medical Center"},
	{email: "coordinator@scmc.example.org", name: "Demo SCMC International Office", org: scmc, role: domain.RoleCoordinator,
		description: "coordinator of Shanghai Children's Medical Center (donor, international office)"},
	{email: "supply@seattlechildrens.example.org", name: "Demo Seattle Children's Supply Chain", org: seattle, role: domain.RoleCoordinator,
		description: "coordinator of Seattle Children's Hospital (recipient, supply chain)"},
	{email: "partners@xinhua.example.org", name: "Demo Xinhua Partner Assistance Office", org: xinhua, role: domain.RoleCoordinator,
		description: "coordinator of Xinhua Hospital (program coordinator, partner-assistance office)"},
	{email: "screener@xinhua.example.org", name: "Demo Xinhua Cardiology Head", org: xinhua, dept: xinhuaCardiology, role: domain.RoleScreener,
		description: "screener of the Cardiology department of Xinhua Hospital"},
	{email: "reviewer@xinhua.example.org", name: "Demo Xinhua Hospital Leadership", org: xinhua, role: domain.RoleReviewer,
		description: "reviewer of Xinhua Hospital (hospital leadership)"},
	{email: "doctor@xinhua.example.org", name: "Demo Xinhua Doctor", org: xinhua, role: domain.RoleMember,
		description: "member of Xinhua Hospital (a doctor on the 4th team to Baoshan, applying for the 18th team to Morocco)",
		// The title rank, languages and birth date are placeholders that let
		// the doctor apply for the demo's recruiting team to Morocco.
		person: &person{xinhua, xinhuaCardiology, domain.Person{Name: "Demo Xinhua Doctor", Title: "Doctor", Specialty: "cardiology",
			TitleRank: "attending", Languages: []string{"zh", "en", "fr"}, BirthDate: domain.Date{Year: 1985, Month: time.May, Day: 12}}}},
	{email: "officer@cmf.example.org", name: "Demo CMF Program Officer", org: cmf, role: domain.RoleCoordinator,
		description: "coordinator of Children's Medical Foundation (foundation officer)"},
	{email: "viewer@shhealth.example.org", name: "Demo Shanghai Health Official", org: shHealth, role: domain.RoleViewer,
		description: "viewer at Shanghai Municipal Health Commission"},
}

// Load fills an empty store with the demo data set and returns the demo
// logins, the site administrator first. Records are created by the system
// (an empty store.Actor) one at a time, so a failure part way leaves what was
// created before it. ECONFLICT when the store already has users.
func Load(ctx context.Context, s *store.Store, a *account.Service) ([]Login, error) {
	n, err := s.CountUsers(ctx)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, domain.Errorf(domain.ECONFLICT, "the store already has %d users: demo data loads only into an empty store", n)
	}
	system := store.Actor{}

	orgIDs := map[string]string{}
	for _, d := range organizations {
		o := d.o
		o.Accreditations = append([]domain.Accreditation(nil), d.o.Accreditations...)
		if d.parent != "" {
			o.ParentID = orgIDs[d.parent]
		}
		if c, ok := coordinates[d.key]; ok {
			o.Latitude, o.Longitude = &c[0], &c[1]
		}
		if err := s.CreateOrganization(ctx, system, &o); err != nil {
			return nil, fmt.Errorf("create organization %q: %w", o.Name, err)
		}
		orgIDs[d.key] = o.ID
	}

	// deptIDs is keyed by organization key, then department name.
	deptIDs := map[string]map[string]string{}
	for _, d := range departments {
		deptIDs[d.org] = map[string]string{}
		for _, name := range d.names {
			dep := domain.Department{OrganizationID: orgIDs[d.org], Name: name}
			if err := s.CreateDepartment(ctx, system, &dep); err != nil {
				return nil, fmt.Errorf("create department %q of %s: %w", name, d.org, err)
			}
			deptIDs[d.org][name] = dep.ID
		}
	}

	for _, d := range people {
		p := d.p
		p.OrganizationID = orgIDs[d.org]
		if d.dept != "" {
			p.DepartmentID = deptIDs[d.org][d.dept]
		}
		if err := s.CreatePerson(ctx, system, &p); err != nil {
			return nil, fmt.Errorf("create person %q: %w", p.Name, err)
		}
	}

	itemIDs := map[string]string{}
	for _, it := range items {
		if err := s.CreateItem(ctx, system, &it); err != nil {
			return nil, fmt.Errorf("create item %q: %w", it.Code, err)
		}
		itemIDs[it.Code] = it.ID
	}
	if err := loadSupply(ctx, s, orgIDs, itemIDs); err != nil {
		return nil, err
	}
	if err := loadPartnerships(ctx, s, orgIDs); err != nil {
		return nil, err
	}
	if err := loadContributions(ctx, s, orgIDs); err != nil {
		return nil, err
	}
	if err := loadEvents(ctx, s, orgIDs); err != nil {
		return nil, err
	}

	logins := make([]Login, 0, len(users))
	userIDs, personIDs := map[string]string{}, map[string]string{}
	for _, d := range users {
		u := domain.User{Email: d.email, Name: d.name, SiteAdmin: d.siteAdmin}
		if d.org != "" {
			m := domain.Membership{OrganizationID: orgIDs[d.org], Role: d.role}
			if d.dept != "" {
				m.DepartmentID = deptIDs[d.org][d.dept]
			}
			u.Memberships = []domain.Membership{m}
		}
		if err := a.CreateUser(ctx, nil, &u, Password); err != nil {
			return nil, fmt.Errorf("create demo user %s: %w", d.email, err)
		}
		if d.person != nil {
			p := d.person.p
			p.OrganizationID, p.DepartmentID, p.UserID = orgIDs[d.person.org], deptIDs[d.person.org][d.person.dept], u.ID
			if err := s.CreatePerson(ctx, system, &p); err != nil {
				return nil, fmt.Errorf("create person %q: %w", p.Name, err)
			}
			personIDs[d.email] = p.ID
		}
		userIDs[d.email] = u.ID
		logins = append(logins, Login{Email: u.Email, Description: d.description})
	}
	// The missions come after the users: their applications are registered,
	// screened and decided by the Xinhua demo users.
	if err := loadMissions(ctx, s, orgIDs, deptIDs, demoLogins{
		coordinator: userIDs["partners@xinhua.example.org"], screener: userIDs["screener@xinhua.example.org"],
		reviewer: userIDs["reviewer@xinhua.example.org"], doctor: userIDs["doctor@xinhua.example.org"],
		doctorPerson: personIDs["doctor@xinhua.example.org"],
	}); err != nil {
		return nil, err
	}
	if err := loadOutcomes(ctx, s, orgIDs); err != nil {
		return nil, err
	}
	// The field work of the 4th team to Baoshan, logged by the demo doctor.
	if err := loadActivities(ctx, s, orgIDs, demoLogins{doctor: userIDs["doctor@xinhua.example.org"],
		doctorPerson: personIDs["doctor@xinhua.example.org"]}); err != nil {
		return nil, err
	}
	if err := loadIndicators(ctx, s, orgIDs); err != nil {
		return nil, err
	}
	return logins, nil
}
