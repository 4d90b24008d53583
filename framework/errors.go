package framework

import (
	"errors"
	"fmt"
	"net/http"
)

// Error is an error with an HTTP status. A view that returns one (directly or
// wrapped) answers with that status and a Chalice-shaped JSON body:
//
//	{"Code": "NotFoundError", "Message": "no such user"}
//
// Create one with the constructors below (BadRequest, NotFound, ...).
type Error struct {
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Code is the error name sent in the body, e.g. "NotFoundError".
	Code string
	// Message is the human-readable text sent in the body.
	Message string
}

// Error implements error.
func (e *Error) Error() string {
	return fmt.Sprintf("%d %s: %s", e.StatusCode, e.Code, e.Message)
}

func newError(status int, code, msg string) error {
	return &Error{StatusCode: status, Code: code, Message: msg}
}

// BadRequest returns a 400 BadRequestError.
func BadRequest(msg string) error { return newError(http.StatusBadRequest, "BadRequestError", msg) }

// Unauthorized returns a 401 UnauthorizedError.
func Unauthorized(msg string) error {
	return newError(http.StatusUnauthorized, "UnauthorizedError", msg)
}

// Forbidden returns a 403 ForbiddenError.
func Forbidden(msg string) error { return newError(http.StatusForbidden, "ForbiddenError", msg) }

// NotFound returns a 404 NotFoundError.
func NotFound(msg string) error { return newError(http.StatusNotFound, "NotFoundError", msg) }

// MethodNotAllowed returns a 405 MethodNotAllowedError.
func MethodNotAllowed(msg string) error {
	return newError(http.StatusMethodNotAllowed, "MethodNotAllowedError", msg)
}

// RequestTimeout returns a 408 RequestTimeoutError.
func RequestTimeout(msg string) error {
	return newError(http.StatusRequestTimeout, "RequestTimeoutError", msg)
}

// Conflict returns a 409 ConflictError.
func Conflict(msg string) error { return newError(http.StatusConflict, "ConflictError", msg) }

// RequestEntityTooLarge returns a 413 RequestEntityTooLargeError.
func RequestEntityTooLarge(msg string) error {
	return newError(http.StatusRequestEntityTooLarge, "RequestEntityTooLargeError", msg)
}

// UnsupportedMediaType returns a 415 UnsupportedMediaType error.
func UnsupportedMediaType(msg string) error {
	return newError(http.StatusUnsupportedMediaType, "UnsupportedMediaType", msg)
}

// UnprocessableEntity returns a 422 UnprocessableEntityError.
func UnprocessableEntity(msg string) error {
	return newError(http.StatusUnprocessableEntity, "UnprocessableEntityError", msg)
}

// TooManyRequests returns a 429 TooManyRequestsError.
func TooManyRequests(msg string) error {
	return newError(http.StatusTooManyRequests, "TooManyRequestsError", msg)
}

// ViewError returns a 500 ChaliceViewError whose message is shown to the caller
// (unlike any other error, which is answered with a generic 500).
func ViewError(msg string) error {
	return newError(http.StatusInternalServerError, "ChaliceViewError", msg)
}

// internalError is the body of every 500 caused by an unexpected error or panic.
var internalError = &Error{
	StatusCode: http.StatusInternalServerError,
	Code:       "InternalServerError",
	Message:    "An internal server error occurred.",
}

// asHTTPError returns the *Error in err's chain, if any.
func asHTTPError(err error) (*Error, bool) {
	return errors.AsType[*Error](err)
}
