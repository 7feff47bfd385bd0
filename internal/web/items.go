package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
	"aidbridge/internal/store"
)

func (ui *UI) listItems(w http.ResponseWriter, r *http.Request, p *request) error {
	q := r.URL.Query()
	f := store.ItemFilter{Query: q.Get("q"), Category: q.Get("category"), Cursor: q.Get("cursor"), Limit: 25}
	list, next, err := ui.Dir.ListItems(ctx(r), p.User, f)
	if err != nil {
		return err
	}
	return ui.render(w, r, p, "items", map[string]any{"Filter": f, "Items": list, "Next": nextLink(r, next),
		"Categories": domain.ItemCategories, "CanCreate": access.Can(p.User, access.CreateItem, access.Resource{}),
		"First": firstLink(r)})
}

func (ui *UI) showItem(w http.ResponseWriter, r *http.Request, p *request) error {
	it, err := ui.Dir.Item(ctx(r), p.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	history, err := ui.history(r, p, "item", it.ID)
	if err != nil {
		return err
	}
	return ui.render(w, r, p, "item", map[string]any{"Item": it, "History": history,
		"CanEdit":   access.Can(p.User, access.UpdateItem, access.Resource{}),
		"CanDelete": access.Can(p.User, access.DeleteItem, access.Resource{})})
}

func itemFromForm(f *form) domain.Item {
	return domain.Item{Code: strings.TrimSpace(f.Get("code")), Name: strings.TrimSpace(f.Get("name")),
		Category: domain.ItemCategory(f.Get("category")), Unit: strings.TrimSpace(f.Get("unit"))}
}

func (ui *UI) itemForm(w http.ResponseWriter, r *http.Request, p *request, status int, f *form, it *domain.Item) error {
	ui.renderStatus(w, r, p, status, "item_form", map[string]any{"Form": f, "Item": it, "Categories": domain.ItemCategories})
	return nil
}

func (ui *UI) newItem(w http.ResponseWriter, r *http.Request, p *request) error {
	if err := access.Allow(p.User, access.CreateItem, access.Resource{}); err != nil {
		return err
	}
	return ui.itemForm(w, r, p, http.StatusOK, newForm(url.Values{"unit": {"piece"}}), nil)
}

func (ui *UI) createItem(w http.ResponseWriter, r *http.Request, p *request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	it := itemFromForm(f)
	err = ui.Dir.CreateItem(ctx(r), p.User, &it)
	if err == nil {
		return redirect(w, r, "/items/"+it.ID, p.L.T("flash_created"))
	}
	if !f.absorb(err, p.L) {
		return err
	}
	return ui.itemForm(w, r, p, http.StatusUnprocessableEntity, f, nil)
}

func (ui *UI) editItem(w http.ResponseWriter, r *http.Request, p *request) error {
	it, err := ui.Dir.Item(ctx(r), p.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := access.Allow(p.User, access.UpdateItem, access.Resource{}); err != nil {
		return err
	}
	f := newForm(valuesOf("code", it.Code, "name", it.Name, "category", string(it.Category), "unit", it.Unit,
		"version", strconv.FormatInt(it.Version, 10)))
	return ui.itemForm(w, r, p, http.StatusOK, f, &it)
}

func (ui *UI) updateItem(w http.ResponseWriter, r *http.Request, p *request) error {
	cur, err := ui.Dir.Item(ctx(r), p.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	it := itemFromForm(f)
	it.ID, it.Version = cur.ID, f.version()
	err = ui.Dir.UpdateItem(ctx(r), p.User, &it)
	if err == nil {
		return redirect(w, r, "/items/"+it.ID, p.L.T("flash_saved"))
	}
	if !f.absorb(err, p.L) {
		return err
	}
	return ui.itemForm(w, r, p, http.StatusUnprocessableEntity, f, &cur)
}

func (ui *UI) confirmDeleteItem(w http.ResponseWriter, r *http.Request, p *request) error {
	it, err := ui.Dir.Item(ctx(r), p.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := access.Allow(p.User, access.DeleteItem, access.Resource{}); err != nil {
		return err
	}
	return ui.render(w, r, p, "confirm_delete", map[string]any{"Name": it.Name, "Action": "/items/" + it.ID + "/delete",
		"Back": "/items/" + it.ID, "Version": it.Version})
}

func (ui *UI) deleteItem(w http.ResponseWriter, r *http.Request, p *request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	if err := ui.Dir.DeleteItem(ctx(r), p.User, r.PathValue("id"), f.version()); err != nil {
		return err
	}
	return redirect(w, r, "/items", p.L.T("flash_deleted"))
}
