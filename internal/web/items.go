package web

import (
	"net/http"
	"net/url"
	"strconv"

	"aidbridge/internal/access"
	"aidbridge/internal/domain"
)

// itemsPage is the catalog list.
type itemsPage struct {
	Filter      domain.ItemFilter
	Items       []domain.Item
	Next, First string
	Categories  []domain.ItemCategory
	CanCreate   bool
}

func (ui *UI) listItems(w http.ResponseWriter, r *http.Request, p *request) error {
	q := r.URL.Query()
	f := domain.ItemFilter{Query: q.Get("q"), Category: q.Get("category"), Cursor: q.Get("cursor"), Limit: listPageSize}
	list, next, err := ui.Dir.ListItems(r.Context(), p.User, f)
	if err != nil {
		return err
	}
	return ui.render(w, r, p, "items", itemsPage{Filter: f, Items: list, Next: nextLink(r, next), First: firstLink(r),
		Categories: domain.ItemCategories, CanCreate: access.Can(p.User, access.CreateItem, access.Resource{})})
}

// itemPage is one catalog item with its history.
type itemPage struct {
	Item               domain.Item
	History            []domain.AuditEntry
	CanEdit, CanDelete bool
}

func (ui *UI) showItem(w http.ResponseWriter, r *http.Request, p *request) error {
	it, err := ui.Dir.Item(r.Context(), p.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	history, err := ui.history(r, p, "item", it.ID)
	if err != nil {
		return err
	}
	return ui.render(w, r, p, "item", itemPage{Item: it, History: history,
		CanEdit:   access.Can(p.User, access.UpdateItem, access.Resource{}),
		CanDelete: access.Can(p.User, access.DeleteItem, access.Resource{})})
}

func itemFromForm(f *form) domain.Item {
	return domain.Item{Code: f.text("code"), Name: f.text("name"), Category: domain.ItemCategory(f.Get("category")), Unit: f.text("unit")}
}

// itemFormPage is the form of a new item (Item nil) or of an item's change.
type itemFormPage struct {
	Form       *form
	Item       *domain.Item
	Categories []domain.ItemCategory
}

func (ui *UI) itemForm(w http.ResponseWriter, r *http.Request, p *request, status int, f *form, it *domain.Item) error {
	ui.renderStatus(w, r, p, status, "item_form", itemFormPage{Form: f, Item: it, Categories: domain.ItemCategories})
	return nil
}

func (ui *UI) newItem(w http.ResponseWriter, r *http.Request, p *request) error {
	if err := access.Allow(p.User, access.CreateItem, access.Resource{}); err != nil {
		return err
	}
	return ui.itemForm(w, r, p, http.StatusOK, p.newForm(url.Values{"unit": {"piece"}}), nil)
}

func (ui *UI) createItem(w http.ResponseWriter, r *http.Request, p *request) error {
	f, err := p.parseForm(r)
	if err != nil {
		return err
	}
	it := itemFromForm(f)
	return submit(w, r, f, submission{
		save: func() (string, string, error) {
			return "/items/" + it.ID, p.L.T("flash_created"), ui.Dir.CreateItem(r.Context(), p.User, &it)
		},
		redraw: func(status int) error { return ui.itemForm(w, r, p, status, f, nil) },
	})
}

// changeableItem returns the item of the path for its edit and delete
// pages, refusing those who may not do a to it.
func (ui *UI) changeableItem(r *http.Request, p *request, a access.Action) (domain.Item, error) {
	it, err := ui.Dir.Item(r.Context(), p.User, r.PathValue("id"))
	if err != nil {
		return it, err
	}
	return it, access.Allow(p.User, a, access.Resource{})
}

func (ui *UI) editItem(w http.ResponseWriter, r *http.Request, p *request) error {
	it, err := ui.changeableItem(r, p, access.UpdateItem)
	if err != nil {
		return err
	}
	f := p.newForm(valuesOf("code", it.Code, "name", it.Name, "category", string(it.Category), "unit", it.Unit,
		"version", strconv.FormatInt(it.Version, 10)))
	return ui.itemForm(w, r, p, http.StatusOK, f, &it)
}

func (ui *UI) updateItem(w http.ResponseWriter, r *http.Request, p *request) error {
	cur, err := ui.changeableItem(r, p, access.UpdateItem)
	if err != nil {
		return err
	}
	f, err := p.parseForm(r)
	if err != nil {
		return err
	}
	it := itemFromForm(f)
	it.ID, it.Version = cur.ID, f.version()
	return submit(w, r, f, submission{
		save: func() (string, string, error) {
			return "/items/" + it.ID, p.L.T("flash_saved"), ui.Dir.UpdateItem(r.Context(), p.User, &it)
		},
		redraw: func(status int) error { return ui.itemForm(w, r, p, status, f, &cur) },
	})
}

func (ui *UI) confirmDeleteItem(w http.ResponseWriter, r *http.Request, p *request) error {
	it, err := ui.changeableItem(r, p, access.DeleteItem)
	if err != nil {
		return err
	}
	return ui.confirmDelete(w, r, p, it.Name, "/items/"+it.ID, it.Version)
}

func (ui *UI) deleteItem(w http.ResponseWriter, r *http.Request, p *request) error {
	return ui.deleteRecord(w, r, p, "/items", func(version int64) error {
		return ui.Dir.DeleteItem(r.Context(), p.User, r.PathValue("id"), version)
	})
}
