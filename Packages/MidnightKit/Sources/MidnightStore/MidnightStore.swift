// MidnightStore
