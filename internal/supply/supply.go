// Package supply is supply aid as users see it: needs posted by hospitals,
// pledges from donors, shipments and receipts, stock and lead times (the
// notifications between the parties are internal/notify's). Every call
// asks the access policy; the store keeps the quantities' invariants.
package supply

import (
	"context"
	"time"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// Service reads and changes supply records on behalf of a user.
type Service struct {
	store *store.Store
}

// NewService returns a Service over s.
func NewService(s *store.Store) *Service { return &Service{store: s} }

func actor(u *domain.User) store.Actor { return store.Actor{UserID: u.ID} }

// Needs returns a page of the needs board and the next cursor.
func (s *Service) Needs(ctx context.Context, u *domain.User, f domain.NeedFilter) ([]domain.Need, string, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return nil, "", err
	}
	return s.store.ListNeeds(ctx, f)
}

// Need returns one need with its pledges.
func (s *Service) Need(ctx context.Context, u *domain.User, id string) (domain.Need, []domain.Pledge, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return domain.Need{}, nil, err
	}
	n, err := s.store.FindNeed(ctx, id)
	if err != nil {
		return n, nil, err
	}
	pledges, err := s.store.ListPledges(ctx, id)
	return n, pledges, err
}

// PostNeed creates a need for its organization when u may.
func (s *Service) PostNeed(ctx context.Context, u *domain.User, n *domain.Need) error {
	if err := access.Allow(u, access.PostNeed, access.Resource{OrganizationID: n.OrganizationID}); err != nil {
		return err
	}
	if err := s.ValidateNeed(n, nil); err != nil {
		return err
	}
	return s.store.CreateNeed(ctx, actor(u), n)
}

// UpdateNeed changes a need while nothing is pledged, when u may.
func (s *Service) UpdateNeed(ctx context.Context, u *domain.User, n *domain.Need) error {
	cur, err := s.store.FindNeed(ctx, n.ID)
	if err != nil {
		return err
	}
	if err := access.Allow(u, access.PostNeed, access.Resource{OrganizationID: cur.OrganizationID}); err != nil {
		return err
	}
	n.OrganizationID = cur.OrganizationID
	if err := s.ValidateNeed(n, &cur); err != nil {
		return err
	}
	return s.store.UpdateNeed(ctx, actor(u), n)
}

// CancelNeed cancels a need with a reason, when u may.
func (s *Service) CancelNeed(ctx context.Context, u *domain.User, id string, version int64, reason string) (domain.Need, error) {
	cur, err := s.store.FindNeed(ctx, id)
	if err != nil {
		return cur, err
	}
	if err := access.Allow(u, access.PostNeed, access.Resource{OrganizationID: cur.OrganizationID}); err != nil {
		return cur, err
	}
	return s.store.CancelNeed(ctx, actor(u), id, version, reason)
}

// Pledge offers a quantity against a need for the donor organization.
func (s *Service) Pledge(ctx context.Context, u *domain.User, p *domain.Pledge) error {
	if err := access.Allow(u, access.PledgeToNeed, access.Resource{OrganizationID: p.DonorID}); err != nil {
		return err
	}
	return s.store.CreatePledge(ctx, actor(u), p)
}

// pledgeParties returns a pledge and the organization of its need.
func (s *Service) pledgeParties(ctx context.Context, id string) (domain.Pledge, string, error) {
	p, err := s.store.FindPledge(ctx, id)
	if err != nil {
		return p, "", err
	}
	n, err := s.store.FindNeed(ctx, p.NeedID)
	return p, n.OrganizationID, err
}

// Accept accepts an offered pledge on behalf of the needing organization.
func (s *Service) Accept(ctx context.Context, u *domain.User, id string) (domain.Pledge, error) {
	p, recipient, err := s.pledgeParties(ctx, id)
	if err != nil {
		return p, err
	}
	if err := access.Allow(u, access.DecidePledge, access.Resource{OrganizationID: recipient}); err != nil {
		return p, err
	}
	return s.store.AcceptPledge(ctx, actor(u), id)
}

// Decline declines an offered pledge on behalf of the needing organization.
func (s *Service) Decline(ctx context.Context, u *domain.User, id, reason string) (domain.Pledge, error) {
	p, recipient, err := s.pledgeParties(ctx, id)
	if err != nil {
		return p, err
	}
	if err := access.Allow(u, access.DecidePledge, access.Resource{OrganizationID: recipient}); err != nil {
		return p, err
	}
	return s.store.DeclinePledge(ctx, actor(u), id, reason)
}

// Withdraw withdraws a pledge not yet shipped on behalf of the donor.
func (s *Service) Withdraw(ctx context.Context, u *domain.User, id, reason string) (domain.Pledge, error) {
	p, err := s.store.FindPledge(ctx, id)
	if err != nil {
		return p, err
	}
	if err := access.Allow(u, access.WithdrawPledge, access.Resource{OrganizationID: p.DonorID}); err != nil {
		return p, err
	}
	return s.store.WithdrawPledge(ctx, actor(u), id, reason)
}

