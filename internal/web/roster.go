package web

import (
	"net/http"
	"net/url"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/mission"
)

// rosterPage is the roster the engine proposes for a mission's open
// places: a line per placement, each accepted on its own as a decision,
// and the places nobody fits.
type rosterPage struct {
	Mission   missionRow
	Lines     []rosterLineView
	Gaps      []rosterGapView
	CanAccept bool // the reader decides, and the mission recruits
	Back      string
}

// rosterLineView is a line as the page says it.
type rosterLineView struct {
	domain.RosterLine
	Recent string // the recent missions, as the reader writes numbers
}

// rosterGapView is a slot with places nobody fits.
type rosterGapView struct {
	domain.RosterGap
	Open string
}

func (ui *UI) showRoster(w http.ResponseWriter, r *http.Request, me *viewer) error {
	ctx := r.Context()
	m, err := ui.Missions.Mission(ctx, me.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	roster, err := ui.Missions.Suggest(ctx, me.User, m.ID)
	if err != nil {
		return err
	}
	rows, err := ui.missionRows(r, me, []domain.Mission{m})
	if err != nil {
		return err
	}
	pg := rosterPage{Mission: rows[0], Back: "/missions/" + url.PathEscape(m.ID) + "/roster",
		CanAccept: m.Status.Takes() && access.Can(me.User, access.DecideApplication, mission.MissionResource(m))}
	for _, l := range roster.Lines {
		pg.Lines = append(pg.Lines, rosterLineView{RosterLine: l, Recent: me.L.Number(int64(l.Recent))})
	}
	for _, g := range roster.Gaps {
		pg.Gaps = append(pg.Gaps, rosterGapView{RosterGap: g, Open: me.L.Number(int64(g.Open))})
	}
	return ui.render(w, r, me, "roster", pg)
}
