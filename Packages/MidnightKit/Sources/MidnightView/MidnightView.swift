// MidnightView