// Pledges returns the pledges of a donor organization, for its members.
func (s *Service) Pledges(ctx context.Context, u *domain.User, donorID, status string) ([]domain.Pledge, error) {
	if err := access.Allow(u, access.ReadStock, access.Resource{OrganizationID: donorID}); err != nil {
		return nil, err
	}
	return s.store.ListDonorPledges(ctx, donorID, status, domain.MaxPageSize)
}

// Ship prepares a shipment for the donor organization.
func (s *Service) Ship(ctx context.Context, u *domain.User, sh *domain.Shipment) error {
	if err := access.Allow(u, access.ShipPledges, access.Resource{OrganizationID: sh.DonorID}); err != nil {
		return err
	}
	if sh.CostBorneBy != "" {
		if _, err := s.store.FindOrganization(ctx, sh.CostBorneBy); domain.ErrorCode(err) == domain.ENOTFOUND {
			var p domain.Problems
			p.Add("cost_borne_by", domain.MsgNoSuchOrganization, "ID", sh.CostBorneBy)
			return p.Err("shipment")
		} else if err != nil {
			return err
		}
	}
	return s.store.CreateShipment(ctx, actor(u), sh)
}

// Shipment returns a shipment to a member of its donor or recipient.
func (s *Service) Shipment(ctx context.Context, u *domain.User, id string) (domain.Shipment, error) {
	sh, err := s.store.FindShipment(ctx, id)
	if err != nil {
		return sh, err
	}
	if err := access.Allow(u, access.ReadShipment, access.Resource{OrganizationID: sh.DonorID, OtherID: sh.RecipientID}); err != nil {
		return domain.Shipment{}, err
	}
	return sh, nil
}

// Shipments returns the shipments of an organization, for its members.
func (s *Service) Shipments(ctx context.Context, u *domain.User, orgID, status string) ([]domain.Shipment, error) {
	if err := access.Allow(u, access.ReadShipment, access.Resource{OrganizationID: orgID}); err != nil {
		return nil, err
	}
	return s.store.ListShipments(ctx, domain.ShipmentFilter{OrganizationID: orgID, Status: status, Limit: domain.MaxPageSize})
}

// Dispatch sends a prepared shipment on behalf of the donor.
func (s *Service) Dispatch(ctx context.Context, u *domain.User, id string, version int64) (domain.Shipment, error) {
	sh, err := s.store.FindShipment(ctx, id)
	if err != nil {
		return sh, err
	}
	if err := access.Allow(u, access.ShipPledges, access.Resource{OrganizationID: sh.DonorID}); err != nil {
		return sh, err
	}
	return s.store.DispatchShipment(ctx, actor(u), id, version)
}

// Receive records what arrived of a shipment on behalf of the recipient.
func (s *Service) Receive(ctx context.Context, u *domain.User, id string, lines []domain.ReceiptLine) (domain.Shipment, error) {
	sh, err := s.store.FindShipment(ctx, id)
	if err != nil {
		return sh, err
	}
	if err := access.Allow(u, access.ReceiveShipment, access.Resource{OrganizationID: sh.RecipientID}); err != nil {
		return sh, err
	}
	return s.store.RecordReceipt(ctx, actor(u), id, lines)
}

// Stock returns an organization's stock, for its members.
func (s *Service) Stock(ctx context.Context, u *domain.User, orgID string) ([]domain.Stock, error) {
	if err := access.Allow(u, access.ReadStock, access.Resource{OrganizationID: orgID}); err != nil {
		return nil, err
	}
	if _, err := s.store.FindOrganization(ctx, orgID); err != nil {
		return nil, err
	}
	return s.store.ListStock(ctx, orgID)
}

// Movements returns a page of an organization's stock ledger, for its members.
func (s *Service) Movements(ctx context.Context, u *domain.User, orgID, itemID string, before int64, limit int) ([]domain.StockMovement, int64, error) {
	if err := access.Allow(u, access.ReadStock, access.Resource{OrganizationID: orgID}); err != nil {
		return nil, 0, err
	}
	if _, err := s.store.FindOrganization(ctx, orgID); err != nil {
		return nil, 0, err
	}
	return s.store.ListMovements(ctx, orgID, itemID, before, limit)
}

// AdjustStock records an adjustment or a count, when u may.
func (s *Service) AdjustStock(ctx context.Context, u *domain.User, m *domain.StockMovement) error {
	if err := access.Allow(u, access.AdjustStock, access.Resource{OrganizationID: m.OrganizationID}); err != nil {
		return err
	}
	return s.store.RecordStock(ctx, actor(u), m)
}

// LeadTimes returns the lead times of the given needs.
func (s *Service) LeadTimes(ctx context.Context, u *domain.User, ids []string) ([]domain.LeadTime, error) {
	if err := access.Allow(u, access.ReadDirectory, access.Resource{}); err != nil {
		return nil, err
	}
	return s.store.LeadTimes(ctx, ids, time.Time{})
}
