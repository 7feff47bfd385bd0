package report

import (
	"context"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// Country returns the report of the country with ISO 3166-1 alpha-2 code:
// what its organizations sent and received, and its events. EINVALID for a code that is
// not a country; a country without organizations has a report of zeros.
func (s *Service) Country(ctx context.Context, u *domain.User, code string) (domain.CountryReport, error) {
	var r domain.CountryReport
	if err := access.Allow(u, access.ReadReports, access.Resource{}); err != nil {
		return r, err
	}
	if !domain.ValidCountry(code) {
		return r, domain.Refuse(domain.EINVALID, "code", domain.MsgCountry, "Value", code)
	}
	r.Country = code
	countries, err := s.store.CountriesWithRecords(ctx)
	if err != nil {
		return r, err
	}
	for _, c := range countries {
		if c.Country == code {
			r.Organizations = c.Organizations
		}
	}
	if r.Exchange, err = s.exchange(ctx, store.GeoScope{Country: code}); err != nil {
		return r, err
	}
	if r.Events, err = s.store.CountryEvents(ctx, code); err != nil {
		return r, err
	}
	var hosts []string
	for _, e := range r.Events.AbroadList {
		hosts = append(hosts, e.HostID)
	}
	r.Names, err = s.exchangeNames(ctx, r.Exchange, hosts...)
	return r, err
}

// Countries returns the countries that have organizations in the
// directory, by code, for the index of country reports.
func (s *Service) Countries(ctx context.Context, u *domain.User) ([]domain.CountryRecords, error) {
	if err := access.Allow(u, access.ReadReports, access.Resource{}); err != nil {
		return nil, err
	}
	return s.store.CountriesWithRecords(ctx)
}
