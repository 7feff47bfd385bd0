// Package web is the server-rendered web UI: html/template pages embedded in
// the binary, sessions in a cookie, English and Simplified Chinese. Every
// page works without JavaScript; every change goes through the same
// services as the JSON API.
package web

import (
	"unicode"

	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"aidbridge/internal/account"
	"aidbridge/internal/activity"
	"aidbridge/internal/contribution"
	"aidbridge/internal/directory"
	"aidbridge/internal/domain"
	"aidbridge/internal/event"
	"aidbridge/internal/mission"
	"aidbridge/internal/notify"
	"aidbridge/internal/outcome"
	"aidbridge/internal/partnership"
	"aidbridge/internal/problem"
	"aidbridge/internal/report"
	"aidbridge/internal/supply"
	"aidbridge/internal/workqueue"
)

//go:embed templates static
var files embed.FS

// Deps is what the pages need.
type Deps struct {
	Dir      *directory.Service
	Accounts *account.Service
	Supply   *supply.Service
	Notify   *notify.Service
	Work     *workqueue.Service
	Partners *partnership.Service
	Missions *mission.Service
	Outcomes *outcome.Service
	Reports  *report.Service
	Events   *event.Service
	Log      *slog.Logger
	Version  string

	Contributions *contribution.Service
	// Activities is the field work of missions' teams.
	Activities *activity.Service
}

// UI serves the pages.
type UI struct {
	Deps
	pages map[string]*template.Template
	i18n  *catalog
}

const sessionCookie = "aidbridge_session"
const langCookie = "aidbridge_lang"

// handler is a page handler: it returns an error instead of writing one.
type handler func(w http.ResponseWriter, r *http.Request, me *viewer) error

// viewer is who a page is for: the signed-in user (nil for a visitor) and
// the language the page speaks.
type viewer struct {
	User *domain.User
	L    *localizer
}

// Route is one page route: its pattern, and whether only signed-in users
// reach its handler (the others are sent to the login page).
type Route struct {
	Pattern  string
	SignedIn bool
	handler  func(*UI) handler
}

// routes lists every page. Authorization beyond signing in is the handlers'
// (through the services and the access policy).
var routes = slices.Concat(pageRoutes,
	recordRoutes("/organizations", (*UI).organizationPages),
	recordRoutes("/people", (*UI).personPages),
	recordRoutes("/items", (*UI).itemPages),
	recordRoutes("/programs", (*UI).programPages),
	recordRoutes("/partnerships", (*UI).partnershipPages),
	recordRoutes("/missions", (*UI).missionPages),
	recordRoutes("/outcomes", (*UI).outcomePages),
	recordRoutes("/contributions", (*UI).contributionPages),
	recordRoutes("/events", (*UI).eventPages),
	eventRoutes,
	recordRoutes("/indicators", (*UI).indicatorPages),
)

// eventRoutes are the pages of events that are not their record forms.
var eventRoutes = []Route{
	{"GET /events", true, func(ui *UI) handler { return ui.listEvents }},
	{"GET /events/{id}", true, func(ui *UI) handler { return ui.showEvent }},
	{"POST /events/{id}/action-items/{item}/status", true, func(ui *UI) handler { return ui.moveActionItem }},
}

// recordRoutes returns the routes of a kind's record pages: the forms to
// create and change a record and the confirmation of its deletion.
func recordRoutes[T any](base string, pages func(*UI) recordPages[T]) []Route {
	return []Route{
		{"GET " + base + "/new", true, func(ui *UI) handler { return pages(ui).newForm }},
		{"POST " + base, true, func(ui *UI) handler { return pages(ui).createRecord }},
		{"GET " + base + "/{id}/edit", true, func(ui *UI) handler { return pages(ui).editForm }},
		{"POST " + base + "/{id}", true, func(ui *UI) handler { return pages(ui).updateRecord }},
		{"GET " + base + "/{id}/delete", true, func(ui *UI) handler { return pages(ui).confirmDelete }},
		{"POST " + base + "/{id}/delete", true, func(ui *UI) handler { return pages(ui).deleteRecord }},
	}
}

