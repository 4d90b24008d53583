// Package lib is a library, not an app.
package lib

// Answer is not an app.
const Answer = 42
