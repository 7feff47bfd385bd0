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

func (ui *UI) listItems(w http.ResponseWriter, r *http.Request, me *viewer) error {
	q := r.URL.Query()
	f := domain.ItemFilter{Query: q.Get("q"), Category: q.Get("category"), Cursor: q.Get("cursor"), Limit: listPageSize}
	list, next, err := ui.Dir.ListItems(r.Context(), me.User, f)
	if err != nil {
		return err
	}
	return ui.render(w, r, me, "items", itemsPage{Filter: f, Items: list, Next: nextLink(r, next), First: firstLink(r),
		Categories: domain.ItemCategories, CanCreate: access.Can(me.User, access.CreateItem, access.Resource{})})
}

// itemPage is one catalog item with its history.
type itemPage struct {
	Item               domain.Item
	History            []domain.AuditEntry
	CanEdit, CanDelete bool
}

func (ui *UI) showItem(w http.ResponseWriter, r *http.Request, me *viewer) error {
	it, err := ui.Dir.Item(r.Context(), me.User, r.PathValue("id"))
	if err != nil {
		return err
	}
	history, err := ui.history(r, me, "item", it.ID)
	if err != nil {
		return err
	}
	return ui.render(w, r, me, "item", itemPage{Item: it, History: history,
		CanEdit:   access.Can(me.User, access.UpdateItem, access.Resource{}),
		CanDelete: access.Can(me.User, access.DeleteItem, access.Resource{})})
}

// itemPages are the catalog's forms: only site administrators change or
// delete an item, any admin or coordinator may add one.
func (ui *UI) itemPages() recordPages[domain.Item] {
	return recordPages[domain.Item]{ui: ui, base: "/items",
		create: access.CreateItem, change: access.UpdateItem, remove: access.DeleteItem,
		resource: func(domain.Item) access.Resource { return access.Resource{} },
		find:     ui.Dir.Item,
		meta:     func(it domain.Item) (string, int64, string) { return it.ID, it.Version, it.Name },
		values: func(it domain.Item) url.Values {
			return valuesOf("code", it.Code, "name", it.Name, "category", string(it.Category), "unit", it.Unit,
				"version", strconv.FormatInt(it.Version, 10))
		},
		blank: func(*http.Request) url.Values { return url.Values{"unit": {"piece"}} },
		read: func(f *form, cur *domain.Item) domain.Item {
			it := domain.Item{Code: f.text("code"), Name: f.text("name"), Category: domain.ItemCategory(f.Get("category")), Unit: f.text("unit")}
			if cur != nil {
				it.ID, it.Version = cur.ID, f.version()
			}
			return it
		},
		validate: (*domain.Item).Validate,
		insert:   ui.Dir.CreateItem,
		update:   ui.Dir.UpdateItem,
		delete:   ui.Dir.DeleteItem,
		form: func(w http.ResponseWriter, r *http.Request, me *viewer, status int, f *form, cur *domain.Item) error {
			ui.renderStatus(w, r, me, status, "item_form", itemFormPage{Form: f, Item: cur, Categories: domain.ItemCategories})
			return nil
		},
	}
}

// itemFormPage is the form of a new item (Item nil) or of an item's change.
type itemFormPage struct {
	Form       *form
	Item       *domain.Item
	Categories []domain.ItemCategory
}
