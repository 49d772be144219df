// MidnightConfig
