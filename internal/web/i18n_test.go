package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

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
			used[m[1]+m[2]] = true
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
	for _, a := range []string{"create", "update", "delete", "password", "revoke", "cancel", "dispatch", "receipt"} {
		used["action_"+a] = true
	}
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
