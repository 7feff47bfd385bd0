package web

import (
	"io/fs"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
)

func loadMessages(t *testing.T, tag string) map[string]string {
	t.Helper()
	var m map[string]string
	if _, err := toml.DecodeFS(locales, "locales/"+tag+".toml", &m); err != nil {
		t.Fatalf("%s: %v", tag, err)
	}
	return m
}

// TestCatalogsComplete checks that every language has every message, that
// no message is left untranslated by accident, and that every message id the
// templates and handlers use exists.
func TestCatalogsComplete(t *testing.T) {
	en := loadMessages(t, "en")
	for _, l := range Languages[1:] {
		other := loadMessages(t, l.Tag)
		for id := range en {
			if _, ok := other[id]; !ok {
				t.Errorf("%s lacks message %q", l.Tag, id)
			}
		}
		for id := range other {
			if _, ok := en[id]; !ok {
				t.Errorf("%s has message %q that English lacks", l.Tag, id)
			}
		}
	}

	used := map[string]bool{}
	literal := regexp.MustCompile(`[Ll]\.T "([a-z0-9_]+)"|[Ll]\.T\("([a-z0-9_]+)"`)
	scan := func(name string, data []byte) {
		for _, m := range literal.FindAllStringSubmatch(string(data), -1) {
			if id := m[1] + m[2]; !strings.HasSuffix(id, "_") { // a prefix completed below
				used[id] = true
			}
		}
	}
	fs.WalkDir(files, "templates", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(files, p)
			scan(p, b)
		}
		return err
	})
	for _, src := range goSources(t) {
		scan("go", []byte(src))
	}
	// Ids built from values: kinds, categories, roles, relations and actions.
	for _, k := range domain.OrgKinds {
		used["kind_"+string(k)] = true
	}
	for _, c := range domain.ItemCategories {
		used["category_"+string(c)] = true
	}
	for _, r := range domain.Roles {
		used["role_"+string(r)] = true
	}
	for _, r := range domain.ParentRelations {
		used["relation_"+r] = true
		used["child_"+r] = true
	}
	for _, k := range domain.AccreditationKinds {
		used["acc_"+k] = true
	}
	for _, u := range domain.Urgencies {
		used["urgency_"+string(u)] = true
	}
	for m := 1; m <= 12; m++ {
		used["month_"+strconv.Itoa(m)] = true
	}
	for _, s := range domain.NeedStatuses {
		used["need_status_"+string(s)] = true
	}
	for _, s := range []domain.PledgeStatus{domain.PledgeOffered, domain.PledgeAccepted, domain.PledgeShipped, domain.PledgeDelivered,
		domain.PledgeDeclined, domain.PledgeWithdrawn} {
		used["pledge_status_"+string(s)] = true
	}
	for _, s := range []domain.ShipmentStatus{domain.ShipmentPreparing, domain.ShipmentDispatched, domain.ShipmentDelivered,
		domain.ShipmentPartiallyDelivered, domain.ShipmentLost, domain.ShipmentCancelled} {
		used["shipment_status_"+string(s)] = true
	}
	for _, k := range domain.MovementKinds {
		used["movement_"+string(k)] = true
	}
	for _, k := range domain.ProgramKinds {
		used["program_kind_"+string(k)] = true
	}
	for _, st := range domain.PartnershipStatuses {
		used["partnership_status_"+string(st)] = true
	}
	for _, r := range domain.ParticipantRoles {
		used["participant_role_"+string(r)] = true
	}
	for _, k := range domain.CommitmentKinds {
		used["commitment_kind_"+string(k)] = true
	}
	for _, k := range domain.ContributionKinds {
		used["contribution_kind_"+string(k)] = true
	}
	for _, st := range domain.MissionStatuses {
		used["mission_status_"+string(st)] = true
		used["mission_move_"+string(st)] = true
	}
	for _, st := range domain.ApplicationStages {
		used["stage_"+string(st)] = true
	}
	for _, st := range domain.StagePassed.Outcomes(domain.StepDecide) {
		used["decide_"+string(st)] = true
	}
	for _, k := range domain.ActivityKinds {
		used["activity_kind_"+string(k)] = true
	}
	for i := 1; i <= 7; i++ {
		used["weekday_"+strconv.Itoa(i)] = true
	}
	for _, r := range domain.TitleRanks {
		used["title_rank_"+string(r)] = true
	}
	for _, k := range domain.OutcomeKinds {
		used["outcome_kind_"+string(k)] = true
		used["outcome_kind_hint_"+string(k)] = true
		used["outcome_title_"+string(k)] = true
		used["report_kind_"+string(k)] = true
	}
	for _, k := range []string{"all", "sci", "high"} {
		used["report_papers_"+k] = true
	}
	for _, n := range domain.Novelties {
		used["novelty_"+string(n)] = true
	}
	for _, c := range domain.ServiceChanges {
		used["service_change_"+string(c)] = true
	}
	for _, f := range domain.Fundings {
		used["funding_"+string(f)] = true
	}
	for _, m := range domain.MilestoneKinds {
		used["milestone_"+string(m)] = true
	}
	for _, k := range append([]string{string(domain.OutcomeMilestone)}, domain.AccreditationKinds...) {
		used["geo_timeline_"+k] = true
	}
	for _, r := range domain.IndicatorRules {
		used["indicator_rule_"+string(r)] = true
	}
	for _, p := range domain.IndicatorPeriods {
		used["indicator_period_"+string(p)] = true
	}
	used["action_enter"] = true
	for _, a := range []string{"create", "update", "delete", "password", "revoke", "cancel", "dispatch", "receipt", "deliver", "leader"} {
		used["action_"+a] = true
	}
	// A mission's moves are audited under the status they lead to.
	for _, st := range domain.MissionStatuses {
		used["action_"+string(st)] = true
	}
	for _, k := range domain.EventKinds {
		used["event_kind_"+string(k)] = true
	}
	for _, st := range domain.ActionStatuses {
		used["action_status_"+string(st)] = true
		used["action_move_"+string(st)] = true
	}
	// A change of an action item's status is audited on its event.
	used["action_action_item"] = true
	for _, p := range domain.AllocationPolicies {
		used["policy_"+p] = true
		used["policy_hint_"+p] = true
	}
	for _, s := range []string{"proposed", "committed"} {
		used["allocation_status_"+s] = true
	}
	for _, r := range []string{"no_stock", "no_lane_in_time", "not_chosen"} {
		used["unmet_reason_"+r] = true
	}
	for _, s := range []string{"400", "403", "404", "409", "422", "429", "500"} {
		used["error_status_"+s] = true
	}
	var missing []string
	for id := range used {
		if _, ok := en[id]; !ok {
			missing = append(missing, id)
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("messages used but not in the catalog: %s", strings.Join(missing, ", "))
	}
	for id := range en {
		if !used[id] {
			t.Errorf("message %q is in the catalog but never used", id)
		}
	}
}

