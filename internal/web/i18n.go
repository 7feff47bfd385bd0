package web

import (
	"embed"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"

	"aidbridge/internal/domain"
)

//go:embed locales/*.toml
var locales embed.FS

// Languages lists the languages the pages are offered in, with their own
// names for the language switch.
var Languages = []struct{ Tag, Name string }{
	{"en", "English"},
	{"zh-CN", "简体中文"},
}

type catalog struct {
	bundle  *i18n.Bundle
	matcher language.Matcher
	plain   map[string]*sync.Map // per language, message id to its text, for messages asked without data
	groups  map[string]grouping  // per language, how it writes whole numbers
}

func loadCatalog() (*catalog, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, l := range Languages {
		files := []string{l.Tag + ".toml"}
		if l.Tag != "en" {
			files = append(files, "messages."+l.Tag+".toml")
		}
		for _, file := range files {
			if _, err := b.LoadMessageFileFS(locales, "locales/"+file); err != nil {
				return nil, fmt.Errorf("load messages for %s: %w", l.Tag, err)
			}
		}
	}
	// The English of the domain's messages is the domain's own; the other
	// languages translate it in locales/messages.TAG.toml.
	var en []*i18n.Message
	for id, text := range domain.Messages() {
		en = append(en, &i18n.Message{ID: msgKey(id), Other: text})
	}
	if err := b.AddMessages(language.English, en...); err != nil {
		return nil, err
	}
	tags := make([]language.Tag, len(Languages))
	for i, l := range Languages {
		tags[i] = language.MustParse(l.Tag)
	}
	plain := map[string]*sync.Map{}
	groups := map[string]grouping{}
	for _, l := range Languages {
		plain[l.Tag] = &sync.Map{}
		groups[l.Tag] = groupingOf(message.NewPrinter(language.MustParse(l.Tag)))
	}
	return &catalog{bundle: b, matcher: language.NewMatcher(tags), plain: plain, groups: groups}, nil
}

// grouping is how a language writes whole numbers when it puts a separator
// between groups of three digits, as English and Chinese do: then a page
// writes them itself, in a fifth of the time the language's printer takes
// (BenchmarkNumber), and the board writes fifty a page.
type grouping struct {
	sep  string
	fast bool // the language writes every probe as threes with sep
}

// groupingOf finds a language's grouping from its printer, and uses it only
// if the printer writes every probe number the same way.
func groupingOf(p *message.Printer) grouping {
	g := grouping{sep: strings.Trim(p.Sprintf("%d", 1000), "10")}
	g.fast = g.sep != ""
	for _, n := range []int64{0, 7, -7, 999, 1000, -1000, 12345, 123456, 1234567, -1234567, 1000000000, math.MaxInt64, math.MinInt64} {
		if g.fast && p.Sprintf("%d", n) != g.format(n) {
			g.fast = false
		}
	}
	return g
}

