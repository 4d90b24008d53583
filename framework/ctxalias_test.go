package framework

import "context"

type ctxT = context.Context
