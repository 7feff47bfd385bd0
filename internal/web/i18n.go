package web

import (
	"embed"
	"fmt"
	"net/http"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
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
}

func loadCatalog() (*catalog, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, l := range Languages {
		if _, err := b.LoadMessageFileFS(locales, "locales/"+l.Tag+".toml"); err != nil {
			return nil, fmt.Errorf("load messages for %s: %w", l.Tag, err)
		}
	}
	tags := make([]language.Tag, len(Languages))
	for i, l := range Languages {
		tags[i] = language.MustParse(l.Tag)
	}
	return &catalog{bundle: b, matcher: language.NewMatcher(tags)}, nil
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
	return &localizer{Lang: lang, l: i18n.NewLocalizer(c.bundle, lang)}
}

// localizer translates message ids for one request.
type localizer struct {
	Lang string
	l    *i18n.Localizer
}

// T returns the message id in the request's language; args are pairs of
// template data names and values. A missing message shows its id, so that
// the tests that compare catalogs catch it.
func (l *localizer) T(id string, args ...any) string {
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
	return s
}

// Languages returns the offered languages for the switch.
func (l *localizer) Languages() any { return Languages }
