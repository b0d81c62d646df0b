// Package data holds the domain records of the service (violations, tracks,
// roads, categories, API keys), their validation, and the Store contract that
// every storage adapter implements.
package data

import (
	"errors"
	"fmt"
)

// Error codes. The API maps each code to one HTTP status.
const (
	EINVALID      = "invalid"      // the input is wrong; the message says how
	ENOTFOUND     = "not_found"    // no such record
	ECONFLICT     = "conflict"     // the write clashes with what is stored
	EUNAUTHORIZED = "unauthorized" // no or unknown credentials
	EFORBIDDEN    = "forbidden"    // credentials lack the role
	ETOOLARGE     = "too_large"    // body or batch over a configured limit
	EUNSUPPORTED  = "unsupported"  // media type not understood
	EINTERNAL     = "internal"     // anything else; details are logged only
	EUNAVAILABLE  = "unavailable"  // not ready yet, try again later
	ETOOMANY      = "too_many"     // a key sent more requests than its rate allows
)

// Error is a domain error: a code the API maps to a status, a message a
// person can act on, and, for batches, one Problem per rejected record.
type Error struct {
	Code     string
	Message  string
	Problems []Problem
	Cause    error // what went wrong underneath, for the log; never shown to clients
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Cause }

// Unavailable is the error of a store that cannot be reached (refused or
// dropped connections, a database shutting down): EUNAVAILABLE, with the
// driver's error as its cause.
func Unavailable(cause error) *Error {
	return &Error{Code: EUNAVAILABLE, Message: "the database does not answer; retry in a few seconds", Cause: cause}
}

// IsOutage reports whether err is a store's Unavailable.
func IsOutage(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == EUNAVAILABLE && e.Cause != nil
}

// Problem is one rejected field of one record in a batch.
type Problem struct {
	Record int    `json:"record"` // 1-based position in the batch; 0 when not tied to one
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

func (e *Error) Error() string {
	if len(e.Problems) == 0 {
		return e.Message
	}
	return fmt.Sprintf("%s (%d problems, first: record %d %s: %s)", e.Message,
		len(e.Problems), e.Problems[0].Record, e.Problems[0].Field, e.Problems[0].Reason)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrNotFound is returned by stores when a record does not exist.
var ErrNotFound = &Error{Code: ENOTFOUND, Message: "not found"}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the message of the first *Error in err's chain, or
// "internal error" for any other error, so internals never reach a client.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
