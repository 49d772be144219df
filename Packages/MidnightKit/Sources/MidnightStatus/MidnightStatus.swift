// MidnightStatus