// format writes n in groups of three digits separated by g.sep.
func (g grouping) format(n int64) string {
	digits := strconv.FormatInt(n, 10)
	sign := ""
	if digits[0] == '-' {
		sign, digits = "-", digits[1:]
	}
	if len(digits) <= 3 {
		return sign + digits
	}
	var b strings.Builder
	b.Grow(len(sign) + len(digits) + len(digits)/3*len(g.sep))
	b.WriteString(sign)
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += 3 {
		b.WriteString(g.sep)
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

func (c *catalog) supported(tag string) bool {
	for _, l := range Languages {
		if l.Tag == tag {
			return true
		}
	}
	return false
}

// localizer picks the language from the language cookie, then from the
// browser's Accept-Language, then English.
func (c *catalog) localizer(r *http.Request) *localizer {
	var prefs []string
	if ck, err := r.Cookie(langCookie); err == nil && c.supported(ck.Value) {
		prefs = append(prefs, ck.Value)
	}
	prefs = append(prefs, r.Header.Get("Accept-Language"))
	_, i := language.MatchStrings(c.matcher, prefs...)
	lang := Languages[i].Tag
	return &localizer{Lang: lang, l: i18n.NewLocalizer(c.bundle, lang), printer: message.NewPrinter(language.MustParse(lang)),
		plain: c.plain[lang], group: c.groups[lang]}
}

// localizer translates message ids for one request.
type localizer struct {
	Lang    string
	l       *i18n.Localizer
	printer *message.Printer
	group   grouping
	plain   *sync.Map // the catalog's texts of this language without data, as asked so far
}

// msgKey is the catalog id of a domain message.
func msgKey(id domain.MsgID) string { return "msg_" + string(id) }

// Msg returns a domain message in the request's language, its numbers
// written as the language writes them.
func (l *localizer) Msg(id domain.MsgID, args map[string]any) string {
	data := make([]any, 0, 2*len(args))
	for k, v := range args {
		data = append(data, k, l.value(v))
	}
	return l.T(msgKey(id), data...)
}

// value formats the numbers put into a message.
func (l *localizer) value(v any) any {
	switch n := v.(type) {
	case int:
		return l.Number(int64(n))
	case int64:
		return l.Number(n)
	case float64:
		return l.printer.Sprint(n)
	case domain.Message:
		return l.Msg(n.ID, n.Args)
	case domain.PledgeStatus:
		return l.T("pledge_status_" + string(n))
	case domain.ShipmentStatus:
		return l.T("shipment_status_" + string(n))
	case domain.NeedStatus:
		return l.T("need_status_" + string(n))
	case domain.Role:
		return l.T("role_" + string(n))
	case domain.PartnershipStatus:
		return l.T("partnership_status_" + string(n))
	case domain.MissionStatus:
		return l.T("mission_status_" + string(n))
	case domain.ApplicationStage:
		return l.T("stage_" + string(n))
	case domain.TitleRank:
		return l.T("title_rank_" + string(n))
	case domain.Money:
		return l.Money(n)
	}
	return v
}

// LanguageNames names languages given by their tags in the reader's
// language ("fr" is French, 法语), each with its tag where it has no name.
func (l *localizer) LanguageNames(tags []string) string {
	namer := display.Tags(language.Make(l.Lang))
	names := make([]string, len(tags))
	for i, t := range tags {
		names[i] = t
		if n := namer.Name(language.Make(t)); n != "" {
			names[i] = n
		}
	}
	return strings.Join(names, l.T("list_separator"))
}

// Number returns n with the language's digit grouping: 1,500 in English and
// Chinese.
func (l *localizer) Number(n int64) string {
	if l.group.fast {
		return l.group.format(n)
	}
	return l.printer.Sprintf("%d", n)
}

// ParseWhole reads a whole number as a reader of the language may type it:
// with or without the language's digit grouping ("1,500" or "1500").
func (l *localizer) ParseWhole(s string) (int64, error) {
	s = strings.TrimSpace(s)
	group := strings.Trim(l.Number(1000), "10")
	if group != "" && strings.Contains(s, group) {
		// Grouping must be where the language puts it, so that 1,5 is not
		// read as 15.
		if l.Number(mustParse(strings.ReplaceAll(s, group, ""))) != strings.TrimPrefix(s, "+") {
			return 0, strconv.ErrSyntax
		}
		s = strings.ReplaceAll(s, group, "")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, err
	}
	return n, nil
}

func mustParse(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// Error returns the message of err in the request's language: the
// translated message where the error has one, else its English message;
// errors that are not ours read as a generic internal error.
func (l *localizer) Error(err error) string {
	var e *domain.Error
	if !errors.As(err, &e) {
		return l.T("error_internal")
	}
	if e.Code == domain.EINTERNAL {
		return l.T("error_internal")
	}
	if e.Msg.ID != "" {
		return l.Msg(e.Msg.ID, e.Msg.Args)
	}
	return e.Message
}

// Field returns a field error in the request's language.
func (l *localizer) Field(fe domain.FieldError) string {
	if fe.Code != "" {
		return l.Msg(fe.Code, fe.Args)
	}
	return fe.Message
}

// T returns the message id in the request's language; args are pairs of
// template data names and values. A missing message shows its id, so that
// the tests that compare catalogs catch it.
func (l *localizer) T(id string, args ...any) string {
	// A page asks for dozens of fixed texts; each is looked up in the
	// bundle once per language.
	if len(args) == 0 && l.plain != nil {
		if s, ok := l.plain.Load(id); ok {
			return s.(string)
		}
	}
	var data map[string]any
	if len(args) > 0 {
		data = map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			data[fmt.Sprint(args[i])] = args[i+1]
		}
	}
	s, err := l.l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		return id
	}
	if len(args) == 0 && l.plain != nil {
		l.plain.Store(id, s)
	}
	return s
}

// Languages returns the offered languages for the switch.
func (l *localizer) Languages() any { return Languages }

// Refusal returns the message of a refused change with its field errors,
// for a change made from a button rather than a form.
func (l *localizer) Refusal(err error) string {
	msg := l.Error(err)
	for _, fe := range domain.ErrorFields(err) {
		if m := l.Field(fe); m != msg {
			msg += "; " + m
		}
	}
	return msg
}

// PartialDate writes a date of history as precisely as it is known, in the
// language's way: "2010", "October 2015" or "2015-01-28".
func (l *localizer) PartialDate(d domain.PartialDate) string {
	switch {
	case d.IsZero():
		return ""
	case d.Precision == domain.PrecisionYear:
		return l.T("date_year", "Year", strconv.Itoa(d.Date.Year))
	case d.Precision == domain.PrecisionMonth:
		return l.T("date_month", "Year", strconv.Itoa(d.Date.Year), "Month", int(d.Date.Month),
			"MonthName", l.T("month_"+strconv.Itoa(int(d.Date.Month))))
	}
	return d.Date.String()
}

// Money writes an exact amount with the language's digit grouping and
// decimal mark, then its currency: "1,830.40 USD".
func (l *localizer) Money(m domain.Money) string {
	amount := m.Amount()
	sign := ""
	if strings.HasPrefix(amount, "-") {
		sign, amount = "-", amount[1:]
	}
	whole, frac, _ := strings.Cut(amount, ".")
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return m.Amount() + " " + m.Currency
	}
	out := sign + l.Number(n)
	if frac != "" {
		mark := strings.Trim(l.printer.Sprintf("%.1f", 0.5), "05")
		out += mark + frac
	}
	return out + " " + m.Currency
}

// Count writes an optional count, such as beds, with the language's digit
// grouping; "—" when it is not known.
func (l *localizer) Count(n *int64) string {
	if n == nil {
		return "—"
	}
	return l.Number(*n)
}
