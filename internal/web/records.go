package web

import (
	"context"
	"net/http"
	"net/url"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
)

// recordPages are the pages every kind of record shares: the form of a new
// record, the form of its change, and the confirmation before it is
// deleted, each with its POST. A kind says what differs; the handlers are
// written once, here.
type recordPages[T any] struct {
	ui   *UI
	base string // the list's path, such as "/items"; a record lives at base/{id}

	// create is the action of adding a record, asked anywhere the user has a
	// role before the new form is shown, unless mayCreate asks it of what
	// the new form's query names; change and remove are asked of the record
	// itself, whose resource says what it belongs to.
	create, change, remove access.Action
	mayCreate              func(r *http.Request, me *viewer) error
	resource               func(T) access.Resource

	find   func(ctx context.Context, u *domain.User, id string) (T, error)
	meta   func(T) (id string, version int64, name string)
	values func(T) url.Values               // the change form of a record as stored
	blank  func(r *http.Request) url.Values // the new form, from the query's hints
	read   func(f *form, cur *T) T          // the record as typed; cur is nil for a new one

	validate func(*T) error
	insert   func(ctx context.Context, u *domain.User, rec *T) error
	update   func(ctx context.Context, u *domain.User, rec *T) error
	delete   func(ctx context.Context, u *domain.User, id string, version int64) error

	// form draws the form with its errors at status; cur is nil for a new
	// record.
	form func(w http.ResponseWriter, r *http.Request, me *viewer, status int, f *form, cur *T) error
}

// changeable returns the record of the path, refusing those who may not do
// a to it before they see a form.
func (rp recordPages[T]) changeable(r *http.Request, me *viewer, a access.Action) (T, error) {
	rec, err := rp.find(r.Context(), me.User, r.PathValue("id"))
	if err != nil {
		return rec, err
	}
	return rec, access.Allow(me.User, a, rp.resource(rec))
}

func (rp recordPages[T]) path(rec T) string {
	id, _, _ := rp.meta(rec)
	return rp.base + "/" + url.PathEscape(id)
}

// newForm shows the form of a new record.
func (rp recordPages[T]) newForm(w http.ResponseWriter, r *http.Request, me *viewer) error {
	check := func(r *http.Request, me *viewer) error { return access.Somewhere(me.User, rp.create) }
	if rp.mayCreate != nil {
		check = rp.mayCreate
	}
	if err := check(r, me); err != nil {
		return err
	}
	return rp.form(w, r, me, http.StatusOK, me.newForm(rp.blank(r)), nil)
}

// createRecord stores a new record from its form.
func (rp recordPages[T]) createRecord(w http.ResponseWriter, r *http.Request, me *viewer) error {
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	rec := rp.read(f, nil)
	return submit(w, r, f, submission{
		validate: func() error { return rp.validate(&rec) },
		save: func() (string, string, error) {
			err := rp.insert(r.Context(), me.User, &rec)
			return rp.path(rec), me.L.T("flash_created"), err
		},
		redraw: func(status int) error { return rp.form(w, r, me, status, f, nil) },
	})
}

// editForm shows the form of a record's change.
func (rp recordPages[T]) editForm(w http.ResponseWriter, r *http.Request, me *viewer) error {
	cur, err := rp.changeable(r, me, rp.change)
	if err != nil {
		return err
	}
	return rp.form(w, r, me, http.StatusOK, me.newForm(rp.values(cur)), &cur)
}

// updateRecord stores a record's change at the version its form was read
// at; a stale version is refused with 409 and the typed values kept.
func (rp recordPages[T]) updateRecord(w http.ResponseWriter, r *http.Request, me *viewer) error {
	cur, err := rp.changeable(r, me, rp.change)
	if err != nil {
		return err
	}
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	rec := rp.read(f, &cur)
	return submit(w, r, f, submission{
		validate: func() error { return rp.validate(&rec) },
		save: func() (string, string, error) {
			err := rp.update(r.Context(), me.User, &rec)
			return rp.path(rec), me.L.T("flash_saved"), err
		},
		redraw: func(status int) error { return rp.form(w, r, me, status, f, &cur) },
	})
}

// confirmDeletePage asks before a record is deleted.
type confirmDeletePage struct {
	Name, Action, Back string
	Version            int64
}

// confirmDelete asks whether to delete the record, as read at its version.
func (rp recordPages[T]) confirmDelete(w http.ResponseWriter, r *http.Request, me *viewer) error {
	cur, err := rp.changeable(r, me, rp.remove)
	if err != nil {
		return err
	}
	_, version, name := rp.meta(cur)
	return rp.ui.render(w, r, me, "confirm_delete", confirmDeletePage{Name: name, Action: rp.path(cur) + "/delete", Back: rp.path(cur), Version: version})
}

// deleteRecord deletes the record at the version of the confirmation and
// goes to the list. A refusal (the record changed, or others depend on it)
// goes to the error page, which says why.
func (rp recordPages[T]) deleteRecord(w http.ResponseWriter, r *http.Request, me *viewer) error {
	f, err := me.parseForm(r)
	if err != nil {
		return err
	}
	if err := rp.delete(r.Context(), me.User, r.PathValue("id"), f.version()); err != nil {
		return err
	}
	return redirect(w, r, rp.base, me.L.T("flash_deleted"))
}
