package domain

import "strings"

// What the system writes into records is a code, never a sentence, so that
// each language can say it: a reference to the record that caused an entry
// ("shipment:ID" on a stock movement, "allocation:ID" on a pledge), and a
// reason code where a reason is required. Text typed by people is kept as
// typed, and so are values written before these codes.

// The kinds of records a reference names.
const (
	RefShipment   = "shipment"
	RefAllocation = "allocation"
)

// refKinds are the kinds ParseRef accepts.
var refKinds = []string{RefShipment, RefAllocation}

// Ref is a reference to a record: its kind and id.
type Ref struct {
	Kind string
	ID   string
}

// RefTo returns the code of a reference to the record of the given kind and
// id, "shipment:ID".
func RefTo(kind, id string) string { return kind + ":" + id }

// ParseRef reads a reference written by RefTo. It reports false for anything
// else (text typed by a person, or a reference written before the codes,
// such as "shipment 06h..."), which is shown as it is.
func ParseRef(s string) (Ref, bool) {
	kind, id, ok := strings.Cut(s, ":")
	if !ok || id == "" || !oneOf(kind, refKinds) || strings.ContainsAny(id, " :/?#") {
		return Ref{}, false
	}
	return Ref{Kind: kind, ID: id}, true
}

// ReasonOpeningStock is the reason code of a movement that brings stock
// held before the records began onto the books.
const ReasonOpeningStock = "opening_stock"
