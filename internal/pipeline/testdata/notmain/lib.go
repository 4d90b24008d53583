// Package notmain is a library.
package notmain
