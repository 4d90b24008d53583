// Command todo is the sample of the API contract: typed views whose Go types
// are the request and response bodies, route docs, a strict decoder, and an
// API key on writes. `chalice-package openapi` describes it as OpenAPI 3 and
// `chalice-package generate-sdk` writes typed TypeScript and Go clients for
// it, without a deployment.
package main

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gochalice/gochalice/framework"
)

func main() {
	newApp(newStore()).Run()
}

// newApp registers the routes on a store; the tests use it too.
func newApp(s *store) *framework.App {
	app := framework.New("todo")
	framework.TypedRoute(app, "/todos", s.listTodos,
		framework.Doc("List the todos", "Returns every todo, oldest first."),
		framework.QueryParam("done", "true or false: only the todos done, or not done"))
	framework.TypedRoute(app, "/todos", s.createTodo, framework.Methods("POST"), framework.APIKeyRequired(),
		framework.Doc("Create a todo", "The title must not be blank. Answers with the new todo and its id."))
	framework.TypedRoute(app, "/todos/{id}", s.getTodo, framework.Doc("Get one todo", ""))
	framework.TypedRoute(app, "/todos/{id}", s.updateTodo, framework.Methods("PUT"), framework.APIKeyRequired(),
		framework.Doc("Update a todo", "Replaces the title, done flag and tags of a todo."))
	framework.TypedRoute(app, "/todos/{id}", s.deleteTodo, framework.Methods("DELETE"), framework.APIKeyRequired(),
		framework.Doc("Delete a todo", ""))
	app.Route("/health", health, framework.Doc("Liveness probe", "An untyped view: its body is any JSON."))
	return app
}

// NewTodo is the body of a create request.
type NewTodo struct {
	Title string   `json:"title"`
	Tags  []string `json:"tags,omitempty"`
	// Due is an optional deadline.
	Due *time.Time `json:"due,omitempty"`
}

// Validate refuses a blank title.
func (n NewTodo) Validate() error {
	if strings.TrimSpace(n.Title) == "" {
		return errors.New("title must not be blank")
	}
	return nil
}

// TodoUpdate is the body of an update request.
type TodoUpdate struct {
	NewTodo
	Done bool `json:"done"`
}

// Todo is one todo as the API returns it.
type Todo struct {
	ID      string     `json:"id"`
	Title   string     `json:"title"`
	Done    bool       `json:"done"`
	Tags    []string   `json:"tags"`
	Due     *time.Time `json:"due,omitempty"`
	Created time.Time  `json:"created"`
}

// TodoList is the answer of the list route.
type TodoList struct {
	Todos []Todo `json:"todos"`
	Count int    `json:"count"`
}

// Deleted is the answer of the delete route.
type Deleted struct {
	ID string `json:"id"`
}

// store keeps the todos in memory: enough for a sample and its tests.
type store struct {
	mu    sync.Mutex
	next  int
	todos []Todo
	now   func() time.Time
}

func newStore() *store { return &store{now: time.Now} }

func (s *store) listTodos(r *framework.Request, _ framework.NoBody) (TodoList, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := TodoList{Todos: []Todo{}}
	filter := r.Query.Get("done")
	if filter != "" && filter != "true" && filter != "false" {
		return TodoList{}, framework.BadRequest("done must be true or false")
	}
	for _, t := range s.todos {
		if filter == "" || strconv.FormatBool(t.Done) == filter {
			out.Todos = append(out.Todos, t)
		}
	}
	out.Count = len(out.Todos)
	return out, nil
}

func (s *store) createTodo(r *framework.Request, in NewTodo) (Todo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	t := Todo{ID: strconv.Itoa(s.next), Title: in.Title, Tags: tags(in.Tags), Due: in.Due, Created: s.now().UTC()}
	s.todos = append(s.todos, t)
	return t, nil
}

func (s *store) getTodo(r *framework.Request, _ framework.NoBody) (Todo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, err := s.find(r.PathParam("id"))
	if err != nil {
		return Todo{}, err
	}
	return s.todos[i], nil
}

func (s *store) updateTodo(r *framework.Request, in TodoUpdate) (Todo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, err := s.find(r.PathParam("id"))
	if err != nil {
		return Todo{}, err
	}
	t := &s.todos[i]
	t.Title, t.Done, t.Tags, t.Due = in.Title, in.Done, tags(in.Tags), in.Due
	return *t, nil
}

func (s *store) deleteTodo(r *framework.Request, _ framework.NoBody) (Deleted, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, err := s.find(r.PathParam("id"))
	if err != nil {
		return Deleted{}, err
	}
	s.todos = slices.Delete(s.todos, i, i+1)
	return Deleted{ID: r.PathParam("id")}, nil
}

func (s *store) find(id string) (int, error) {
	i := slices.IndexFunc(s.todos, func(t Todo) bool { return t.ID == id })
	if i < 0 {
		return 0, framework.NotFound("no todo " + id)
	}
	return i, nil
}

func tags(t []string) []string {
	if t == nil {
		return []string{}
	}
	return slices.Clone(t)
}

func health(r *framework.Request) (any, error) {
	return map[string]string{"status": "ok"}, nil
}
