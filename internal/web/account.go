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
	Tokens       []domain.APIToken
	Form         *form // a new token's
	PasswordForm *form
	NewSecret    string
}

func (ui *UI) showAccount(w http.ResponseWriter, r *http.Request, me *viewer) error {
	tokens, err := ui.Accounts.ListTokens(r.Context(), me.User, me.User.ID)
	if err != nil {
		return err
	}
	return ui.render(w, r, me, "account", accountPage{Tokens: tokens, Form: me.newForm(nil), PasswordForm: me.newForm(nil)})
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
	ui.renderStatus(w, r, me, problem.Status(err), "account", accountPage{Tokens: tokens, Form: f, PasswordForm: me.newForm(nil), NewSecret: secret})
	return nil
}

func (ui *UI) revokeToken(w http.ResponseWriter, r *http.Request, me *viewer) error {
	if err := ui.Accounts.RevokeToken(r.Context(), me.User, me.User.ID, r.PathValue("id")); err != nil {
		return err
	}
	return redirect(w, r, "/account", me.L.T("flash_revoked"))
}

// sessionSecret returns the secret of the request's session, "" without one.
func sessionSecret(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// changePassword replaces the user's password and ends their other
// sessions; this one stays signed in.
func (ui *UI) changePassword(w http.ResponseWriter, r *http.Request, me *viewer) error {
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	next := f.Get("new_password")
	if next != f.Get("confirm_password") {
		f.fail("confirm_password", domain.MsgPasswordsDiffer)
	}
	return submit(w, r, f, submission{
		save: func() (string, string, error) {
			err := ui.Accounts.ChangePassword(r.Context(), me.User, f.Get("current_password"), next, sessionSecret(r), clientAddress(r))
			return "/account", me.L.T("flash_password_changed"), err
		},
		redraw: func(status int) error {
			// Passwords are never shown again.
			for _, k := range []string{"current_password", "new_password", "confirm_password"} {
				f.Values.Del(k)
			}
			tokens, err := ui.Accounts.ListTokens(r.Context(), me.User, me.User.ID)
			if err != nil {
				return err
			}
			ui.renderStatus(w, r, me, status, "account", accountPage{Tokens: tokens, Form: me.newForm(nil), PasswordForm: f})
			return nil
		},
	})
}

// logoutEverywhere ends the user's other sessions: on other browsers and
// devices.
func (ui *UI) logoutEverywhere(w http.ResponseWriter, r *http.Request, me *viewer) error {
	return act(w, r, me, action{do: func(*form) (string, error) {
		_, err := ui.Accounts.LogoutEverywhere(r.Context(), me.User, sessionSecret(r))
		return "/account", err
	}, done: me.L.T("flash_logged_out_elsewhere")})
}
