package domain

import "unicode/utf8"

// Limits on text and lists, in characters and entries. Each is the one
// definition of its limit: the API schema, the forms and the store take it
// from here.
const (
	MaxName             = 300           // names of organizations, people, items, departments, accreditations
	MaxShort            = 200           // short free text: a city, a carrier, a tracking number, a title
	MaxUnit             = 50            // an item's unit
	MaxNote             = 2000          // notes and reasons
	MaxText             = 4000          // justifications and descriptions
	MaxWebsite          = 500           // a website address
	MaxEmail            = 300           // an email address
	MaxPhone            = 40            // a phone number
	MaxLanguages        = 20            // languages a person speaks
	MaxAccreditations   = 100           // accreditations and designations of one organization
	MaxSearch           = 200           // a search or filter typed into a list
	MaxCursor           = 1000          // a cursor the server gave out
	MaxID               = 32            // an id the store makes
	MaxPageSize         = 200           // entries on one page of a list
	MaxItemCode         = 64            // an item's code
	MaxTokenName        = 100           // what an API token is for
	MaxPassword         = 200           // a password
	MaxSponsors         = 20            // sponsors of one program
	MaxParticipants     = 50            // organizations taking part in one partnership
	MaxSequence         = 9999          // the number of a team within its partnership
	MaxSlots            = 50            // slots of one mission
	MaxSlotCount        = 200           // places in one slot
	MaxAge              = 120           // an age limit, in years
	MaxOutcomePeople    = 50            // team members named on one outcome
	MaxImpactFactor     = 1000          // a journal's impact factor
	MaxIndicatorValue   = 1_000_000_000 // a baseline, target or value of an indicator
	MaxIndicatorPeriods = 40            // periods an indicator is followed over: ten years by quarter
	MaxIndicators       = 100           // indicators of one partnership
)

// MaxAmountMinor bounds the amount of a contribution, in minor units (ten
// trillion US dollars), so that totals of many stay far from overflowing.
const MaxAmountMinor int64 = 1_000_000_000_000_000

// Limits of field work.
const (
	MaxActivityCount  = 100000 // patients or participants of one activity on one day
	MaxActivities     = 50     // activities logged together, as one form of a day
	MaxActivityPeople = 200    // team members named on one activity: as many as a slot's places
)

// Limits of events.
const (
	MaxAttendees   = 200  // attendees of one event
	MaxTopics      = 30   // topics of one event
	MaxDecisions   = 50   // decisions of one event
	MaxActionItems = 100  // action items of one event
	MaxSessions    = 9999 // sessions of one conference
	// MaxCountriesReached is the most countries a conference can reach:
	// about as many as there are.
	MaxCountriesReached = 250
)

// maxLen notes when s has more than max characters.
func maxLen(p *Problems, field, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		p.Add(field, MsgTooLong, "Max", max)
	}
}
