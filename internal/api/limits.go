package api

import (
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"aidbridge/internal/domain"
)

// limit is a bound the domain sets on a field: a length for text, a count
// for lists, a range for numbers.
type limit struct {
	max int64
	min *int64 // for numbers that may be negative
}

// limits names the domain's limits for the `limit` tag of request fields,
// so that the API's schema says exactly what the domain checks: a field
// tagged `limit:"name"` gets maxLength domain.MaxName.
var limits = map[string]limit{
	"name":              {max: domain.MaxName},
	"short":             {max: domain.MaxShort},
	"unit":              {max: domain.MaxUnit},
	"note":              {max: domain.MaxNote},
	"text":              {max: domain.MaxText},
	"website":           {max: domain.MaxWebsite},
	"email":             {max: domain.MaxEmail},
	"phone":             {max: domain.MaxPhone},
	"languages":         {max: domain.MaxLanguages},
	"accreditations":    {max: domain.MaxAccreditations},
	"item_code":         {max: domain.MaxItemCode},
	"token_name":        {max: domain.MaxTokenName},
	"password":          {max: domain.MaxPassword, min: ptr(int64(domain.MinPasswordLength))},
	"secret":            {max: domain.MaxPassword}, // a password checked by the operation itself, after who may
	"quantity":          {max: domain.MaxQuantity},
	"sponsors":          {max: domain.MaxSponsors},
	"participants":      {max: domain.MaxParticipants},
	"sequence":          {max: domain.MaxSequence},
	"slots":             {max: domain.MaxSlots},
	"slot_count":        {max: domain.MaxSlotCount},
	"age":               {max: domain.MaxAge},
	"outcome_people":    {max: domain.MaxOutcomePeople},
	"signed_quantity":   {max: domain.MaxQuantity, min: ptr(-domain.MaxQuantity)},
	"activity_count":    {max: domain.MaxActivityCount},
	"activity_people":   {max: domain.MaxActivityPeople},
	"activities":        {max: domain.MaxActivities},
	"attendees":         {max: domain.MaxAttendees},
	"topics":            {max: domain.MaxTopics},
	"decisions":         {max: domain.MaxDecisions},
	"action_items":      {max: domain.MaxActionItems},
	"sessions":          {max: domain.MaxSessions},
	"countries_reached": {max: domain.MaxCountriesReached},
	"indicator_value":   {max: domain.MaxIndicatorValue},
}

func ptr[T any](v T) *T { return &v }

// paramLimits are the bounds of the query parameters that every list
// shares, by name.
var paramLimits = map[string]func(*huma.Schema){
	"q":      func(s *huma.Schema) { s.MaxLength = ptr(domain.MaxSearch) },
	"cursor": func(s *huma.Schema) { s.MaxLength = ptr(domain.MaxCursor) },
	"limit":  func(s *huma.Schema) { s.Maximum = ptr(float64(domain.MaxPageSize)) },
}

// applyLimits sets the bounds named by `limit` tags on the schemas of the
// API's named types, and those of the shared query parameters. It runs once,
// after every operation is registered and before the first request, and
// panics on a tag that names no limit.
func applyLimits(a huma.API) {
	reg := a.OpenAPI().Components.Schemas
	for name, s := range reg.Map() {
		t := reg.TypeFromRef("#/components/schemas/" + name)
		if t == nil {
			continue
		}
		limitFields(s, t)
	}
	for _, item := range a.OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Put, item.Delete, item.Patch} {
			if op == nil {
				continue
			}
			for _, p := range op.Parameters {
				if p.In != "query" || p.Schema == nil {
					continue
				}
				if set, ok := paramLimits[p.Name]; ok {
					set(p.Schema)
				} else if p.Schema.Type == huma.TypeString && p.Schema.MaxLength == nil {
					// Every other text of a query is a filter, bounded as a
					// search (domain.CheckQuery).
					p.Schema.MaxLength = ptr(domain.MaxSearch)
				}
				p.Schema.PrecomputeMessages()
			}
		}
	}
}

// limitFields applies the limit tags of struct type t to schema s.
func limitFields(s *huma.Schema, t reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			limitFields(s, f.Type)
			continue
		}
		tag := f.Tag.Get("limit")
		if tag == "" {
			continue
		}
		l, ok := limits[tag]
		if !ok {
			panic("api: field " + t.Name() + "." + f.Name + " names no limit " + tag)
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		prop := s.Properties[name]
		if prop == nil {
			continue
		}
		switch prop.Type {
		case huma.TypeString:
			prop.MaxLength = ptr(int(l.max))
			if l.min != nil {
				prop.MinLength = ptr(int(*l.min))
			}
		case huma.TypeArray:
			prop.MaxItems = ptr(int(l.max))
		case huma.TypeInteger, huma.TypeNumber:
			prop.Maximum = ptr(float64(l.max))
			if l.min != nil {
				prop.Minimum = ptr(float64(*l.min))
			}
		}
		// A list of texts says the length of each with `itemLimit`.
		if tag := f.Tag.Get("itemLimit"); tag != "" && prop.Type == huma.TypeArray && prop.Items != nil {
			il, ok := limits[tag]
			if !ok {
				panic("api: field " + t.Name() + "." + f.Name + " names no item limit " + tag)
			}
			prop.Items.MaxLength = ptr(int(il.max))
			prop.Items.PrecomputeMessages()
		}
		prop.PrecomputeMessages()
	}
}
