// Package problem holds the one table from error codes to HTTP statuses,
// which the JSON API and the pages both answer with.
package problem

import (
	"net/http"

	"aidbridge/internal/domain"
)

// statuses maps each error code to its HTTP status; this table is the only
// place where the two meet.
var statuses = map[string]int{
	domain.EINVALID:      http.StatusUnprocessableEntity,
	domain.ENOTFOUND:     http.StatusNotFound,
	domain.ECONFLICT:     http.StatusConflict,
	domain.EFORBIDDEN:    http.StatusForbidden,
	domain.EUNAUTHORIZED: http.StatusUnauthorized,
	domain.ETOOMANY:      http.StatusTooManyRequests,
	domain.EINTERNAL:     http.StatusInternalServerError,
}

// Status returns the HTTP status for err's code: 500 for errors that are
// not ours, and for nil 200.
func Status(err error) int {
	if err == nil {
		return http.StatusOK
	}
	if s, ok := statuses[domain.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Codes returns the error codes the table knows, for tests that walk it.
func Codes() []string {
	out := make([]string, 0, len(statuses))
	for c := range statuses {
		out = append(out, c)
	}
	return out
}
