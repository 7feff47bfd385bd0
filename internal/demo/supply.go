package demo

import (
	"context"
	"fmt"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// Health authorities of countries that China sent expert teams to (account
// 004); the same account says supplies went to "some foreign countries"
// without naming them or the quantities, so the national shipments below
// are illustrative and say so.
var nationalRecipients = []org{
	{key: "it-health", o: domain.Organization{Name: "Ministry of Health of Italy", Kind: "government", Country: "IT", City: "Rome",
		Latitude: new(41.9028), Longitude: new(12.4964)}},
	{key: "rs-health", o: domain.Organization{Name: "Ministry of Health of Serbia", Kind: "government", Country: "RS", City: "Belgrade",
		Latitude: new(44.7866), Longitude: new(20.4489)}},
	{key: "kh-health", o: domain.Organization{Name: "Ministry of Health of Cambodia", Kind: "government", Country: "KH", City: "Phnom Penh",
		Latitude: new(11.5564), Longitude: new(104.9282)}},
	{key: "pk-health", o: domain.Organization{Name: "Ministry of National Health Services of Pakistan", Kind: "government", Country: "PK", City: "Islamabad",
		Latitude: new(33.6844), Longitude: new(73.0479)}},
}

// delivery is a need met in full by one donor: pledged, accepted, shipped
// and received.
type delivery struct {
	recipient, donor, item string
	quantity               int64
	urgency                domain.Urgency
	justification          string
	fromStock              bool
	carrier                string
	cost                   string // shipping cost in cost currency, "" when unknown
	currency               string
	borneBy                string // organization key
}

var deliveries = []delivery{
	// Account 000: "2,000 N95 masks ... bearing all shipping expenses ...
	// after receiving an urgent plea from Seattle Children's Hospital ... due
	// to a global manufacturing shortage". The cost itself is not given.
	{recipient: seattle, donor: scmc, item: "N95", quantity: 2000, urgency: domain.UrgencyCritical, fromStock: true,
		justification: "Urgent plea for a mask donation due to a global manufacturing shortage amid the COVID-19 pandemic.",
		carrier:       "Air freight", borneBy: scmc},
	{recipient: "it-health", donor: nhc, item: "TEST-COVID", quantity: 50000, urgency: domain.UrgencyCritical,
		justification: "Illustrative quantity: the account names the goods, not the amounts.", carrier: "Air freight", borneBy: nhc},
	{recipient: "rs-health", donor: nhc, item: "VENTILATOR", quantity: 20, urgency: domain.UrgencyCritical,
		justification: "Illustrative quantity: the account names the goods, not the amounts.", carrier: "Air freight", borneBy: nhc},
	{recipient: "kh-health", donor: nhc, item: "ANTIVIRAL", quantity: 3000, urgency: domain.UrgencyHigh,
		justification: "Illustrative quantity: the account names the goods, not the amounts.", carrier: "Air freight", borneBy: nhc},
	{recipient: "pk-health", donor: nhc, item: "TCM", quantity: 5000, urgency: domain.UrgencyHigh,
		justification: "Illustrative quantity: the account names the goods, not the amounts.", carrier: "Air freight", borneBy: nhc},
	{recipient: "pk-health", donor: nhc, item: "MASK-SURG", quantity: 100000, urgency: domain.UrgencyHigh,
		justification: "Illustrative quantity: the account names the goods, not the amounts.", carrier: "Air freight", borneBy: nhc},
}

// openNeeds are pleas still waiting, at each urgency, for the board.
// Their figures are illustrative.
var openNeeds = []struct {
	org, item     string
	quantity      int64
	urgency       domain.Urgency
	justification string
}{
	{meknes, "GOWN", 1000, domain.UrgencyCritical, "Illustrative: protective gowns for the wards the Shanghai team works in."},
	{kashi, "TEST-COVID", 500, domain.UrgencyHigh, "Illustrative: test kits for the new comprehensive ICU."},
	{baoshan, "VENTILATOR", 2, domain.UrgencyNormal, "Illustrative: ventilators for critical care."},
}

// loadSupply adds the supply records: the N95 masks to Seattle, national
// shipments abroad, and open needs.
func loadSupply(ctx context.Context, s *store.Store, orgIDs, itemIDs map[string]string) error {
	system := store.Actor{}
	for _, d := range nationalRecipients {
		o := d.o
		if err := s.CreateOrganization(ctx, system, &o); err != nil {
			return fmt.Errorf("create organization %q: %w", o.Name, err)
		}
		orgIDs[d.key] = o.ID
	}
	for _, d := range deliveries {
		if err := deliver(ctx, s, d, orgIDs, itemIDs); err != nil {
			return fmt.Errorf("deliver %d %s to %s: %w", d.quantity, d.item, d.recipient, err)
		}
	}
	for _, d := range openNeeds {
		n := domain.Need{OrganizationID: orgIDs[d.org], ItemID: itemIDs[d.item], Quantity: d.quantity, Urgency: d.urgency,
			Justification: d.justification, Shortage: d.urgency == domain.UrgencyCritical}
		if err := s.CreateNeed(ctx, system, &n); err != nil {
			return fmt.Errorf("create need of %s: %w", d.org, err)
		}
	}
	return nil
}

func deliver(ctx context.Context, s *store.Store, d delivery, orgIDs, itemIDs map[string]string) error {
	system := store.Actor{}
	recipient, donor, item := orgIDs[d.recipient], orgIDs[d.donor], itemIDs[d.item]
	n := domain.Need{OrganizationID: recipient, ItemID: item, Quantity: d.quantity, Urgency: d.urgency, Justification: d.justification, Shortage: true}
	if err := s.CreateNeed(ctx, system, &n); err != nil {
		return err
	}
	if d.fromStock {
		// The donor held the stock it gave; the ledger starts with it.
		m := domain.StockMovement{OrganizationID: donor, ItemID: item, Kind: domain.MoveAdjustment, Delta: d.quantity, Reason: domain.ReasonOpeningStock}
		if err := s.RecordStock(ctx, system, &m); err != nil {
			return err
		}
	}
	p := domain.Pledge{NeedID: n.ID, DonorID: donor, Quantity: d.quantity, FromStock: d.fromStock}
	if err := s.CreatePledge(ctx, system, &p); err != nil {
		return err
	}
	if _, err := s.AcceptPledge(ctx, system, p.ID); err != nil {
		return err
	}
	sh := domain.Shipment{DonorID: donor, Carrier: d.carrier, CostBorneBy: orgIDs[d.borneBy], Lines: []domain.ShipmentLine{{PledgeID: p.ID, Quantity: d.quantity}}}
	if d.cost != "" {
		cost, err := domain.ParseMoney(d.cost, d.currency)
		if err != nil {
			return err
		}
		sh.ShippingCost = cost
	}
	if err := s.CreateShipment(ctx, system, &sh); err != nil {
		return err
	}
	sh, err := s.DispatchShipment(ctx, system, sh.ID, sh.Version)
	if err != nil {
		return err
	}
	_, err = s.RecordReceipt(ctx, system, sh.ID, []domain.ReceiptLine{{LineID: sh.Lines[0].ID, Received: d.quantity}})
	return err
}
