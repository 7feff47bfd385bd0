package main

// reportGeoRows are the matrix rows of the profile of an organization and
// the reports of countries: read by anyone signed in.
func reportGeoRows() []row {
	return []row{
		{action: "read the profile of an organization", who: anyone,
			api:  calls(get("GET /api/v1/reports/organizations/{id}", func(f *fixture) string { return "/api/v1/reports/organizations/" + f.scmc })),
			page: calls(get("GET /reports/organizations/{id}", func(f *fixture) string { return "/reports/organizations/" + f.scmc }))},
		{action: "read the index of country reports", who: anyone,
			api:  calls(get("GET /api/v1/reports/countries", at("/api/v1/reports/countries"))),
			page: calls(get("GET /reports/countries", at("/reports/countries")))},
		{action: "read the report of a country", who: anyone,
			api:  calls(get("GET /api/v1/reports/countries/{code}", at("/api/v1/reports/countries/MA"))),
			page: calls(get("GET /reports/countries/{code}", at("/reports/countries/MA")))},
	}
}
