package web

import (
	"net/http"
	"strings"
)

func (ui *UI) showAccount(w http.ResponseWriter, r *http.Request, p *request) error {
	tokens, err := ui.Accounts.ListTokens(r.Context(), p.User, p.User.ID)
	if err != nil {
		return err
	}
	return ui.render(w, r, p, "account", map[string]any{"Tokens": tokens, "Form": p.newForm(nil)})
}

func (ui *UI) createToken(w http.ResponseWriter, r *http.Request, p *request) error {
	f, err := p.parseForm(r)
	if err != nil {
		return err
	}
	_, secret, err := ui.Accounts.CreateToken(r.Context(), p.User, p.User.ID, strings.TrimSpace(f.Get("name")))
	if err != nil && !f.absorb(err) {
		return err
	}
	tokens, lerr := ui.Accounts.ListTokens(r.Context(), p.User, p.User.ID)
	if lerr != nil {
		return lerr
	}
	status := http.StatusOK
	if err != nil {
		status = http.StatusUnprocessableEntity
	}
	// The secret is shown on this page only, never again.
	ui.renderStatus(w, r, p, status, "account", map[string]any{"Tokens": tokens, "Form": f, "NewSecret": secret})
	return nil
}

func (ui *UI) revokeToken(w http.ResponseWriter, r *http.Request, p *request) error {
	if err := ui.Accounts.RevokeToken(r.Context(), p.User, p.User.ID, r.PathValue("id")); err != nil {
		return err
	}
	return redirect(w, r, "/account", p.L.T("flash_revoked"))
}
