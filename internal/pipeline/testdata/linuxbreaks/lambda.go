//go:build lambda.norpc

package main

var _ = undefinedInTheBootstrapBuild
