// MidnightSync
