package api

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/sqlite"
)

// openAPITestDoc loads and validates the embedded document.
func openAPITestDoc(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := loadOpenAPI(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// openAPITestServer is the real server's handler over a fresh embedded
// store, and an admin key of that store.
func openAPITestServer(t *testing.T) (*echo.Echo, string) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "openapi.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	token, hash := data.NewToken()
	if _, err := st.CreateKey(ctx, data.Key{Name: "openapi-test", Role: data.RoleAdmin, Hash: hash}, data.AuditEntry{}); err != nil {
		t.Fatal(err)
	}
	e, ok := New(Options{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).(*echo.Echo)
	if !ok {
		t.Fatal("New does not return an *echo.Echo; read its routes another way")
	}
	return e, token
}

// echoToOpenAPI maps an Echo route path to its OpenAPI path: ":name"
// segments become "{name}" and the console's "*" becomes "{file}". The two
// tile routes are registered without their suffixes (the handlers strip
// ".json" and ".mvt" from the last parameter), so they are mapped by name.
func echoToOpenAPI(path string) string {
	switch path {
	case "/tiles/:layer":
		return "/tiles/{layer}.json"
	case "/tiles/:layer/:z/:x/:y":
		return "/tiles/{layer}/{z}/{x}/{y}.mvt"
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		switch {
		case strings.HasPrefix(s, ":"):
			segs[i] = "{" + s[1:] + "}"
		case s == "*":
			segs[i] = "{file}"
		}
	}
	return strings.Join(segs, "/")
}

// pathParam matches an OpenAPI path template's parameters.
var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// operationKey names an operation by method and path shape: parameter names
// are left out, since a handler's name for a segment is not the contract.
func operationKey(method, openAPIPath string) string {
	return method + " " + pathParam.ReplaceAllString(openAPIPath, "{}")
}

// served reports whether an Echo route is one the document must describe:
// HEAD (answered for every GET), CORS preflight OPTIONS and Echo's
// not-found handler are not.
func served(method string) bool {
	return method != http.MethodHead && method != http.MethodOptions && method != echo.RouteNotFound
}

// documented is one operation of the document.
type documented struct {
	method, path string
	op           *openapi3.Operation
}

func operations(doc *openapi3.T) map[string]documented {
	out := map[string]documented{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			out[operationKey(method, path)] = documented{method, path, op}
		}
	}
	return out
}

// routeDiff compares routes (method and Echo path) with the document: the
// routes without an operation that says what it does, and the operations
// without a route.
func routeDiff(routes []*echo.Route, doc *openapi3.T) (undocumented, missing []string) {
	ops := operations(doc)
	seen := map[string]bool{}
	for _, r := range routes {
		if !served(r.Method) {
			continue
		}
		key := operationKey(r.Method, echoToOpenAPI(r.Path))
		seen[key] = true
		switch o, ok := ops[key]; {
		case !ok:
			undocumented = append(undocumented, r.Method+" "+r.Path+" (no operation at "+echoToOpenAPI(r.Path)+")")
		case strings.TrimSpace(o.op.Summary) == "" || strings.TrimSpace(o.op.Description) == "":
			undocumented = append(undocumented, r.Method+" "+r.Path+" (the operation lacks a summary or a description)")
		}
	}
	for key, o := range ops {
		if !seen[key] {
			missing = append(missing, o.method+" "+o.path)
		}
	}
	slices.Sort(undocumented)
	slices.Sort(missing)
	return undocumented, missing
}

func TestOpenAPIValidates(t *testing.T) {
	doc := openAPITestDoc(t)
	if got, want := doc.OpenAPI, "3.0.3"; got != want {
		t.Errorf("openapi = %q, want %q", got, want)
	}
	var noID []string
	for _, o := range operations(doc) {
		if o.op.OperationID == "" {
			noID = append(noID, o.method+" "+o.path)
		}
	}
	if len(noID) > 0 {
		slices.Sort(noID)
		t.Errorf("operations without an operationId:\n  %s", strings.Join(noID, "\n  "))
	}
}

// TestOpenAPIRouteDiff checks that routeDiff catches both kinds of drift,
// so that TestOpenAPIRoutes can fail.
func TestOpenAPIRouteDiff(t *testing.T) {
	doc := openAPITestDoc(t)
	routes := []*echo.Route{
		{Method: http.MethodGet, Path: "/healthz"},
		{Method: http.MethodHead, Path: "/healthz"},
		{Method: http.MethodGet, Path: "/api/v1/violations/:vid"}, // another name, the same shape
		{Method: http.MethodGet, Path: "/tiles/:name/:z/:x/:y"},
		{Method: http.MethodDelete, Path: "/api/v1/roads/:id"},
		{Method: http.MethodGet, Path: "/nowhere"},
		{Method: echo.RouteNotFound, Path: "/*"},
	}
	undocumented, missing := routeDiff(routes, doc)
	if want := []string{
		"DELETE /api/v1/roads/:id (no operation at /api/v1/roads/{id})",
		"GET /nowhere (no operation at /nowhere)",
		"GET /tiles/:name/:z/:x/:y (no operation at /tiles/{name}/{z}/{x}/{y})",
	}; !slices.Equal(undocumented, want) {
		t.Errorf("undocumented = %q, want %q", undocumented, want)
	}
	if slices.Contains(missing, "GET /healthz") || slices.Contains(missing, "GET /api/v1/violations/{id}") {
		t.Errorf("missing = %q: holds routes that exist", missing)
	}
	if !slices.Contains(missing, "GET /api/v1/heatmap") {
		t.Errorf("missing = %q, want GET /api/v1/heatmap among them", missing)
	}

	noDescription := *doc
	noDescription.Paths = openapi3.NewPaths()
	for path, item := range doc.Paths.Map() {
		copied := *item
		if path == "/healthz" {
			op := *item.Get
			op.Description = " "
			copied.Get = &op
		}
		noDescription.Paths.Set(path, &copied)
	}
	if undocumented, _ := routeDiff(routes[:1], &noDescription); len(undocumented) != 1 {
		t.Errorf("an operation with a blank description passes: undocumented = %q", undocumented)
	}
}

func TestOpenAPIRoutes(t *testing.T) {
	doc := openAPITestDoc(t)
	e, _ := openAPITestServer(t)
	undocumented, missing := routeDiff(e.Routes(), doc)
	t.Run("every route is documented", func(t *testing.T) {
		if len(undocumented) > 0 {
			t.Errorf("%d routes of the server lack an operation in api/openapi.yaml with a summary and a description:\n  %s",
				len(undocumented), strings.Join(undocumented, "\n  "))
		}
	})
	t.Run("every operation is a route", func(t *testing.T) {
		if len(missing) > 0 {
			t.Errorf("%d operations of api/openapi.yaml are no route of the server:\n  %s",
				len(missing), strings.Join(missing, "\n  "))
		}
	})
}

// TestOpenAPIRoles checks each operation's x-role and security against the
// route table: a route with a role names it and takes the Bearer key (and
// api_key on reads); an open route names no role and no security.
func TestOpenAPIRoles(t *testing.T) {
	ops := operations(openAPITestDoc(t))
	s := &server{Options: Options{Registry: prometheus.NewRegistry()}}
	var wrong []string
	for _, r := range s.routes() {
		path := echoToOpenAPI(r.path)
		o, ok := ops[operationKey(r.method, path)]
		if !ok {
			continue // TestOpenAPIRoutes names it
		}
		where := r.method + " " + path
		role, _ := o.op.Extensions["x-role"].(string)
		if _, present := o.op.Extensions["x-role"]; present && !data.Role(role).Valid() {
			wrong = append(wrong, where+": x-role is not one of viewer, scheduler, ingest, admin")
		}
		if got, want := role, string(r.role); got != want {
			wrong = append(wrong, where+": x-role = "+quoteOrNone(got)+", want "+quoteOrNone(want))
		}
		schemes := securitySchemes(o.op)
		var want []string
		switch {
		case r.role != "" && r.method == http.MethodGet:
			want = []string{"apiKeyQuery", "bearerAuth"}
		case r.role != "" && strings.HasPrefix(r.path, "/open311/"): // Open311 clients send api_key
			want = []string{"apiKeyQuery", "bearerAuth"}
		case r.role != "":
			want = []string{"bearerAuth"}
		}
		if !slices.Equal(schemes, want) {
			wrong = append(wrong, where+": security schemes = "+strings.Join(schemes, ",")+", want "+strings.Join(want, ","))
		}
		if r.role == "" && (o.op.Security == nil || len(*o.op.Security) != 0) {
			wrong = append(wrong, where+": an open route must say security: []")
		}
	}
	if len(wrong) > 0 {
		slices.Sort(wrong)
		t.Errorf("operations whose role disagrees with the route table (s.routes()):\n  %s", strings.Join(wrong, "\n  "))
	}
}

// securitySchemes are the names of the schemes an operation takes, sorted.
func securitySchemes(op *openapi3.Operation) []string {
	var out []string
	if op.Security != nil {
		for _, req := range *op.Security {
			for name := range req {
				out = append(out, name)
			}
		}
	}
	slices.Sort(out)
	return out
}

func quoteOrNone(role string) string {
	if role == "" {
		return "none"
	}
	return `"` + role + `"`
}

// isProblem reports whether an operation documents status as a problem
// document of the shared Problem schema.
func isProblem(op *openapi3.Operation, status string) bool {
	ref := op.Responses.Value(status)
	if ref == nil || ref.Value == nil {
		return false
	}
	mt := ref.Value.Content.Get("application/problem+json")
	return mt != nil && mt.Schema != nil && mt.Schema.Ref == "#/components/schemas/Problem"
}

// TestOpenAPIProblems checks the error answers: 401 and 403 on every route
// with a role; 400 on every route with query parameters (every route that
// reads its query refuses what it does not take); every 4xx and 5xx, and
// the default answer, a Problem.
func TestOpenAPIProblems(t *testing.T) {
	var wrong []string
	for _, o := range operations(openAPITestDoc(t)) {
		where := o.method + " " + o.path
		if role, _ := o.op.Extensions["x-role"].(string); role != "" {
			for _, status := range []string{"401", "403"} {
				if !isProblem(o.op, status) {
					wrong = append(wrong, where+": needs the "+role+" role but documents no "+status+" Problem")
				}
			}
		}
		for _, p := range o.op.Parameters {
			if p.Value != nil && p.Value.In == openapi3.ParameterInQuery && !isProblem(o.op, "400") {
				wrong = append(wrong, where+": has query parameters but documents no 400 Problem")
				break
			}
		}
		if !isProblem(o.op, "default") {
			wrong = append(wrong, where+": documents no default (internal error) Problem")
		}
		for status := range o.op.Responses.Map() {
			if status == "default" || status[0] < '4' {
				continue
			}
			if !isProblem(o.op, status) {
				wrong = append(wrong, where+": "+status+" is not an application/problem+json Problem")
			}
		}
	}
	if len(wrong) > 0 {
		slices.Sort(wrong)
		t.Errorf("operations with wrong problem responses:\n  %s", strings.Join(wrong, "\n  "))
	}
}

// TestOpenAPIServed fetches the document from the server's own routes and
// loads it back: it validates, and its servers entry is the request's base.
func TestOpenAPIServed(t *testing.T) {
	e, _ := openAPITestServer(t)
	srv := httptest.NewServer(e)
	defer srv.Close()
	cases := []struct {
		name, path, proto, wantBase string
		wantStatus                  int
	}{
		{"api", "/api", "", srv.URL, 200},
		{"api behind a TLS proxy", "/api", "https", strings.Replace(srv.URL, "http://", "https://", 1), 200},
		{"api with a key and f=json", "/api?f=json&api_key=hs_x", "", srv.URL, 200},
		{"ogc api", "/ogc/api", "", srv.URL + "/ogc", 200},
		{"a format not served", "/api?f=yaml", "", "", 400},
		{"a parameter not taken", "/api?limit=3", "", "", 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.proto != "" {
				req.Header.Set("X-Forwarded-Proto", tc.proto)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != tc.wantStatus {
				t.Fatalf("GET %s: status = %d, want %d\n%.300s", tc.path, res.StatusCode, tc.wantStatus, body)
			}
			if tc.wantStatus != 200 {
				if got := res.Header.Get("Content-Type"); got != "application/problem+json" {
					t.Errorf("Content-Type = %q, want application/problem+json", got)
				}
				return
			}
			if got := res.Header.Get("Content-Type"); got != openAPIMediaType {
				t.Errorf("Content-Type = %q, want %q", got, openAPIMediaType)
			}
			doc, err := openapi3.NewLoader().LoadFromData(body)
			if err != nil {
				t.Fatalf("the served document does not load: %v", err)
			}
			if err := doc.Validate(context.Background()); err != nil {
				t.Fatalf("the served document is invalid: %v", err)
			}
			if len(doc.Servers) != 1 || doc.Servers[0].URL != tc.wantBase {
				var urls []string
				for _, s := range doc.Servers {
					urls = append(urls, s.URL)
				}
				t.Errorf("servers = %q, want [%q]", urls, tc.wantBase)
			}
			whole := openAPITestDoc(t)
			if tc.path != "/ogc/api" {
				if got, want := doc.Paths.Len(), whole.Paths.Len(); got != want {
					t.Errorf("the served document has %d paths, the embedded one %d", got, want)
				}
				return
			}
			// Under /ogc: the /ogc paths rooted there, and an items path per
			// collection whose parameters hold its queryables.
			for path := range whole.Paths.Map() {
				if rest, ok := strings.CutPrefix(path, "/ogc"); ok && doc.Paths.Value(cmp.Or(rest, "/")) == nil {
					t.Errorf("the OGC document lacks %s (as %q)", path, cmp.Or(rest, "/"))
				}
			}
			items := doc.Paths.Value("/collections/violations/items")
			if items == nil || items.Get == nil || items.Get.Parameters.GetByInAndName("query", "category") == nil ||
				items.Get.Parameters.GetByInAndName("query", "limit") == nil {
				t.Errorf("the OGC document has no /collections/violations/items with category and limit parameters")
			}
		})
	}
}

// notAParameter is how newQuery refuses a name, and what follows it: the
// names the route takes.
const notAParameter = "is not a parameter of this path"

// TestOpenAPIQueryParameters asks every documented route of the real server
// about its query: a name no route takes makes newQuery list the names the
// route does take, which must be the documented query parameters (a name
// it lists but then refuses on its own, as the forecast does datetime, is
// not one). Routes that ignore their query (the console) are not
// asked; OGC items, whose query holds property names, are asked about each
// documented parameter instead.
func TestOpenAPIQueryParameters(t *testing.T) {
	doc := openAPITestDoc(t)
	e, key := openAPITestServer(t)
	srv := httptest.NewServer(e)
	defer srv.Close()
	routes := map[string]bool{}
	for _, r := range e.Routes() {
		routes[operationKey(r.Method, echoToOpenAPI(r.Path))] = true
	}
	// ask sends a request with query values and returns the first problem's
	// field and reason when the answer is 400.
	ask := func(t *testing.T, method, path string, values url.Values) (field, reason string, status int) {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path+"?"+values.Encode(), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var p problem
		if res.StatusCode == http.StatusBadRequest {
			if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
				t.Fatalf("%s %s: the 400 is no problem document: %v", method, path, err)
			}
			if len(p.Problems) > 0 {
				return p.Problems[0].Field, p.Problems[0].Reason, res.StatusCode
			}
		}
		return "", p.Detail, res.StatusCode
	}
	var wrong []string
	for key, o := range operations(doc) {
		if !routes[key] {
			continue // TestOpenAPIRoutes names it
		}
		path, documentedNames := o.path, map[string]bool{}
		for _, p := range o.op.Parameters {
			switch v := p.Value; v.In {
			case openapi3.ParameterInPath:
				value := "1"
				if v.Schema != nil && v.Schema.Value != nil && len(v.Schema.Value.Enum) > 0 {
					value = fmt.Sprint(v.Schema.Value.Enum[0])
				}
				path = strings.Replace(path, "{"+v.Name+"}", value, 1)
			case openapi3.ParameterInQuery:
				documentedNames[v.Name] = true
			}
		}
		where := o.method + " " + o.path
		if o.path == "/ogc/collections/{collectionId}/items" {
			for name := range documentedNames {
				if field, reason, _ := ask(t, o.method, path, url.Values{name: {"1"}}); field == name && strings.Contains(reason, "is neither a parameter") {
					wrong = append(wrong, where+": refuses its documented parameter "+name)
				}
			}
			continue
		}
		field, reason, status := ask(t, o.method, path, url.Values{"zz_not_a_parameter": {"1"}})
		if status != http.StatusBadRequest || field != "zz_not_a_parameter" {
			if len(documentedNames) > 0 {
				wrong = append(wrong, fmt.Sprintf("%s: documents query parameters but does not refuse an unknown one (status %d)", where, status))
			}
			continue
		}
		_, list, ok := strings.Cut(reason, notAParameter+"; use ")
		if !ok {
			wrong = append(wrong, where+": refuses an unknown parameter without listing its own: "+reason)
			continue
		}
		taken := map[string]bool{}
		for _, name := range strings.Split(list, ",") {
			if name = strings.TrimSpace(name); name == "" {
				continue
			}
			value := "1"
			if name == "datetime" {
				value = "2026-01-05T00:00:00+08:00/.."
			}
			if f, r, _ := ask(t, o.method, path, url.Values{name: {value}}); f == name && strings.Contains(r, notAParameter) {
				continue // listed, but the route refuses it on its own
			}
			taken[name] = true
		}
		for name := range taken {
			if name == "api_key" && slices.Contains(securitySchemes(o.op), "apiKeyQuery") {
				continue // the key, documented as a security scheme
			}
			if !documentedNames[name] {
				wrong = append(wrong, where+": takes "+name+", which is not documented")
			}
		}
		for name := range documentedNames {
			if !taken[name] {
				wrong = append(wrong, where+": documents "+name+", which it does not take")
			}
		}
	}
	if len(wrong) > 0 {
		slices.Sort(wrong)
		t.Errorf("query parameters that disagree with the routes:\n  %s", strings.Join(wrong, "\n  "))
	}
}