// pageRoutes are the pages that are not a kind's record forms.
var pageRoutes = []Route{
	{"GET /login", false, func(ui *UI) handler { return ui.loginPage }},
	{"POST /login", false, func(ui *UI) handler { return ui.login }},
	{"POST /logout", false, func(ui *UI) handler { return ui.logout }},
	{"POST /language", false, func(ui *UI) handler { return ui.setLanguage }},
	{"GET /{$}", true, func(ui *UI) handler { return ui.home }},

	{"GET /organizations", true, func(ui *UI) handler { return ui.listOrganizations }},
	{"GET /organizations/{id}", true, func(ui *UI) handler { return ui.showOrganization }},
	{"POST /organizations/{id}/departments", true, func(ui *UI) handler { return ui.createDepartment }},
	{"POST /organizations/{id}/members", true, func(ui *UI) handler { return ui.addMember }},
	{"POST /organizations/{id}/members/remove", true, func(ui *UI) handler { return ui.removeMember }},
	{"POST /departments/{id}/delete", true, func(ui *UI) handler { return ui.deleteDepartment }},

	{"GET /people", true, func(ui *UI) handler { return ui.listPeople }},
	{"GET /people/{id}", true, func(ui *UI) handler { return ui.showPerson }},

	{"GET /items", true, func(ui *UI) handler { return ui.listItems }},
	{"GET /items/{id}", true, func(ui *UI) handler { return ui.showItem }},

	{"GET /needs", true, func(ui *UI) handler { return ui.listNeeds }},
	{"GET /needs/new", true, func(ui *UI) handler { return ui.newNeed }},
	{"POST /needs", true, func(ui *UI) handler { return ui.createNeed }},
	{"GET /needs/{id}", true, func(ui *UI) handler { return ui.showNeed }},
	{"GET /needs/{id}/edit", true, func(ui *UI) handler { return ui.editNeed }},
	{"POST /needs/{id}", true, func(ui *UI) handler { return ui.updateNeed }},
	{"GET /needs/{id}/cancel", true, func(ui *UI) handler { return ui.confirmCancelNeed }},
	{"POST /needs/{id}/cancel", true, func(ui *UI) handler { return ui.cancelNeed }},
	{"POST /needs/{id}/pledges", true, func(ui *UI) handler { return ui.createPledge }},
	{"POST /pledges/{id}/accept", true, func(ui *UI) handler { return ui.acceptPledge }},
	{"POST /pledges/{id}/decline", true, func(ui *UI) handler { return ui.declinePledge }},
	{"POST /pledges/{id}/withdraw", true, func(ui *UI) handler { return ui.withdrawPledge }},

	{"GET /shipments", true, func(ui *UI) handler { return ui.listShipments }},
	{"GET /shipments/new", true, func(ui *UI) handler { return ui.newShipment }},
	{"POST /shipments", true, func(ui *UI) handler { return ui.createShipment }},
	{"GET /shipments/{id}", true, func(ui *UI) handler { return ui.showShipment }},
	{"POST /shipments/{id}/dispatch", true, func(ui *UI) handler { return ui.dispatchShipment }},
	{"POST /shipments/{id}/receipt", true, func(ui *UI) handler { return ui.recordReceipt }},
	{"GET /shipments/{id}/acknowledgement", true, func(ui *UI) handler { return ui.acknowledgement }},

	{"GET /allocations/new", true, func(ui *UI) handler { return ui.newAllocation }},
	{"POST /allocations", true, func(ui *UI) handler { return ui.createAllocation }},
	{"GET /allocations/{id}", true, func(ui *UI) handler { return ui.showAllocation }},
	{"POST /allocations/{id}/commit", true, func(ui *UI) handler { return ui.commitAllocation }},

	{"GET /organizations/{id}/stock", true, func(ui *UI) handler { return ui.showStock }},
	{"POST /organizations/{id}/stock", true, func(ui *UI) handler { return ui.adjustStock }},

	{"GET /notifications", true, func(ui *UI) handler { return ui.listNotifications }},
	{"GET /reports/lead-times", true, func(ui *UI) handler { return ui.leadTimeReport }},
	{"GET /reports/partnerships/{id}", true, func(ui *UI) handler { return ui.partnershipReport }},
	{"GET /reports/programs/{id}", true, func(ui *UI) handler { return ui.programReport }},
	{"GET /reports/organizations/{id}", true, func(ui *UI) handler { return ui.organizationReport }},
	{"GET /reports/countries", true, func(ui *UI) handler { return ui.countryReports }},
	{"GET /reports/countries/{code}", true, func(ui *UI) handler { return ui.countryReport }},
	{"POST /notifications/read", true, func(ui *UI) handler { return ui.markNotificationsRead }},

	{"GET /programs", true, func(ui *UI) handler { return ui.listPrograms }},
	{"GET /programs/{id}", true, func(ui *UI) handler { return ui.showProgram }},
	{"GET /partnerships", true, func(ui *UI) handler { return ui.listPartnerships }},
	{"GET /partnerships/{id}", true, func(ui *UI) handler { return ui.showPartnership }},
	{"POST /partnerships/{id}/commitments", true, func(ui *UI) handler { return ui.createCommitment }},
	{"POST /commitments/{id}/deliveries", true, func(ui *UI) handler { return ui.recordDelivery }},

	{"GET /missions", true, func(ui *UI) handler { return ui.listMissions }},
	{"GET /missions/{id}", true, func(ui *UI) handler { return ui.showMission }},
	{"GET /missions/{id}/roster", true, func(ui *UI) handler { return ui.showRoster }},
	{"POST /missions/{id}/status", true, func(ui *UI) handler { return ui.moveMission }},
	{"POST /missions/{id}/leader", true, func(ui *UI) handler { return ui.setLeader }},
	{"POST /missions/{id}/applications", true, func(ui *UI) handler { return ui.registerApplication }},
	{"GET /applications", true, func(ui *UI) handler { return ui.listMyApplications }},
	{"GET /applications/{id}", true, func(ui *UI) handler { return ui.showApplication }},
	{"POST /applications/{id}/screening", true, func(ui *UI) handler { return ui.takeStep(domain.StepScreen) }},
	{"POST /applications/{id}/decision", true, func(ui *UI) handler { return ui.takeStep(domain.StepDecide) }},
	{"POST /applications/{id}/withdrawal", true, func(ui *UI) handler { return ui.takeStep(domain.StepWithdraw) }},

	{"GET /outcomes", true, func(ui *UI) handler { return ui.listOutcomes }},
	{"GET /outcomes/{id}", true, func(ui *UI) handler { return ui.showOutcome }},
	{"GET /indicators", true, func(ui *UI) handler { return ui.listIndicators }},
	{"GET /indicators/{id}", true, func(ui *UI) handler { return ui.showIndicator }},
	{"POST /indicators/{id}/values", true, func(ui *UI) handler { return ui.enterIndicatorValue }},
	{"GET /contributions", true, func(ui *UI) handler { return ui.listContributions }},
	{"GET /contributions/{id}", true, func(ui *UI) handler { return ui.showContribution }},
	{"GET /missions/{id}/activities", true, func(ui *UI) handler { return ui.showActivityCalendar }},
	{"GET /missions/{id}/activities/new", true, func(ui *UI) handler { return ui.newActivities }},
	{"POST /missions/{id}/activities", true, func(ui *UI) handler { return ui.logActivities }},
	{"GET /activities", true, func(ui *UI) handler { return ui.listActivities }},
	{"GET /activities/{id}/edit", true, func(ui *UI) handler { return ui.editActivity }},
	{"POST /activities/{id}", true, func(ui *UI) handler { return ui.updateActivity }},
	{"GET /activities/{id}/delete", true, func(ui *UI) handler { return ui.confirmDeleteActivity }},
	{"POST /activities/{id}/delete", true, func(ui *UI) handler { return ui.deleteActivity }},

	{"GET /account", true, func(ui *UI) handler { return ui.showAccount }},
	{"POST /account/tokens", true, func(ui *UI) handler { return ui.createToken }},
	{"POST /account/tokens/{id}/revoke", true, func(ui *UI) handler { return ui.revokeToken }},
	{"POST /account/password", true, func(ui *UI) handler { return ui.changePassword }},
	{"POST /account/sessions/end", true, func(ui *UI) handler { return ui.logoutEverywhere }},
}

