// Package e2e holds the end-to-end tests: they build a sample with the
// chalice-package CLI, unzip its bootstrap and run it under the AWS Lambda
// Runtime Interface Emulator (see internal/rie), sending the events API
// Gateway and Lambda would send.
package e2e
