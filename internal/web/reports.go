package web

import (
	"net/http"
	"strconv"

	"aidbridge/internal/domain"
)

// leadRow is one item and month of the lead-time report: its averages in
// days with one decimal, "" where no need reached the step.
type leadRow struct {
	Month, ItemID, ItemName                                          string
	Needs                                                            int
	PleaToPledge, PledgeToDispatch, DispatchToReceipt, PleaToReceipt string
}

// leadTimesPage is the lead-time report.
type leadTimesPage struct {
	Rows []leadRow
}

// oneDecimal returns days with one decimal, "" when unknown.
func oneDecimal(days *float64) string {
	if days == nil {
		return ""
	}
	return strconv.FormatFloat(*days, 'f', 1, 64)
}

// leadTimeReport shows the average lead times per item and month of the
// plea, as the service reports them.
func (ui *UI) leadTimeReport(w http.ResponseWriter, r *http.Request, me *viewer) error {
	rep, err := ui.Supply.LeadTimeReport(r.Context(), me.User)
	if err != nil {
		return err
	}
	rows := make([]leadRow, len(rep.Summary))
	for i, s := range rep.Summary {
		rows[i] = leadRowOf(s)
	}
	return ui.render(w, r, me, "lead_times", leadTimesPage{Rows: rows})
}

func leadRowOf(s domain.LeadSummary) leadRow {
	return leadRow{Month: s.Month, ItemID: s.ItemID, ItemName: s.ItemName, Needs: s.Needs,
		PleaToPledge: oneDecimal(s.PleaToPledge), PledgeToDispatch: oneDecimal(s.PledgeToDispatch),
		DispatchToReceipt: oneDecimal(s.DispatchToReceipt), PleaToReceipt: oneDecimal(s.PleaToReceipt)}
}
