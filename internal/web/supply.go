package web

import (
	"net/http"
	"slices"
	"strconv"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
)

// The supply pages: the needs board and needs (needs.go), shipments and
// their acknowledgements (shipments.go), stock (stock.go), and here what they
// share; the notifications are in notifications.go.

// qty is a quantity as the pages show it, written as the reader's language
// writes numbers ("2,000"); templates print it through String.
type qty struct {
	n    int64
	text string
}

// Qty returns n as a page shows it.
func (l *localizer) Qty(n int64) qty { return qty{n, l.Number(n)} }

// String returns the quantity as the language writes it.
func (q qty) String() string { return q.text }

// Signed returns the quantity with its sign, for ledger changes: "+2,000".
func (q qty) Signed() string {
	if q.n > 0 {
		return "+" + q.text
	}
	return q.text
}

// choice is an organization offered in a select.
type choice struct{ ID, Name string }

// orgChoices returns the organizations the user may do a for: those of
// their memberships that the policy lets through, and for a site
// administrator (or to read the directory) every organization, the first
// 200 by name, after them.
func (ui *UI) orgChoices(r *http.Request, me *viewer, a access.Action) ([]choice, error) {
	names := map[string]string{}
	for _, m := range me.User.Memberships {
		names[m.OrganizationID] = m.OrganizationName
	}
	var out []choice
	for _, id := range access.Organizations(me.User, a) {
		out = append(out, choice{id, names[id]})
	}
	if access.Everywhere(me.User, a) || a == access.ReadDirectory {
		orgs, _, err := ui.Dir.ListOrganizations(r.Context(), me.User, domain.OrganizationFilter{Limit: domain.MaxPageSize})
		if err != nil {
			return nil, err
		}
		all := make([]choice, len(orgs))
		for i, o := range orgs {
			all[i] = choice{o.ID, o.Name}
		}
		out = mergeChoices(out, all, "")
	}
	return out, nil
}

// mergeChoices returns first followed by those of more it lacks, leaving
// out the organization except (an organization is not its own parent).
func mergeChoices(first, more []choice, except string) []choice {
	seen := map[string]bool{except: true}
	var out []choice
	for _, c := range append(first, more...) {
		if !seen[c.ID] {
			seen[c.ID] = true
			out = append(out, c)
		}
	}
	return out
}

// catalog returns the items offered in selects: the first 200 by name.
func (ui *UI) catalog(r *http.Request, me *viewer) ([]domain.Item, error) {
	items, _, err := ui.Dir.ListItems(r.Context(), me.User, domain.ItemFilter{Limit: domain.MaxPageSize})
	return items, err
}

// itemMap returns the items with the given ids, looking up those not among
// known one by one.
func (ui *UI) itemMap(r *http.Request, me *viewer, known []domain.Item, ids []string) (map[string]domain.Item, error) {
	m := map[string]domain.Item{}
	for _, it := range known {
		m[it.ID] = it
	}
	for _, id := range ids {
		if _, ok := m[id]; ok || id == "" {
			continue
		}
		it, err := ui.Dir.Item(r.Context(), me.User, id)
		if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return nil, err
		}
		m[id] = it
	}
	return m, nil
}

// offsetPage returns the part of a list a page shows, 25 entries from the
// offset in the cursor parameter, and the link to the next part.
func offsetPage[T any](r *http.Request, list []T) ([]T, string) {
	const size = 25
	from, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
	from = max(0, min(from, len(list)))
	to := min(from+size, len(list))
	next := ""
	if to < len(list) {
		next = nextLink(r, strconv.Itoa(to))
	}
	return list[from:to], next
}

// contains reports whether list holds s, for ticked checkboxes.
func contains(list []string, s string) bool { return slices.Contains(list, s) }
