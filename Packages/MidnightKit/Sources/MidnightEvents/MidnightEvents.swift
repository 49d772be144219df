// MidnightEvents
