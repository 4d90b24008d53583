//go:build !cgo

package main

var _ = undefinedInTheBootstrapBuild
