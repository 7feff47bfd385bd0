package api

import (
	"bytes"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// docsPage lists every operation of the OpenAPI document, served by the
// binary itself so that the docs work offline.
var docsPage = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>aidbridge API</title><link rel="stylesheet" href="/static/style.css"></head>
<body><header class="top"><a class="brand" href="/">aidbridge</a></header><main id="main">
<h1>{{.Title}} {{.Version}}</h1>
<p>{{.Description}}</p>
<p>The machine-readable document: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI {{.OpenAPIVersion}}).</p>
{{range .Groups}}<section><h2>{{.Tag}}</h2>
{{range .Ops}}<article id="{{.Op.OperationID}}"><h3><code>{{.Method}} {{.Path}}</code></h3>
<p><strong>{{.Op.Summary}}</strong>{{with .Op.Description}}. {{.}}{{end}}</p>
{{if .Op.Parameters}}<table><thead><tr><th>Parameter</th><th>In</th><th>Description</th></tr></thead><tbody>
{{range .Op.Parameters}}<tr><td><code>{{.Name}}</code>{{if .Required}} *{{end}}</td><td>{{.In}}</td><td>{{.Description}}</td></tr>{{end}}
</tbody></table>{{end}}
{{with .Body}}<p>Body: <code>{{.}}</code> (see the schema in the document)</p>{{end}}
<p>Answers: {{range $code, $r := .Op.Responses}}<code>{{$code}}</code> {{$r.Description}}; {{end}}</p>
</article>{{end}}</section>{{end}}
</main></body></html>`))

type docOp struct {
	Method, Path, Body string
	Op                 *huma.Operation
}

type docGroup struct {
	Tag string
	Ops []docOp
}

func registerDocs(mux *http.ServeMux, a huma.API) {
	mux.HandleFunc("GET /api/docs", func(w http.ResponseWriter, r *http.Request) {
		doc := a.OpenAPI()
		groups := map[string]*docGroup{}
		var order []string
		paths := make([]string, 0, len(doc.Paths))
		for p := range doc.Paths {
			paths = append(paths, p)
		}
		slices.Sort(paths)
		for _, p := range paths {
			item := doc.Paths[p]
			for _, m := range []struct {
				name string
				op   *huma.Operation
			}{{"GET", item.Get}, {"POST", item.Post}, {"PUT", item.Put}, {"PATCH", item.Patch}, {"DELETE", item.Delete}} {
				if m.op == nil {
					continue
				}
				tag := "Other"
				if len(m.op.Tags) > 0 {
					tag = m.op.Tags[0]
				}
				g, ok := groups[tag]
				if !ok {
					g = &docGroup{Tag: tag}
					groups[tag] = g
					order = append(order, tag)
				}
				body := ""
				if m.op.RequestBody != nil {
					if c := m.op.RequestBody.Content["application/json"]; c != nil && c.Schema != nil {
						body = strings.TrimPrefix(c.Schema.Ref, "#/components/schemas/")
					}
				}
				g.Ops = append(g.Ops, docOp{Method: m.name, Path: p, Body: body, Op: m.op})
			}
		}
		slices.Sort(order)
		data := struct {
			Title, Version, Description, OpenAPIVersion string
			Groups                                      []*docGroup
		}{Title: doc.Info.Title, Version: doc.Info.Version, Description: doc.Info.Description, OpenAPIVersion: doc.OpenAPI}
		for _, t := range order {
			data.Groups = append(data.Groups, groups[t])
		}
		var buf bytes.Buffer
		if err := docsPage.Execute(&buf, data); err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		buf.WriteTo(w)
	})
}