// Routes returns the page routes, for tests that check each of them.
func Routes() []Route { return routes }

// Register parses the templates and adds the pages to mux.
func Register(mux *http.ServeMux, d Deps) error {
	ui := &UI{Deps: d}
	var err error
	if ui.i18n, err = loadCatalog(); err != nil {
		return err
	}
	if ui.pages, err = parsePages(); err != nil {
		return err
	}
	static, _ := fs.Sub(files, "static")
	fileServer := http.FileServerFS(static)
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fileServer.ServeHTTP(w, r)
	})))

	for _, rt := range routes {
		mux.Handle(rt.Pattern, ui.wrap(rt.handler(ui), rt.SignedIn))
	}
	return nil
}

// wrap adapts a handler: it finds the user of the session, sends visitors
// who must sign in to the login page, and turns a returned error into an
// error page.
func (ui *UI) wrap(h handler, needUser bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		me := &viewer{L: ui.i18n.localizer(r)}
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			u, err := ui.Accounts.SessionUser(r.Context(), c.Value)
			if err == nil {
				me.User = &u
			} else if domain.ErrorCode(err) != domain.EUNAUTHORIZED {
				ui.fail(w, r, me, err)
				return
			}
		}
		// Text the databases cannot store alike is refused at the door.
		if err := checkURL(r); err != nil {
			ui.fail(w, r, me, err)
			return
		}
		if needUser && me.User == nil {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "same-origin")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
		if err := h(w, r, me); err != nil {
			ui.fail(w, r, me, err)
		}
	})
}

