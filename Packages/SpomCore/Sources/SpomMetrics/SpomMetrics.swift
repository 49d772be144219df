// SpomMetrics
