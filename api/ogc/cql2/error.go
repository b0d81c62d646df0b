package cql2

import (
	"errors"
	"fmt"
)

// Error is a syntax error in CQL2 text, or a construct this package does not
// support. Its message names the position and what to change, for example
// "cql2: at 14: expected a property or a literal after '>=', found ')'".
type Error struct {
	Offset int    // Offset is the byte offset into the filter text.
	Msg    string // Msg says what was expected or what is unsupported.
}

// Error returns the message with its byte offset.
func (e *Error) Error() string {
	return fmt.Sprintf("cql2: at %d: %s", e.Offset, e.Msg)
}

// ErrTypeMismatch is matched (with errors.Is) by evaluation errors that come
// from comparing values of different types, such as a number property with a
// string literal. Such an error is the client's: its filter does not fit the
// data.
var ErrTypeMismatch = errors.New("cql2: type mismatch")

// typeError is an evaluation error that matches ErrTypeMismatch.
type typeError struct{ msg string }

func (e *typeError) Error() string { return "cql2: " + e.msg }

// Is reports whether target is ErrTypeMismatch.
func (e *typeError) Is(target error) bool { return target == ErrTypeMismatch }

func mismatch(format string, args ...any) error {
	return &typeError{msg: fmt.Sprintf(format, args...)}
}