// goSources returns the package's own Go files, for the catalog test.
func goSources(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

// TestDomainMessagesTranslated checks that every message the domain, the
// store and the services say to users has a translation in every language
// but English, whose text is the domain's own, with the same named values,
// and that no translation is left for a message that no longer exists.
func TestDomainMessagesTranslated(t *testing.T) {
	english := domain.Messages()
	placeholder := regexp.MustCompile(`{{\s*\.([A-Za-z]+)\s*}}`)
	names := func(text string) []string {
		var out []string
		for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
			// English phrases that other languages leave out: a record's
			// name, and the action and who may do it of a refusal.
			if m[1] != "What" && m[1] != "Action" && m[1] != "Who" {
				out = append(out, m[1])
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	for _, l := range Languages[1:] {
		var tr map[string]string
		if _, err := toml.DecodeFS(locales, "locales/messages."+l.Tag+".toml", &tr); err != nil {
			t.Fatalf("%s: %v", l.Tag, err)
		}
		for _, id := range domain.MessageIDs() {
			got, ok := tr[msgKey(id)]
			if !ok {
				t.Errorf("%s lacks a translation of message %q (%q)", l.Tag, id, english[id])
				continue
			}
			if g, w := names(got), names(english[id]); !slices.Equal(g, w) {
				t.Errorf("%s: message %q puts in %v, English %v", l.Tag, id, g, w)
			}
		}
		for key := range tr {
			if _, ok := english[domain.MsgID(strings.TrimPrefix(key, "msg_"))]; !ok {
				t.Errorf("%s translates %q, which the domain no longer says", l.Tag, key)
			}
		}
	}
}

// TestMessagesInReadersLanguage checks that a refusal reads in the reader's
// language with its numbers grouped as the language groups them.
func TestMessagesInReadersLanguage(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	err = domain.Refuse(domain.ECONFLICT, "quantity", domain.MsgPledgeTooMuch, "Left", int64(300), "Quantity", int64(1500), "Offered", int64(2000))
	tests := []struct{ lang, want string }{
		{"en", "only 300 of 1,500 are still uncovered; you offered 2,000"},
		{"zh-CN", "1,500"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Language", tt.lang)
		l := c.localizer(r)
		got := l.Field(domain.ErrorFields(err)[0])
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s: %q, want it to hold %q", tt.lang, got, tt.want)
		}
		if tt.lang != "en" && regexp.MustCompile(`[A-Za-z]{3,}`).MatchString(got) {
			t.Errorf("%s: %q holds English words", tt.lang, got)
		}
	}
}

func TestParseWhole(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/", nil)
	l := c.localizer(r)
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1500", 1500, true}, {"1,500", 1500, true}, {" 2,000,000 ", 2000000, true}, {"-1,500", -1500, true},
		{"1,5", 0, false}, {"15,00", 0, false}, {"2.5", 0, false}, {"1,500.0", 0, false}, {"", 0, false}, {"99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		got, err := l.ParseWhole(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseWhole(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestMoney(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	l := c.localizer(httptest.NewRequest("GET", "/", nil))
	for _, tt := range []struct{ amount, currency, want string }{
		{"1830.40", "USD", "1,830.40 USD"}, {"25000000", "USD", "25,000,000.00 USD"}, {"300000000", "CNY", "300,000,000.00 CNY"},
		{"1500", "JPY", "1,500 JPY"}, {"-12.5", "EUR", "-12.50 EUR"},
	} {
		m, err := domain.ParseMoney(tt.amount, tt.currency)
		if err != nil {
			t.Fatal(err)
		}
		if got := l.Money(m); got != tt.want {
			t.Errorf("Money(%s %s) = %q, want %q", tt.amount, tt.currency, got, tt.want)
		}
	}
}

// FuzzParseWhole checks the reading of typed quantities: every number the
// pages write reads back as itself, and nothing else panics or reads as a
// number the language would not write.
func FuzzParseWhole(f *testing.F) {
	c, err := loadCatalog()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"1500", "1,500", "-1,500", "1,5", "2.5", "", "99999999999999999999", " 2,000,000 ", "1,,500"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, l := range Languages {
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Accept-Language", l.Tag)
			loc := c.localizer(r)
			n, err := loc.ParseWhole(s)
			if err != nil {
				continue
			}
			if back, err := loc.ParseWhole(loc.Number(n)); err != nil || back != n {
				t.Fatalf("%s: %q reads as %d, written %q, which reads as %d, %v", l.Tag, s, n, loc.Number(n), back, err)
			}
		}
	})
}

// TestRefusalsInReadersLanguage checks that a refusal of the access policy
// says, in Chinese, what was refused and who may do it.
func TestRefusalsInReadersLanguage(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	viewer := &domain.User{Meta: domain.Meta{ID: "u1"}, Memberships: []domain.Membership{{OrganizationID: "o1", Role: domain.RoleViewer}}}
	err = access.Allow(viewer, access.DeleteOrganization, access.Resource{OrganizationID: "o1"})
	if !strings.Contains(domain.ErrorMessage(err), "delete this organization") {
		t.Errorf("English detail %q does not say what was refused", domain.ErrorMessage(err))
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Accept-Language", "zh-CN")
	got := c.localizer(r).Error(err)
	if !strings.Contains(got, "删除此机构") || !strings.Contains(got, "该机构的管理员") || regexp.MustCompile(`[A-Za-z]{3,}`).MatchString(got) {
		t.Errorf("Chinese refusal %q", got)
	}
}

func TestLanguageNames(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ lang, want string }{{"en", "French, Chinese"}, {"zh-CN", "法语、中文"}} {
		r := httptest.NewRequest("GET", "/", nil)
		r.AddCookie(&http.Cookie{Name: langCookie, Value: tt.lang})
		if got := c.localizer(r).LanguageNames([]string{"fr", "zh"}); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.lang, got, tt.want)
		}
	}
}