// errorPage says what went wrong, at the status of the error.
type errorPage struct {
	Status  int
	Message string
}

// loginView is the login form, with the address typed and why the last
// try failed.
type loginView struct {
	Next, Email, Error string
}

// fail renders the error page for err; internal errors are logged here, once.
func (ui *UI) fail(w http.ResponseWriter, r *http.Request, me *viewer, err error) {
	status := problem.Status(err)
	msg := me.L.Error(err)
	if status == http.StatusInternalServerError {
		ui.Log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if status == http.StatusUnauthorized {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	ui.renderStatus(w, r, me, status, "error", errorPage{Status: status, Message: msg})
}

// page is what every template receives.
type page struct {
	User    *domain.User
	L       *localizer
	Path    string
	Version string
	Flash   string
	Refused bool // the flash says why an action was refused
	Unread  int  // the signed-in user's unread notifications, for the navigation
	Data    any
}

func (ui *UI) render(w http.ResponseWriter, r *http.Request, me *viewer, name string, data any) error {
	ui.renderStatus(w, r, me, http.StatusOK, name, data)
	return nil
}

// renderStatus renders a page into a buffer first, so that a failing
// template never leaves half a page.
func (ui *UI) renderStatus(w http.ResponseWriter, r *http.Request, me *viewer, status int, name string, data any) {
	t, ok := ui.pages[name]
	if !ok {
		ui.Log.Error("no such template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	pg := page{User: me.User, L: me.L, Path: r.URL.Path, Version: ui.Version, Data: data}
	if status < http.StatusInternalServerError {
		pg.Unread = ui.unreadCount(r, me)
	}
	if c, err := r.Cookie("aidbridge_flash"); err == nil {
		if v, err := url.QueryUnescape(c.Value); err == nil {
			pg.Flash, pg.Refused = strings.CutPrefix(v, refusedMark)
		}
		http.SetCookie(w, &http.Cookie{Name: "aidbridge_flash", Path: "/", MaxAge: -1})
	}
	if err := t.ExecuteTemplate(&buf, "layout", pg); err != nil {
		ui.Log.Error("render page", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	buf.WriteTo(w)
}

// redirect sends the browser to target after a change, with a message shown
// once on the next page.
// refusedMark starts a flash that says why an action was refused, so that
// the page shows it as an alert.
const refusedMark = "\x00refused:"

// redirectRefused sends the browser back to target with the reason an
// action was refused.
func redirectRefused(w http.ResponseWriter, r *http.Request, target, reason string) error {
	return redirect(w, r, target, refusedMark+reason)
}

func redirect(w http.ResponseWriter, r *http.Request, target, flash string) error {
	if flash != "" {
		http.SetCookie(w, &http.Cookie{Name: "aidbridge_flash", Value: url.QueryEscape(flash), Path: "/", HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil, MaxAge: 60})
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

func parsePages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"join":       strings.Join,
		"deref":      func(p *int64) int64 { return *p },
		"derefFloat": func(p *float64) float64 { return *p },
		"date":       func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
		"query":      func(v url.Values) string { return v.Encode() },
		"add":        func(a, b int) int { return a + b },
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, errors.New("dict needs pairs")
			}
			m := map[string]any{}
			for i := 0; i < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m, nil
		},
	}
	base, err := template.New("base").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/parts.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" || name == "parts" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(files, n)
		if err != nil {
			return nil, err
		}
		pages[name] = t
	}
	return pages, nil
}

// checkURL refuses a request whose path or query holds what is not text:
// invalid UTF-8, NUL or other control characters.
func checkURL(r *http.Request) error {
	fields := map[string][]string(r.URL.Query())
	if !domain.ValidText(r.URL.Path) {
		fields = map[string][]string{"path": {r.URL.Path}}
	}
	return domain.CheckQuery(fields)
}

// safeNext returns a local path to go to after login, "/" when next is not one.
//
// The check runs on the parsed URL, decoded: a path that is not absolute,
// a scheme or host of its own, a control character (browsers drop tabs and
// newlines, so that "/\t/evil.example" becomes "//evil.example") or a
// backslash (read as a slash) sends the user home instead.
func safeNext(next string) string {
	if next == "" || strings.ContainsAny(next, "\\") || strings.ContainsFunc(next, unicode.IsControl) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") ||
		strings.ContainsFunc(u.Path, unicode.IsControl) || strings.Contains(u.Path, "\\") {
		return "/"
	}
	if u.Fragment != "" {
		return u.RequestURI() + "#" + u.EscapedFragment()
	}
	return u.RequestURI()
}

func clientAddress(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndex(host, ":"); i > 0 {
		host = host[:i]
	}
	return host
}

func (ui *UI) loginPage(w http.ResponseWriter, r *http.Request, me *viewer) error {
	if me.User != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	return ui.render(w, r, me, "login", loginView{Next: r.URL.Query().Get("next")})
}

func (ui *UI) login(w http.ResponseWriter, r *http.Request, me *viewer) error {
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EINVALID, "unreadable form: %v", err)
	}
	email, next := r.PostForm.Get("email"), r.PostForm.Get("next")
	_, secret, err := ui.Accounts.Login(r.Context(), email, r.PostForm.Get("password"), clientAddress(r))
	if err != nil {
		code := domain.ErrorCode(err)
		if code != domain.EUNAUTHORIZED && code != domain.ETOOMANY {
			return err
		}
		msg := me.L.T("login_failed")
		status := http.StatusUnauthorized
		if code == domain.ETOOMANY {
			msg, status = me.L.Error(err), http.StatusTooManyRequests
		}
		ui.renderStatus(w, r, me, status, "login", loginView{Next: next, Email: email, Error: msg})
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil, MaxAge: int(account.SessionLifetime.Seconds())})
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
	return nil
}

func (ui *UI) logout(w http.ResponseWriter, r *http.Request, me *viewer) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := ui.Accounts.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

func (ui *UI) setLanguage(w http.ResponseWriter, r *http.Request, me *viewer) error {
	lang := r.FormValue("lang")
	if !ui.i18n.supported(lang) {
		return domain.Errorf(domain.EINVALID, "language %q is not offered", lang)
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
	return nil
}
