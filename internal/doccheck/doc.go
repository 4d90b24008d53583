// Package doccheck holds the test that keeps the documentation honest:
// every ```go block of README.md and docs/*.md is a complete Go file that
// compiles against this module. A block starts with its package clause, or
// with a `// name_test.go` line naming a test file, then the package clause.
package doccheck
