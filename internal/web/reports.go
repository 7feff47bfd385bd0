package web

import (
	"net/http"

	"aidbridge/internal/domain"
	"aidbridge/internal/supply"
)

// leadTimeReport shows the average lead times per item and month of the plea.
func (ui *UI) leadTimeReport(w http.ResponseWriter, r *http.Request, p *request) error {
	lts, err := ui.Supply.AllLeadTimes(r.Context(), p.User)
	if err != nil {
		return err
	}
	rows := supply.Summarize(lts)
	items, _, err := ui.Dir.ListItems(r.Context(), p.User, domain.ItemFilter{Limit: domain.MaxPageSize})
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, it := range items {
		names[it.ID] = it.Name
	}
	return ui.render(w, r, p, "lead_times", map[string]any{"Rows": rows, "ItemNames": names})
}
