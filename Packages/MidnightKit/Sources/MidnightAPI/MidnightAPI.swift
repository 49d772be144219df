// MidnightAPI
