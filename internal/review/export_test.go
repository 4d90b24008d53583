package review

// Internals the external tests (package review_test) use.
var (
	TableTypes = tableTypes
	CreateOnly = &createOnly
	KnownGaps  = knownGaps
)