// TestNumbersAsThePrinterWrites checks that every language writes whole
// numbers on the pages exactly as its printer does, over numbers of every
// length and sign, and that English and Chinese take the fast path.
func TestNumbersAsThePrinterWrites(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	numbers := []int64{0, 1, -1, 12, 999, -999, 1000, 1001, 99999, 100000, -100000, 1 << 40, math.MaxInt64, math.MinInt64, math.MinInt64 + 1}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		n := rng.Int64() >> rng.IntN(63)
		if rng.IntN(2) == 0 {
			n = -n
		}
		numbers = append(numbers, n)
	}
	for _, lang := range Languages {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Language", lang.Tag)
		l := c.localizer(r)
		if l.Lang != lang.Tag {
			t.Fatalf("asked for %s, got %s", lang.Tag, l.Lang)
		}
		if !l.group.fast {
			t.Errorf("%s writes numbers through its printer: its grouping was not recognised", lang.Tag)
		}
		for _, n := range numbers {
			if got, want := l.Number(n), l.printer.Sprintf("%d", n); got != want {
				t.Errorf("%s: Number(%d) = %q, its printer writes %q", lang.Tag, n, got, want)
			}
		}
	}
	if got := (grouping{sep: "\u00a0"}).format(-1234567); got != "-1\u00a0234\u00a0567" {
		t.Errorf("format with a no-break space = %q", got)
	}
}

// BenchmarkNumber compares the two ways a page writes a whole number: the
// language's printer and the grouping found from it.
func BenchmarkNumber(b *testing.B) {
	c, err := loadCatalog()
	if err != nil {
		b.Fatal(err)
	}
	l := c.localizer(httptest.NewRequest("GET", "/", nil))
	b.Run("printer", func(b *testing.B) {
		for i := range b.N {
			_ = l.printer.Sprintf("%d", int64(i)*7919)
		}
	})
	b.Run("grouping", func(b *testing.B) {
		for i := range b.N {
			_ = l.Number(int64(i) * 7919)
		}
	})
}
