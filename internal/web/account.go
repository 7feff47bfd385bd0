package web

import (
	"net/http"
	"strings"

	"aidbridge/internal/domain"
	"aidbridge/internal/problem"
)

// accountPage is the signed-in user's account: their API tokens, and a new
// token's secret once, right after it is made.
type accountPage struct {
	Tokens    []domain.APIToken
	Form      *form
	NewSecret string
}

func (ui *UI) showAccount(w http.ResponseWriter, r *http.Request, me *viewer) error {
	tokens, err := ui.Accounts.ListTokens(r.Context(), me.User, me.User.ID)
	if err != nil {
		return err
	}
	return ui.render(w, r, me, "account", accountPage{Tokens: tokens, Form: me.newForm(nil)})
}

func (ui *UI) createToken(w http.ResponseWriter, r *http.Request, me *viewer) error {
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	_, secret, err := ui.Accounts.CreateToken(r.Context(), me.User, me.User.ID, strings.TrimSpace(f.Get("name")))
	if err != nil && !f.absorb(err) {
		return err
	}
	tokens, lerr := ui.Accounts.ListTokens(r.Context(), me.User, me.User.ID)
	if lerr != nil {
		return lerr
	}
	// The secret is shown on this page only, never again.
	ui.renderStatus(w, r, me, problem.Status(err), "account", accountPage{Tokens: tokens, Form: f, NewSecret: secret})
	return nil
}

func (ui *UI) revokeToken(w http.ResponseWriter, r *http.Request, me *viewer) error {
	if err := ui.Accounts.RevokeToken(r.Context(), me.User, me.User.ID, r.PathValue("id")); err != nil {
		return err
	}
	return redirect(w, r, "/account", me.L.T("flash_revoked"))
}
