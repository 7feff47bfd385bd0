package web

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"aidbridge/internal/domain"
)

// TestBoardRowsEscape checks the board's rows, which the handler writes
// itself: names and units that look like markup are shown as text, and an id
// cannot leave its attribute or its link.
func TestBoardRowsEscape(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	l := c.localizer(httptest.NewRequest("GET", "/needs", nil))
	v := needView{
		Need:    domain.Need{Meta: domain.Meta{ID: `n"1><x`}, OrganizationID: "org/1?a", Urgency: domain.UrgencyCritical, Status: domain.NeedOpen, Shortage: true},
		OrgName: `<script>alert("org")</script>`,
		Item:    domain.Item{Name: `Masks & <b>gowns</b>`, Unit: `box "x"`},
		Figures: needFigures{Quantity: l.Qty(1200), Uncovered: l.Qty(300)},
		Overdue: true,
	}
	out := string(boardRows(l, []needView{v}))
	for _, bad := range []string{"<script>", "<b>", `n"1>`, `<x`} {
		if strings.Contains(out, bad) {
			t.Errorf("the rows hold %q unescaped:\n%s", bad, out)
		}
	}
	// The rows are well formed: read them as XML, text and attributes unescaped.
	dec := xml.NewDecoder(strings.NewReader("<tbody>" + out + "</tbody>"))
	dec.Entity = xml.HTMLEntity
	var text strings.Builder
	attrs := map[string][]string{}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the rows are not well formed: %v\n%s", err, out)
		}
		switch tok := tok.(type) {
		case xml.CharData:
			text.Write(tok)
		case xml.StartElement:
			for _, a := range tok.Attr {
				attrs[a.Name.Local] = append(attrs[a.Name.Local], a.Value)
			}
		}
	}
	for _, want := range []string{v.OrgName, v.Item.Name, "(" + v.Item.Unit + ")", "1,200", "300", "—"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the rows do not show %q as text: %q", want, text.String())
		}
	}
	if got := attrs["data-need"]; len(got) != 1 || got[0] != v.ID {
		t.Errorf("data-need = %q, want %q", got, v.ID)
	}
	hrefs := strings.Join(attrs["href"], " ")
	if !strings.Contains(hrefs, "/organizations/org%2F1%3Fa") || !strings.Contains(hrefs, "/needs/n%221%3E%3Cx") {
		t.Errorf("links %q do not keep the ids in their paths", hrefs)
	}
}
