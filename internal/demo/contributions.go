package demo

import (
	"context"
	"fmt"

	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

// The contributions of the accounts: what China gave outside any need, as
// the Minister of the National Health Commission reported it at the news
// conference in Wuhan on March 31, 2020. "The country has donated 20
// million dollars to the WHO" and "has delivered essential medical supplies
// and protective equipment, such as test kits, antiviral drugs, traditional
// Chinese medicine, respirators and facial masks, to some foreign countries
// and regions". Both had happened by that conference: the month, March
// 2020, is as precise as the account is.

// Keys of the organizations these contributions need besides those of
// demo.go: the giver, and the countries that stand as recipients of the
// supplies.
const cnGov = "cn-gov"

// contributionOrgs are the organizations only contributions need. "The
// country" gave: its government is the giver. The six governments are those
// of the countries the same account names for China's expert teams
// (Italy, Serbia, Cambodia, Pakistan, Venezuela and Laos).
var contributionOrgs = []org{
	{key: cnGov, o: domain.Organization{Name: "Government of the People's Republic of China", Kind: "government", Country: "CN"}},
	{key: "it-gov", o: domain.Organization{Name: "Government of Italy", Kind: "government", Country: "IT"}},
	{key: "rs-gov", o: domain.Organization{Name: "Government of Serbia", Kind: "government", Country: "RS"}},
	{key: "kh-gov", o: domain.Organization{Name: "Government of Cambodia", Kind: "government", Country: "KH"}},
	{key: "pk-gov", o: domain.Organization{Name: "Government of Pakistan", Kind: "government", Country: "PK"}},
	{key: "ve-gov", o: domain.Organization{Name: "Government of Venezuela", Kind: "government", Country: "VE"}},
	{key: "la-gov", o: domain.Organization{Name: "Government of Laos", Kind: "government", Country: "LA"}},
}

// supplyRecipients are the keys of the governments that stand as
// recipients of the supplies, one contribution each.
var supplyRecipients = []string{"it-gov", "rs-gov", "kh-gov", "pk-gov", "ve-gov", "la-gov"}

// suppliesGiven is what the account says the supplies were, in its words.
const suppliesGiven = "Essential medical supplies and protective equipment, such as test kits, antiviral drugs, traditional Chinese medicine, respirators and facial masks"

// suppliesPlaceholder says, on each contribution of supplies, what of it is
// not a fact.
const suppliesPlaceholder = "Placeholder recipient: the account says the supplies went to \"some foreign countries and regions\" without naming them; " +
	"this country is named in the same account as one China sent an expert team to. The quantities and the value are not given."

// loadContributions stores the organizations contributions need and the
// contributions of the accounts.
func loadContributions(ctx context.Context, s *store.Store, orgIDs map[string]string) error {
	system := store.Actor{}
	for _, d := range contributionOrgs {
		o := d.o
		o.Accreditations = []domain.Accreditation{}
		if err := s.CreateOrganization(ctx, system, &o); err != nil {
			return fmt.Errorf("create organization %q: %w", o.Name, err)
		}
		orgIDs[d.key] = o.ID
	}
	march2020, err := domain.ParsePartialDate("2020-03")
	if err != nil {
		return err
	}
	// Fact: 20 million US dollars from China to the WHO, by March 2020, "to
	// aid the organization's efforts to curb the pandemic and help improve
	// the public health capabilities of other developing countries".
	list := []domain.Contribution{{GiverID: orgIDs[cnGov], RecipientID: orgIDs[who], Kind: domain.ContributionMoney,
		Amount: domain.Money{Minor: 20_000_000 * 100, Currency: "USD"}, GivenOn: march2020,
		Description: "To aid the WHO's efforts to curb the COVID-19 pandemic and help improve the public health capabilities of other developing countries"}}
	// Fact: the kinds of supplies, their giver and that they had been
	// delivered by March 2020. Placeholder: which countries received them
	// (suppliesPlaceholder). Quantities and values are left out.
	for _, key := range supplyRecipients {
		list = append(list, domain.Contribution{GiverID: orgIDs[cnGov], RecipientID: orgIDs[key], Kind: domain.ContributionGoods,
			Description: suppliesGiven, GivenOn: march2020, Notes: suppliesPlaceholder})
	}
	for _, c := range list {
		if err := s.CreateContribution(ctx, system, &c); err != nil {
			return fmt.Errorf("create contribution %q: %w", c.Description, err)
		}
	}
	return nil
}
